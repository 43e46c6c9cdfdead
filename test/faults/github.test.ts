/**
 * GitHub misbehaving, injected into the loopback GitHub while the real CLI runs: 5xx bursts,
 * connection resets, a body that stalls half-way, and answers that are not what was asked for
 * (rate limits and clocks are in rate-limits.test.ts). Each ends in the uninterrupted report, or in
 * a clear error that names the URL, with the cache saved and holding nothing of the bad answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRepository } from '../fake-github/fixtures.js';
import type { Fault } from '../fake-github/server.js';
import { listFiles, runCli } from '../e2e/run-cli.js';
import type { World } from '../e2e/world.js';
import { crashTrace, expectCleanFailureThenRecovery, expectValidCache, faultSuite, reportArgs } from './harness.js';

const fixture = sampleRepository();
const suite = faultSuite(fixture);

const { faultyWorld } = suite;

/**
 * A `transformBody` that replaces the first GraphQL answer of one operation, told by a key only its
 * answer holds (`"reviews"`, `"comments"`), and passes every other one through untouched. Reviews and
 * the comments' threads are asked side by side, so a fault on the first GraphQL request would hit
 * either one; this hits the one named, once (the rerun is answered normally).
 */
function firstAnswerOf(key: string, replacement: string): (body: string) => string {
  let done = false;
  return (body) => {
    if (done || !body.includes(`"${key}":`)) return body;
    done = true;
    return replacement;
  };
}

/** Everything the cache holds, as text. */
function cacheText(current: World): string {
  return listFiles(current.cacheDir)
    .map((file) => fs.readFileSync(path.join(current.cacheDir, file), 'utf8'))
    .join('\n');
}

describe('server errors and broken connections', () => {
  it('a burst of 5xx on every kind of request: retried, and the report is the uninterrupted one', async () => {
    const current = await faultyWorld([
      { match: /\/issues\?/, kind: 'status', status: 502, times: 2 },
      { match: /\/contributors\?/, kind: 'status', status: 500, times: 1 },
      // (The issue comments' REST listing is not asked with a token: their threads come from
      // GraphQL, which the /graphql fault below may hit. Review comments are still a REST listing.)
      { match: /\/pulls\/comments\?/, kind: 'status', status: 504, times: 1 },
      { match: /\/contents\//, kind: 'status', status: 503, times: 1 },
      { match: '/graphql', kind: 'status', status: 502, times: 1 },
    ]);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests.filter((r) => r.status >= 500)).toHaveLength(6);
  });

  it('connection resets on several requests at once: retried, the uninterrupted report', async () => {
    const current = await faultyWorld([
      { match: /\/issues\?/, kind: 'reset', times: 2 },
      { match: /\/pulls\/comments/, kind: 'reset', times: 1 },
      { match: '/graphql', kind: 'reset', times: 1 },
    ]);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
  });

  // (A 502 or 504 from GraphQL is a query too heavy: it is asked again in smaller parts, see
  // test/e2e/strict-github.test.ts. Any other 5xx is tried again as it is.)
  it('GraphQL failing for good (503 three times): exit 1 naming the endpoint, and the rerun asks only for what is missing', async () => {
    // Reviews and the comments' threads are asked through GraphQL side by side, each tried 3 times:
    // five 503s make one of them (whichever meets its third first) fail for good, never both, and
    // the other ends answered. (The history, for co-authors, is left out: the sample's commits credit
    // nobody, and a third query side by side would split the five 503s three ways.)
    const args = reportArgs(fixture, '--skip-kinds', 'co-author');
    const current = await faultyWorld([{ match: '/graphql', kind: 'status', status: 503, times: 5 }]);
    const failed = await runCli(args, current.env);
    // A refused query is logged with its variables, not its operation: the same query three times is the one that failed.
    const refused = current.github.requests.filter((r) => r.status === 503).map((r) => r.variables ?? '');
    expect(refused).toHaveLength(5);
    expect(Math.max(...refused.map((variables) => refused.filter((v) => v === variables).length))).toBe(3);
    const answered = current.github.requests.flatMap((r) => (r.status === 200 && r.operation !== undefined ? [r.operation] : []));
    expect(answered.length === 1 && ['Reviews', 'Comments'].includes(answered[0] ?? ''), `answered: ${answered.join(', ')}`).toBe(true);
    const failedOperation = answered[0] === 'Reviews' ? 'Comments' : 'Reviews';
    await expectCleanFailureThenRecovery(current, failed, suite.reference.stdout, /GitHub answered 503 for http:\/\/127\.0\.0\.1:\d+\/graphql 3 times; progress is saved/, new RegExp(`/graphql ${failedOperation}$`), args);
    // What GraphQL did answer was kept too: the rerun asks only the failed operation again (and names).
    expect(current.github.requests.flatMap((r) => (r.operation === undefined ? [] : [r.operation]))).toEqual([failedOperation, 'Names']);
  });

  it('a body that stalls half-way, every time: exit 1 after 3 tries, naming the URL, with the rest saved', async () => {
    const current = await faultyWorld([{ match: /\/pulls\/comments/, kind: 'stall', times: 3 }]);
    const failed = await runCli([...reportArgs(fixture), '--timeout', '1s'], current.env);
    await expectCleanFailureThenRecovery(
      current,
      failed,
      suite.reference.stdout,
      /cannot reach GitHub at http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/pulls\/comments\S*: no complete answer within 1 s \(tried 3 times\); progress is saved, rerun later/,
      /\/pulls\/comments/,
    );
  });
});

describe('answers that are not what was asked for', () => {
  it.each([
    ['truncated JSON', { match: /\/issues\?/, kind: 'body', body: '[{"id": 1, "user": {"login": "al' }, /GitHub sent a response that is not JSON for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/issues\?/, /\/issues\?/],
    ['a string where the repository was due', { match: /^\/repos\/octo-org\/hello-world$/, kind: 'body', body: '"hello"' }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world: expected an object, got a string/, /^\/repos\/octo-org\/hello-world$/],
    ['a listing page that is an object', { match: /\/contributors\?/, kind: 'body', body: '{"total_count": 1, "items": [{"id": 1}]}' }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/contributors\?\S*: expected a list, got an object/, /\/contributors\?/],
    ['an item with no id', { match: /\/pulls\/comments/, kind: 'body', body: '[{"user": {"login": "x"}}]' }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/pulls\/comments\S*: item 0 has no numeric id/, /\/pulls\/comments/],
    ['a page of null', { match: /\/comments\?per_page/, kind: 'body', body: 'null' }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/comments\?\S*: null$/m, /\/comments\?per_page/],
    ['a GraphQL answer of the wrong shape', { match: '/graphql', kind: 'body', times: Infinity, transformBody: firstAnswerOf('reviews', '{"data": {"repository": {"pullRequests": "none"}}}') }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/graphql \(Reviews\)/, /\/graphql Reviews/],
    ['a GraphQL answer of threads of the wrong shape', { match: '/graphql', kind: 'body', times: Infinity, transformBody: firstAnswerOf('comments', '{"data": {"repository": {"t0": {"comments": "none"}}}}') }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/graphql \(Comments\)/, /\/graphql Comments/],
    ['contents that are not a file', { match: /contents\/CONTRIBUTORS/, kind: 'body', body: '[{"name": "CONTRIBUTORS", "type": "dir"}]' }, /GitHub sent an unexpected response for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/contents\/CONTRIBUTORS: expected an object, got an array/, /contents\/CONTRIBUTORS/],
  ] as const)('%s: a clear error naming the URL, nothing of it cached, and a rerun that asks again', async (_label, fault, message, path) => {
    const current = await faultyWorld([fault as Fault]);
    const failed = await runCli(reportArgs(fixture), current.env);
    await expectCleanFailureThenRecovery(current, failed, suite.reference.stdout, message, path);
  });

  it('a 50 MB body: refused past 32 MiB with an error naming the URL, nothing of it cached', async () => {
    const item = JSON.stringify({ id: 1, user: { login: 'x', type: 'User' }, title: 'y'.repeat(1000) });
    const body = `[${Array.from({ length: Math.ceil((50 * 1024 * 1024) / item.length) }, () => item).join(',')}]`;
    expect(body.length).toBeGreaterThan(50 * 1024 * 1024);
    const current = await faultyWorld([{ match: /\/issues\?/, kind: 'body', body }]);
    const failed = await runCli(reportArgs(fixture), current.env);
    await expectCleanFailureThenRecovery(current, failed, suite.reference.stdout, /GitHub sent a response too large to read for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/issues\?\S*: the response body is larger than 32 MiB/, /\/issues\?/);
    expect(cacheText(current).length).toBeLessThan(1024 * 1024);
  });

  it('items with no author: skipped with a warning, the rest counted, and the warm run says the same', async () => {
    const current = await faultyWorld([{ match: /\/commits?\/|\/comments\?per_page/, kind: 'body', body: '[{"id": 7, "created_at": "2023-01-01T00:00:00Z"}, {"id": 8, "user": {"login": "carol", "type": "User"}}, {"id": 9, "user": "mallory"}, {"id": 10, "user": {"login": ""}}]' }]);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: commit comments: 3 item\(s\) came without an author and were skipped/);
    const report = JSON.parse(result.stdout) as { contributors: Array<{ login: string | null; counts: Record<string, number> }> };
    expect(report.contributors.filter((c) => c.counts['commit-comment'] !== undefined).map((c) => [c.login, c.counts['commit-comment']])).toEqual([['carol', 1]]);
    const warm = await runCli(reportArgs(fixture), current.env);
    expect(warm.stdout).toBe(result.stdout);
    expect(warm.stderr).toMatch(/warning: commit comments: 3 item\(s\) came without an author and were skipped/);
  });

  it('GraphQL answers carrying a field nested 100,000 deep: no crash, the report right, and everything else still cached', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // Every GraphQL answer of the run: reviews, the comments' threads, the history's head and names.
    const current = await faultyWorld([{ match: '/graphql', kind: 'body', times: 4, transformBody: (body) => body.replace(/}\s*$/, `,"extensions":${deep}}`) }]);
    const result = await runCli(reportArgs(fixture), current.env);
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests.flatMap((r) => (r.operation === undefined ? [] : [r.operation])).sort()).toEqual(['Comments', 'HistoryHead', 'Names', 'Reviews']);
    // The names answer cannot be kept whole; the reviews and comments answers are never kept whole, only their parts.
    expect(result.stderr.match(/warning: the response for \S+graphql\S+ cannot be cached \(Maximum call stack size exceeded\); it will be asked for again next time/g)).toHaveLength(1);
    expect(result.stderr.match(/warning:/g)).toHaveLength(1);
    expectValidCache(current.cacheDir);
    // The REST answers were all saved (only what cannot be written is left out): a warm run asks none again.
    current.github.clearLog();
    const warm = await runCli(reportArgs(fixture), current.env);
    expect(warm.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests.filter((r) => r.method === 'GET')).toEqual([]);
    // Nor GraphQL: the reviews, the threads and the names were each kept in their parts (a name under
    // its person's key), none of which carries the deep field.
    expect(current.github.requests.map((r) => r.operation)).toEqual([]);
  });
});
