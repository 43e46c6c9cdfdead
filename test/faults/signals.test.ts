/**
 * Ctrl-C (SIGINT) and SIGTERM at random points of a medium run, and while the run sleeps on a rate
 * limit: exit 130 / 143 at once, the cache saved, and the rerun gives the uninterrupted report.
 * The points come from a seed printed in each test's name, so a failure can be replayed with
 * OCTOHATRACK_FAULT_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import { listFiles, runCli, startCli } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import { concurrency, crashTrace, expectValidCache, faultSuite, interruptAt, isAskedEachRun, mediumRepository, reportArgs, requestId, seededRandom, stderrShows } from './harness.js';

const fixture = mediumRepository();
const seed = Number(process.env.OCTOHATRACK_FAULT_SEED ?? Date.now() % 1_000_000);
const random = seededRandom(seed);
const suite = faultSuite(fixture);

const cases: Array<[NodeJS.Signals, number]> = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGINT', 130],
  ['SIGTERM', 143],
];

describe(`signals at random points (seed ${seed})`, () => {
  it.each(cases.map(([signal, code], index) => [index, signal, code] as const))('case %i: %s exits %i, saves, and the rerun is the uninterrupted report', async (_index, signal, code) => {
    // Anywhere from the first answer on, as long as more requests than --concurrency are still to
    // come: a signal handled after the last answers are in would meet a finished run (exit 0).
    const at = 1 + Math.floor(random() * (suite.reference.requests - concurrency - 1));
    suite.world = await startWorld({ fixture });
    const args = reportArgs(fixture);
    const interrupted = await interruptAt(suite.world, args, at, signal);
    expect(interrupted.result.code, `${signal} after ${at} answers`).toBe(code);
    expect(interrupted.result.stderr).toMatch(new RegExp(`interrupted by ${signal}: progress saved; run the same command again to resume`));
    expect(interrupted.result.stderr).not.toMatch(crashTrace);
    expect(interrupted.result.stdout).toBe('');
    expectValidCache(suite.world.cacheDir);

    suite.world.github.clearLog();
    const rerun = await runCli(args, suite.world.env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toBe(suite.reference.stdout);
    const repeated = suite.world.github.requests.filter((r) => interrupted.answeredBefore.has(requestId(r)));
    expect(repeated.length, `asked again: ${repeated.map(requestId).join(', ')}`).toBeLessThanOrEqual(concurrency);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while the run waits out a secondary rate limit: exits %i at once, progress saved', async (signal, code) => {
    suite.world = await startWorld({ fixture });
    // The third page of review comments answers "slow down, retry in 120 s" (the issue comments are
    // not a REST listing with a token: their threads come from GraphQL). One request at a time: when
    // the wait begins nothing else is in flight, and every answer before it is in the cache.
    suite.world.github.addFault({ match: /\/pulls\/comments\?.*page=3/, kind: 'secondary', retryAfterSeconds: 120, times: 1 });
    const run = startCli(reportArgs(fixture, '--concurrency', '1'), suite.world.env);
    await stderrShows(run, /secondary rate limit: waiting/);
    run.child.kill(signal);
    const result = await run.done;
    // It does not sit out the 120 s (the test would time out first): it stops when told to.
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(/secondary rate limit: waiting 2 min 00 s/);
    expect(listFiles(suite.world.cacheDir).length).toBeGreaterThan(0);
    // (GET /rate_limit aside: free and never kept, a rerun with threads still to read asks it afresh.)
    const before = new Set(suite.world.github.requests.filter((r) => r.status === 200 && !isAskedEachRun(r)).map(requestId));
    expect(before.size).toBeGreaterThan(3);

    suite.world.github.clearLog();
    const rerun = await runCli(reportArgs(fixture), suite.world.env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toBe(suite.reference.stdout);
    expect(suite.world.github.requests.filter((r) => before.has(requestId(r)))).toEqual([]);
  });
});
