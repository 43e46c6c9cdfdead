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
 * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository
 */
import type { PageProgress } from '../github/helper.js';
import { ShapeError } from '../github/helper.js';
import type { IssueEvent, ListingItem, UserRef } from '../github/shapes.js';
import { isRecord, toUserRef } from '../github/shapes.js';
import type { KeptReach } from './cache-policy.js';
import { keptKey, planNewestFirst } from './cache-policy.js';
import { countAuthors } from './listing.js';
import { triageEvents } from '../domain/triage-events.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

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

export async function collectTriage(context: CollectorContext): Promise<CollectorResult> {
  const { github, since } = context;
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
  const counted = kept.events.filter((event) => since === null || (event.at !== null && event.at >= since));
  const items = counted.map((event): ListingItem => (event.actor === undefined ? { id: event.id } : { id: event.id, user: event.actor }));
  // Past GitHub's pagination limit, older events cannot be reached at all.
  const complete = !kept.limited || (since !== null && kept.reach !== null && since >= kept.reach);
  if (!complete) {
    context.warn(`${context.fullName}: GitHub stops listing issue events ${kept.reach === null ? 'early' : `before ${kept.reach}`}; triage older than that could not be reached`);
  }
  return { contributions: countAuthors(context, sources.issueEvents.label, items, 'triage'), complete };
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
