import { describe, expect, it } from 'vitest';
import { CliError, RateLimitedError } from '../../src/errors.js';
import type { GitHubHelperOptions } from '../../src/github/helper.js';
import { HttpStatusError, ShapeError } from '../../src/github/helper.js';
import type { Transport, TransportResponse } from '../../src/github/transport.js';
import { NetworkError } from '../../src/github/transport.js';
import { memoryCache, testHelper } from './support.js';

const apiUrl = 'https://api.example.test';
const anything = (body: unknown): unknown => body;
const list = (body: unknown): unknown[] => {
  if (!Array.isArray(body)) throw new ShapeError('expected a list');
  return body;
};

type Answer = Partial<TransportResponse> & { status: number; json?: unknown };

/** A transport that answers from a script per path and records what was asked. */
function scripted(answers: Record<string, Answer | Answer[] | Error>): Transport & { calls: Array<{ url: string; headers: Record<string, string> }> } {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const transport = async ({ url, headers }: { url: string; headers: Record<string, string> }): Promise<TransportResponse> => {
    calls.push({ url, headers });
    const path = url.slice(apiUrl.length);
    const script = answers[path];
    if (script === undefined) return { status: 404, headers: {}, text: null, errorBody: { message: 'Not Found' } };
    if (script instanceof Error) throw script;
    const answer = Array.isArray(script) ? (script.length > 1 ? (script.shift() as Answer) : (script[0] as Answer)) : script;
    return {
      headers: {},
      errorBody: null,
      ...answer,
      text: answer.text ?? (answer.json === undefined ? null : JSON.stringify(answer.json)),
    };
  };
  return Object.assign(transport, { calls });
}

/** A clock that sleeping moves forward, so waits take no real time. */
function fakeClock(start = Date.parse('2026-11-26T12:00:00Z')) {
  const clock = { time: start, slept: [] as number[] };
  return Object.assign(clock, {
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.time += ms;
    },
  });
}

function helper(transport: Transport, overrides: Partial<GitHubHelperOptions> = {}) {
  const clock = fakeClock();
  return testHelper({ apiUrl, transport, now: clock.now, sleep: clock.sleep, ...overrides });
}

describe('getJSON', () => {
  it('memoises: the second call is answered from the cache', async () => {
    const transport = scripted({ '/users/a': { status: 200, json: { login: 'a' }, headers: { etag: 'W/"1"' } } });
    const github = helper(transport);
    expect(await github.getJSON('/users/a', anything)).toEqual({ login: 'a' });
    expect(await github.getJSON('/users/a', anything)).toEqual({ login: 'a' });
    expect(transport.calls).toHaveLength(1);
    expect(github.stats).toEqual({ requests: 1, refused: 0, cacheHits: 1, revalidated: 0 });
  });

  it('revalidates an entry older than max-age with its ETag and keeps the body on 304', async () => {
    const cache = memoryCache();
    cache.entries.set('/users/a', { fetchedAt: 0, etag: 'W/"1"', body: { login: 'a' } });
    const transport = scripted({ '/users/a': { status: 304 } });
    const github = helper(transport, { cache, now: () => 120_000 });
    expect(await github.getJSON('/users/a', anything)).toEqual({ login: 'a' });
    expect(transport.calls[0]?.headers['if-none-match']).toBe('W/"1"');
    expect(cache.entries.get('/users/a')?.fetchedAt).toBe(120_000);
  });

  it('stores nothing for a failure or a body of the wrong shape; a 204 is an answer like a 200', async () => {
    const cache = memoryCache();
    const transport = scripted({
      '/gone': { status: 410, errorBody: { message: 'Issues are disabled for this repo' } },
      '/empty': { status: 204 },
      '/odd': { status: 200, json: { not: 'a list' } },
      '/broken': { status: 200, text: '[{"id":1},' },
    });
    const github = helper(transport, { cache });
    await expect(github.getJSON('/gone', anything)).rejects.toMatchObject({ status: 410, githubMessage: 'Issues are disabled for this repo' });
    await expect(github.getJSON('/gone', anything)).rejects.toBeInstanceOf(HttpStatusError);
    expect(await github.getJSON('/empty', (body) => body ?? [])).toEqual([]);
    await expect(github.getJSON('/odd', list)).rejects.toThrow(`GitHub sent an unexpected response for ${apiUrl}/odd: expected a list`);
    await expect(github.getJSON('/broken', list)).rejects.toThrow(/not JSON for https:\/\/api.example.test\/broken/);
    expect([...cache.entries.keys()]).toEqual(['/empty']);
  });

  it('remembers that an optional resource is absent', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/repos/o/r/contents/CONTRIBUTORS': { status: 404, errorBody: { message: 'Not Found' } } });
    const github = helper(transport, { cache });
    expect(await github.getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).toBeNull();
    expect(await helper(transport, { cache }).getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).toBeNull();
    expect(transport.calls).toHaveLength(1);
    await expect(helper(transport).getJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).rejects.toMatchObject({ status: 404 });
  });

  it('retries 5xx and connection faults with growing waits, then gives up with exit 1', async () => {
    const transport = scripted({
      '/flaky': [{ status: 502 }, { status: 200, json: 'ok' }],
      '/down': { status: 503 },
      '/reset': new NetworkError('socket hang up (ECONNRESET)'),
    });
    const clock = fakeClock();
    const github = helper(transport, { ...clock, random: () => 1 });
    expect(await github.getJSON('/flaky', anything)).toBe('ok');
    await expect(github.getJSON('/down', anything)).rejects.toThrow(/answered 503 .* 3 times/);
    await expect(github.getJSON('/reset', anything)).rejects.toThrow(/ECONNRESET\) \(tried 3 times/);
    expect(transport.calls.map((call) => call.url.slice(apiUrl.length))).toEqual(['/flaky', '/flaky', '/down', '/down', '/down', '/reset', '/reset', '/reset']);
    expect(clock.slept).toEqual([1000, 1000, 2000, 1000, 2000]);
  });

  it('waits out a secondary limit and retries, at most three times in a row', async () => {
    const secondary = { status: 403, headers: { 'retry-after': '2' }, errorBody: { message: 'You have exceeded a secondary rate limit.' } };
    const transport = scripted({ '/a': [secondary, { status: 200, json: 'a' }], '/b': secondary });
    const clock = fakeClock();
    const github = helper(transport, clock);
    expect(await github.getJSON('/a', anything)).toBe('a');
    expect(clock.slept).toEqual([2000]);
    await expect(github.getJSON('/b', anything)).rejects.toThrow(/secondary rate limit stopped .* 3 times in a row/);
    expect(transport.calls.filter((call) => call.url.endsWith('/b'))).toHaveLength(4);
  });

  it('counts the requests a secondary limit stopped together as one time, not four', async () => {
    const secondary = { status: 403, headers: { 'retry-after': '1' }, text: null, errorBody: { message: 'You have exceeded a secondary rate limit.' } };
    let sent = 0;
    const transport: Transport = async () => {
      sent += 1;
      const limited = sent <= 4;
      await new Promise((resolve) => setImmediate(resolve));
      return limited ? secondary : { status: 200, headers: {}, text: '"ok"', errorBody: null };
    };
    const waits: string[] = [];
    const github = helper(transport, { ...fakeClock(), concurrency: 4, events: { wait: (wait) => waits.push(wait.reason) } });
    // Four in flight when GitHub says "slow down" to each: one wait, then all four go through.
    expect(await Promise.all(Array.from({ length: 4 }, (_, index) => github.getJSON(`/${index}`, anything)))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(sent).toBe(8);
    expect(waits).toEqual(['secondary rate limit']);
  });

  it('halves what it sends at once after a secondary limit', async () => {
    let inFlight = 0;
    const peaks: number[] = [];
    let secondarySent = false;
    const transport: Transport = async ({ url }) => {
      inFlight += 1;
      peaks.push(inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (url.endsWith('/0') && !secondarySent) {
        secondarySent = true;
        return { status: 403, headers: { 'retry-after': '1' }, text: null, errorBody: { message: 'You have exceeded a secondary rate limit.' } };
      }
      return { status: 200, headers: {}, text: '"ok"', errorBody: null };
    };
    const github = helper(transport, { concurrency: 4 });
    await Promise.all(Array.from({ length: 12 }, (_, index) => github.getJSON(`/${index}`, anything)));
    expect(Math.max(...peaks.slice(0, 4))).toBe(4);
    const afterLimit = peaks.slice(peaks.indexOf(4) + 4);
    expect(afterLimit.length).toBeGreaterThan(4);
    expect(Math.max(...afterLimit)).toBeLessThanOrEqual(2);
  });

  it('stops at the primary limit with the reset time, and sends nothing more', async () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const exhausted = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600), date: new Date(now).toUTCString() };
    const transport = scripted({ '/a': { status: 200, json: 'a', headers: exhausted }, '/b': { status: 200, json: 'b' } });
    const github = helper(transport, { now: () => now });
    expect(await github.getJSON('/a', anything)).toBe('a');
    const stop = github.getJSON('/b', anything);
    await expect(stop).rejects.toBeInstanceOf(RateLimitedError);
    await expect(stop).rejects.toMatchObject({ exitCode: 75, resetAt: new Date(now + 601_000) });
    expect(transport.calls).toHaveLength(1);
  });

  it('with --wait-for-reset, sleeps until the reset and goes on', async () => {
    const clock = fakeClock();
    const exhausted = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(clock.time / 1000 + 30), date: new Date(clock.time).toUTCString() };
    const transport = scripted({ '/a': [{ status: 403, headers: exhausted, errorBody: { message: 'API rate limit exceeded' } }, { status: 200, json: 'a' }] });
    const github = helper(transport, { ...clock, waitForReset: true });
    expect(await github.getJSON('/a', anything)).toBe('a');
    expect(clock.slept).toEqual([31_000]);
  });

  it('says Bad credentials on 401', async () => {
    const github = helper(scripted({ '/a': { status: 401, errorBody: { message: 'Bad credentials' } } }));
    await expect(github.getJSON('/a', anything)).rejects.toThrow('Bad credentials: check GH_TOKEN/GITHUB_TOKEN');
  });

  it('follows a redirect on the API origin and remembers it under both paths', async () => {
    const cache = memoryCache();
    const transport = scripted({
      '/repos/old/name': { status: 301, headers: { location: `${apiUrl}/repositories/7` } },
      '/repositories/7': { status: 200, json: { full_name: 'new/name' } },
    });
    const redirects: string[] = [];
    const github = helper(transport, { cache, events: { redirect: (from, to) => redirects.push(`${from} → ${to}`) } });
    expect(await github.getJSON('/repos/old/name', anything)).toEqual({ full_name: 'new/name' });
    expect(redirects).toEqual(['/repos/old/name → /repositories/7']);
    expect([...cache.entries.keys()].sort()).toEqual(['/repos/old/name', '/repositories/7']);
  });

  it('never follows a redirect or a link to another host', async () => {
    const transport = scripted({
      '/a': { status: 301, headers: { location: 'https://evil.example/steal' } },
      '/list': { status: 200, json: [1], headers: { link: '<https://evil.example/list?page=2>; rel="next"' } },
    });
    const github = helper(transport);
    await expect(github.getJSON('/a', anything)).rejects.toThrow(/outside https:\/\/api.example.test; not following it/);
    await expect(github.getListing('/list', list)).rejects.toBeInstanceOf(CliError);
    expect(transport.calls.every((call) => call.url.startsWith(apiUrl))).toBe(true);
  });
});

describe('getListing', () => {
  it('fetches every page once `last` is known, in order, keyed from the first URI', async () => {
    const link = (page: number) => `<${apiUrl}/items?per_page=2&page=${page}>; rel="next", <${apiUrl}/items?per_page=2&page=3>; rel="last"`;
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: link(2) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: link(3) } },
      '/items?per_page=2&page=3': { status: 200, json: [5] },
    });
    const progress: string[] = [];
    const github = helper(transport);
    expect(await github.getListing('/items?per_page=2', list, (p) => progress.push(`${p.pagesDone}/${p.pagesKnown}`))).toEqual([1, 2, 3, 4, 5]);
    expect(progress).toEqual(['1/1', '2/3', '3/3']);
    expect(transport.calls).toHaveLength(3);
  });

  it('follows cursor links as given', async () => {
    const transport = scripted({
      '/items': { status: 200, json: [1], headers: { link: `<${apiUrl}/items?after=abc>; rel="next"` } },
      '/items?after=abc': { status: 200, json: [2] },
    });
    expect(await helper(transport).getListing('/items', list)).toEqual([1, 2]);
  });
});
