import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { HttpStatusError } from '../../src/github/helper.js';
import { anything, apiUrl, list, memoryCache, scripted, testMemo, ticks } from './support.js';

const stale = { now: () => 120_000 };

describe('memo: what is asked, and when', () => {
  it('memoises: the second call is answered from the cache', async () => {
    const transport = scripted({ '/users/a': { status: 200, json: { login: 'a' }, headers: { etag: 'W/"1"' } } });
    const memo = testMemo(transport);
    expect((await memo.get('/users/a', anything)).body).toEqual({ login: 'a' });
    expect((await memo.get('/users/a', anything)).body).toEqual({ login: 'a' });
    expect(transport.calls).toHaveLength(1);
    expect(memo.gate.stats).toEqual({ requests: 1, refused: 0, cacheHits: 1, revalidated: 0, stored: 1 });
  });

  it('asks once for what several callers ask at the same time', async () => {
    const transport = scripted({ '/users/a': { status: 200, json: { login: 'a' } } });
    const slow = Object.assign(async (...args: Parameters<typeof transport>) => (await ticks(), transport(...args)), { calls: transport.calls });
    const memo = testMemo(slow);
    const [one, two] = await Promise.all([memo.get('/users/a', anything), memo.get('/users/a', anything)]);
    expect(one).toBe(two);
    expect(transport.calls).toHaveLength(1);
  });

  it('revalidates an entry older than max-age with its ETag and keeps the body and Link on a 304', async () => {
    const cache = memoryCache();
    cache.entries.set('/items', { fetchedAt: 0, etag: 'W/"1"', link: '<x>; rel="next"', body: [1] });
    const transport = scripted({ '/items': { status: 304 } });
    const memo = testMemo(transport, { cache, ...stale });
    expect(await memo.get('/items', anything)).toEqual({ body: [1], link: '<x>; rel="next"', revalidated: true });
    expect(transport.calls[0]?.headers['if-none-match']).toBe('W/"1"');
    expect(cache.entries.get('/items')).toMatchObject({ fetchedAt: 120_000, etag: 'W/"1"', link: '<x>; rel="next"' });
    expect(memo.gate.stats.revalidated).toBe(1);
  });

  it("keeps a 304's own Link and ETag: they are today's", async () => {
    const cache = memoryCache();
    cache.entries.set('/items', { fetchedAt: 0, etag: 'W/"1"', body: [1] });
    const transport = scripted({ '/items': { status: 304, headers: { etag: 'W/"2"', link: '<y>; rel="next"' } } });
    const memo = testMemo(transport, { cache, ...stale });
    expect(await memo.get('/items', anything)).toEqual({ body: [1], link: '<y>; rel="next"', revalidated: true });
    expect(cache.entries.get('/items')).toMatchObject({ etag: 'W/"2"', link: '<y>; rel="next"' });
  });

  it('`trust` uses a cached answer whatever its age; `unconditional` asks again in full, without If-None-Match', async () => {
    const cache = memoryCache();
    cache.entries.set('/items', { fetchedAt: 0, etag: 'W/"1"', body: [1] });
    const transport = scripted({ '/items': { status: 200, json: [1, 2], headers: { etag: 'W/"2"' } } });
    const memo = testMemo(transport, { cache, ...stale });
    expect((await memo.get('/items', anything, undefined, 'trust')).body).toEqual([1]);
    expect(transport.calls).toHaveLength(0);
    expect(await memo.get('/items', anything, undefined, 'unconditional')).toEqual({ body: [1, 2], link: undefined });
    expect(transport.calls[0]?.headers).toEqual({});
    expect(cache.entries.get('/items')).toMatchObject({ etag: 'W/"2"', body: [1, 2] });
  });

  it('does not trust an entry from the future, nor one whose body no longer has the shape', async () => {
    const cache = memoryCache();
    cache.entries.set('/future', { fetchedAt: 999_999, etag: 'W/"f"', body: [1] });
    cache.entries.set('/edited', { fetchedAt: 100_000, body: { not: 'a list' } });
    const transport = scripted({ '/future': { status: 304 }, '/edited': { status: 200, json: [2] } });
    const memo = testMemo(transport, { cache, ...stale });
    expect(memo.freshness('/future')).toBe('stale');
    expect((await memo.get('/future', list)).body).toEqual([1]);
    expect((await memo.get('/edited', list)).body).toEqual([2]);
    expect(transport.calls.map((call) => call.headers)).toEqual([{ 'if-none-match': 'W/"f"' }, {}]);
  });

  it('with the cache off, asks every time and stores nothing', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/a': { status: 200, json: 'a' } });
    const memo = testMemo(transport, { cache, cacheEnabled: false });
    await memo.get('/a', anything);
    await memo.get('/a', anything);
    memo.remember('/b', 'b');
    expect(transport.calls).toHaveLength(2);
    expect(cache.entries.size).toBe(0);
    expect(memo.freshness('/a')).toBe('absent');
  });
});

describe('memo: what is stored', () => {
  it('stores nothing for a failure or a body of the wrong shape; a 204 is an answer like a 200', async () => {
    const cache = memoryCache();
    const transport = scripted({
      '/gone': { status: 410, errorBody: { message: 'Issues are disabled for this repo' } },
      '/empty': { status: 204 },
      '/odd': { status: 200, json: { not: 'a list' } },
      '/broken': { status: 200, text: '[{"id":1},' },
      '/null': { status: 200, text: 'null' },
    });
    const memo = testMemo(transport, { cache });
    await expect(memo.get('/gone', anything)).rejects.toMatchObject({ status: 410, githubMessage: 'Issues are disabled for this repo' });
    await expect(memo.get('/gone', anything)).rejects.toBeInstanceOf(HttpStatusError);
    expect((await memo.get('/empty', (body) => body ?? [])).body).toEqual([]);
    await expect(memo.get('/odd', list)).rejects.toThrow(`GitHub sent an unexpected response for ${apiUrl}/odd: expected a list`);
    await expect(memo.get('/broken', list)).rejects.toThrow(/not JSON for https:\/\/api.example.test\/broken/);
    await expect(memo.get('/null', anything)).rejects.toThrow(/unexpected response for .*\/null: null/);
    expect([...cache.entries.keys()]).toEqual(['/empty']);
  });

  it('stores a success shaped, with its ETag, Last-Modified and Link', async () => {
    const cache = memoryCache();
    const headers = { etag: 'W/"1"', 'last-modified': 'Tue, 01 Sep 2026 00:00:00 GMT', link: '<x>; rel="next"' };
    const transport = scripted({ '/users/a': { status: 200, json: { login: 'a', extra: 1 }, headers } });
    const memo = testMemo(transport, { cache });
    await memo.get('/users/a', (body) => ({ login: (body as { login: string }).login }));
    expect(cache.entries.get('/users/a')).toEqual({ fetchedAt: expect.any(Number), body: { login: 'a' }, etag: 'W/"1"', lastModified: headers['last-modified'], link: headers.link });
  });

  it('remembers an absent answer, with its status, and answers it from the cache next time', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/repos/o/r/contents/CONTRIBUTORS': { status: 404, errorBody: { message: 'Not Found' } } });
    const absent404 = (status: number) => status === 404;
    const first = await testMemo(transport, { cache }).get('/repos/o/r/contents/CONTRIBUTORS', anything, absent404);
    expect(first).toEqual({ body: null, link: undefined, absent: 404 });
    expect(cache.entries.get('/repos/o/r/contents/CONTRIBUTORS')).toMatchObject({ body: null, status: 404 });
    expect(await testMemo(transport, { cache }).get('/repos/o/r/contents/CONTRIBUTORS', anything, absent404)).toEqual(first);
    expect(transport.calls).toHaveLength(1);
    await expect(testMemo(transport).get('/repos/o/r/contents/CONTRIBUTORS', anything)).rejects.toMatchObject({ status: 404 });
  });

  it('remember and recall: a part of an answer kept under a key of its own, within the age asked', async () => {
    const memo = testMemo(scripted({}), stale);
    memo.remember('/users/a/name', 'Ada');
    expect(memo.recall('/users/a/name', anything, 1000)).toBe('Ada');
    expect(memo.recall('/users/b/name', anything, 1000)).toBeUndefined();
    expect(memo.recall('/users/a/name', () => { throw new Error('not a name'); }, 1000)).toBeUndefined();
    expect(memo.gate.stats.cacheHits).toBe(1);
    expect(memo.lookup('/users/a/name', anything)).toEqual({ body: 'Ada', fresh: true });
  });
});

describe('memo: where it goes', () => {
  it('keys a URI on the API origin by its path, and refuses any other origin', () => {
    const memo = testMemo(scripted({}));
    expect(memo.toApiPath('/repos/o/r')).toBe('/repos/o/r');
    expect(memo.toApiPath(`${apiUrl}/repos/o/r/issues?page=2`)).toBe('/repos/o/r/issues?page=2');
    expect(() => memo.toApiPath('https://evil.example/repos/o/r')).toThrow(/outside https:\/\/api.example.test; not following it/);
    expect(() => memo.toApiPath('not a url')).toThrow(CliError);
    const ghe = testMemo(scripted({}), { apiUrl: 'https://ghe.example/api/v3' });
    expect(ghe.toApiPath('https://ghe.example/api/v3/repos/o/r')).toBe('/repos/o/r');
    expect(() => ghe.toApiPath('https://ghe.example/steal')).toThrow(/outside/);
  });

  it('follows a redirect on the API origin and remembers it under both paths', async () => {
    const cache = memoryCache();
    const transport = scripted({
      '/repos/old/name': { status: 301, headers: { location: `${apiUrl}/repositories/7` } },
      '/repositories/7': { status: 200, json: { full_name: 'new/name' } },
    });
    const redirects: string[] = [];
    const memo = testMemo(transport, { cache, events: { redirect: (from, to) => redirects.push(`${from} → ${to}`) } });
    expect((await memo.get('/repos/old/name', anything)).body).toEqual({ full_name: 'new/name' });
    expect(redirects).toEqual(['/repos/old/name → /repositories/7']);
    expect([...cache.entries.keys()].sort()).toEqual(['/repos/old/name', '/repositories/7']);
  });

  it('never follows a redirect to another host, nor one without a Location, nor too many', async () => {
    const transport = scripted({
      '/a': { status: 301, headers: { location: 'https://evil.example/steal' } },
      '/b': { status: 302 },
      '/loop': { status: 307, headers: { location: '/loop' } },
    });
    const memo = testMemo(transport);
    await expect(memo.get('/a', anything)).rejects.toThrow(/outside https:\/\/api.example.test; not following it/);
    await expect(memo.get('/b', anything)).rejects.toThrow(/redirected .*\/b without a Location/);
    await expect(memo.get('/loop', anything)).rejects.toThrow(/redirected .*\/loop too many times/);
    expect(transport.calls.every((call) => call.url.startsWith(apiUrl))).toBe(true);
    expect(transport.paths().filter((path) => path === '/loop')).toHaveLength(6);
  });
});
