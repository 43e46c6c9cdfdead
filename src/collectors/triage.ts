/**
 * `triage`: the people who keep the tracker usable — who label, assign, set milestones, close, reopen,
 * lock, pin, mark duplicates, transfer and merge — one contribution per event, from the repository-wide
 * listing of issue events (sources.ts `issueEvents`). Mentions, subscriptions, references, renames and
 * the rest are nobody's triage (sources.ts `triageEvents`).
 *
 * GitHub lists these events newest first and cannot be asked what changed `since`, so a page's number
 * names other events as the repository grows. What a run has seen is therefore kept whole (the triage
 * events, the newest id of any event, how far back it goes), and a later run asks only for the top of
 * the listing, down to what it has seen (cache-policy.ts `planNewestFirst`).
 *
 * GitHub stops paging the listing after about 40,000 events. With a token (and for all time), the
 * events it could not reach are read from the items' timelines (collectors/timelines.ts): the listing
 * counts the events made after its reach, the timelines those made at or before it, so that none is
 * counted twice. Where reading every timeline costs less than the listing (by what is left of each
 * budget), triage is read from the timelines alone.
 * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository
 */
import type { Contribution } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import type { PageProgress } from '../github/helper.js';
import { ShapeError } from '../github/helper.js';
import type { IssueEvent, ListingItem, UserRef } from '../github/shapes.js';
import { isRecord, toUserRef } from '../github/shapes.js';
import type { KeptReach } from './cache-policy.js';
import { countCachedPages, keptKey, planCache, planNewestFirst } from './cache-policy.js';
import type { BudgetsLeft, Way } from './cost-plan.js';
import { fullHour, shareOf } from './cost-plan.js';
import { countAuthors } from './listing.js';
import { triageEvents } from '../domain/triage-events.js';
import type { AuthorCounts } from './read-threads.js';
import { countTallies } from './read-threads.js';
import { perPage, sources } from './sources.js';
import { markToReadOn, planTimelines, readTimelines, timelinePoints } from './timelines.js';
import type { CollectorContext, CollectorResult } from './types.js';

/** GitHub stops paging a listing after about this many items (422). */
const paginationLimitItems = 40_000;

/** A triage event as it is kept: its id, its actor (null: a deleted account; absent: none was sent), when. */
export interface KeptEvent {
  id: number;
  actor?: UserRef | null;
  at: string | null;
}

/** What a run keeps of the listing: its triage events, the newest id of any event seen, and how far back it goes. */
export interface KeptEvents extends KeptReach {
  newestId: number | null;
  events: KeptEvent[];
}

/**
 * `items`: the repository's issues and pull requests, whole (null without a token, with --since, or
 * when the listing was cut short): with them, the timelines can be read; `budgets`: what is left of
 * each budget, asked only when both ways cost something. `itemsToCome`: the items are being read
 * (with a token, for all time): the top of the events listing, which prices the listing against the
 * timelines, is asked meanwhile instead of after them.
 */
export async function collectTriage(
  context: CollectorContext,
  items: Promise<readonly ListingItem[] | null> = Promise.resolve(null),
  budgets: () => Promise<BudgetsLeft> = async () => fullHour,
  itemsToCome = false,
): Promise<CollectorResult> {
  const { github, since } = context;
  if (itemsToCome) askTopEarly(context);
  const known = await items;
  if (known !== null && (await triageWay(context, known, budgets)) === 'graphql') return { contributions: await fromTimelines(context, known), complete: true };
  // The listing cannot be asked by date: --since is applied here.
  const uri = sources.issueEvents.uri(context.repoPath);
  const key = keptKey(context, uri);
  const before = github.recall(key, shapeKeptEvents, Number.POSITIVE_INFINITY);
  const use = planNewestFirst(context, uri, before, since);
  let kept: KeptEvents;
  if (use === 'kept' && before !== undefined) {
    kept = before;
  } else {
    kept = await walkEvents(context, uri, use === 'top' ? before : undefined, before);
    github.remember(key, kept);
  }
  const { reach } = kept;
  // Past GitHub's pagination limit, older events cannot be reached through the listing.
  const reached = !kept.limited || (since !== null && reach !== null && since >= reach);
  // The events made at or before the reach, from the timelines (of every item: one moved here from
  // another repository brings its older timeline).
  const older = !reached && known !== null && reach !== null ? await readTimelines(context, known, reach) : null;
  const counted = kept.events.filter((event) => (since === null || (event.at !== null && event.at >= since)) && (older === null || event.at === null || event.at > (reach ?? '')));
  const listed = countAuthors(context, sources.issueEvents.label, counted.map((event): ListingItem => (event.actor === undefined ? { id: event.id } : { id: event.id, user: event.actor })), 'triage');
  if (older === null) {
    if (!reached) context.warn(`${context.fullName}: GitHub stops listing issue events ${reach === null ? 'early' : `before ${reach}`}; triage older than that could not be reached`);
    return { contributions: listed, complete: reached };
  }
  const tally: AuthorCounts = listed.map(({ who, count }) => [who.login ?? ghostLogin, who.type ?? 'User', count]);
  return { contributions: countTallies([tally, ...older], 'triage', (at) => at === undefined || at <= (reach ?? '')), complete: true };
}

/**
 * Every timeline. Not every event moves its item's `updated_at` (a pin does not), so the top of the
 * listing, down to the newest event seen when the timelines were last read, names the items with new
 * events: they are marked to be read on before that newest event is moved up.
 */
async function fromTimelines(context: CollectorContext, items: readonly ListingItem[]): Promise<Contribution[]> {
  const { github } = context;
  const uri = sources.issueEvents.uri(context.repoPath);
  const key = timelinesSeenKey(context, uri);
  const seen = github.recall(key, shapeNewestId, Number.POSITIVE_INFINITY);
  // Nothing read yet: the first page alone, for its newest event (had already, to price the listing).
  // A page that is not newest first tells nothing: every timeline is read on.
  let ordered = true;
  const until = (page: readonly IssueEvent[]): boolean => seen === undefined || !(ordered &&= isNewestFirst(page)) || page.some((event) => event.id <= seen);
  const progress = (pages: PageProgress): void => context.progress(sources.issueEvents.label, pages);
  const top = await github.walkListing(uri, sources.issueEvents.shape, progress, { until });
  const fresh = top.items.filter((event) => seen === undefined || event.id > seen);
  const named = top.truncated || !ordered ? items.map((item) => item.number) : fresh.map((event) => event.issueNumber);
  if (seen !== undefined) markToReadOn(context, named.filter((number): number is number => number !== undefined));
  github.remember(key, fresh.reduce((newest, event) => Math.max(newest, event.id), seen ?? 0));
  // Read down to the newest event seen, in order: every item with a new event is marked, and the
  // timelines of the others stand, though a comment moved their `updated_at`.
  const marked = seen !== undefined && !top.truncated && ordered;
  return countTallies(await readTimelines(context, items, null, marked), 'triage');
}

/** Where the newest event seen when the timelines were last read is kept. */
function timelinesSeenKey(context: CollectorContext, uri: string): string {
  return `${keptKey(context, uri)}#timelines`;
}

function shapeNewestId(body: unknown): number {
  if (typeof body !== 'number' || !Number.isSafeInteger(body)) throw new ShapeError('not a kept event id');
  return body;
}

/**
 * Asks the first page of the events listing now, where triageWay will ask it (and with the same
 * policy, so that it is then answered from this request or the cache): not when a cache is off (it
 * would be asked twice), nor when what is kept of the listing makes the top unneeded. Its failure is
 * met again, and reported, where triageWay asks.
 */
function askTopEarly(context: CollectorContext): void {
  const uri = sources.issueEvents.uri(context.repoPath);
  if (asksTop(context, uri, context.github.recall(keptKey(context, uri), shapeKeptEvents, Number.POSITIVE_INFINITY))) {
    context.github.firstPage(uri, sources.issueEvents.shape).catch(() => undefined);
  }
}

/** Whether triageWay prices the listing by its first page: with a cache (else it is read as without a token), and nothing kept that makes the top enough. */
function asksTop(context: CollectorContext, uri: string, kept: KeptEvents | undefined): boolean {
  return context.github.cacheEnabled && planNewestFirst(context, uri, kept, null) === 'walk';
}

/**
 * The cheaper way to read triage now, by what is left of each budget: the listing (from what was kept
 * of it: its top alone, a conditional request free with a token when nothing is new; else a request
 * per 100 events from its first page's `Link`, less the first page itself, had already, and what the
 * cache holds), plus where it looks cut short the timelines of every item; or every timeline (a point
 * per 100, less those kept and unchanged).
 */
async function triageWay(context: CollectorContext, items: readonly ListingItem[], budgets: () => Promise<BudgetsLeft>): Promise<Way> {
  const { github } = context;
  const uri = sources.issueEvents.uri(context.repoPath);
  const kept = github.recall(keptKey(context, uri), shapeKeptEvents, Number.POSITIVE_INFINITY);
  // Timelines read before: those of the items with new events are read on (a few, as a rule), not every one a comment moved.
  const readBefore = github.recall(timelinesSeenKey(context, uri), shapeNewestId, Number.POSITIVE_INFINITY) !== undefined;
  const points = timelinePoints(planTimelines(context, items, null, readBefore).threads);
  let rest = 0;
  let limited = kept?.limited === true;
  // Without a cache, the first page asked to price the listing would be asked again to walk it: the
  // listing is read then, as without a token (and past its reach, the timelines).
  if (!github.cacheEnabled) return 'rest';
  if (asksTop(context, uri, kept)) {
    const pages = Math.max(1, (await github.firstPage(uri, sources.issueEvents.shape)).pages);
    const { cached } = countCachedPages(github, planCache(context, sources.issueEvents.policy, uri), uri, pages);
    rest = pages - 1 - (cached - (github.freshness(uri) === 'absent' ? 0 : 1));
    limited = pages * perPage >= paginationLimitItems;
  }
  // Cut short, the listing's way reads every timeline too, for the events before its reach.
  const older = limited ? timelinePoints(planTimelines(context, items, kept?.reach ?? null).threads) : 0;
  const listing = { rest, points: older };
  const timelines = { rest: 0, points };
  const left = rest > 0 && points > 0 ? await budgets() : fullHour;
  // REST on a tie: it is the way without a token too.
  return shareOf(timelines, left) < shareOf(listing, left) ? 'graphql' : 'rest';
}

/**
 * Walks the listing from its top: down to the newest event `top` holds (what is new since), else as
 * far back as --since asks, else to its end; and adds what it finds to what was kept (`before`).
 */
async function walkEvents(context: CollectorContext, uri: string, top: KeptEvents | undefined, before: KeptEvents | undefined): Promise<KeptEvents> {
  const { since } = context;
  const listing = sources.issueEvents;
  const newestId = top?.newestId ?? null;
  const stopsAt = (page: readonly IssueEvent[]): boolean =>
    top !== undefined
      ? newestId !== null && page.some((event) => event.id <= newestId)
      : since !== null && page.some((event) => event.created_at !== undefined && event.created_at < since);
  // GitHub does not document the listing's order: a page that is not newest first stops nothing, and
  // the listing is then read to its end.
  let stopped = false;
  const until = (page: readonly IssueEvent[]): boolean => (stopped = isNewestFirst(page) && stopsAt(page));
  const everything = top === undefined && since === null;
  const progress = (pages: PageProgress): void => context.progress(listing.label, pages);
  const { items, truncated } = await context.github.walkListing(uri, listing.shape, progress, everything ? {} : { until });

  const byId = new Map((before?.events ?? []).map((event) => [event.id, event]));
  let newest = before?.newestId ?? null;
  let oldest: string | null = null;
  for (const event of items) {
    newest = newest === null ? event.id : Math.max(newest, event.id);
    if (event.created_at !== undefined && (oldest === null || event.created_at < oldest)) oldest = event.created_at;
    if (!triageEvents.has(event.event)) continue;
    const keptEvent: KeptEvent = { id: event.id, at: event.created_at ?? null };
    if (event.actor !== undefined) keptEvent.actor = event.actor;
    byId.set(event.id, keptEvent);
  }
  // How far back it all goes now: where GitHub stopped paging (nothing older can be had); the end of
  // the listing; where this walk stopped (what was kept before goes further, or --since).
  const reach: KeptReach = truncated
    ? { reach: oldest, limited: true }
    : !stopped
      ? { reach: null, limited: false }
      : top !== undefined
        ? { reach: top.reach, limited: top.limited }
        : { reach: since, limited: false };
  return { newestId: newest, ...reach, events: [...byId.values()].sort((a, b) => b.id - a.id) };
}

/** Newest first: no event made after the one before it. */
function isNewestFirst(page: readonly IssueEvent[]): boolean {
  return page.every((event, index) => {
    const previous = page[index - 1]?.created_at;
    return index === 0 || previous === undefined || event.created_at === undefined || event.created_at <= previous;
  });
}

/** What a run kept, checked again when read (a hand-edited cache must not crash the run). */
export function shapeKeptEvents(body: unknown): KeptEvents {
  if (!isRecord(body) || !Array.isArray(body.events) || typeof body.limited !== 'boolean') throw new ShapeError('not kept issue events');
  const { newestId, reach } = body;
  if (!(newestId === null || typeof newestId === 'number') || !(reach === null || typeof reach === 'string')) throw new ShapeError('not kept issue events');
  const events = body.events.map((value): KeptEvent => {
    if (!isRecord(value) || typeof value.id !== 'number' || !(value.at === null || typeof value.at === 'string')) throw new ShapeError('not a kept issue event');
    const event: KeptEvent = { id: value.id, at: value.at };
    const actor = toUserRef(value.actor);
    if (actor !== undefined) event.actor = actor;
    return event;
  });
  return { newestId, reach, limited: body.limited, events };
}
