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
