/**
 * `comment` through GraphQL: each issue's and pull request's conversation, asked by number, the first
 * 100 comments of 100 items a query, and the threads longer than that continued in rounds
 * (read-threads.ts). The REST listing of the same items says how many comments each holds (none: not
 * asked) and when it last changed (a new comment changes it): a refresh asks only the threads that
 * changed, each from where it got to.
 * https://docs.github.com/graphql/reference/objects#issuecomment
 */
import { ghostLogin } from '../domain/contribution.js';
import type { ListingItem } from '../github/shapes.js';
import { pagesFor, threadPoints } from './cost-plan.js';
import type { AuthorCounts, Thread } from './read-threads.js';
import { countTallies, fresh, planEachThread, readThreads } from './read-threads.js';
import type { ThreadConnection } from './thread-query.js';
import { perQuery } from './thread-query.js';
import { authorWithName } from './inline-names.js';
import { toAuthor } from './reviews.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

const commentFields = authorWithName;

/** `comment`: the conversation of an issue or pull request. */
export const commentsConnection: ThreadConnection = {
  operation: 'Comments',
  field: 'comments',
  arguments: () => '',
  countOf: (item) => item.comments,
  nodeType: () => 'IssueComment',
  nodes: () => commentFields,
  readNode: (node) => toAuthor(node.author) ?? { login: ghostLogin, type: 'User' },
  part: 'comments',
  label: sources.threads.label,
};

/** The threads of `items` still to read, and what is known of the rest, from what is kept. */
export function planThreads(context: Pick<CollectorContext, 'github' | 'repoPath'>, items: readonly ListingItem[]): { threads: Thread[]; done: AuthorCounts[] } {
  return planEachThread(context, commentsConnection, items, (item, kept) => {
    const updatedAt = item.updated_at ?? '';
    // `updated_at` is to the second: a comment made in the second the thread was read leaves it as
    // it was, but not the listing's count of comments (of a thread under way from both ends, the
    // count its reading began with).
    const unchanged = kept !== undefined && updatedAt !== '' && kept.updatedAt === updatedAt && (item.comments === undefined || item.comments === (kept.total ?? kept.seen));
    if (kept !== undefined && unchanged && !kept.more) return 'done';
    if (item.comments === 0) return 'skip';
    if (kept !== undefined && unchanged) return { state: kept, continued: false };
    // Read on from where it got to, unless it was under way from both ends (thread-ends.ts): then anew.
    if (kept !== undefined && kept.seen > 0 && kept.back === undefined) return { state: { ...kept, updatedAt, more: true }, continued: true };
    return { state: fresh(updatedAt), continued: false };
  });
}

/** GraphQL points the threads still to read take, from the comments the listing says each holds. */
export function pointsToRead(threads: readonly Thread[], items: readonly ListingItem[]): number {
  const counts = new Map(items.map((item) => [item.number, item.comments]));
  return threadPoints(
    threads.map(({ number, state }) => Math.max(1, pagesFor(counts.get(number) ?? perQuery, state.seen + (state.back?.seen ?? 0)))),
    perQuery,
    true,
  );
}

/** `items`: the repository's issues and pull requests, whole (the REST listing). */
export async function collectThreads(context: CollectorContext, items: readonly ListingItem[]): Promise<CollectorResult> {
  const { threads, done } = planThreads(context, items);
  const profiles = await readThreads(context, commentsConnection, threads, pointsToRead(threads, items));
  return { contributions: countTallies([...done, ...threads.map((thread) => thread.state.authors)], 'comment'), complete: true, profiles };
}
