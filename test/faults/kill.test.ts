/**
 * `kill -9` at ten points of a medium run: each rerun must finish with exactly the report of a run
 * nothing disturbed, and pay again for no more than what was in flight when the process died.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import { concurrency, crashTrace, expectValidCache, faultSuite, interruptAt, isAskedEachRun, mediumRepository, reportArgs, requestId } from './harness.js';

const fixture = mediumRepository();
const suite = faultSuite(fixture);

interface KillFigure {
  killedAfter: number;
  inFlight: number;
  answeredBeforeKill: number;
  rerunRequests: number;
  repeated: number;
}
const figures: KillFigure[] = [];

afterAll(() => {
  if (figures.length === 0) return;
  const repeated = figures.reduce((sum, f) => sum + f.repeated, 0);
  const inFlight = figures.reduce((sum, f) => sum + f.inFlight, 0);
  console.log(
    [
      `kill -9 at ${figures.length} points of a ${suite.reference.requests}-request run:`,
      ...figures.map((f) => `  after request ${f.killedAfter}: ${f.inFlight} in flight, ${f.answeredBeforeKill} answered before, rerun asked ${f.rerunRequests}, of which ${f.repeated} again`),
      `  requests asked again over all reruns: ${repeated} (in flight at the kills: ${inFlight})`,
    ].join('\n'),
  );
});

/** The `index`-th of ten points, spread over the reference run's requests. */
function killPoint(index: number): number {
  return Math.max(1, Math.round(((index + 0.5) * suite.reference.requests) / 10));
}

describe('kill -9 at ten points of a medium run', () => {
  // (The issue comments are asked as threads through GraphQL, fewer requests than their REST pages
  // were: the medium repository's review and commit comments page more to keep the run this long.)
  it('has a reference run long enough to be cut at ten different points', () => {
    expect(suite.reference.requests).toBeGreaterThanOrEqual(30);
    expect(new Set(Array.from({ length: 10 }, (_, index) => killPoint(index))).size).toBe(10);
  });

  // Spread from the first requests (the repository itself) to the last (names, by GraphQL).
  it.each(Array.from({ length: 10 }, (_, index) => index))('kill point %i: the rerun gives the uninterrupted report and repeats at most what was in flight', async (index) => {
    const killAt = killPoint(index);
    // (interruptAt lets the CLI's requests overlap, as over a network, and answers them one at a time.)
    suite.world = await startWorld({ fixture });
    const args = reportArgs(fixture);
    const killed = await interruptAt(suite.world, args, killAt, 'SIGKILL');
    expect(killed.result.signal).toBe('SIGKILL');
    expect(killed.inFlight).toBeGreaterThan(0);
    const answeredBefore = killed.answeredBefore;
    expectValidCache(suite.world.cacheDir);

    suite.world.github.clearLog();
    const rerun = await runCli(args, suite.world.env);
    expect(rerun.stderr).not.toMatch(crashTrace);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toBe(suite.reference.stdout);
    // GET /rate_limit aside (free, never kept: a rerun with threads still to read asks it afresh).
    const rerunAsked = suite.world.github.requests.filter((r) => !isAskedEachRun(r));
    const repeated = rerunAsked.filter((r) => answeredBefore.has(requestId(r))).length;
    figures.push({ killedAfter: killAt, inFlight: killed.inFlight, answeredBeforeKill: answeredBefore.size, rerunRequests: suite.world.github.requests.length, repeated });
    // What the process had sent and not yet stored is all it may lose: at most --concurrency requests
    // (a GraphQL query of threads is told apart by its variables: a resumed run asks none again).
    expect(repeated).toBeLessThanOrEqual(concurrency);
    // Together, the killed run and its rerun ask for each request about once.
    expect(answeredBefore.size + rerunAsked.length - repeated).toBe(suite.reference.answersKept);
    expectValidCache(suite.world.cacheDir);
  });

  it('over the ten reruns, repeats no more requests than were in flight at the kills', () => {
    expect(figures).toHaveLength(10);
    const repeated = figures.reduce((sum, f) => sum + f.repeated, 0);
    const inFlight = figures.reduce((sum, f) => sum + f.inFlight, 0);
    expect(repeated).toBeLessThanOrEqual(inFlight);
  });
});
