/**
 * Rate limits and clocks, injected into the loopback GitHub while the real CLI runs: secondary
 * limits in a row, a primary limit whose reset is in the past or hours away, and a local clock an
 * hour off (fast or slow) against the server's.
 */
import { describe, expect, it } from 'vitest';
import { sampleRepository } from '../fake-github/fixtures.js';
import { runCli, startCli } from '../e2e/run-cli.js';
import { sideBySide } from '../e2e/world.js';
import { concurrency, crashTrace, expectCleanFailureThenRecovery, faultSuite, isAskedEachRun, reportArgs, stderrShows } from './harness.js';

const fixture = sampleRepository();
const suite = faultSuite(fixture);

const { faultyWorld } = suite;

describe('rate limits', () => {
  it('three secondary limits in a row are waited out; the report is whole', async () => {
    // (On a REST listing the run asks with a token: the issue comments come from GraphQL's threads.)
    const current = await faultyWorld([{ match: /\/pulls\/comments\?/, kind: 'secondary', status: 429, retryAfterSeconds: 1, times: 3 }]);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr.match(/secondary rate limit: waiting 1 s/g)?.length).toBeGreaterThanOrEqual(1);
    expect(current.github.requests.filter((r) => r.status === 429)).toHaveLength(3);
  });

  it('the cost planner\'s GET /rate_limit obeys secondary limits like every request: waited out, the report whole', async () => {
    // (Whether such limits come "in a row" depends on what else is in flight: the rule that stops a
    // run after a fourth is held by "a fourth secondary limit in a row stops the run".)
    const waited = await faultyWorld([{ match: /^\/rate_limit$/, kind: 'secondary', retryAfterSeconds: 1, times: 2 }]);
    const result = await runCli(reportArgs(fixture), waited.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr).toMatch(/secondary rate limit: waiting 1 s/);
    expect(waited.github.requests.filter((r) => r.path === '/rate_limit').map((r) => r.status)).toEqual([403, 403, 200]);
  });

  it('four requests in flight stopped by one secondary limit count once: waited out, the report whole', async () => {
    // Once the repository is in, GitHub answers "slow down" to the next four requests, sent side by
    // side: the server holds them until all four have arrived.
    const current = await faultyWorld([{ after: 1, kind: 'secondary', retryAfterSeconds: 1, times: concurrency }]);
    void sideBySide(current, concurrency);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.stderr).not.toMatch(/times in a row/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests.filter((r) => r.status === 403)).toHaveLength(4);
  });

  it('a fourth secondary limit in a row stops the run: exit 1, the URL named, progress saved', async () => {
    // Once the first listings are in, GitHub answers "slow down" to the next four requests, whichever they are.
    const current = await faultyWorld([{ after: 3, kind: 'secondary', retryAfterSeconds: 1, times: 4 }]);
    const failed = await runCli([...reportArgs(fixture), '--concurrency', '1'], current.env);
    const limited = current.github.requests.filter((r) => r.status === 403).map((r) => r.path);
    expect(limited).toHaveLength(4);
    // The error names the request the fourth one stopped.
    const url = limited[3] ?? '';
    await expectCleanFailureThenRecovery(
      current,
      failed,
      suite.reference.stdout,
      new RegExp(`GitHub's secondary rate limit stopped http://127\\.0\\.0\\.1:\\d+${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} 3 times in a row; progress is saved, rerun in a few minutes`),
      new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });

  it('a primary limit whose reset is an hour in the past: never a negative wait; stops with 75, or with --wait-for-reset goes on at once', async () => {
    const current = await faultyWorld([{ match: /\/issues\?/, kind: 'primary', resetInSeconds: -3600, times: 1 }]);
    const stopped = await runCli(reportArgs(fixture), current.env);
    expect(stopped.code).toBe(75);
    expect(stopped.stderr).toMatch(/The limit resets at .* \(in [0-2] s\)/);
    expect(stopped.stderr).not.toMatch(/in -|NaN|Invalid Date/);

    current.github.addFault({ match: /\/issues\?/, kind: 'primary', resetInSeconds: -3600, times: 1 });
    const waited = await runCli([...reportArgs(fixture), '--wait-for-reset'], current.env);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe(suite.reference.stdout);
    // The wait it plans, not how long the run took, is what can go wrong (a negative or an hour's wait).
    expect(waited.stderr).toMatch(/primary rate limit: waiting [0-2] s/);
  });

  it('a primary limit met by the issues listing without a token: stops with 75 and saves, never a crash', async () => {
    // Without a token, reviews are skipped and wait for no listing: a rejection no one waits for
    // would kill the process (exit 1, a stack trace) instead of stopping it cleanly.
    const current = await faultyWorld([{ match: /\/issues\?/, kind: 'primary', resetInSeconds: 600, times: 1 }], { anonymous: true });
    const stopped = await runCli(reportArgs(fixture, '--no-names'), current.env);
    expect(stopped.stderr).not.toMatch(crashTrace);
    expect(stopped.code).toBe(75);
    expect(stopped.stderr).toMatch(/run the same command again then, and it resumes where it stopped/);
  });

  it('a primary limit whose reset is five hours away: it never plans to sleep for hours', async () => {
    const current = await faultyWorld([{ match: /\/issues\?/, kind: 'primary', resetInSeconds: 5 * 3600, times: 2 }]);
    const stopped = await runCli(reportArgs(fixture), current.env);
    expect(stopped.code).toBe(75);
    // A primary window is an hour long: a reset further away is a bad header, and is capped.
    expect(stopped.stderr).toMatch(/The limit resets at .* \(in (\d+ min \d+ s|1 h 0[01] min)\)/);

    const run = startCli([...reportArgs(fixture), '--wait-for-reset'], current.env);
    await stderrShows(run, /primary rate limit: waiting/);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/REST API primary rate limit: waiting (\d+ min \d+ s|1 h 0[01] min)/);
  });
});

/** NODE_OPTIONS that set the CLI's clock (Date.now) this far off; the server keeps the true time. */
function clockOff(ms: number): string {
  const code = `const now = Date.now; Date.now = () => now() + (${ms});`;
  return `--import=data:text/javascript,${encodeURIComponent(code)}`;
}

describe('a local clock an hour off', () => {
  it.each([
    ['fast', 3_600_000],
    ['slow', -3_600_000],
  ])('an hour %s: the wait for a 3-second window is about 3 seconds, by the server\u2019s clock', async (_label, offset) => {
    const current = await faultyWorld([], { rateLimit: { authenticated: 5, windowSeconds: 3 } });
    const env = { ...current.env, NODE_OPTIONS: clockOff(offset) };
    const stopped = await runCli(reportArgs(fixture), env);
    expect(stopped.code).toBe(75);
    expect(stopped.stderr).toMatch(/The limit resets at .* \(in [0-5] s\)/);

    current.github.resetRateLimits();
    const waited = await runCli([...reportArgs(fixture), '--wait-for-reset', '--no-cache'], env);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe(suite.reference.stdout);
    for (const match of waited.stderr.matchAll(/primary rate limit: waiting (\d+) s/g)) expect(Number(match[1])).toBeLessThanOrEqual(5);
    expect(waited.stderr).toMatch(/primary rate limit: waiting/);
  });

  it('a cache written by a clock an hour fast is revalidated by --refresh, not trusted as if from the future', async () => {
    const current = await faultyWorld([]);
    const first = await runCli(reportArgs(fixture), { ...current.env, NODE_OPTIONS: clockOff(3_600_000) });
    expect(first.code).toBe(0);
    // Every REST answer the first run had, and so cached: all its GETs but GET /rate_limit, which is
    // never cached (isAskedEachRun).
    const cached = current.github.requests.filter((r) => r.method === 'GET' && !isAskedEachRun(r)).map((r) => r.path);
    expect(cached.length).toBeGreaterThanOrEqual(7);
    current.github.clearLog();
    // The clock is right again; --refresh must check every cached REST answer with GitHub.
    const refreshed = await runCli([...reportArgs(fixture), '--refresh'], current.env);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toBe(suite.reference.stdout);
    // Every cached answer is checked (a conditional request): none is trusted as fresh, none is asked
    // blind. (With a token the issue comments come from GraphQL, not from a REST listing whose full
    // last page would make the page after it be asked too: test/e2e checks that.) The history's pages
    // are keyed on their head's sha, which names all they hold: whatever their stamp, they stand.
    const rest = current.github.requests.filter((r) => r.method === 'GET' && !isAskedEachRun(r));
    expect(rest.map((r) => r.path).sort()).toEqual(cached.filter((path) => !path.includes('/commits?sha=')).sort());
    expect(rest.filter((r) => r.ifNoneMatch === null).map((r) => r.path)).toEqual([]);
    // GraphQL has no conditional requests: its answers are kept in parts (reviews per pull request,
    // threads of comments, names), each stamped with the time it was kept. Stamped an hour ahead, none
    // is trusted either: all are asked again (with a right clock, --refresh would ask only the names
    // and the history's head, the listing vouching for unchanged pull requests and threads), the
    // threads once the free GET /rate_limit has weighed their cost.
    expect(current.github.requests.filter((r) => r.method === 'POST').map((r) => r.operation ?? '').sort()).toEqual(['Comments', 'HistoryHead', 'Names', 'Reviews']);
    expect(current.github.requests.filter(isAskedEachRun)).toHaveLength(1);
  });
});
