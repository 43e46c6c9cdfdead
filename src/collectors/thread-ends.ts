/**
 * A long thread read from both ends at once. Its pages follow one another by cursor, so a thread of
 * p pages read from its start takes p rounds one after the other (the busiest of a chatty repository,
 * 110). Where its length is known (the listing's count, then each page's `totalCount`), each round asks
 * a page from the start (`first: 100, after`) and one from the end (`last: n, before`), in the same
 * query as the other threads' (an alias is 1 request, whichever end): p / 2 rounds, and fewer points
 * in the rounds that hold only the longest threads. The two meet exactly: the page from the end asks
 * no more than is left past the next page from the start, and the last page from the start no more
 * than is left between them.
 *
 * The count must hold while the thread is read: a page whose `totalCount` is not the one the reading
 * began with (a comment made or deleted meanwhile), or counts that no longer add up, reads the thread
 * again from its start, from the start alone for the rest of the run. A thread read on from a reading
 * of an earlier `updated_at` (continued) is read from its start alone, as before: nodes may have gone
 * from the part already read.
 * https://docs.github.com/graphql/guides/using-pagination-in-the-graphql-api
 */
import type { KeptThread, Thread, ThreadPage } from './read-threads.js';
import { addAuthors, fresh } from './read-threads.js';
import { perQuery } from './thread-query.js';

/** One page of a thread to ask in a round. */
export interface PageAsk {
  thread: Thread;
  backward: boolean;
  size: number;
}

/** The pages of `thread` to ask this round (none once it is read); `fromStartOnly`: read from its start alone. */
export function asksOf(thread: Thread, fromStartOnly: boolean): PageAsk[] {
  const { state } = thread;
  if (!state.more) return [];
  const forward = (size: number): PageAsk => ({ thread, backward: false, size });
  // Under way from both ends, its count is kept with it; else the listing's, unless it is read from its start alone.
  const total = state.total ?? thread.count;
  if (total === undefined || (state.back === undefined && (fromStartOnly || thread.continued))) return [forward(perQuery)];
  const left = total - state.seen - (state.back?.seen ?? 0);
  // The two ends met (or passed each other): nothing to ask, settle says which.
  if (state.back !== undefined && left <= 0) return [];
  if (left > perQuery) {
    thread.state = { ...state, total, back: state.back ?? { seen: 0, before: null, end: null } };
    return [forward(perQuery), { thread, backward: true, size: Math.min(perQuery, left - perQuery) }];
  }
  // What is left, between the two ends read so far (from the start alone: a page, whose `hasNextPage` says).
  return [forward(state.back === undefined ? perQuery : Math.max(1, left))];
}

/** The thread after a page from its end (the first of which names the thread's last node). */
export function readBack(thread: Thread, page: ThreadPage): KeptThread {
  const { state } = thread;
  const back = state.back ?? { seen: 0, before: null, end: null };
  if (state.total !== undefined && page.total !== state.total) thread.mismatch = true;
  const end = back.before === null ? page.after : back.end;
  return { ...state, authors: addAuthors(state.authors, page.authors), back: { seen: back.seen + page.authors.length, before: page.before ?? back.before, end }, more: true };
}

/**
 * After a round, a thread read from both ends: read whole once the two meet, and kept then as if read
 * from its start to its last node (a refresh reads on from there); read again from its start (alone)
 * where its count did not hold. Says whether its state changed.
 */
export function settle(thread: Thread, fromStartOnly: Set<number>): boolean {
  const { state } = thread;
  if (state.back === undefined || state.total === undefined || !state.more) return false;
  const left = state.total - state.seen - state.back.seen;
  if (thread.mismatch === true || left < 0) {
    thread.mismatch = false;
    fromStartOnly.add(thread.number);
    thread.state = fresh(state.updatedAt);
    return true;
  }
  if (left > 0) return false;
  const { back, total: _total, ...read } = state;
  thread.state = { ...read, seen: state.seen + back.seen, after: back.end ?? state.after, more: false };
  return true;
}
