/**
 * The benchmark's output: a table (one column per size), the issue's targets and whether the
 * figures meet them, how each figure was taken, and what the request log showed.
 */
import type { InterruptedFigures, RunFigures, SizeResult, WallSamples } from './measure.js';
import { refreshMethod } from './measure.js';

export interface Target {
  what: string;
  size: string;
  /** null: not measured in this run. */
  met: boolean | null;
  figure: string;
}

const seconds = (ms: number | null | undefined): string => (ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const ratio = (value: number | null | undefined): string => (value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)}×`);
const mib = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const count = (value: number): string => value.toLocaleString('en-US');
const capped = (run: RunFigures, text: string): string => (run.capped ? `${text} (capped)` : text);
/** A median, with the range when there were several runs. */
const spread = (wall: WallSamples): string =>
  wall.samplesMs.length > 1 ? `${seconds(wall.medianMs)} (${(wall.minMs / 1000).toFixed(2)}–${(wall.maxMs / 1000).toFixed(2)}, n=${wall.samplesMs.length})` : seconds(wall.medianMs);

function interruptedOf(result: SizeResult): InterruptedFigures | null {
  return 'skipped' in result.interrupted ? null : result.interrupted;
}

/** A token's hourly budget, of REST requests and of GraphQL points alike. */
const tokenBudgetPerHour = 5000;

/**
 * The budget of the plan before the cost planner — every REST listing at its minimum, GraphQL for
 * reviews and names only — computed for the same repository from its facts: the baseline the
 * planner's budget is measured against.
 */
function listingPlanBudget(result: SizeResult): number {
  return Math.max(result.minimum.rest, result.minimum.graphql);
}

export function renderTable(results: readonly SizeResult[]): string {
  const rows: Array<[string, (result: SizeResult) => string]> = [
    ['repository', (r) => r.fullName],
    ['issues + PRs', (r) => `${count(r.fixture.issues)} + ${count(r.fixture.pullRequests)}`],
    ['comments / review comments / commit comments', (r) => `${count(r.fixture.comments)} / ${count(r.fixture.reviewComments)} / ${count(r.fixture.commitComments)}`],
    ['reviews / people (logins)', (r) => `${count(r.fixture.reviews)} / ${count(r.fixture.people)}`],
    ['issue events (of them triage)', (r) => `${count(r.fixture.events)} (${count(r.fixture.triageEvents)})`],
    ['discussions / their comments / replies', (r) => `${count(r.fixture.discussions.discussions)} / ${count(r.fixture.discussions.comments)} / ${count(r.fixture.discussions.replies)}`],
    ['injected latency per request', (r) => `${r.latencyMs} ms`],
    ['requests, cold: REST', (r) => count(r.cold.requests.rest)],
    ['requests, cold: GraphQL queries', (r) => count(r.cold.requests.graphql)],
    ['REST-listing plan: the minimum it allows (REST + GraphQL)', (r) => `${count(r.minimum.total)} (${count(r.minimum.rest)} + ${count(r.minimum.graphql)})`],
    ['requests / that minimum', (r) => ratio(r.requestsRatio)],
    ['budget, cold: REST charged / GraphQL points', (r) => `${count(r.cold.requests.restCharged)} / ${count(r.cold.requests.graphqlPoints)}`],
    ['budget, cold: the larger; hours of one token', (r) => `${count(r.cold.requests.budget)}; ${(r.cold.requests.budget / tokenBudgetPerHour).toFixed(2)} h`],
    ['budget / the REST-listing plan\'s (its larger)', (r) => `${count(r.cold.requests.budget)} / ${count(listingPlanBudget(r))} = ${ratio(r.cold.requests.budget / listingPlanBudget(r))}`],
    ['cold wall time, default concurrency', (r) => capped(r.cold, spread(r.wall.cold))],
    ['cold wall time, --concurrency 1', (r) => capped(r.coldConcurrency1, spread(r.wall.coldConcurrency1))],
    ['default / --concurrency 1 (medians)', (r) => ratio(r.concurrencyRatio)],
    ['REST-listing plan, cold: REST / GraphQL queries', (r) => `${count(r.coldRestListings.requests.rest)} / ${count(r.coldRestListings.requests.graphql)}`],
    ['REST-listing plan, cold: budget (the larger)', (r) => `${count(r.coldRestListings.requests.restCharged)} / ${count(r.coldRestListings.requests.graphqlPoints)} → ${count(r.coldRestListings.requests.budget)}`],
    ['REST-listing plan, cold wall time', (r) => capped(r.coldRestListings, spread(r.wall.coldRestListings))],
    ['cold / the REST-listing plan\'s (medians)', (r) => ratio(r.restListingsRatio)],
    ['warm wall time (same cache)', (r) => capped(r.warm, spread(r.wall.warm))],
    ['warm requests', (r) => count(r.warm.requests.total)],
    ['node start-up (octohatrack --version)', (r) => seconds(r.startupMs)],
    ['load average at start (1 min)', (r) => (r.loadAverage[0] ?? 0).toFixed(2)],
    ['interrupted: REST limit, exit codes', (r) => { const i = interruptedOf(r); return i ? `${count(i.restLimit)}, ${[i.first, ...i.resumes].map((run) => run.code ?? '-').join(' then ')}` : 'skipped'; }],
    ['interrupted + resumed: requests', (r) => { const i = interruptedOf(r); return i ? `${[i.first, ...i.resumes].map((run) => count(run.requests.total)).join(' + ')} = ${count(i.totalRequests)}` : 'skipped'; }],
    ['  / one uninterrupted run', (r) => ratio(interruptedOf(r)?.requestsRatio)],
    ['interrupted + resumed: wall time', (r) => { const i = interruptedOf(r); return i ? `${[i.first, ...i.resumes].map((run) => seconds(run.wallMs)).join(' + ')} = ${seconds(i.totalWallMs)}` : 'skipped'; }],
    ['  / one uninterrupted run', (r) => ratio(interruptedOf(r)?.wallRatio)],
    ['refresh after ~1% new activity: requests', (r) => ('skipped' in r.refresh ? 'skipped' : `${count(r.refresh.run.requests.total)} (${ratio(r.refresh.ratio)} of cold)`)],
    ['refresh after ~1% new activity: wall time', (r) => ('skipped' in r.refresh ? 'skipped' : seconds(r.refresh.run.wallMs))],
    ['refresh after a push as well: requests', (r) => ('skipped' in r.refresh ? 'skipped' : `${count(r.refresh.afterPush.run.requests.total)} (${ratio(r.refresh.afterPush.ratio)} of cold)`)],
    ['cache on disk (files)', (r) => `${mib(r.cache.bytes)} (${r.cache.files})`],
    ['cache load: `octohatrack cache info`', (r) => seconds(r.cache.cacheInfoMs)],
    ['cache load: cache module, in-process', (r) => seconds(r.cache.loadMs)],
    ['cache save: full rewrite, in-process', (r) => seconds(r.cache.saveMs)],
    ['peak RSS: cold / warm', (r) => `${mib(r.cold.peakRssBytes)} / ${mib(r.warm.peakRssBytes)}`],
    ['peak RSS: --concurrency 1 / resumed', (r) => { const i = interruptedOf(r); return `${mib(r.coldConcurrency1.peakRssBytes)} / ${i ? mib(i.resumed.peakRssBytes) : 'n/a'}`; }],
  ];
  const header = ['', ...results.map((r) => r.size)];
  const body = rows.map(([label, cell]) => [label, ...results.map(cell)]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

export function evaluateTargets(results: readonly SizeResult[]): Target[] {
  const medium = results.find((r) => r.size === 'medium');
  const large = results.find((r) => r.size === 'large');
  const targets: Target[] = [];
  const add = (what: string, size: string, result: SizeResult | undefined, judge: (r: SizeResult) => [boolean | null, string]): void => {
    if (!result) {
      targets.push({ what, size, met: null, figure: `not measured (run with --sizes ${size})` });
      return;
    }
    const [met, figure] = judge(result);
    targets.push({ what, size, met, figure });
  };
  add('requests ≤ 1.10 × the REST-listing plan\'s minimum', 'medium', medium, (r) => [r.requestsRatio <= 1.1, `${count(r.cold.requests.total)} / ${count(r.minimum.total)} = ${ratio(r.requestsRatio)}`]);
  add('cold time at default concurrency ≤ 0.35 × --concurrency 1', 'medium', medium, (r) => [
    r.cold.capped || r.coldConcurrency1.capped ? null : r.concurrencyRatio <= 0.35,
    `median ${seconds(r.wall.cold.medianMs)} / median ${seconds(r.wall.coldConcurrency1.medianMs)} = ${ratio(r.concurrencyRatio)}${r.wall.cold.samplesMs.length > 1 ? ` (per pair: ${r.wall.cold.samplesMs.map((ms, i) => ratio(ms / (r.wall.coldConcurrency1.samplesMs[i] ?? Number.NaN))).join(', ')})` : ''}`,
  ]);
  add('warm run: no request, < 1.5 s', 'medium', medium, (r) => [r.warm.requests.total === 0 && r.wall.warm.medianMs < 1500, `${r.warm.requests.total} requests, ${seconds(r.wall.warm.medianMs)}${r.wall.warm.samplesMs.length > 1 ? ' (median)' : ''}`]);
  add('interrupted + resumed ≤ 1.02 × the requests of one uninterrupted run', 'medium', medium, (r) => {
    const i = interruptedOf(r);
    if (!i) return [null, 'skipped' in r.interrupted ? r.interrupted.skipped : 'skipped'];
    const exits = [i.first, ...i.resumes].map((run) => run.code ?? '-').join(', ');
    return [i.first.code === 75 && i.resumed.code === 0 && i.requestsRatio <= 1.02, `${count(i.totalRequests)} / ${count(r.cold.requests.total)} = ${ratio(i.requestsRatio)} (exits ${exits})`];
  });
  add('refresh after 1% new activity ≤ 5% of the cold run\'s requests', 'medium', medium, (r) =>
    'skipped' in r.refresh ? [null, r.refresh.skipped] : [r.refresh.ratio <= 0.05, `${count(r.refresh.run.requests.total)} / ${count(r.cold.requests.total)} = ${(r.refresh.ratio * 100).toFixed(1)}% (${r.refresh.newIssues} new issues, ${r.refresh.newComments} new comments, ${r.refresh.newReviews} new reviews)`],
  );
  const chatty = results.find((r) => r.size === 'chatty');
  const budgetTarget = (factor: number) => (r: SizeResult): [boolean, string] => {
    const baseline = listingPlanBudget(r);
    return [r.cold.requests.budget <= factor * baseline, `${count(r.cold.requests.budget)} (${count(r.cold.requests.restCharged)} REST, ${count(r.cold.requests.graphqlPoints)} points) / ${count(baseline)} = ${ratio(r.cold.requests.budget / baseline)}`];
  };
  const wallTarget = (r: SizeResult): [boolean | null, string] => [
    r.cold.capped || r.coldRestListings.capped ? null : r.restListingsRatio <= 1,
    `median ${seconds(r.wall.cold.medianMs)} / median ${seconds(r.wall.coldRestListings.medianMs)} = ${ratio(r.restListingsRatio)}${r.wall.cold.samplesMs.length > 1 ? ` (per pair: ${r.wall.cold.samplesMs.map((ms, i) => ratio(ms / (r.wall.coldRestListings.samplesMs[i] ?? Number.NaN))).join(', ')})` : ''}`,
  ];
  add('budget ≤ 0.5 × the REST-listing plan\'s', 'medium', medium, budgetTarget(0.5));
  add('cold time ≤ the REST-listing plan\'s, same latency, same run', 'medium', medium, wallTarget);
  add('cold time ≤ the REST-listing plan\'s, same latency, same run', 'chatty', chatty, wallTarget);
  add('budget ≤ 0.25 × the REST-listing plan\'s', 'chatty', chatty, budgetTarget(0.25));
  add('interrupted + resumed ≤ 1.02 × the requests of one uninterrupted run', 'chatty', chatty, (r) => {
    const i = interruptedOf(r);
    if (!i) return [null, 'skipped' in r.interrupted ? r.interrupted.skipped : 'skipped'];
    return [i.first.code === 75 && i.resumed.code === 0 && i.requestsRatio <= 1.02, `${count(i.totalRequests)} / ${count(r.cold.requests.total)} = ${ratio(i.requestsRatio)}`];
  });
  add('warm run: no request', 'chatty', chatty, (r) => [r.warm.requests.total === 0, `${r.warm.requests.total} requests`]);
  add('cache ≤ 150 MB on disk', 'large', large, (r) => [r.cache.bytes <= 150e6, `${megabytes(r.cache.bytes)} (${mib(r.cache.bytes)})`]);
  add('cache loaded in < 3 s (`cache info` wall time)', 'large', large, (r) => [
    r.cache.cacheInfoMs === null ? null : r.cache.cacheInfoMs < 3000,
    `${seconds(r.cache.cacheInfoMs)} (cache module in-process: ${seconds(r.cache.loadMs)}; warm run: ${seconds(r.wall.warm.medianMs)})`,
  ]);
  add('peak RSS < 500 MB (highest of every run of that size)', 'large', large, (r) => {
    const i = interruptedOf(r);
    const runs: Array<[string, RunFigures]> = [
      ['cold', r.cold],
      ['warm', r.warm],
      ['--concurrency 1', r.coldConcurrency1],
      ...(i ? ([['interrupted', i.first], ...i.resumes.map((run, k): [string, RunFigures] => [`resumed${i.resumes.length > 1 ? ` #${k + 1}` : ''}`, run])] as Array<[string, RunFigures]>) : []),
    ];
    const known = runs.filter((entry): entry is [string, RunFigures & { peakRssBytes: number }] => entry[1].peakRssBytes !== null);
    if (known.length === 0) return [null, 'n/a'];
    const [name, peakRun] = known.reduce((a, b) => (b[1].peakRssBytes > a[1].peakRssBytes ? b : a));
    return [peakRun.peakRssBytes < 500e6, `${megabytes(peakRun.peakRssBytes)} = ${mib(peakRun.peakRssBytes)} (${name}; ${known.map(([n, run]) => `${n} ${mib(run.peakRssBytes)}`).join(', ')})`];
  });
  return targets;
}

export function renderTargets(targets: readonly Target[]): string {
  const mark = (met: boolean | null): string => (met === null ? 'n/a ' : met ? 'MET ' : 'MISS');
  return ['Targets:', ...targets.map((t) => `  [${mark(t.met)}] ${t.size}: ${t.what}: ${t.figure}`)].join('\n');
}

export function renderMethod(memoryMethod: string): string {
  return [
    'How the figures are taken:',
    '  - requests: the loopback GitHub\'s request log for that run (refused ones included); GraphQL = POST /graphql.',
    '  - minimum: a request per 100 items of each REST listing (contributors, issues+PRs, comments, review comments,',
    '    commit comments, commits, issue events; at least 1 each) + the repository + 2 content files (CONTRIBUTORS,',
    '    .all-contributorsrc) + ceil(PRs/100) Reviews queries + the discussions\' GraphQL points by GitHub\'s formula',
    '    (bench/sizes.ts discussionPoints) + ceil(people with a possible display name/100) Names queries.',
    '  - correctness: a complete report before the new activity is compared with the fixture\'s truth, kind by kind',
    '    (who is missing, who should not be there) and display names; a difference is a note under the request log.',
    '  - wall times: spawn to exit of `node bin/octohatrack <repo> --format json -q --no-wiki` (GH_TOKEN set), a fresh',
    '    OCTOHATRACK_CACHE_DIR per cold run; warm runs reuse the first cold run\'s cache. With n>1, cold runs at the two',
    '    concurrencies alternate and the median is shown (min–max); requests, timelines and memory are the first run\'s.',
    '    The fake GitHub runs in the benchmark\'s own process: its CPU time competes with the CLI\'s on this machine.',
    '  - interrupted: a second server whose primary REST limit (rateLimit.authenticated) is one more than half the cold',
    '    run\'s REST requests; after exit 75, resetRateLimits() and the same command on the same cache (again, up to',
    '    3 times, if a resumed run is stopped by the limit too; every run is counted).',
    `  - refresh after ~1% new activity: ${refreshMethod}.`,
    '  - cache load: wall time of `octohatrack cache info` (reads and parses every segment; includes node start-up,',
    '    see that row), and in-process: the CLI\'s own cache module (src/github/cache.ts) loading every partition.',
    '  - cache save: in-process, every cached entry written once more into a fresh folder by one checkpoint(): the',
    '    work the final save\'s compaction does at the end of a cold run (not timed inside the CLI itself).',
    `  - peak RSS: ${memoryMethod}.`,
  ].join('\n');
}

/** Where the requests and the time went, per size: what the request log showed. */
/** `REST n (by resource); GraphQL n (by operation); statuses …` of one run. */
function describeRequests(q: RunFigures['requests']): string {
  const resources = Object.entries(q.byResource)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const operations = Object.entries(q.byOperation)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const statuses = Object.entries(q.byStatus)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return `REST ${q.rest} (${resources}); GraphQL ${q.graphql} (${operations || 'none'}); statuses ${statuses}`;
}

export function renderRequestLog(results: readonly SizeResult[]): string {
  const lines: string[] = ['Request log:'];
  for (const r of results) {
    for (const [label, run] of [
      ['cold', r.cold],
      ['--concurrency 1', r.coldConcurrency1],
      ['REST-listing plan', r.coldRestListings],
    ] as const) {
      const q = run.requests;
      const t = run.timeline;
      lines.push(`  ${r.size} ${label}: ${describeRequests(q)}`);
      if (q.windowRequests > 0 || q.paginationLimited > 0) lines.push(`    since-windows: ${q.windowRequests} requests, ${q.paginationLimited} answered 422 (pagination limit)`);
      lines.push(
        `    time: ${seconds(t.beforeFirstRequestMs)} before the first request, ${seconds(t.requestSpanMs)} of requests (mean ${t.meanInFlight === null ? 'n/a' : t.meanInFlight.toFixed(2)} in flight), ${seconds(t.afterLastAnswerMs)} after the last answer`,
      );
      const phases = Object.entries(t.phases)
        .sort((a, b) => a[1].startMs - b[1].startMs)
        .map(([name, p]) => `${name} ${seconds(p.startMs)}–${seconds(p.endMs)}`)
        .join('; ');
      if (phases) lines.push(`    phases: ${phases}`);
    }
    const i = interruptedOf(r);
    if (i) {
      const resumed = i.resumes.map((run) => `${run.requests.total} requests (${run.requests.refused} refused, ${run.requests.rest} REST, ${run.requests.graphql} GraphQL), exit ${run.code ?? '-'}`).join('; then ');
      lines.push(`  ${r.size} interrupted: ${i.first.requests.total} requests (${i.first.requests.refused} refused, ${i.first.requests.rest} REST, ${i.first.requests.graphql} GraphQL), exit ${i.first.code ?? '-'}; resumed: ${resumed}`);
      const repeated = i.repeated;
      lines.push(`    requests (REST, and GraphQL questions) a resumed run sent again after an earlier run had a definite answer: ${repeated.length}${repeated.length > 0 ? ` (${repeated.slice(0, 3).join(', ')}${repeated.length > 3 ? ', …' : ''})` : ''}`);
    }
    if (!('skipped' in r.refresh)) {
      lines.push(`  ${r.size} refresh after ~1% new activity: ${describeRequests(r.refresh.run.requests)}`);
      lines.push(`  ${r.size} refresh after a push as well: ${describeRequests(r.refresh.afterPush.run.requests)}`);
    }
    if (r.warm.requests.total > 0) {
      const statuses = Object.entries(r.warm.requests.byStatus).map(([status, n]) => `${status}×${n}`).join(' ');
      lines.push(`  ${r.size} warm: ${r.warm.requests.total} requests (${Object.entries(r.warm.requests.byResource).map(([n, c]) => `${n} ${c}`).join(', ')}; GraphQL ${r.warm.requests.graphql}; statuses ${statuses})`);
    }
    if (r.cache.error) lines.push(`  ${r.size} cache: ${r.cache.error}`);
    for (const note of r.notes) lines.push(`  ${r.size} note: ${note}`);
  }
  return lines.join('\n');
}
