import type { Contribution, Kind } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import type { Freshness, PageProgress, Shape } from '../github/helper.js';
import type { ListingItem } from '../github/shapes.js';
import { planCache } from './cache-policy.js';
import type { ListingDeclaration } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

export interface ListingItems {
  items: ListingItem[];
  /** False when GitHub stopped paginating and the rest could not be reached. */
  complete: boolean;
}

/**
 * Items of a repository-wide listing, de-duplicated by id (a page boundary or a window can repeat one).
 *
 * GitHub stops paginating the largest listings (422 after about 40,000 items). The rest is walked in
 * windows (SPEC §3): every item not reached yet was created after the last one reached, so it was also
 * updated after it; `sort=updated&direction=asc&since=<that created_at>` lists them all (and some
 * already seen). A window cut short in its turn goes on from the last `updated_at` it reached.
 * Listings without `since` (commit comments) cannot be windowed: they are reported incomplete.
 */
export async function fetchListingItems(context: CollectorContext, listing: ListingDeclaration<ListingItem>): Promise<ListingItems> {
  const source = listing.label;
  const shape = listing.shape;
  // Who each page names counts among the people found so far as it comes, not when the listing ends.
  const progress = ({ items, ...pages }: PageProgress): void => context.progress(source, items === undefined ? pages : { ...pages, people: listing.authors(items as ListingItem[]) });
  const windowable = listing.policy.kind === 'since-incremental';
  const firstUri = listing.uri(context.repoPath, context.since);
  const listingPath = firstUri.slice(context.repoPath.length);
  // A cached listing is brought up to date as its cache policy says (collectors/cache-policy.ts): by
  // what changed since its newest item, or by its last page, not by asking for every page again.
  const plan = planCache(context, listing.policy, firstUri);
  const { walk, incremental } = plan;
  const baseFreshness = plan.base;
  const first = await context.github.walkListing(firstUri, shape, progress, walk);
  const items = [...first.items];
  let complete = !first.truncated;
  let windowStart = latest(first.items, 'created_at');
  // A listing that loops (said by the helper) is not one windows would read whole either.
  let truncated = first.truncated && first.loopedTo === undefined;
  while (truncated && windowable && windowStart !== null) {
    const window = await context.github.walkListing(`${context.repoPath}${windowPath(listingPath, windowStart)}`, shape, progress, walk);
    items.push(...window.items);
    truncated = window.truncated;
    complete = !truncated;
    const next = latest(window.items, 'updated_at');
    if (truncated && (next === null || next <= windowStart)) break; // more than a page of items updated in one second
    windowStart = next;
  }
  if (incremental) complete = (await walkChanges(context, listingPath, shape, progress, items, { uri: firstUri, freshness: baseFreshness })) && complete;
  if (!complete && first.loopedTo === undefined) context.warn(`${context.fullName}: GitHub stops listing ${source} after ${items.length} items; the rest could not be reached`);
  // One item once, as it was seen last (a newer `updated_at` wins: a review moved it).
  const byId = new Map<number, ListingItem>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (!seen || (item.updated_at ?? '') > (seen.updated_at ?? '')) byId.set(item.id, item);
  }
  const since = context.since;
  return { items: [...byId.values()].filter((item) => since === null || (item.created_at !== undefined && item.created_at >= since)), complete };
}

/**
 * Adds to `items` what changed since their newest `updated_at`: a chain of `since` walks, each kept in
 * the cache. The links already there are used whatever their age; when the newest is older than
 * --max-age, the next link is asked for (or, if it brought nothing newer, it is asked again: a 304
 * when nothing changed). Returns false if a walk was cut short.
 */
async function walkChanges(
  context: CollectorContext,
  listingPath: string,
  shape: Shape<ListingItem[]>,
  progress: (pages: PageProgress) => void,
  items: ListingItem[],
  base: { uri: string; freshness: Freshness },
): Promise<boolean> {
  const { github } = context;
  let previous = base;
  for (;;) {
    const newest = latest(items, 'updated_at');
    if (newest === null) return true;
    const uri = `${context.repoPath}${windowPath(listingPath, context.since !== null && context.since > newest ? context.since : newest)}`;
    if (previous.uri === uri) {
      // The newest link brought nothing newer than where it starts: the chain ends here.
      if (previous.freshness !== 'stale') return true;
      const again = await github.walkListing(uri, shape, progress);
      items.push(...again.items);
      return !again.truncated;
    }
    const freshness = github.freshness(uri);
    // The newest link is within --max-age: what follows it is for a later refresh.
    if (freshness === 'absent' && previous.freshness === 'fresh') return true;
    const changes = await github.walkListing(uri, shape, progress, { trustCached: freshness !== 'absent' });
    items.push(...changes.items);
    if (changes.truncated) {
      // More changed than GitHub pages through: on from the latest change reached, in a window of
      // its own, as a cold run does (and as the next run will, through the same cached windows).
      if (changes.loopedTo !== undefined || !movesOn(changes.items, uri)) return false;
      previous = { uri, freshness: 'stale' };
      continue;
    }
    if (freshness === 'absent') return true;
    previous = { uri, freshness };
  }
}

/** Whether a window cut short reached past where it started, so that the next one starts later. */
function movesOn(reached: readonly ListingItem[], uri: string): boolean {
  const next = latest(reached, 'updated_at');
  const since = new URL(uri, 'http://x').searchParams.get('since');
  return next !== null && (since === null || next > since);
}

function windowPath(listingPath: string, since: string): string {
  const url = new URL(listingPath, 'http://x');
  url.searchParams.set('sort', 'updated');
  url.searchParams.set('direction', 'asc');
  url.searchParams.set('since', since);
  url.searchParams.delete('page');
  return url.pathname + url.search;
}

/** The latest ISO timestamp of that field among the items (ISO 8601 in UTC compares as text). */
function latest(items: readonly ListingItem[], field: 'created_at' | 'updated_at'): string | null {
  let found: string | null = null;
  for (const item of items) {
    const value = item[field];
    if (value !== undefined && (found === null || value > found)) found = value;
  }
  return found;
}

/** One contribution per author, counting their items. */
export function countAuthors(context: CollectorContext, source: string, items: readonly ListingItem[], kind: Kind): Contribution[] {
  const byLogin = new Map<string, Contribution>();
  let withoutAuthor = 0;
  for (const item of items) {
    if (item.user === undefined) {
      withoutAuthor += 1;
      continue;
    }
    const login = item.user === null ? ghostLogin : item.user.login;
    const type = item.user === null ? 'User' : item.user.type;
    const key = login.toLowerCase();
    const existing = byLogin.get(key);
    if (existing) existing.count += 1;
    else byLogin.set(key, { who: { login, type }, kind, count: 1 });
  }
  if (withoutAuthor > 0) context.warn(`${source}: ${withoutAuthor} item(s) came without an author and were skipped`);
  return [...byLogin.values()];
}

export async function collectAuthorsOf(context: CollectorContext, listing: ListingDeclaration<ListingItem>, kind: Kind): Promise<CollectorResult> {
  const { items, complete } = await fetchListingItems(context, listing);
  return { contributions: countAuthors(context, listing.label, items, kind), complete };
}
