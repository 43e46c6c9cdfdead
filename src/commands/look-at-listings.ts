/**
 * --dry-run's look at a listing: its first page (cached as the run caches it), how many pages its
 * `Link` says it has, and what the cache already answers of them.
 */
import type { PolicyContext } from '../collectors/cache-policy.js';
import { countCachedPages, keptKey, planCache, planNewestFirst } from '../collectors/cache-policy.js';
import type { ListingDeclaration } from '../collectors/sources.js';
import { perPage, sources as declared } from '../collectors/sources.js';
import { shapeKeptEvents } from '../collectors/triage.js';
import { HttpStatusError } from '../github/helper.js';
import type { IssueEvent } from '../github/shapes.js';
import type { SourceEstimate } from './dry-run.js';

/** GitHub stops paginating a listing after about this many items; the rest is walked in windows. */
const paginationLimitItems = 40_000;

export interface ListingLook {
  estimate: SourceEstimate;
  /** Authors seen on the first page, in order. */
  logins: string[];
  /** Items in the whole listing, estimated from its page count. */
  items: number;
  /** The other way's estimate where the run reads part of the source through it (triage past the listing's reach). */
  more?: SourceEstimate[];
  /** GitHub stops paging the listing before its end. */
  capped?: boolean;
  /** The first page's items, as the listing's shape reads them. */
  firstItems?: readonly unknown[];
}


export async function lookAtListing<T>(context: PolicyContext, listing: ListingDeclaration<T>, since: string | null): Promise<ListingLook> {
  const { github } = context;
  const uri = listing.uri(context.repoPath, since);
  const source = listing.label;
  let first: { items: T[]; pages: number };
  try {
    first = await github.firstPage(uri, listing.shape);
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 403 && /too large/i.test(error.githubMessage)) {
      return { estimate: { source, api: 'rest', requests: 1, cached: 0, checks: 0, accuracy: 'exact', note: 'too large for GitHub to list: left out' }, logins: [], items: 0 };
    }
    throw error;
  }
  // How the run that follows will use the cache: seen after the first page was fetched, as it will find it.
  const plan = planCache(context, listing.policy, uri);
  const logins = listing.authors(first.items);
  const pages = Math.max(1, first.pages);
  const { cached, checks } = countCachedPages(github, plan, uri, pages);
  // Oldest-first listings with a cached first page: what changed since is asked with `since` (about
  // 1 request per 100 changed items); see collectors/listing.ts.
  const changes = plan.incremental && plan.base === 'stale' ? 1 : 0;
  const items = first.pages <= 1 ? logins.length : (pages - 1) * perPage + perPage / 2;
  const capped = items >= paginationLimitItems;
  const estimate: SourceEstimate = {
    source,
    api: 'rest',
    requests: pages + changes,
    cached,
    checks,
    accuracy: capped ? 'at least' : 'exact',
    ...(capped ? { note: `GitHub stops paging at ${paginationLimitItems.toLocaleString('en-US')} items: the rest in windows` } : {}),
    ...(changes > 0 ? { note: '+1 for what changed since' } : {}),
  };
  return { estimate, logins: logins.flatMap((login) => (login === null ? [] : [login])), items, firstItems: first.items };
}

/**
 * `triage`: the issue events, newest first (cache-policy.ts `planNewestFirst`). From nothing, a request
 * per 100 events, as far back as GitHub pages (a 422 past that) or, with --since, as far back as the
 * date, extrapolated from how far back the first page goes. With what an earlier run kept: nothing
 * within --max-age; else page 1 checked, and a request per 100 events that are new since.
 */
export async function lookAtEvents(context: PolicyContext, since: string | null): Promise<ListingLook> {
  const { github } = context;
  const listing = declared.issueEvents;
  const uri = listing.uri(context.repoPath);
  const first = await github.firstPage(uri, listing.shape);
  const pages = Math.max(1, first.pages);
  const reachable = Math.ceil(paginationLimitItems / perPage);
  // GitHub's `last` is the deepest page it serves: that deep, the listing goes on beyond it.
  const capped = since === null && pages >= reachable;
  const back = since === null ? { pages: Math.min(pages, reachable) + (capped ? 1 : 0), accuracy: 'exact' as const } : pagesBackTo(first.items, pages, since);
  const logins = listing.authors(first.items).flatMap((login) => (login === null ? [] : [login]));
  // The triage events the listing holds, at the share of them on its first page.
  const events = first.pages <= 1 ? first.items.length : (pages - 1) * perPage + perPage / 2;
  const items = first.items.length === 0 ? 0 : Math.round((events * logins.length) / first.items.length);
  const kept = github.recall(keptKey(context, uri), shapeKeptEvents, Number.POSITIVE_INFINITY);
  const use = planNewestFirst(context, uri, kept, since);
  const top = github.freshness(uri);
  const estimate: SourceEstimate = { source: listing.label, api: 'rest', requests: back.pages, cached: 0, checks: 0, accuracy: back.accuracy };
  if (use === 'kept') {
    estimate.cached = back.pages;
  } else if (use === 'top') {
    estimate.cached = back.pages - (top === 'absent' ? 1 : 0);
    estimate.checks = top === 'stale' ? 1 : 0;
    estimate.note = 'page 1 checked for new events: +1 per 100 new';
  } else {
    Object.assign(estimate, countCachedPages(github, planCache(context, listing.policy, uri), uri, back.pages));
    if (capped) estimate.note = `GitHub lists only the newest ${paginationLimitItems.toLocaleString('en-US')} events: older triage cannot be counted`;
  }
  return { estimate, logins, items, capped: capped || (since === null && kept?.limited === true) };
}

/**
 * Pages of a newest-first listing down to `since`: 1 when the first page goes back that far (or is
 * all there is); else extrapolated from the time its events span.
 */
function pagesBackTo(first: readonly IssueEvent[], pages: number, since: string): { pages: number; accuracy: 'exact' | 'about' } {
  const times = first.flatMap((event) => (event.created_at === undefined ? [] : [Date.parse(event.created_at)])).filter((ms) => !Number.isNaN(ms));
  const sinceMs = Date.parse(since);
  if (pages <= 1 || times.length === 0) return { pages: 1, accuracy: 'exact' };
  const newest = Math.max(...times);
  const oldest = Math.min(...times);
  if (oldest < sinceMs) return { pages: 1, accuracy: 'exact' };
  const reachable = Math.ceil(paginationLimitItems / perPage);
  const spanned = newest > oldest ? Math.ceil((newest - sinceMs) / (newest - oldest)) : pages;
  return { pages: Math.max(1, Math.min(pages, reachable, spanned)), accuracy: 'about' };
}

