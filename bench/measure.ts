/**
 * One size, measured: a loopback GitHub serving a generated repository with injected latency, and
 * the real CLI run against it cold, cold at --concurrency 1, warm, interrupted by the rate limit and
 * resumed; the cache it leaves on disk, loaded and saved.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateRepository } from '../test/fake-github/fixtures.js';
import { loadGitHubSchema } from '../test/fake-github/graphql.js';
import { startFakeGitHubDelayed } from '../test/fake-github/server.js';
import type { FakeGitHub, RequestLogEntry } from '../test/fake-github/server.js';
import type { FakeDiscussion } from '../test/fake-github/types.js';
import type { CliRunResult } from './cli-process.js';
import { distFingerprint, folderBytes, repoRoot, runCli } from './cli-process.js';
import type { RequestSummary, Timeline } from './request-log.js';
import { isGraphQL, summarise, timeline } from './request-log.js';
import type { MinimumRequests, SizeDefinition } from './sizes.js';
import { minimumRequests } from './sizes.js';
import { differencesFromTruth } from './truth.js';

export const benchToken = 'ghp_benchmarkTokenNotARealOne000000000';
/** Exit codes a run may end with without the benchmark failing: complete, or stopped by the rate limit. */
const acceptedExitCodes = [0, 75];
/** A resumed run stopped by the limit again is resumed again, at most this many times in all. */
const maxResumes = 3;

/** The CLI ended in a way a benchmark cannot report as a figure. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export interface RunFigures {
  args: string[];
  code: number | null;
  capped: boolean;
  wallMs: number;
  peakRssBytes: number | null;
  requests: RequestSummary;
  timeline: Timeline;
  /** From the JSON report, when the run printed one. */
  report: { complete: boolean; people: number } | null;
}

export interface InterruptedFigures {
  /** The primary REST limit the server was started with (one more than half the REST requests of a cold run). */
  restLimit: number;
  first: RunFigures;
  /** The last resumed run. */
  resumed: RunFigures;
  /** Every resumed run (one, unless a resumed run was stopped by the limit again). */
  resumes: RunFigures[];
  /** Requests (REST, and GraphQL questions: operation and variables) a resumed run sent again although an earlier run had a definite answer (2xx, 404, 410, 422), with that status. */
  repeated: string[];
  totalRequests: number;
  totalWallMs: number;
  /** Against the cold default-concurrency run (requests: the first one; wall time: the median). */
  requestsRatio: number;
  wallRatio: number;
}

export interface CacheFigures {
  bytes: number;
  files: number;
  /** `octohatrack cache info` wall time (it reads and parses every segment). */
  cacheInfoMs: number | null;
  /** In-process: the CLI's cache module loading every partition. */
  loadMs: number | null;
  /** In-process: every entry written once more (the final save's compaction). */
  saveMs: number | null;
  entries: number | null;
  error: string | null;
}

export interface WallSamples {
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

function wallSamples(runs: readonly RunFigures[]): WallSamples {
  const samplesMs = runs.map((run) => run.wallMs);
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { samplesMs, medianMs, minMs: sorted[0] ?? 0, maxMs: sorted[sorted.length - 1] ?? 0 };
}

export interface SizeResult {
  size: string;
  fullName: string;
  latencyMs: number;
  fixture: {
    issues: number;
    pullRequests: number;
    comments: number;
    reviewComments: number;
    commitComments: number;
    reviews: number;
    contributors: number;
    people: number;
    /** Issue events the listing holds, and of those the triage ones. */
    events: number;
    triageEvents: number;
    /** Discussions, their comments, and the replies to those comments. */
    discussions: { discussions: number; comments: number; replies: number };
  };
  minimum: MinimumRequests;
  /** `node bin/octohatrack --version`: what any run pays before it does anything. */
  startupMs: number;
  /** The first cold run at the default concurrency (its requests, timeline, memory). */
  cold: RunFigures;
  requestsRatio: number;
  /** The first cold run at --concurrency 1. */
  coldConcurrency1: RunFigures;
  /** The first cold run under the REST-listing plan (`OCTOHATRACK_PLAN=rest-listings`): the same-run baseline. */
  coldRestListings: RunFigures;
  /** Wall times of every repetition (each on a fresh cache), medians used in the ratios. */
  wall: { cold: WallSamples; coldConcurrency1: WallSamples; coldRestListings: WallSamples; warm: WallSamples };
  /** Median cold default-concurrency wall time / median --concurrency 1 wall time. */
  concurrencyRatio: number;
  /** Median cold wall time / median cold wall time of the REST-listing plan, both at the default concurrency. */
  restListingsRatio: number;
  /** The first warm run. */
  warm: RunFigures;
  /** 1-, 5- and 15-minute load averages when the size started: other work on the machine skews wall times. */
  loadAverage: number[];
  interrupted: InterruptedFigures | { skipped: string };
  refresh: RefreshFigures | { skipped: string };
  cache: CacheFigures;
  notes: string[];
}

export interface MeasureOptions {
  latencyMs: number;
  /** Cold (both concurrencies) and warm runs are repeated this many times; wall times are medians. */
  repeats: number;
  progress: (message: string) => void;
}

/** A run on the cold run's cache, once it is older than --max-age and ~1% new activity happened. */
export interface RefreshFigures {
  newIssues: number;
  newComments: number;
  newReviews: number;
  run: RunFigures;
  /** Its requests / the cold run's. */
  ratio: number;
  /** Then a push as well (1% more commits, a new committer), and the same refresh again. */
  afterPush: { run: RunFigures; ratio: number };
}

export const refreshMethod =
  'new issues (1% of issues and pull requests), new comments on old issues (1% of comments) and new reviews of old pull requests (1% of reviews) added with addActivity(), then the same command on the cold run\'s cache with --max-age 1s, a second later. "After a push as well": then a push (1% more commits, spread over the top committers, and one new committer) and the same command again, a second later';

/** Temporary folders not removed yet (caches can be tens of MB): removed on Ctrl-C too. */
const liveTempDirs = new Set<string>();

export function removeTempDirs(): void {
  for (const dir of liveTempDirs) fs.rmSync(dir, { recursive: true, force: true });
  liveTempDirs.clear();
}

interface LoggedServer {
  github: FakeGitHub;
  answeredAt: Map<RequestLogEntry, number>;
}

async function startServer(fixture: ReturnType<typeof generateRepository>, latencyMs: number, restLimit?: number): Promise<LoggedServer> {
  const answeredAt = new Map<RequestLogEntry, number>();
  // Every answer `latencyMs` late, as over a network: the benchmarks' wait, not the fake's.
  const latency = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, latencyMs).unref());
  const github = await startFakeGitHubDelayed(
    {
      users: fixture.users,
      repos: [fixture.repo],
      tokens: [benchToken],
      ...(restLimit === undefined ? {} : { rateLimit: { authenticated: restLimit } }),
      onRequest: (entry) => answeredAt.set(entry, Date.now()),
    },
    latency,
  );
  return { github, answeredAt };
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export async function measureSize(definition: SizeDefinition, options: MeasureOptions): Promise<SizeResult> {
  const say = (message: string): void => options.progress(`[${definition.name}] ${message}`);
  const notes: string[] = [];
  const temps: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `octohatrack-bench-${prefix}-`));
    temps.push(dir);
    liveTempDirs.add(dir);
    return dir;
  };
  const servers: FakeGitHub[] = [];

  try {
    // The loopback GitHub builds GraphQL's schema on its first GraphQL request (0.2–0.4 s): pay it
    // here, not inside the first measured run.
    loadGitHubSchema();
    const builtAtStart = distFingerprint();
    say('generating the repository…');
    const fixture = generateRepository(definition.repository);
    const facts = fixture.facts;
    const minimum = minimumRequests(facts, fixture.repo.discussions ?? []);
    const fullName = facts.fullName;
    const server = await startServer(fixture, options.latencyMs);
    servers.push(server.github);
    const cwd = tempDir('cwd');
    const baseArgs = [fullName, '--format', 'json', '-q', '--no-wiki'];
    const envFor = (github: FakeGitHub, cacheDir: string): Record<string, string> => ({
      GH_TOKEN: benchToken,
      GITHUB_API_URL: github.url,
      OCTOHATRACK_CACHE_DIR: cacheDir,
    });
    /** People the report should list: the fixture's, and whoever the new activity brought. */
    let expectedPeople = facts.logins.length + facts.nameOnly.length;
    /** Until new activity is added, a complete report must match the fixture's truth kind by kind. */
    let truthHolds = true;

    /** Each run's request log, for what the figures do not keep. */
    const logs = new Map<RunFigures, RequestLogEntry[]>();
    /** One CLI run against `logged`, with its own slice of the request log. */
    const run = async (what: string, logged: LoggedServer, cacheDir: string, extraArgs: string[] = [], expected: number[] = [0], extraEnv: Record<string, string> = {}): Promise<RunFigures> => {
      const args = [...baseArgs, ...extraArgs];
      logged.github.clearLog();
      logged.answeredAt.clear();
      say(`${what}…`);
      const spawnedAt = Date.now();
      const result: CliRunResult = await runCli(args, { env: { ...envFor(logged.github, cacheDir), ...extraEnv }, cwd, capMs: definition.runCapMs });
      const exitedAt = Date.now();
      const entries = [...logged.github.requests];
      const figures: RunFigures = {
        args,
        code: result.code,
        capped: result.capped,
        wallMs: result.wallMs,
        peakRssBytes: result.peakRssBytes,
        requests: summarise(entries),
        timeline: timeline(entries, logged.answeredAt, spawnedAt, exitedAt),
        report: readReport(result.stdout),
      };
      logs.set(figures, entries);
      if (result.capped) {
        notes.push(`${what}: stopped after ${formatSeconds(definition.runCapMs)} (cap); its figures are those of the part that ran`);
        say(`${what}: capped at ${formatSeconds(definition.runCapMs)} (${entries.length} requests made)`);
        return figures;
      }
      if (result.code === null || !acceptedExitCodes.includes(result.code)) {
        throw new CliFailure(`octohatrack ${args.join(' ')} (${what}) exited with ${result.code ?? result.signal ?? 'nothing'}`, result.stderr);
      }
      if (!expected.includes(result.code)) {
        notes.push(`${what}: exit ${result.code}, expected ${expected.join(' or ')}: ${lastLine(result.stderr)}`);
      }
      if (result.code === 0 && figures.report && figures.report.people !== expectedPeople) {
        notes.push(`${what}: the report lists ${figures.report.people} people, the fixture has ${expectedPeople}`);
      }
      if (result.code === 0 && figures.report && !figures.report.complete) notes.push(`${what}: the report says it is incomplete`);
      if (result.code === 0 && truthHolds) notes.push(...differencesFromTruth(result.stdout, facts).map((difference) => `${what}: against the fixture's truth, ${difference}`));
      say(`${what}: ${formatSeconds(result.wallMs)}, exit ${result.code}, ${figures.requests.rest} REST + ${figures.requests.graphql} GraphQL requests`);
      return figures;
    };

    const startup = await runCli(['--version'], { env: {}, cwd, capMs: 60_000 });
    const startupMs = startup.wallMs;

    // Cold, default concurrency, then warm on the same cache.
    const loadAverage = os.loadavg().map((value) => Math.round(value * 100) / 100);
    const n = (index: number): string => (options.repeats > 1 ? ` (${index + 1}/${options.repeats})` : '');
    const coldCache = tempDir('cache-cold');
    server.github.resetRateLimits();
    const cold = await run(`cold run, default concurrency${n(0)}`, server, coldCache);
    const requestsRatio = cold.requests.total / minimum.total;
    const warmRuns: RunFigures[] = [];
    for (let index = 0; index < options.repeats; index++) warmRuns.push(await run(`warm run (same cache)${n(index)}`, server, coldCache));
    const warm = warmRuns[0] as RunFigures;

    // The cache that cold run left: its size, and how long it takes to load and to save.
    const cache = await measureCache(coldCache, cwd, definition.runCapMs, say);

    // Cold under the REST-listing plan (the same-run baseline) and at --concurrency 1, each on a
    // cache of its own, alternating with more cold runs at the default concurrency, so that a slow
    // spell of the machine weighs on all alike.
    const coldRuns: RunFigures[] = [cold];
    const concurrency1Runs: RunFigures[] = [];
    const restListingsRuns: RunFigures[] = [];
    for (let index = 0; index < options.repeats; index++) {
      if (index > 0) {
        server.github.resetRateLimits();
        coldRuns.push(await run(`cold run, default concurrency${n(index)}`, server, tempDir('cache-cold')));
      }
      server.github.resetRateLimits();
      restListingsRuns.push(await run(`cold run, REST-listing plan${n(index)}`, server, tempDir('cache-rest'), [], [0], { OCTOHATRACK_PLAN: 'rest-listings' }));
      server.github.resetRateLimits();
      concurrency1Runs.push(await run(`cold run, --concurrency 1${n(index)}`, server, tempDir('cache-c1'), ['--concurrency', '1']));
    }
    const coldConcurrency1 = concurrency1Runs[0] as RunFigures;
    const coldRestListings = restListingsRuns[0] as RunFigures;
    const wall = { cold: wallSamples(coldRuns), coldConcurrency1: wallSamples(concurrency1Runs), coldRestListings: wallSamples(restListingsRuns), warm: wallSamples(warmRuns) };
    const concurrencyRatio = wall.cold.medianMs / wall.coldConcurrency1.medianMs;
    const restListingsRatio = wall.cold.medianMs / wall.coldRestListings.medianMs;

    // Interrupted by the REST limit about half-way, then resumed once the limit has reset. The
    // limit is one more than half the REST requests of the cold run, so that a resumed run that
    // asks nothing twice fits in the second window; one that does not fit is resumed again (after
    // another reset), up to maxResumes times, and every run is counted.
    let interrupted: SizeResult['interrupted'];
    const restLimit = Math.ceil(cold.requests.rest / 2) + 1;
    if (cold.code !== 0 || cold.requests.rest < 4) {
      interrupted = { skipped: cold.code !== 0 ? 'the cold run did not complete' : 'too few REST requests to interrupt half-way' };
    } else {
      const limited = await startServer(fixture, options.latencyMs, restLimit);
      servers.push(limited.github);
      const interruptedCache = tempDir('cache-interrupted');
      const first = await run(`interrupted run (REST limit ${restLimit})`, limited, interruptedCache, [], [75]);
      const resumes: RunFigures[] = [];
      let last = first;
      while (last.code === 75 && resumes.length < maxResumes) {
        limited.github.resetRateLimits();
        const attempt = resumes.length + 1;
        last = await run(`resumed run${attempt > 1 ? ` #${attempt}` : ''} (after resetRateLimits)`, limited, interruptedCache, [], attempt < maxResumes ? [0, 75] : [0]);
        resumes.push(last);
      }
      if (resumes.length > 1) notes.push(`interrupted: the resumed run needed ${resumes.length} windows of ${restLimit} REST requests (one should do)`);
      // A definite answer an earlier run already had: 2xx, 404 (absent file), 410 and 422 (pagination limit).
      const answered = new Map<string, number>();
      const repeated: string[] = [];
      for (const [index, runFigures] of [first, ...resumes].entries()) {
        // `GET /rate_limit` is free and only true when asked: each run asks it afresh (the cost planner's).
        // A GraphQL question is its operation and variables (cursors included).
        const entries = (logs.get(runFigures) ?? [])
          .filter((entry) => entry.path !== '/rate_limit')
          .map((entry) => (isGraphQL(entry) ? { ...entry, path: `GraphQL ${entry.operation ?? '?'} ${entry.variables ?? ''}` } : entry));
        if (index > 0) {
          for (const entry of entries) {
            const earlier = answered.get(entry.path);
            if (earlier !== undefined) repeated.push(`${entry.path} (earlier ${earlier})`);
          }
        }
        for (const entry of entries) {
          if ((entry.status >= 200 && entry.status < 300) || [404, 410, 422].includes(entry.status)) answered.set(entry.path, entry.status);
        }
      }
      const totalRequests = first.requests.total + resumes.reduce((sum, r) => sum + r.requests.total, 0);
      const totalWallMs = first.wallMs + resumes.reduce((sum, r) => sum + r.wallMs, 0);
      interrupted = {
        restLimit,
        first,
        resumed: last,
        resumes,
        repeated,
        totalRequests,
        totalWallMs,
        requestsRatio: totalRequests / cold.requests.total,
        wallRatio: totalWallMs / wall.cold.medianMs,
      };
    }

    // ~1% new activity, then a refresh of the cold run's cache once it is older than --max-age.
    let refresh: SizeResult['refresh'] = { skipped: 'the cold run did not complete' };
    if (cold.code === 0) {
      const newIssues = Math.max(1, Math.round((facts.counts.issues + facts.counts.pullRequests) / 100));
      const newComments = Math.max(1, Math.round(facts.counts.issueComments / 100));
      server.github.resetRateLimits();
      const activity = {
        issues: Array.from({ length: newIssues }, (_, index) => ({ author: `newcomer-${index % 10}`, pullRequest: index % 4 === 0 })),
        issueComments: Array.from({ length: newComments }, (_, index) => ({ author: index % 2 ? 'late-commenter' : 'person-00001', issueNumber: 1 + ((index * 37) % Math.max(1, facts.counts.issues)) })),
      };
      const pulls = (fixture.repo.issues ?? []).flatMap((issue, index) => (issue.pullRequest ? [issue.number ?? index + 1] : []));
      const newReviews = pulls.length === 0 ? 0 : Math.max(1, Math.round(facts.counts.reviews / 100));
      const reviews = Array.from({ length: newReviews }, (_, index) => ({ author: index % 2 ? 'late-reviewer' : 'person-00002', pullNumber: pulls[(index * 53) % pulls.length] ?? 0 }));
      server.github.addActivity(fullName, { ...activity, reviews });
      truthHolds = false;
      const known = new Set(facts.logins.map((login) => login.toLowerCase()));
      expectedPeople += new Set([...activity.issues, ...activity.issueComments, ...reviews].map((item) => item.author.toLowerCase()).filter((login) => !known.has(login))).size;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const refreshed = await run('refresh after ~1% new activity (--max-age 1s)', server, coldCache, ['--max-age', '1s']);

      // A push: 1% more commits, to the top committers, and a first commit by someone new.
      const contributors = fixture.repo.contributors ?? [];
      const totalCommits = contributors.reduce((sum, contributor) => sum + contributor.contributions, 0);
      let extra = Math.max(1, Math.round(totalCommits / 100));
      const pushed = contributors.map((contributor, index) => {
        const more = index < 10 ? Math.ceil(extra / (10 - index)) : 0;
        extra -= more;
        return { ...contributor, contributions: contributor.contributions + more };
      });
      server.github.addActivity(fullName, { push: { contributors: [...pushed, { login: 'first-committer', contributions: 1 }] } });
      expectedPeople += 1;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const afterPush = await run('refresh after a push as well (--max-age 1s)', server, coldCache, ['--max-age', '1s']);
      refresh = { newIssues, newComments, newReviews, run: refreshed, ratio: refreshed.requests.total / cold.requests.total, afterPush: { run: afterPush, ratio: afterPush.requests.total / cold.requests.total } };
    }

    if (distFingerprint() !== builtAtStart) {
      notes.push('dist/ changed while this size was measured (rebuilt by someone else): its runs may mix two builds of the CLI');
    }
    return {
      size: definition.name,
      fullName,
      latencyMs: options.latencyMs,
      fixture: {
        issues: facts.counts.issues,
        pullRequests: facts.counts.pullRequests,
        comments: facts.counts.issueComments,
        reviewComments: facts.counts.reviewComments,
        commitComments: facts.counts.commitComments,
        reviews: facts.counts.reviews,
        contributors: facts.counts.contributors,
        people: facts.logins.length,
        events: facts.counts.events,
        triageEvents: facts.counts.triageEvents,
        discussions: countDiscussions(fixture.repo.discussions ?? []),
      },
      minimum,
      startupMs,
      cold,
      requestsRatio,
      coldConcurrency1,
      coldRestListings,
      wall,
      concurrencyRatio,
      restListingsRatio,
      warm,
      loadAverage,
      interrupted,
      refresh,
      cache,
      notes,
    };
  } finally {
    for (const github of servers) await github.close();
    for (const dir of temps) {
      fs.rmSync(dir, { recursive: true, force: true });
      liveTempDirs.delete(dir);
    }
  }
}

async function measureCache(cacheDir: string, cwd: string, capMs: number, say: (message: string) => void): Promise<CacheFigures> {
  const { bytes, files } = folderBytes(cacheDir);
  const figures: CacheFigures = { bytes, files, cacheInfoMs: null, loadMs: null, saveMs: null, entries: null, error: null };
  say('octohatrack cache info (load proxy)…');
  const info = await runCli(['cache', 'info'], { env: { OCTOHATRACK_CACHE_DIR: cacheDir }, cwd, capMs });
  if (info.code === 0) figures.cacheInfoMs = info.wallMs;
  else figures.error = `cache info exited with ${info.code ?? info.signal ?? 'nothing'}: ${lastLine(info.stderr)}`;

  say('cache module load/save timing…');
  const timing = await runTsx(path.join(repoRoot, 'bench', 'cache-timing.ts'), [cacheDir], capMs);
  if (timing.code !== 0) {
    figures.error = `${figures.error ? `${figures.error}; ` : ''}bench/cache-timing.ts exited with ${timing.code ?? 'nothing'}: ${lastLine(timing.stderr)}`;
    return figures;
  }
  try {
    const parsed = JSON.parse(timing.stdout) as { loadMs: number; saveMs: number; entries: number; warnings: string[] };
    figures.loadMs = parsed.loadMs;
    figures.saveMs = parsed.saveMs;
    figures.entries = parsed.entries;
    if (parsed.warnings.length > 0) figures.error = parsed.warnings.join('; ');
  } catch {
    figures.error = `bench/cache-timing.ts printed no JSON: ${lastLine(timing.stdout)}`;
  }
  return figures;
}

function countDiscussions(discussions: readonly FakeDiscussion[]): SizeResult['fixture']['discussions'] {
  const comments = discussions.flatMap((discussion) => discussion.comments ?? []);
  return { discussions: discussions.length, comments: comments.length, replies: comments.reduce((sum, comment) => sum + (comment.replies ?? []).length, 0) };
}

function runTsx(script: string, args: string[], capMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: capMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function readReport(stdout: string): RunFigures['report'] {
  try {
    const json = JSON.parse(stdout) as { complete?: unknown; contributors?: unknown };
    if (!Array.isArray(json.contributors)) return null;
    return { complete: json.complete === true, people: json.contributors.length };
  } catch {
    return null;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
