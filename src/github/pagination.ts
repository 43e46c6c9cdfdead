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
/**
 * Once `last` is known, this many pages are asked at a time: a `last` no listing could reach (page
 * 999,999,999) is then walked a window at a time, up to where the pages really end, instead of being
 * laid out whole in memory.
 */
export const fanOutWindow = 32;

export interface PaginationOptions {
  apiUrl: string;
  memo: Pick<Memo, 'get' | 'toApiPath'>;
  /** Said to the user: a listing that leads back to a page it already gave. */
  warn?: (message: string) => void;
}

/** A walk that ended because a `Link` led back to a page it had already: the page it led to. */
export interface Walked<T> {
  items: T[];
  truncated: boolean;
  /** The page a `next` led back to, when the listing loops (then `truncated` too). */
  loopedTo?: number;
}

type OnPage = (progress: PageProgress) => void;

export interface Pagination {
  getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<T[]>;
  walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<Walked<T>>;
  getOptionalListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage): Promise<T[] | null>;
  firstPage<T>(uri: string, shapePage: Shape<T[]>, trustCached?: boolean): Promise<{ items: T[]; pages: number }>;
}

export function createPagination({ apiUrl, memo, warn }: PaginationOptions): Pagination {
  const looping = (uri: string, page: number): string => `GitHub's listing ${apiUrl}${memo.toApiPath(uri)} leads back to page ${page}, which it already sent`;

  async function walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk: WalkOptions<T> = {}): Promise<Walked<T>> {
    const { items, truncated, loopedTo } = await new ListingWalk<T>(memo, uri, shapePage, onPage, walk).run();
    // What came before the loop stands; the listing is not whole.
    if (loopedTo !== undefined) warn?.(`${looping(uri, loopedTo)}: read up to there, and counted as incomplete`);
    return loopedTo === undefined ? { items, truncated } : { items, truncated: true, loopedTo };
  }

  async function getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage, walk?: WalkOptions<T>): Promise<T[]> {
    return wholeListing(uri, await new ListingWalk<T>(memo, uri, shapePage, onPage, walk ?? {}).run());
  }

  async function getOptionalListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: OnPage): Promise<T[] | null> {
    const walked = await new ListingWalk<T>(memo, uri, shapePage, onPage, {}, true).run();
    return walked.missing ? null : wholeListing(uri, walked);
  }

  /** A listing its caller needs whole: one GitHub stops paginating, or that loops, is an error. */
  function wholeListing<T>(uri: string, { items, truncated, loopedTo }: Walked<T>): T[] {
    if (loopedTo !== undefined) throw new CliError(`${looping(uri, loopedTo)}: it cannot be read whole`);
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
  /** Every page asked in this walk, by `pageKey`: a `next` to one of them is a loop. */
  private readonly visited = new Set<string>();
  private loopedTo: number | undefined;

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

  async run(): Promise<Walked<T> & { missing: boolean }> {
    this.current = await this.fetchPage(this.firstPath);
    if (this.current.absent === 404) return { items: [], truncated: false, missing: true };
    this.pages.push(itemsOf<T>(this.current));
    for (;;) {
      if (this.walk.until?.(this.pages[this.pages.length - 1] ?? []) === true) break;
      const links = parseLinkHeader(this.current.link);
      const goOn = links.next ? await this.followNext(links.next, links) : await this.pastTheEnd();
      if (!goOn) break;
    }
    const walked = { items: this.pages.flat(), truncated: this.truncated, missing: false };
    return this.loopedTo === undefined ? walked : { ...walked, loopedTo: this.loopedTo };
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
    const path = nextPage === this.currentPage + 1 ? withPage(this.firstPath, nextPage) : nextPath;
    if (this.visited.has(pageKey(path))) {
      this.loopedTo = pageNumberOf(path) ?? 1;
      return false;
    }
    this.currentPath = path;
    this.current = await this.fetchPage(this.currentPath);
    this.pages.push(itemsOf<T>(this.current));
    this.currentPage = nextPage ?? this.currentPage + 1;
    if (this.truncated) return false;
    if (this.pages.length > maxPages) throw new CliError(`the listing ${this.uri} does not end after 100,000 pages`);
    return true;
  }

  /**
   * Page-numbered and `last` is known: the remaining pages side by side, `fanOutWindow` asked at a
   * time (the gate decides how many are on the wire). Every page GitHub sends but the last is full
   * and says which comes `next`, so the first short page that does not is the end, whatever `last`
   * said: past it, nothing more is asked, and what was already asked is left out.
   */
  private async fanOut(lastPage: number): Promise<boolean> {
    this.pagesKnown = Math.max(this.pagesKnown, lastPage);
    const full = perPageOf(this.firstPath);
    const fetched: Fetched[] = [];
    let next = this.currentPage + 1;
    // However far `last` says, no listing GitHub sends has more pages than this.
    let end = Math.min(lastPage, maxPages);
    const worker = async (): Promise<void> => {
      while (next <= end) {
        const number = next;
        next += 1;
        const page = await this.fetchPage(withPage(this.firstPath, number));
        fetched[number - this.currentPage - 1] = page;
        if (this.truncated || (parseLinkHeader(page.link).next === undefined && itemsOf<T>(page).length < full)) end = Math.min(end, number);
      }
    };
    await settleAll(Array.from({ length: Math.min(fanOutWindow, lastPage - this.currentPage) }, worker));
    const answered = fetched.slice(0, end - this.currentPage);
    this.pages.push(...answered.map((page) => itemsOf<T>(page)));
    this.current = answered[answered.length - 1] as Fetched;
    this.currentPage = end;
    this.currentPath = withPage(this.firstPath, end);
    return !this.truncated;
  }

  private async fetchPage(apiPath: string): Promise<Fetched> {
    this.visited.add(pageKey(apiPath));
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
    this.onPage?.({ pagesDone: this.pagesDone, pagesKnown: Math.max(this.pagesKnown, this.pagesDone), items: itemsOf<T>(page) });
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

/** A page's identity within a walk: its path and query, in a set order, page 1 whether said or not. */
function pageKey(apiPath: string): string {
  // (A path no URL can hold is the memo's to refuse, with the error it gives.)
  if (!URL.canParse(apiPath, 'http://x')) return apiPath;
  const url = new URL(apiPath, 'http://x');
  if (!url.searchParams.has('page')) url.searchParams.set('page', '1');
  url.searchParams.sort();
  return url.pathname + url.search;
}
