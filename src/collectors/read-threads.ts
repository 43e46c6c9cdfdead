/**
 * A connection of every issue and pull request read through GraphQL thread by thread (`comment`: each
 * one's conversation, collectors/comments.ts; `triage`: each one's timeline, collectors/timelines.ts),
 * asked by number, the first 100 nodes of 100 items a query (100 connections of 100 = 1 point), and
 * the threads longer than that continued in rounds, the next page of up to 100 threads a query, each
 * from its own cursor.
 *
 * Each thread is kept on its own, with the `updated_at` it was read at, the cursor it got to and its
 * authors counted: a refresh asks only the threads that changed, each from where it got to, and a run
 * stopped half-way (a kill, a rate limit) goes on from the last page it had. A thread continued from
 * what was kept is checked against its `totalCount` once read: if nodes went away meanwhile, it is
 * read again from its start. A long thread whose length is known is read from both ends at once
 * (thread-ends.ts).
 * https://docs.github.com/graphql/guides/using-pagination-in-the-graphql-api
 */
import type { AccountType, Contribution, Kind, UserProfile } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { keepNames } from './inline-names.js';
import type { ListingItem } from '../github/shapes.js';
import type { CollectorContext } from './types.js';
import type { PageAsk } from './thread-ends.js';
import { asksOf, readBack, settle } from './thread-ends.js';
import type { ThreadConnection } from './thread-query.js';
import { perQuery, sharedVariables, threadsQuery } from './thread-query.js';
import { shapeKeptThread, shapeThreads } from './thread-shapes.js';

export { shapeKeptThread } from './thread-shapes.js';

/**
 * Authors of a thread's nodes read so far: login, account type, how many; and, for a connection
 * counted by date, when (one entry per person and second).
 */
export type AuthorCounts = Array<[string, AccountType, number] | [string, AccountType, number, string]>;

/** A node's person, and when it was made (for a connection counted by date). */
export interface NodeAuthor {
  login: string;
  type: AccountType;
  at?: string;
}

/** One thread as kept between runs (and between rounds). */
export interface KeptThread {
  /** The item's `updated_at` this reading is of. */
  updatedAt: string;
  /** Comments read so far. */
  seen: number;
  /** The cursor after the last comment read (null: none read yet). */
  after: string | null;
  /** Pages are left to read. */
  more: boolean;
  authors: AuthorCounts;
  /** When its last page was read, by the helper's clock. */
  readAt?: number;
  /**
   * Read from both ends, under way (thread-ends.ts): the `totalCount` the reading began with; what
   * was read from the end, back to which cursor, and the cursor of the thread's last node.
   */
  total?: number;
  back?: { seen: number; before: string | null; end: string | null };
}

export interface Thread {
  number: number;
  pull: boolean;
  state: KeptThread;
  /** Read on from a reading of an earlier `updated_at`: to be checked against `totalCount`. */
  continued: boolean;
  /** How many nodes it holds, as far as known (the listing's count, then its pages' `totalCount`). */
  count?: number;
  /** In this round, a page's `totalCount` was not the one the reading from both ends began with. */
  mismatch?: boolean;
}

export interface ThreadPage {
  total: number;
  more: boolean;
  after: string | null;
  /** A page asked from the end: the cursor before its first node. */
  before: string | null;
  authors: NodeAuthor[];
  /** The authors' display names the page carries (inline-names.ts). */
  profiles: UserProfile[];
}

/** What to do with an item's thread: read it (from `state`), count what is kept of it, or leave it out. */
export type ThreadPlan = { state: KeptThread; continued: boolean } | 'done' | 'skip';

/** The threads of `items` still to read, and the tallies of those kept and done, as `plan` says of each from what is kept of it. */
export function planEachThread(
  context: Pick<CollectorContext, 'github' | 'repoPath'>,
  connection: ThreadConnection,
  items: readonly ListingItem[],
  plan: (item: ListingItem, kept: KeptThread | undefined) => ThreadPlan,
): { threads: Thread[]; done: AuthorCounts[] } {
  const parts = keptParts(context.github, shapeKeptThread, Number.POSITIVE_INFINITY);
  const threads: Thread[] = [];
  const done: AuthorCounts[] = [];
  for (const item of items) {
    const { number } = item;
    if (number === undefined || !Number.isSafeInteger(number) || number < 1) continue;
    const kept = parts.recall(threadKey(context.repoPath, connection, number));
    const next = plan(item, kept);
    if (next === 'done' && kept !== undefined) done.push(kept.authors);
    else if (next !== 'done' && next !== 'skip') {
      const count = connection.countOf?.(item);
      threads.push({ number, pull: item.pull_request !== undefined, ...next, ...(count === undefined ? {} : { count }) });
    }
  }
  return { threads, done };
}

/**
 * Reads `threads` to their ends, in rounds (`known`: the points that will take, as far as known),
 * each page kept as it comes; gives the display names the answers carried (inline-names.ts).
 */
export async function readThreads(context: CollectorContext, connection: ThreadConnection, threads: readonly Thread[], known: number): Promise<UserProfile[]> {
  const { github } = context;
  const { owner, repo: name } = splitFullName(context.fullName);
  const parts = keptParts(github, shapeKeptThread, Number.POSITIVE_INFINITY);
  const restarted = new Set<number>();
  const profiles: UserProfile[] = [];
  let queries = 0;
  let pagesKnown = known;
  const plan = { largest: perQuery, sizeKey: `${context.repoPath}/graphql/batch-size/${connection.part}`, otherWay: true };
  context.progress(connection.label, { pagesDone: 0, pagesKnown: Math.max(1, pagesKnown) });
  const keep = (thread: Thread): void => parts.keep(threadKey(context.repoPath, connection, thread.number), thread.state);
  for (let open = threads; open.length > 0; open = open.filter((thread) => thread.state.more)) {
    const asks = open.flatMap((thread) => asksOf(thread, restarted.has(thread.number)));
    await askInBatches(github, asks, plan, async (batch, splittable) => {
      const variables = Object.fromEntries([
        ['owner', owner],
        ['name', name],
        ...Object.entries(sharedVariables(batch.map(({ thread }) => thread), connection)),
        ...batch.flatMap(({ thread, backward }, index) => [
          [`n${index}`, thread.number],
          [`c${index}`, backward ? (thread.state.back?.before ?? null) : thread.state.after],
        ]),
      ]);
      const query = threadsQuery(batch.map(({ thread, backward, size }) => ({ pull: thread.pull, backward, size })), connection);
      const answer = await github.postGraphQL({ name: connection.operation, query, variables, cacheKey: null, splittable }, shapeThreads(batch.map(({ thread }) => thread.number), connection));
      const named = answer.flatMap((page) => page?.profiles ?? []);
      profiles.push(...named);
      batch.forEach((ask, index) => readPage(ask, answer[index] ?? null, restarted));
      // All in one go, so that they reach the cache in one write: a run killed now finds this page
      // of each thread read whole or not at all.
      const readAt = github.now();
      for (const { thread } of batch) {
        thread.state = { ...thread.state, readAt };
        keep(thread);
      }
      keepNames(github, named);
      queries += 1;
      pagesKnown = Math.max(pagesKnown, queries);
      context.progress(connection.label, { pagesDone: queries, pagesKnown });
    });
    for (const thread of open) if (settle(thread, restarted)) keep(thread);
  }
  return profiles;
}

/** A page of `ask.thread` read (null: the item is gone, and nothing more is to be read of it). */
function readPage({ thread, backward }: PageAsk, page: ThreadPage | null, restarted: Set<number>): void {
  if (page === null) {
    const { back: _back, total: _total, ...state } = thread.state;
    thread.state = { ...state, more: false };
    return;
  }
  if (thread.count !== undefined) thread.count = page.total;
  thread.state = backward ? readBack(thread, page) : readOn(thread, page, restarted);
}

/** One contribution of `kind` per person, from the tallies of several threads; `counts(at)` says which dated entries count. */
export function countTallies(tallies: readonly AuthorCounts[], kind: Kind, counts: (at: string | undefined) => boolean = () => true): Contribution[] {
  const byLogin = new Map<string, Contribution>();
  for (const authors of tallies) {
    for (const [login, type, count, at] of authors) {
      if (!counts(at)) continue;
      const existing = byLogin.get(login.toLowerCase());
      if (existing) existing.count += count;
      else byLogin.set(login.toLowerCase(), { who: { login, type }, kind, count });
    }
  }
  return [...byLogin.values()];
}

/**
 * A thread after one more page from its start; a continued thread that no longer adds up is read
 * again from its start (once a run). Read from both ends, the counts say when it is whole (settle).
 */
function readOn(thread: Thread, page: ThreadPage, restarted: Set<number>): KeptThread {
  const { state } = thread;
  const authors = addAuthors(state.authors, page.authors);
  if (state.back !== undefined && state.total !== undefined) {
    const seen = state.seen + page.authors.length;
    // No page after this one, yet the two ends have not met: the count did not hold.
    if (page.total !== state.total || (!page.more && seen + state.back.seen < state.total)) thread.mismatch = true;
    return { ...state, seen, after: page.after ?? state.after, more: true, authors };
  }
  const next: KeptThread = { updatedAt: state.updatedAt, seen: state.seen + page.authors.length, after: page.after ?? state.after, more: page.more, authors };
  if (!next.more && thread.continued && next.seen !== page.total && !restarted.has(thread.number)) {
    restarted.add(thread.number);
    thread.continued = false;
    return fresh(state.updatedAt);
  }
  return next;
}

export function fresh(updatedAt: string): KeptThread {
  return { updatedAt, seen: 0, after: null, more: true, authors: [] };
}

export function addAuthors(counts: AuthorCounts, authors: readonly NodeAuthor[]): AuthorCounts {
  const result: AuthorCounts = counts.map((entry) => [...entry]);
  const keyOf = (login: string, at: string | undefined): string => (at === undefined ? login.toLowerCase() : `${login.toLowerCase()} ${at}`);
  const index = new Map(result.map((entry, position) => [keyOf(entry[0], entry[3]), position]));
  for (const { login, type, at } of authors) {
    const position = index.get(keyOf(login, at));
    const entry = position === undefined ? undefined : result[position];
    if (entry) entry[2] += 1;
    else {
      index.set(keyOf(login, at), result.length);
      result.push(at === undefined ? [login, type, 1] : [login, type, 1, at]);
    }
  }
  return result;
}

export function threadKey(repoPath: string, connection: ThreadConnection, number: number): string {
  return `${repoPath}/graphql/${connection.part}/${number}`;
}
