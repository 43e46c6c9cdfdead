import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import type { MemoOptions } from '../../src/github/memo.js';
import { createPagination, fanOutWindow, isEmptyListing, isPaginationLimit, perPageOf, withPage } from '../../src/github/pagination.js';
import type { Transport } from '../../src/github/transport.js';
import { apiUrl, list, memoryCache, scripted, testMemo, ticks } from './support.js';

function pagination(transport: Transport, overrides: Partial<MemoOptions> = {}, warn?: (message: string) => void) {
  return createPagination({ apiUrl, memo: testMemo(transport, overrides), ...(warn ? { warn } : {}) });
}

const lastIs = (next: number, last: number, query = 'per_page=2') => `<${apiUrl}/items?${query}&page=${next}>; rel="next", <${apiUrl}/items?${query}&page=${last}>; rel="last"`;
const nextIs = (next: number) => `<${apiUrl}/items?per_page=2&page=${next}>; rel="next"`;
/** The Link GitHub sends on the last page of a listing of several: where it started, and the page before. */
const prevIs = (previous: number) => `<${apiUrl}/items?per_page=2&page=${previous}>; rel="prev", <${apiUrl}/items?per_page=2&page=1>; rel="first"`;
const stale = { now: () => 120_000 };
const limited = { status: 422, errorBody: { message: 'In order to keep the API fast for everyone, pagination is limited for this resource.' } };

describe('walking a listing', () => {
  it('fetches every page once `last` is known, in order, keyed from the first URI', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 3) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: lastIs(3, 3) } },
      '/items?per_page=2&page=3': { status: 200, json: [5] },
    });
    const progress: string[] = [];
    expect(await pagination(transport).getListing('/items?per_page=2', list, (p) => progress.push(`${p.pagesDone}/${p.pagesKnown}`))).toEqual([1, 2, 3, 4, 5]);
    expect(progress).toEqual(['1/1', '2/3', '3/3']);
    expect(transport.calls).toHaveLength(3);
  });

  it('fetches the pages after the first side by side once `last` is known, and keeps their order', async () => {
    const answers = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 4) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4] },
      '/items?per_page=2&page=3': { status: 200, json: [5, 6] },
      '/items?per_page=2&page=4': { status: 200, json: [7] },
    });
    let inFlight = 0;
    let peak = 0;
    const transport: Transport = async (request) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      // Later pages answer first: the order of the items must not follow the order of the answers.
      await ticks(request.url.endsWith('page=2') ? 30 : 5);
      inFlight -= 1;
      return answers(request);
    };
    expect(await pagination(transport).getListing('/items?per_page=2', list)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('follows cursor links as given, and page links one at a time when `last` is not said', async () => {
    const transport = scripted({
      '/items': { status: 200, json: [1], headers: { link: `<${apiUrl}/items?after=abc>; rel="next"` } },
      '/items?after=abc': { status: 200, json: [2] },
      '/pages?per_page=2': { status: 200, json: [1, 2], headers: { link: `<${apiUrl}/pages?per_page=2&page=2>; rel="next"` } },
      '/pages?per_page=2&page=2': { status: 200, json: [3] },
    });
    const walk = pagination(transport);
    expect(await walk.getListing('/items', list)).toEqual([1, 2]);
    expect(await walk.getListing('/pages?per_page=2', list)).toEqual([1, 2, 3]);
  });

  it('with `until`, asks one page at a time and ends with the first page it is true of', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [9, 8], headers: { link: lastIs(2, 4) } },
      '/items?per_page=2&page=2': { status: 200, json: [7, 6], headers: { link: lastIs(3, 4) } },
      '/items?per_page=2&page=3': { status: 200, json: [5, 4], headers: { link: lastIs(4, 4) } },
      '/items?per_page=2&page=4': { status: 200, json: [3] },
    });
    const walk = pagination(transport);
    const seen: number[][] = [];
    const until = (page: readonly number[]): boolean => {
      seen.push([...page]);
      return page.some((item) => item <= 6);
    };
    expect(await walk.walkListing('/items?per_page=2', (body) => list(body) as number[], undefined, { until })).toEqual({ items: [9, 8, 7, 6], truncated: false });
    expect(transport.paths()).toEqual(['/items?per_page=2', '/items?per_page=2&page=2']);
    expect(seen).toEqual([[9, 8], [7, 6]]);
    // Never true: the whole listing (the cached pages as they are), still one page at a time.
    expect(await walk.walkListing('/items?per_page=2', (body) => list(body) as number[], undefined, { until: () => false })).toEqual({ items: [9, 8, 7, 6, 5, 4, 3], truncated: false });
    expect(transport.paths()).toEqual(['/items?per_page=2', '/items?per_page=2&page=2', '/items?per_page=2&page=3', '/items?per_page=2&page=4']);
  });

  it('never follows a `next` to another host', async () => {
    const transport = scripted({ '/list': { status: 200, json: [1], headers: { link: '<https://evil.example/list?page=2>; rel="next"' } } });
    await expect(pagination(transport).getListing('/list', list)).rejects.toBeInstanceOf(CliError);
    expect(transport.paths()).toEqual(['/list']);
  });

  it('a 410 (the feature is off) or a 409 of an empty repository is an empty listing', async () => {
    const transport = scripted({
      '/repos/o/r/issues': { status: 410, errorBody: { message: 'Issues are disabled for this repo' } },
      '/repos/o/r/commits': { status: 409, errorBody: { message: 'Git Repository is empty.' } },
    });
    const walk = pagination(transport);
    expect(await walk.getListing('/repos/o/r/issues', list)).toEqual([]);
    expect(await walk.getListing('/repos/o/r/commits', list)).toEqual([]);
  });
});

describe('a listing that has grown since it was cached', () => {
  it('after a full last page that came back 304, asks for the page after it', async () => {
    const cache = memoryCache();
    cache.entries.set('/items?per_page=2', { fetchedAt: 0, etag: 'W/"1"', link: nextIs(2), body: [1, 2] });
    cache.entries.set('/items?per_page=2&page=2', { fetchedAt: 0, etag: 'W/"2"', link: prevIs(1), body: [3, 4] });
    const transport = scripted({
      '/items?per_page=2': { status: 304 },
      '/items?per_page=2&page=2': { status: 304 },
      '/items?per_page=2&page=3': { status: 200, json: [5] },
    });
    expect(await pagination(transport, { cache, ...stale }).getListing('/items?per_page=2', list)).toEqual([1, 2, 3, 4, 5]);
    expect(transport.paths()).toEqual(['/items?per_page=2', '/items?per_page=2&page=2', '/items?per_page=2&page=3']);
  });

  it('a short last page that came back 304 ends the listing', async () => {
    const cache = memoryCache();
    cache.entries.set('/items?per_page=2', { fetchedAt: 0, etag: 'W/"1"', link: nextIs(2), body: [1, 2] });
    cache.entries.set('/items?per_page=2&page=2', { fetchedAt: 0, etag: 'W/"2"', link: prevIs(1), body: [3] });
    const transport = scripted({ '/items?per_page=2': { status: 304 }, '/items?per_page=2&page=2': { status: 304 } });
    expect(await pagination(transport, { cache, ...stale }).getListing('/items?per_page=2', list)).toEqual([1, 2, 3]);
    expect(transport.calls).toHaveLength(2);
  });

  it('a full first page that came back 304 with no `next` is asked again in full, for its current Link', async () => {
    const cache = memoryCache();
    cache.entries.set('/items?per_page=2', { fetchedAt: 0, etag: 'W/"1"', link: '', body: [1, 2] });
    const transport = scripted({
      '/items?per_page=2': [{ status: 304 }, { status: 200, json: [1, 2], headers: { link: nextIs(2), etag: 'W/"1"' } }],
      '/items?per_page=2&page=2': { status: 200, json: [3] },
    });
    expect(await pagination(transport, { cache, ...stale }).getListing('/items?per_page=2', list)).toEqual([1, 2, 3]);
    expect(transport.calls.map((call) => call.headers['if-none-match'] ?? 'none')).toEqual(['W/"1"', 'none', 'none']);
  });

  it('with trustCached, uses the cached pages as they are; with revalidateLast, asks for the last one again', async () => {
    const cache = memoryCache();
    cache.entries.set('/items?per_page=2', { fetchedAt: 0, etag: 'W/"1"', link: nextIs(2), body: [1, 2] });
    cache.entries.set('/items?per_page=2&page=2', { fetchedAt: 0, etag: 'W/"2"', link: prevIs(1), body: [3] });
    const transport = scripted({ '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: nextIs(3) } }, '/items?per_page=2&page=3': { status: 200, json: [5] } });
    const walk = pagination(transport, { cache, ...stale });
    expect(await walk.getListing('/items?per_page=2', list, undefined, { trustCached: true })).toEqual([1, 2, 3]);
    expect(transport.calls).toHaveLength(0);
    expect(await walk.getListing('/items?per_page=2', list, undefined, { trustCached: true, revalidateLast: true })).toEqual([1, 2, 3, 4, 5]);
    expect(transport.paths()).toEqual(['/items?per_page=2&page=2', '/items?per_page=2&page=3']);
  });
});

describe('cached pages that do not fit their listing', () => {
  it('are asked again: a page emptied to null, a page past the first without its Link, a page with no Link field at all', async () => {
    const cache = memoryCache();
    cache.entries.set('/items?per_page=2', { fetchedAt: 0, etag: 'W/"1"', body: [1, 2] });
    cache.entries.set('/items?per_page=2&page=2', { fetchedAt: 0, etag: 'W/"2"', body: null });
    cache.entries.set('/items?per_page=2&page=3', { fetchedAt: 0, etag: 'W/"3"', link: '', body: [5] });
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 3) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: lastIs(3, 3) } },
      '/items?per_page=2&page=3': { status: 200, json: [5], headers: { link: prevIs(2) } },
    });
    expect(await pagination(transport, { cache }).getListing('/items?per_page=2', list, undefined, { trustCached: true })).toEqual([1, 2, 3, 4, 5]);
    // Asked in full: nothing of what did not fit is offered as an ETag.
    expect(transport.calls.map((call) => call.headers['if-none-match'] ?? 'none')).toEqual(['none', 'none', 'none']);
    // Stored as GitHub sent them, they fit the next time.
    expect(await pagination(scripted({}), { cache }).getListing('/items?per_page=2', list, undefined, { trustCached: true })).toEqual([1, 2, 3, 4, 5]);
  });

  it('an empty answer GitHub sent (204) is kept as such, and one GitHub sent no Link for keeps an empty one', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/empty?per_page=2': { status: 204 }, '/one?per_page=2': { status: 200, json: [1] } });
    const walk = pagination(transport, { cache });
    expect(await walk.getListing('/empty?per_page=2', list)).toEqual([]);
    expect(await walk.getListing('/one?per_page=2', list)).toEqual([1]);
    expect(cache.entries.get('/empty?per_page=2')).toMatchObject({ body: null, status: 204 });
    expect(cache.entries.get('/one?per_page=2')).toMatchObject({ body: [1], link: '' });
  });
});

describe('where GitHub stops paginating', () => {
  it('walkListing ends at a 422 past the first page, truncated; getListing fails there', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: nextIs(2) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: nextIs(3) } },
      '/items?per_page=2&page=3': limited,
    });
    const walk = pagination(transport);
    expect(await walk.walkListing('/items?per_page=2', list)).toEqual({ items: [1, 2, 3, 4], truncated: true });
    await expect(walk.getListing('/items?per_page=2', list)).rejects.toThrow(`GitHub stops paginating ${apiUrl}/items?per_page=2 before its end (422: pagination is limited)`);
    expect(transport.paths().filter((path) => path.endsWith('page=3'))).toHaveLength(1); // remembered
  });

  it('a 422 of the first page is an error, not an empty listing', async () => {
    await expect(pagination(scripted({ '/items': limited })).walkListing('/items', list)).rejects.toMatchObject({ status: 422 });
  });
});

describe('a server that pages without end', () => {
  it('a `next` back to a page the walk had: walkListing ends there, warned and truncated; getListing fails', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: nextIs(2) } },
      '/items?per_page=2&page=2': { status: 200, json: [3, 4], headers: { link: nextIs(1) } },
    });
    const warnings: string[] = [];
    const walk = pagination(transport, {}, (message) => warnings.push(message));
    // "page=1" is the first page, however it is written: never asked.
    expect(await walk.walkListing('/items?per_page=2', list)).toEqual({ items: [1, 2, 3, 4], truncated: true, loopedTo: 1 });
    expect(warnings).toEqual([`GitHub's listing ${apiUrl}/items?per_page=2 leads back to page 1, which it already sent: read up to there, and counted as incomplete`]);
    await expect(walk.getListing('/items?per_page=2', list)).rejects.toThrow(new CliError(`GitHub's listing ${apiUrl}/items?per_page=2 leads back to page 1, which it already sent: it cannot be read whole`));
    expect(transport.calls).toHaveLength(2);
  });

  it('a cursor that leads back to the first page is a loop too', async () => {
    const transport = scripted({
      '/items': { status: 200, json: [1], headers: { link: `<${apiUrl}/items?after=abc>; rel="next"` } },
      '/items?after=abc': { status: 200, json: [2], headers: { link: `<${apiUrl}/items>; rel="next"` } },
    });
    expect(await pagination(transport).walkListing('/items', list)).toEqual({ items: [1, 2], truncated: true, loopedTo: 1 });
  });

  it('a `last` of 999,999,999: pages asked a window at a time, ending with the first short page that has no `next`', async () => {
    const answers = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 999_999_999) } },
      '/items?per_page=2&page=2': { status: 200, json: [3] },
    });
    // Pages past the real end answer empty, as GitHub's do.
    const transport: Transport = async (request) => (/page=(?:[3-9]|\d\d+)$/.test(request.url) ? { status: 200, headers: {}, text: '[]', errorBody: null } : answers(request));
    let asked = 0;
    const counting: Transport = async (request) => {
      asked += 1;
      return transport(request);
    };
    expect(await pagination(counting).getListing('/items?per_page=2', list)).toEqual([1, 2, 3]);
    expect(asked).toBeLessThanOrEqual(1 + fanOutWindow);
  });

  it('an honest `last` is still read to its end, past a short page that says what comes `next`, or a full one that does not', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 4) } },
      '/items?per_page=2&page=2': { status: 200, json: [3], headers: { link: lastIs(3, 4) } },
      '/items?per_page=2&page=3': { status: 200, json: [4, 5] },
      '/items?per_page=2&page=4': { status: 200, json: [6] },
    });
    expect(await pagination(transport).getListing('/items?per_page=2', list)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('a listing that may not exist', () => {
  it('is null when its first page answers 404, remembered so that the next run asks nothing', async () => {
    const cache = memoryCache();
    const transport = scripted({ '/orgs/u/repos?per_page=2': { status: 404, errorBody: { message: 'Not Found' } } });
    expect(await pagination(transport, { cache }).getOptionalListing('/orgs/u/repos?per_page=2', list)).toBeNull();
    expect(await pagination(transport, { cache }).getOptionalListing('/orgs/u/repos?per_page=2', list)).toBeNull();
    expect(transport.calls).toHaveLength(1);
  });

  it('is every item of every page otherwise; a 404 past the first page is an error', async () => {
    const transport = scripted({
      '/items?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 2) } },
      '/items?per_page=2&page=2': { status: 200, json: [3] },
      '/gone?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 2, 'per_page=2').replaceAll('/items', '/gone') } },
    });
    const walk = pagination(transport);
    expect(await walk.getOptionalListing('/items?per_page=2', list)).toEqual([1, 2, 3]);
    await expect(walk.getOptionalListing('/gone?per_page=2', list)).rejects.toMatchObject({ status: 404 });
  });
});

describe('firstPage', () => {
  it('says how many pages: `last`, else 2 with a `next`, else 1; a 410 is 0', async () => {
    const transport = scripted({
      '/a?per_page=2': { status: 200, json: [1, 2], headers: { link: lastIs(2, 7).replaceAll('/items', '/a') } },
      '/b': { status: 200, json: [1], headers: { link: `<${apiUrl}/b?after=x>; rel="next"` } },
      '/c': { status: 200, json: [1] },
      '/d': { status: 410 },
    });
    const walk = pagination(transport);
    expect(await walk.firstPage('/a?per_page=2', list)).toEqual({ items: [1, 2], pages: 7 });
    expect(await walk.firstPage('/b', list)).toEqual({ items: [1], pages: 2 });
    expect(await walk.firstPage('/c', list)).toEqual({ items: [1], pages: 1 });
    expect(await walk.firstPage('/d', list)).toEqual({ items: [], pages: 0 });
  });

  it('uses a cached first page whatever its age', async () => {
    const cache = memoryCache();
    cache.entries.set('/c', { fetchedAt: 0, body: [1] });
    const transport = scripted({});
    expect(await pagination(transport, { cache, ...stale }).firstPage('/c', list)).toEqual({ items: [1], pages: 1 });
    expect(transport.calls).toHaveLength(0);
  });
});

describe('page arithmetic', () => {
  it('withPage sets the page of a path, keeping the rest of the query', () => {
    expect(withPage('/items?per_page=100', 3)).toBe('/items?per_page=100&page=3');
    expect(withPage('/items?page=2&state=all', 5)).toBe('/items?page=5&state=all');
  });

  it('perPageOf: the per_page asked for, at most 100, else 30', () => {
    expect(perPageOf('/items?per_page=50')).toBe(50);
    expect(perPageOf('/items?per_page=500')).toBe(100);
    expect(perPageOf('/items?per_page=x')).toBe(30);
    expect(perPageOf('/items')).toBe(30);
  });

  it("tells GitHub's pagination limit and an empty listing from other answers", () => {
    expect(isPaginationLimit(422, 'Pagination is limited for this resource')).toBe(true);
    expect(isPaginationLimit(422, 'Pagination with the page parameter is not supported for large datasets')).toBe(true);
    expect(isPaginationLimit(422, 'Validation Failed')).toBe(false);
    expect(isEmptyListing(410, '')).toBe(true);
    expect(isEmptyListing(409, 'Git Repository is empty.')).toBe(true);
    expect(isEmptyListing(409, 'Conflict')).toBe(false);
  });
});
