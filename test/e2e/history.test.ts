/**
 * The default branch's history for `co-author`, end to end against the loopback GitHub: read under
 * its head's sha across both budgets (the newest pages through GraphQL, the oldest through REST), the
 * same people as a run without a token and as --no-cache; after a push, only what /compare lists,
 * merged commits older than the old head included; a force push read anew; a kill in the middle of
 * the history costing no more than what was in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../fake-github/fixtures.js';
import type { FakeCommit, FakeRepo, RequestLogEntry } from '../fake-github/types.js';
import { interruptAt, requestId } from '../faults/harness.js';
import { ageCache, hourMs } from './cache-age.js';
import { makeTempDir, runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const fullName = 'long/history';
const authors = [
  { authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada' },
  { authorName: 'Bo', authorEmail: 'bo@example.org', login: 'bo' },
  { authorName: 'Cy', authorEmail: '9+cy@users.noreply.github.com' },
];

/** 450 commits (5 pages), oldest first, each crediting someone: a stranger, a no-reply account, or an author by the email another commit links. */
function history(count = 450): FakeCommit[] {
  return Array.from({ length: count }, (_, index): FakeCommit => {
    const pair = index % 3 === 0 ? `Pal ${index % 7} <pal${index % 7}@example.com>` : index % 3 === 1 ? 'Bo B. <bo@example.org>' : `Dee <${index % 2}+dee@users.noreply.github.com>`;
    return { ...(authors[index % authors.length] ?? authors[0]), message: `Change ${index}\n\nCo-authored-by: ${pair}` } as FakeCommit;
  });
}

function repository(commits = history()): Fixture {
  const repo: FakeRepo = { owner: 'long', name: 'history', pushedAt: '2020-02-01T00:00:00Z', contributors: [{ login: 'ada', contributions: 1, email: 'ada@example.org' }], commits };
  return { users: [{ login: 'ada' }, { login: 'bo' }, { login: 'cy' }, { login: 'dee' }], repo, facts: undefined as never };
}


const args = [fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'co-author'];

async function report(current: World, extra: string[] = [], env = current.env): Promise<JsonReport> {
  const result = await runCli([...args, ...extra], env);
  expect(result.stderr).not.toMatch(/error|warning|\bat \S+ \(/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

const coAuthors = (json: JsonReport): Record<string, number> => Object.fromEntries(json.contributors.map((c) => [c.login ?? c.name ?? '', c.counts['co-author'] ?? 0]));
const historyQueries = (current: World): RequestLogEntry[] => current.github.requests.filter((r) => r.operation?.startsWith('History') === true);
const restPages = (current: World): string[] => current.github.requests.filter((r) => r.path.includes('/commits')).map((r) => r.path);
const comparisons = (current: World): string[] => current.github.requests.filter((r) => r.path.includes('/compare/')).map((r) => r.path);

describe('the history, for co-authors', () => {
  it('is read through both budgets, the newest pages through GraphQL, each commit once: the same people as without a token and as --no-cache', async () => {
    world = await startWorld({ fixture: repository() });
    // One request at a time, so that GraphQL reads on past the head's page (at 4, it reads no more
    // than keep pace with REST's pages side by side: here, the head's alone).
    const json = await report(world, ['--concurrency', '1']);
    expect(json.complete).toBe(true);
    // 5 pages: the head's query brings the first; GraphQL reads on by cursor, REST the oldest by number.
    const queries = historyQueries(world).map((r) => r.operation);
    const numbers = restPages(world).map((path) => Number(/[?&]page=(\d+)$/.exec(path)?.[1]));
    expect(queries[0]).toBe('HistoryHead');
    expect(queries.length).toBeGreaterThan(1);
    expect(numbers.length).toBeGreaterThan(0);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 5 - queries.length }, (_, index) => queries.length + 1 + index));
    expect(restPages(world).every((path) => /\/commits\?sha=[0-9a-f]{40}&per_page=100&page=\d$/.test(path))).toBe(true);
    // A commit in three names its own author (Bo): it credits nobody.
    expect(Object.values(coAuthors(json)).reduce((sum, count) => sum + count, 0)).toBe(300);

    const { GH_TOKEN: _token, ...anonymous } = world.env;
    const withoutToken = await report(world, [], { ...anonymous, OCTOHATRACK_CACHE_DIR: makeTempDir() });
    expect(coAuthors(withoutToken)).toEqual(coAuthors(json));
    expect(await report(world, ['--no-cache'])).toEqual(json);
  });

  it('after a push, asks the new head and what /compare lists — a merged commit older than the old head included — and no page of the old history', async () => {
    world = await startWorld({ fixture: repository() });
    await report(world);
    // A branch merged: its commit is dated before the whole history, so it is listed below the old head.
    world.github.addActivity(fullName, {
      push: {
        commits: [
          { authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada', date: '2019-06-01T00:00:00Z', message: 'Old branch work\n\nCo-authored-by: Merle Merged <merle@example.com>' },
          { authorName: 'Bo', authorEmail: 'bo@example.org', login: 'bo', message: 'Merge the old branch' },
        ],
      },
    });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const pushed = await report(world, ['--max-age', '1h']);
    expect(historyQueries(world).map((r) => r.operation)).toEqual(['HistoryHead']);
    expect(restPages(world)).toEqual([]);
    expect(comparisons(world)).toEqual([expect.stringMatching(/^\/repos\/long\/history\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}\?per_page=100$/)]);
    const firstHead = /\.\.\.([0-9a-f]{40})/.exec(comparisons(world)[0] ?? '')?.[1];
    expect(coAuthors(pushed)['Merle Merged']).toBe(1);
    expect(pushed).toEqual(await report(world, ['--no-cache']));

    // Another push: compared with the head before it only; then, nothing pushed, nothing asked of the history.
    // A second later on the server's clock: `pushed_at` is to the second, and two pushes in one second
    // cannot be told apart by it (on GitHub neither).
    world.github.setClockOffsetMs(1000);
    world.github.addActivity(fullName, { push: { commits: [{ authorName: 'Cy', authorEmail: '9+cy@users.noreply.github.com', message: 'More\n\nCo-authored-by: Newt <newt@example.com>' }] } });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const again = await report(world, ['--max-age', '1h']);
    expect(comparisons(world)).toEqual([expect.stringContaining(`/compare/${firstHead ?? 'none'}...`)]);
    expect(restPages(world)).toEqual([]);
    expect(coAuthors(again)).toMatchObject({ 'Merle Merged': 1, Newt: 1 });
    expect(again).toEqual(await report(world, ['--no-cache']));
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    expect(await report(world, ['--max-age', '1h'])).toEqual(again);
    expect([...historyQueries(world), ...comparisons(world), ...restPages(world)]).toEqual([]);
  });

  it('after a force push (the heads have diverged), is read anew under the new head', async () => {
    world = await startWorld({ fixture: repository() });
    const before = await report(world);
    expect(coAuthors(before)['Pal 0']).toBeGreaterThan(0);
    // The newest commit (index 449: it credits Dee) is rewritten into one crediting someone new.
    world.github.addActivity(fullName, { push: { rewrite: 1, commits: [{ authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada', message: 'Rewritten\n\nCo-authored-by: Rae Rewrite <rae@example.com>' }] } });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const rewritten = await report(world, ['--max-age', '1h']);
    expect(comparisons(world)).toHaveLength(1);
    expect(historyQueries(world).length + restPages(world).length).toBe(5);
    expect(coAuthors(rewritten)['Rae Rewrite']).toBe(1);
    expect(rewritten).toEqual(await report(world, ['--no-cache']));
  });

  it('killed in the middle of the history, resumes losing no more than what was in flight', async () => {
    const fixture = repository(history(900));
    world = await startWorld({ fixture });
    const reference = await report(world, ['--no-cache']);
    world.github.clearLog();
    // The repository, the head's query, GET /rate_limit: the 5th answer is in the middle of the 9 pages.
    const killed = await interruptAt(world, args, 5, 'SIGKILL');
    expect(killed.result.signal).toBe('SIGKILL');
    const answeredBefore = killed.answeredBefore;
    expect([...answeredBefore].some((id) => id.includes('History') || id.includes('/commits?sha='))).toBe(true);
    world.github.clearLog();
    expect(await report(world)).toEqual(reference);
    // What the process had sent and not yet stored is all it may lose: at most --concurrency (4)
    // requests; the pages it had are not asked again, nor the head.
    const repeated = world.github.requests.map(requestId).filter((id) => answeredBefore.has(id));
    expect(repeated.length).toBeLessThanOrEqual(Math.min(4, killed.inFlight));
    expect(historyQueries(world).map((r) => r.operation)).not.toContain('HistoryHead');
    // Together, the killed run and its rerun read each page about once: 9 pages, and the head's query brings the first.
    const pagesRead = (ids: Iterable<string>): number => [...ids].filter((id) => / History /.test(id) || id.includes('/commits?sha=')).length;
    expect(pagesRead(answeredBefore) + pagesRead(world.github.requests.map(requestId)) - repeated.length).toBe(8);
  });
});
