/**
 * `triage` through GraphQL: each issue's and pull request's timeline, its curating events alone
 * (`timelineItems(itemTypes: [LABELED_EVENT, …])`), read thread by thread as comments are
 * (read-threads.ts), each event's actor kept with when it acted. collectors/triage.ts reads them in
 * two cases: past the reach of the REST listing of events (GitHub stops paging it after about 40,000),
 * for the events made before it, which the listing could not reach; and, where
 * that is cheaper than the listing, every timeline instead of it.
 * https://docs.github.com/graphql/reference/objects#issue (`timelineItems`)
 */
import { ghostLogin } from '../domain/contribution.js';
import { triageTimelineTypes } from '../domain/triage-events.js';
import { ShapeError } from '../github/helper.js';
import type { ListingItem } from '../github/shapes.js';
import { threadPoints } from './cost-plan.js';
import type { AuthorCounts, KeptThread, Thread } from './read-threads.js';
import type { ThreadConnection } from './thread-query.js';
import { fresh, planEachThread, readThreads, shapeKeptThread, threadKey } from './read-threads.js';
import { keptParts } from './cache-policy.js';
import { toAuthor } from './reviews.js';
import { sources } from './sources.js';
import type { CollectorContext } from './types.js';

/** `LabeledEvent` → `LABELED_EVENT`: the `itemTypes` value that names it. */
const itemType = (type: string): string => type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** Every type has its own `actor` (an `Actor`, null for a deleted account) and `createdAt`: no interface holds them. */
export const timelinesConnection: ThreadConnection = {
  operation: 'Timelines',
  field: 'timelineItems',
  arguments: (pull) => `itemTypes: $${pull ? 'pullRequestItemTypes' : 'issueItemTypes'}`,
  shared: (pull) => [
    { name: pull ? 'pullRequestItemTypes' : 'issueItemTypes', type: pull ? '[PullRequestTimelineItemsItemType!]' : '[IssueTimelineItemsItemType!]', value: triageTimelineTypes(pull).map(itemType) },
  ],
  nodeType: (pull) => (pull ? 'PullRequestTimelineItems' : 'IssueTimelineItems'),
  nodes: (pull) => `__typename ${triageTimelineTypes(pull).map((type) => `... on ${type} { actor { __typename login } createdAt }`).join(' ')}`,
  readNode: (node, where) => {
    if (typeof node.createdAt !== 'string') throw new ShapeError(`${where}: an event without createdAt`);
    return { ...(toAuthor(node.actor) ?? { login: ghostLogin, type: 'User' }), at: node.createdAt };
  },
  part: 'timelines',
  label: sources.timelines.label,
};

/**
 * The timelines of `items` still to read, and the tallies of the rest. A kept reading stands while the
 * item's `updated_at` is the one it was read at (a label, an assignee, a close moves it) and it is not
 * marked to be read on (markToReadOn); with `reach`, while it was read after the reach: the events
 * made before a date change only by deletion. With `marked`, the items with new events have all been
 * marked to be read on (the top of the events listing named them): every other reading stands, though
 * a comment moved its item's `updated_at`.
 */
export function planTimelines(context: Pick<CollectorContext, 'github' | 'repoPath'>, items: readonly ListingItem[], reach: string | null, marked = false): { threads: Thread[]; done: AuthorCounts[] } {
  const reachMs = reach === null ? null : Date.parse(reach);
  const stands = (kept: KeptThread, updatedAt: string): boolean =>
    reachMs !== null ? kept.readAt !== undefined && kept.readAt >= reachMs : marked || (updatedAt !== '' && kept.updatedAt === updatedAt);
  return planEachThread(context, timelinesConnection, items, (item, kept) => {
    const updatedAt = item.updated_at ?? '';
    if (kept === undefined) return { state: fresh(updatedAt), continued: false };
    if (kept.more) return { state: kept, continued: false };
    if (stands(kept, updatedAt)) return 'done';
    // New events come at the end of a timeline: read on from where it got to.
    return { state: { ...kept, updatedAt, more: true }, continued: kept.seen > 0 };
  });
}

/** Points the timelines still to read take: a page each at least (the REST listing does not say how many events each holds). */
export function timelinePoints(threads: readonly Thread[]): number {
  return threadPoints(threads.map(() => 1));
}

/** The tallies of the timelines of `items` (see planTimelines), read to their ends. */
export async function readTimelines(context: CollectorContext, items: readonly ListingItem[], reach: string | null, marked = false): Promise<AuthorCounts[]> {
  const { threads, done } = planTimelines(context, items, reach, marked);
  await readThreads(context, timelinesConnection, threads, timelinePoints(threads));
  return [...done, ...threads.map((thread) => thread.state.authors)];
}

/**
 * Marks the kept timelines of the items `numbers` to be read on from where they got to (they have new
 * events that did not move their `updated_at`), before what told so is forgotten.
 */
export function markToReadOn(context: Pick<CollectorContext, 'github' | 'repoPath'>, numbers: Iterable<number>): void {
  const parts = keptParts(context.github, shapeKeptThread, Number.POSITIVE_INFINITY);
  for (const number of numbers) {
    const key = threadKey(context.repoPath, timelinesConnection, number);
    const kept = parts.recall(key);
    if (kept !== undefined && !kept.more) parts.keep(key, { ...kept, more: true });
  }
}
