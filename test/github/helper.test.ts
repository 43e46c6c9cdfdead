/**
 * The helper's face: its four parts put together. Each part has its own tests (gate, memo, pagination,
 * graphql); these check what only the whole does.
 */
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import type { GitHubHelperOptions } from '../../src/github/helper.js';
import { helperDefaults } from '../../src/github/helper.js';
import type { Transport } from '../../src/github/transport.js';
import { anything, apiUrl, fakeClock, list, memoryCache, rateLimitHeaders, scripted, testHelper, testStart } from './support.js';

function helper(transport: Transport, overrides: Partial<GitHubHelperOptions> = {}) {
  const clock = fakeClock();
  return testHelper({ apiUrl, transport, now: clock.now, sleep: clock.sleep, ...overrides });
}

describe('createGitHubHelper', () => {
  it('memoises getJSON, and counts requests and cache hits in its stats', async () => {
    const transport = scripted({ '/users/a': { status: 200, json: { login: 'a' }, headers: { etag: 'W/"1"', ...rateLimitHeaders(testStart, 59, 3600) } } });
    const github = helper(transport);
    expect(await github.getJSON('/users/a', anything)).toEqual({ login: 'a' });
    expect(await github.getJSON(`${apiUrl}/users/a`, anything)).toEqual({ login: 'a' });
    expect(transport.calls).toHaveLength(1);
    expect(github.stats).toEqual({ requests: 1, refused: 0, cacheHits: 1, revalidated: 0, stored: 1 });
    expect(github.rateLimit()).toMatchObject({ remaining: 59, resource: 'core' });
    expect(github.now()).toBe(testStart);
  });

  it('remembers that an optional resource is absent; getJSON of it is a 404', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/repos/o/r/contents/CONTRIBUTORS': { status: 404, errorBody: { message: 'Not Found' } } });
    const github = helper(transport, { cache });
    expect(await github.getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).toBeNull();
    expect(await helper(transport, { cache }).getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).toBeNull();
    expect(transport.calls).toHaveLength(1);
    await expect(helper(transport).getJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).rejects.toMatchObject({ status: 404 });
  });

  it('getOptionalJSON with trustCached uses a cached answer whatever its age', async () => {
    const cache = memoryCache();
    cache.entries.set('/repos/o/r/contents/CONTRIBUTORS', { fetchedAt: 0, body: 'old' });
    const transport = scripted({ '/repos/o/r/contents/CONTRIBUTORS': { status: 200, json: 'new' } });
    const github = helper(transport, { cache });
    expect(await github.getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything, { trustCached: true })).toBe('old');
    expect(github.freshness('/repos/o/r/contents/CONTRIBUTORS')).toBe('stale');
    expect(await github.getOptionalJSON('/repos/o/r/contents/CONTRIBUTORS', anything)).toBe('new');
    expect(github.freshness('/repos/o/r/contents/CONTRIBUTORS')).toBe('fresh');
  });

  it('remember and recall share the cache with getJSON', async () => {
    const github = helper(scripted({}));
    github.remember('/users/a', { login: 'a' });
    expect(github.recall('/users/a', anything, 1000)).toEqual({ login: 'a' });
    expect(await github.getJSON('/users/a', anything)).toEqual({ login: 'a' });
    expect(github.stats).toMatchObject({ requests: 0, cacheHits: 2 });
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

  it('keeps its bounds in one place', () => {
    expect(helperDefaults).toEqual({ maxTries: 3, backoffBaseMs: 1000, maxSecondaryInARow: 3, maxRedirects: 5 });
  });
});
