/**
 * The promise at the heart of the tool: a run stopped by the rate limit, Ctrl-C, SIGTERM or even
 * `kill -9` is simply run again, and the rerun finishes without paying again for what was fetched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles, runCli, startCli } from './run-cli.js';
import type { CliResult } from './run-cli.js';
import type { RequestLogEntry } from '../fake-github/server.js';
import { everyone, requestKey, signalAt, startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** The report an uninterrupted run gives: the same fixture, served by a GitHub of its own, without limits. */
async function uninterruptedReport(current: World): Promise<string> {
  const reference = await startWorld({ fixture: current.fixture });
  try {
    const result = await runCli([current.fixture.facts.fullName, '--format', 'json'], reference.env);
    expect(result.code).toBe(0);
    return result.stdout;
  } finally {
    await reference.close();
  }
}

/**
 * What a run was answered, less GET /rate_limit: free and never cached, it is the cost planner's look
 * at what is left now, and a rerun that weighs the comments' two ways asks it again.
 */
function successfulPaths(current: World): Set<string> {
  return new Set(current.answered().filter((key) => key !== '/rate_limit'));
}

describe('a run stopped by the primary rate limit', () => {
  it('exits 75, says when to rerun, and the rerun after the reset asks nothing twice', async () => {
    world = await startWorld({ rateLimit: { authenticated: 6 } });
    const { fullName } = world.fixture.facts;
    const stopped = await runCli([fullName, '--format', 'json'], world.env);
    expect(stopped.code).toBe(75);
    expect(stopped.stdout).toBe('');
    // 6 REST requests and the GraphQL queries (GraphQL has a limit of its own): the reviews query, the
    // history's head, and the comments query and the history's next page if they went out before the
    // run stopped (they wait for the issues listing, the head and the planner's GET /rate_limit).
    // (An answer stored earlier in the same run may be used again from the cache: how many, depends on timing.)
    const answeredCount = /stopped by GitHub's REST API rate limit after (\d+) answered requests \(and \d+ answered from the cache\)/.exec(stopped.stderr)?.[1];
    const queries = world.github.requests.filter((r) => r.operation && r.status === 200).map((r) => r.operation ?? '');
    expect(queries).toContain('Reviews');
    expect(queries.filter((operation) => !['Reviews', 'Comments', 'HistoryHead', 'History'].includes(operation))).toEqual([]);
    // GET /rate_limit (free) is answered too, when the comments' planner asked it before the stop.
    const statuses = world.github.requests.filter((r) => r.path === '/rate_limit' && r.status === 200).length;
    expect(Number(answeredCount)).toBe(6 + queries.length + statuses);
    expect(stopped.stderr).toMatch(/The limit resets at .* \(in (\d+ h )?\d+ min/);
    expect(stopped.stderr).toMatch(/run the same command again then, and it resumes where it stopped/);
    expect(stopped.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const firstRun = successfulPaths(world);
    expect(world.github.requests.filter((r) => r.status === 200 && !r.operation && r.path !== '/rate_limit')).toHaveLength(6);

    world.github.resetRateLimits();
    world.github.clearLog();
    const resumed = await runCli([fullName, '--format', 'json'], world.env);
    expect(resumed.code).toBe(0);
    const rerun = world.github.requests.map(requestKey);
    expect(rerun.filter((key) => firstRun.has(key))).toEqual([]);
    expect(rerun.length).toBeGreaterThan(0);

    expect(resumed.stdout).toBe(await uninterruptedReport(world));
  });

  it('with --wait-for-reset, waits for the window to reset and finishes in one go', async () => {
    world = await startWorld({ rateLimit: { authenticated: 6, windowSeconds: 3 } });
    const result = await runCli([world.fixture.facts.fullName, '--wait-for-reset'], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/REST API primary rate limit: waiting \d+ s/g)).toHaveLength(1);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
    expect(world.github.requests.filter((r) => r.status === 403).length).toBeLessThanOrEqual(4);
  });
});

/** The run, sent `signal` when the server has decided its `requests`-th answer (nothing is answered after it). */
function interruptAfter(current: World, requests: number, signal: NodeJS.Signals, args: string[] = [], atSignal?: (trigger: RequestLogEntry) => void): Promise<CliResult> {
  return signalAt(current, startCli([current.fixture.facts.fullName, '--format', 'json', ...args], current.env), requests, signal, atSignal);
}

describe('a run stopped by the GraphQL rate limit', () => {
  it('exits 75 naming the GraphQL limit, and the rerun asks only for what is missing', async () => {
    // Each query costs 1 point: the history's head and the reviews query spend the two there are, the
    // names query meets the limit. The comments: with at most 1 point left of the hour, against
    // thousands of REST requests, the cost planner asks their REST listing (2 pages) rather than
    // GraphQL; so are the history's pages after the first, which came with its head.
    world = await startWorld({ rateLimit: { graphql: 2 } });
    const stopped = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(stopped.code).toBe(75);
    expect(stopped.stderr).toMatch(/stopped by GitHub's GraphQL API rate limit/);
    const firstRun = successfulPaths(world);
    expect(world.github.requests.filter((r) => r.operation).map((r) => r.operation).sort()).toEqual(['HistoryHead', 'Reviews']);
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments') && r.status === 200)).toHaveLength(2);

    world.github.resetRateLimits();
    world.github.clearLog();
    const resumed = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(resumed.code).toBe(0);
    expect(world.github.requests.map(requestKey)).toEqual(['/graphql Names']);
    expect(world.github.requests.map(requestKey).filter((key) => firstRun.has(key))).toEqual([]);
    expect(resumed.stdout).toBe(await uninterruptedReport(world));
  });
});

describe('a run interrupted by a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('saves on %s, exits %d, and the rerun repeats at most the requests in flight', async (signal, code) => {
    world = await startWorld();
    const interrupted = await interruptAfter(world, 8, signal);
    expect(interrupted.code).toBe(code);
    expect(interrupted.stderr).toMatch(new RegExp(`interrupted by ${signal}: progress saved; run the same command again to resume`));
    expect(listFiles(world.cacheDir).length).toBeGreaterThan(0);
    const firstRun = successfulPaths(world);

    world.github.clearLog();
    const resumed = await runCli([world.fixture.facts.fullName, '--format', 'json'], world.env);
    expect(resumed.code).toBe(0);
    const repeated = world.github.requests.filter((r) => firstRun.has(requestKey(r)));
    expect(repeated.length).toBeLessThanOrEqual(4); // the default concurrency: what was in flight
    expect(resumed.stdout).toBe(await uninterruptedReport(world));
  });

  it('loses to kill -9 at most the request in flight and the answer read last', async () => {
    world = await startWorld();
    // One request at a time: when the ninth is answered, the CLI has read the eighth, and so (its cache
    // being written through, before the next answer is read) saved every one before that.
    const current = world;
    const readBefore: RequestLogEntry[] = [];
    const stopReading = current.onAnswer((_, request) => readBefore.push(request));
    const killed = await interruptAfter(current, 9, 'SIGKILL', ['--concurrency', '1'], () => stopReading());
    expect(killed.signal).toBe('SIGKILL');
    expect(readBefore).toHaveLength(9);
    const firstRun = new Set(world.github.requests.filter((r) => r.status === 200).map(requestKey));
    // GET /rate_limit aside: free, it is never saved (a rerun asks it afresh).
    const mustBeSaved = new Set(readBefore.slice(0, -2).filter((r) => r.status === 200 && r.path !== '/rate_limit').map(requestKey));
    expect(mustBeSaved.size).toBeGreaterThan(3);

    world.github.clearLog();
    const resumed = await runCli([world.fixture.facts.fullName, '--format', 'json'], world.env);
    expect(resumed.code).toBe(0);
    const rerun = world.github.requests.map(requestKey);
    expect(rerun.filter((key) => mustBeSaved.has(key))).toEqual([]);
    expect(rerun.filter((key) => firstRun.has(key)).length).toBeLessThan(firstRun.size);
    expect(resumed.stdout).toBe(await uninterruptedReport(world));
  });
});
