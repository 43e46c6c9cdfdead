/**
 * Pagination as GitHub does it: https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
 *
 * - `per_page` defaults to 30 and is capped at 100; `page` defaults to 1; a page past the end is `[]`.
 * - The `link` header carries absolute URLs with every other query parameter kept, in GitHub's
 *   order: prev, next, last, first. No next/last on the last page; no header at all when everything
 *   fits on the first page.
 * - Deep pages of big listings are refused with 422 "pagination is limited for this resource";
 *   `rel="last"` then points at the deepest page that can be asked for.
 */
import type { View } from './store.js';

export const defaultPerPage = 30;
export const maxPerPage = 100;
export const defaultPaginationLimit = 40_000;
export const defaultPaginationLimitMessage =
  'In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can jump.';

export interface PageRequest {
  page: number;
  perPage: number;
}

function positiveInteger(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const parsed = Number.parseInt(value, 10);
  return parsed >= 1 ? parsed : null;
}

export function readPageRequest(query: URLSearchParams): PageRequest {
  const perPage = positiveInteger(query.get('per_page')) ?? defaultPerPage;
  return { page: positiveInteger(query.get('page')) ?? 1, perPage: Math.min(perPage, maxPerPage) };
}

export interface LinkTarget {
  /** Origin + path the links point at (e.g. `http://127.0.0.1:1234/repositories/42/issues`). */
  base: string;
  /** The request's query, as sent; `page` is replaced in each link. */
  query: URLSearchParams;
}

function pageUrl(target: LinkTarget, page: number): string {
  const query = new URLSearchParams(target.query);
  query.set('page', String(page));
  return `${target.base}?${query.toString()}`;
}

/** The `link` header for `page` (null when there is nothing to link: everything fits on page 1). */
export function buildLinkHeader(
  target: LinkTarget,
  page: number,
  options: { hasNext: boolean; lastPage: number },
): string | null {
  const links: string[] = [];
  if (page > 1) links.push(`<${pageUrl(target, page - 1)}>; rel="prev"`);
  if (options.hasNext) links.push(`<${pageUrl(target, page + 1)}>; rel="next"`);
  if (page < options.lastPage) links.push(`<${pageUrl(target, options.lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(target, 1)}>; rel="first"`);
  return links.length === 0 ? null : links.join(', ');
}

export type PageResult<T> =
  | { kind: 'page'; items: T[]; link: string | null }
  | { kind: 'limited'; link: string | null };

/**
 * Slices one page out of a sorted view, ascending or descending, without copying the view.
 * `paginationLimit` is how many items can be reached by paging at all.
 */
export function paginate<T>(
  view: View<T>,
  direction: 'asc' | 'desc',
  request: PageRequest,
  target: LinkTarget,
  paginationLimit: number,
): PageResult<T> {
  const total = view.end - view.start;
  const pageCount = Math.ceil(total / request.perPage);
  const reachablePages = Math.max(1, Math.ceil(paginationLimit / request.perPage));
  const lastPage = Math.min(Math.max(pageCount, 1), reachablePages);
  const offset = (request.page - 1) * request.perPage;

  if (offset >= paginationLimit) {
    const links = [`<${pageUrl(target, 1)}>; rel="first"`, `<${pageUrl(target, lastPage)}>; rel="last"`];
    return { kind: 'limited', link: links.join(', ') };
  }

  const items: T[] = [];
  const stop = Math.min(total, offset + request.perPage);
  for (let position = offset; position < stop; position++) {
    const index = direction === 'asc' ? view.start + position : view.end - 1 - position;
    const item = view.items[index];
    if (item !== undefined) items.push(item);
  }
  // `next` is offered whenever more items exist, even past the reachable pages: following it
  // then meets the 422, which is how a client learns the listing was cut short.
  const hasNext = offset + request.perPage < total;
  return { kind: 'page', items, link: buildLinkHeader(target, request.page, { hasNext, lastPage }) };
}

/** A listing's position of an item: its sort value, then its id (the order views are sorted in). */
export type CursorKey = readonly [number, number];

const cursorPrefix = 'cursor:v2:';

/** Opaque to clients: base64 (with `+`, `/` and `=`, so it must be URL-encoded) of the last item's key. */
export function encodeListingCursor(key: CursorKey): string {
  return Buffer.from(`${cursorPrefix}${JSON.stringify(key)}`, 'utf8').toString('base64');
}

function decodeListingCursor(cursor: string): CursorKey | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith(cursorPrefix)) return null;
  try {
    const key: unknown = JSON.parse(text.slice(cursorPrefix.length));
    if (!Array.isArray(key) || key.length !== 2 || !key.every((part) => Number.isSafeInteger(part))) return null;
    const parsed: CursorKey = [key[0] as number, key[1] as number];
    return encodeListingCursor(parsed) === cursor ? parsed : null;
  } catch {
    return null;
  }
}

function compareKeys(a: CursorKey, b: CursorKey): number {
  return a[0] - b[0] || a[1] - b[1];
}

function cursorUrl(target: LinkTarget, name: 'after' | 'before', cursor: string): string {
  const query = new URLSearchParams(target.query);
  for (const dropped of ['page', 'after', 'before']) query.delete(dropped);
  query.set(name, cursor);
  return `${target.base}?${query.toString()}`;
}

export type CursorPageResult<T> = { kind: 'page'; items: T[]; link: string | null } | { kind: 'invalid-cursor'; cursor: string };

/**
 * Cursor pagination, as GitHub's newer listings page: `after`/`before` name an item by an opaque
 * cursor, `page` means nothing, and `link` holds only `next` (`?after=`) and `prev` (`?before=`) —
 * no `first`, no `last`, so a client cannot know how many pages there are, nor compute a page's URL.
 * https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api#using-link-headers
 */
export function paginateByCursor<T>(
  view: View<T>,
  direction: 'asc' | 'desc',
  query: URLSearchParams,
  target: LinkTarget,
  keyOf: (item: T) => CursorKey,
): CursorPageResult<T> {
  const perPage = readPageRequest(query).perPage;
  const total = view.end - view.start;
  const at = (position: number): T | undefined =>
    view.items[direction === 'asc' ? view.start + position : view.end - 1 - position];
  /** First index of the ascending view whose key is above `key` (or at least `key`, with `orEqual`). */
  const bound = (key: CursorKey, orEqual: boolean): number => {
    let low = view.start;
    let high = view.end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const item = view.items[middle];
      const order = item === undefined ? 1 : compareKeys(keyOf(item), key);
      if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const after = query.get('after');
  const before = query.get('before');
  let from = 0;
  let to = Math.min(total, perPage);
  if (after !== null && after !== '') {
    const key = decodeListingCursor(after);
    if (key === null) return { kind: 'invalid-cursor', cursor: after };
    // Positions (in the listing's direction) up to and including the cursor's item are behind.
    from = direction === 'asc' ? bound(key, false) - view.start : view.end - bound(key, true);
    to = Math.min(total, from + perPage);
  } else if (before !== null && before !== '') {
    const key = decodeListingCursor(before);
    if (key === null) return { kind: 'invalid-cursor', cursor: before };
    to = direction === 'asc' ? bound(key, true) - view.start : view.end - bound(key, false);
    from = Math.max(0, to - perPage);
  }
  const items: T[] = [];
  for (let position = from; position < to; position++) {
    const item = at(position);
    if (item !== undefined) items.push(item);
  }
  const links: string[] = [];
  const first = items[0];
  const last = items.at(-1);
  if (first !== undefined && from > 0) links.push(`<${cursorUrl(target, 'before', encodeListingCursor(keyOf(first)))}>; rel="prev"`);
  if (last !== undefined && to < total) links.push(`<${cursorUrl(target, 'after', encodeListingCursor(keyOf(last)))}>; rel="next"`);
  return { kind: 'page', items, link: links.length === 0 ? null : links.join(', ') };
}
