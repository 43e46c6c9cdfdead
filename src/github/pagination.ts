/**
 * Pagination: every page of a listing, in page order, each through the memo. The `Link` header of
 * every response (a 304's included) says what comes next; once `last` is known, the remaining pages
 * are fetched side by side.
 * https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
import { CliError } from '../errors.js';
import type { Shape } from './body.js';
import { nullable } from './body.js';
import type { PageProgress, WalkOptions } from './helper.js';
import { pageNumberOf, parseLinkHeader } from './link.js';
import type { LinkRelations } from './link.js';
import type { AbsentWhen, Fetched, Memo } from './memo.js';
import { settleAll } from './settle.js';

/** A listing that goes on past this many pages is not one GitHub sends: stop rather than loop. */
const maxPages = 100_000;

export interface PaginationOptions {
  apiUrl: string;
  memo: Pick<Memo, 'get' | 'toApiPath'>;
}

type OnPage = (progress: PageProgress) => void;

export interface Pagination {
  getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<T[]>;
  walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<{ items: T[]; truncated: boolean }>;
  getOptionalListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage): Promise<T[] | null>;
  firstPage<T>(uri: string, shapePage: Shape<T[]>, trustCached?: boolean): Promise<{ items: T[]; pages: number }>;
}

export function createPagination({ apiUrl, memo }: PaginationOptions): Pagination {
  async function walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk: WalkOptions<T> = {}): Promise<{ items: T[]; truncated: boolean }> {
    const { items, truncated } = await new ListingWalk<T>(memo, uri, shapePage, onPage, walk).run();
    return { items, truncated };
  }

  async function getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<T[]> {
    return wholeListing(uri, await walkListing(uri, shapePage, onPage, walk));
  }

  async function getOptionalListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage): Promise<T[] | null> {
    const walked = await new ListingWalk<T>(memo, uri, shapePage, onPage, {}, true).run();
    return walked.missing ? null : wholeListing(uri, walked);
  }

  function wholeListing<T>(uri: string, { items, truncated }: { items: T[]; truncated: boolean }): T[] {
    if (truncated) throw new CliError(`GitHub stops paginating ${apiUrl}${memo.toApiPath(uri)} before its end (422: pagination is limited)`);
    return items;
  }

  async function firstPage<T>(uri: string, shapePage: Shape<T[]>, trustCached = true): Promise<{ items: T[]; pages: number }> {
    const page = await memo.get(memo.toApiPath(uri), nullable(shapePage), isEmptyListing, trustCached ? 'trust' : 'usual');
    if (page.body === null) return { items: [], pages: 0 };
    const links = parseLinkHeader(page.link);
    const last = links.last ? pageNumberOf(links.last) : null;
    return { items: page.body as T[], pages: last ?? (links.next ? 2 : 1) };
  }

  return { getListing, walkListing, getOptionalListing, firstPage };
}

/** One walk through one listing: the pages had so far, and where it stands. */
class ListingWalk<T> {
  private readonly firstPath: string;
  private readonly pages: T[][] = [];
  private readonly shapeOrAbsent: Shape<T[] | null>;
  private truncated = false;
  private pagesDone = 0;
  private pagesKnown = 1;
  private current: Fetched = { body: null, link: undefined };
  private currentPath: string;
  private currentPage = 1;
  private lastRevalidated: boolean;

  constructor(
    private readonly memo: Pick<Memo, 'get' | 'toApiPath'>,
    private readonly uri: string,
    shapePage: Shape<T[]>,
    private readonly onPage: OnPage | undefined,
    private readonly walk: WalkOptions<T>,
    /** A 404 on the first page is a remembered "not there" (the walk ends, `missing`), not an error. */
    private readonly mayBeMissing = false,
  ) {
    this.firstPath = memo.toApiPath(uri);
    this.currentPath = this.firstPath;
    // 410 Gone: the listing's feature is turned off (issues disabled): an empty listing.
    this.shapeOrAbsent = nullable(shapePage);
    this.lastRevalidated = walk.trustCached !== true || walk.revalidateLast !== true;
  }

  async run(): Promise<{ items: T[]; truncated: boolean; missing: boolean }> {
    this.current = await this.fetchPage(this.firstPath);
    if (this.current.absent === 404) return { items: [], truncated: false, missing: true };
    this.pages.push(itemsOf<T>(this.current));
    for (;;) {
      if (this.walk.until?.(this.pages[this.pages.length - 1] ?? []) === true) break;
      const links = parseLinkHeader(this.current.link);
      const goOn = links.next ? await this.followNext(links.next, links) : await this.pastTheEnd();
      if (!goOn) break;
    }
    return { items: this.pages.flat(), truncated: this.truncated, missing: false };
  }

  /** The page had no `next`: whether the listing really ends here, else the step beyond it. */
  private async pastTheEnd(): Promise<boolean> {
    if (!this.lastRevalidated) {
      this.lastRevalidated = true;
      this.current = await this.memo.get(this.currentPath, this.shapeOrAbsent, isEmptyListing);
      this.pages[this.pages.length - 1] = itemsOf<T>(this.current);
      return true;
    }
    // A 304 vouches for this page's items, not for its end: with a full page, the listing may go
    // on (GitHub's ETag covers the body alone). Ask for the page after it, which is a free 304 too
    // once it is cached; a first page cannot be told from a cursor listing's, so it is asked again
    // in full for its current Link.
    // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
    if (!this.current.revalidated || itemsOf<T>(this.current).length < perPageOf(this.firstPath)) return false;
    if (this.currentPath === this.firstPath || pageNumberOf(this.currentPath) === null) {
      this.current = await this.memo.get(this.currentPath, this.shapeOrAbsent, isEmptyListing, 'unconditional');
      this.pages[this.pages.length - 1] = itemsOf<T>(this.current);
      return true;
    }
    this.currentPage += 1;
    this.currentPath = withPage(this.firstPath, this.currentPage);
    this.current = await this.fetchPage(this.currentPath);
    this.pages.push(itemsOf<T>(this.current));
    return !this.truncated;
  }

  private async followNext(next: string, links: LinkRelations): Promise<boolean> {
    // A `next` on another host is refused even when its page number could be followed here: it is
    // not GitHub's listing any more (SPEC §6), and the user is told so.
    const nextPath = this.memo.toApiPath(next);
    const nextPage = pageNumberOf(next);
    const lastPage = links.last ? pageNumberOf(links.last) : null;
    // Side by side only when every page is wanted: a walk `until` something reads one page at a time.
    if (this.walk.until === undefined && nextPage === this.currentPage + 1 && lastPage !== null && lastPage > nextPage) return this.fanOut(lastPage);
    // One more page, or cursor-based: follow `next` (on the API's own origin only). Page-numbered
    // pages are keyed as computed from the first URI, so a rerun finds them whichever way they came.
    this.pagesKnown = Math.max(this.pagesKnown, this.pagesDone + 1);
    this.currentPath = nextPage === this.currentPage + 1 ? withPage(this.firstPath, nextPage) : nextPath;
    this.current = await this.fetchPage(this.currentPath);
    this.pages.push(itemsOf<T>(this.current));
    this.currentPage = nextPage ?? this.currentPage + 1;
    if (this.truncated) return false;
    if (this.pages.length > maxPages) throw new CliError(`the listing ${this.uri} does not end after 100,000 pages`);
    return true;
  }

  /** Page-numbered and `last` is known: fetch the remaining pages side by side. */
  private async fanOut(lastPage: number): Promise<boolean> {
    this.pagesKnown = Math.max(this.pagesKnown, lastPage);
    const numbers = Array.from({ length: lastPage - this.currentPage }, (_, index) => this.currentPage + 1 + index);
    const fetched = await settleAll(numbers.map((number) => this.fetchPage(withPage(this.firstPath, number))));
    this.pages.push(...fetched.map((page) => itemsOf<T>(page)));
    this.current = fetched[fetched.length - 1] as Fetched;
    this.currentPath = withPage(this.firstPath, lastPage);
    this.currentPage = lastPage;
    return !this.truncated;
  }

  private async fetchPage(apiPath: string): Promise<Fetched> {
    // Deep pages of the largest listings answer 422; what came before them stands.
    // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
    const absentWhen: AbsentWhen = (status, message) =>
      isEmptyListing(status, message) || (apiPath !== this.firstPath ? isPaginationLimit(status, message) : this.mayBeMissing && status === 404);
    let page = await this.memo.get(apiPath, this.shapeOrAbsent, absentWhen, this.walk.trustCached === true ? 'trust' : 'usual');
    if (page.absent === 422) {
      this.truncated = true;
      page = { body: [], link: undefined };
    }
    this.pagesDone += 1;
    this.onPage?.({ pagesDone: this.pagesDone, pagesKnown: Math.max(this.pagesKnown, this.pagesDone) });
    return page;
  }
}

function itemsOf<T>(page: Fetched): T[] {
  return (page.body as T[] | null) ?? [];
}

/**
 * A listing that is empty for good reason, remembered as such: 410, its feature is turned off (issues
 * disabled); 409 "Git Repository is empty." (an empty repository's contributors and commits).
 * https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
export function isEmptyListing(status: number, message: string): boolean {
  return status === 410 || (status === 409 && /repository is empty/i.test(message));
}

/** Items on a full page of the listing at `apiPath`: its `per_page`, else GitHub's default of 30. */
export function perPageOf(apiPath: string): number {
  const perPage = Number(new URL(apiPath, 'http://x').searchParams.get('per_page'));
  return Number.isInteger(perPage) && perPage > 0 ? Math.min(perPage, 100) : 30;
}

/** GitHub's 422 for deep pages: "pagination is limited for this resource", or (2025) "… not supported for large datasets". */
export function isPaginationLimit(status: number, message: string): boolean {
  return status === 422 && /pagination is limited|not supported for large datasets/i.test(message);
}

/** Page k of a listing, keyed the same whether it came from a `Link` header or was computed. */
export function withPage(apiPath: string, page: number): string {
  const url = new URL(apiPath, 'http://x');
  url.searchParams.set('page', String(page));
  return url.pathname + url.search;
}
