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
 * read again from its start.
 * https://docs.github.com/graphql/guides/using-pagination-in-the-graphql-api
 */
import type { AccountType, Contribution, Kind, UserProfile } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import { isRecord } from '../github/shapes.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { keepNames, profilesOf } from './inline-names.js';
import type { ListingItem } from '../github/shapes.js';
import type { CollectorContext } from './types.js';
import type { ThreadConnection } from './thread-query.js';
import { perQuery, sharedVariables, threadsQuery } from './thread-query.js';

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
}

export interface Thread {
  number: number;
  pull: boolean;
  state: KeptThread;
  /** Read on from a reading of an earlier `updated_at`: to be checked against `totalCount`. */
  continued: boolean;
}

interface ThreadPage {
  total: number;
  more: boolean;
  after: string | null;
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
    else if (next !== 'done' && next !== 'skip') threads.push({ number, pull: item.pull_request !== undefined, ...next });
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
  for (let open = threads; open.length > 0; open = open.filter((thread) => thread.state.more)) {
    await askInBatches(github, open, plan, async (batch, splittable) => {
      const variables = Object.fromEntries([
        ['owner', owner],
        ['name', name],
        ...Object.entries(sharedVariables(batch, connection)),
        ...batch.flatMap((thread, index) => [
          [`n${index}`, thread.number],
          [`c${index}`, thread.state.after],
        ]),
      ]);
      const query = threadsQuery(batch, connection);
      const answer = await github.postGraphQL({ name: connection.operation, query, variables, cacheKey: null, splittable }, shapeThreads(batch.map((thread) => thread.number), connection));
      const named = answer.flatMap((page) => page?.profiles ?? []);
      profiles.push(...named);
      batch.forEach((thread, index) => {
        const page = answer[index] ?? null;
        thread.state = page === null ? { ...thread.state, more: false } : readOn(thread, page, restarted);
      });
      // All in one go, so that they reach the cache in one write: a run killed now finds this page
      // of each thread read whole or not at all.
      const readAt = github.now();
      for (const thread of batch) parts.keep(threadKey(context.repoPath, connection, thread.number), (thread.state = { ...thread.state, readAt }));
      keepNames(github, named);
      queries += 1;
      pagesKnown = Math.max(pagesKnown, queries);
      context.progress(connection.label, { pagesDone: queries, pagesKnown });
    });
  }
  return profiles;
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

/** A thread after one more page; a continued thread that no longer adds up is read again from its start (once a run). */
function readOn(thread: Thread, page: ThreadPage, restarted: Set<number>): KeptThread {
  const { state } = thread;
  const authors = addAuthors(state.authors, page.authors);
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

function addAuthors(counts: AuthorCounts, authors: readonly NodeAuthor[]): AuthorCounts {
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

/**
 * The `t0`… aliases, for the items `numbers` in that order. An item GitHub cannot resolve (deleted
 * since it was listed) is null with a NOT_FOUND error: no comments (null here). Null for any other
 * reason is an error, not "no comments", so that it is not kept as such.
 */
export function shapeThreads(numbers: readonly number[], connection: ThreadConnection): (json: unknown) => Array<ThreadPage | null> {
  return (json) => {
    const data = isRecord(json) ? json.data : undefined;
    const repository = isRecord(data) ? data.repository : undefined;
    if (!isRecord(repository)) throw new ShapeError('the repository was not found');
    const notFound = new Set<string>();
    for (const error of graphqlErrors(json)) {
      if (error.type === 'NOT_FOUND' && Array.isArray(error.path) && error.path[0] === 'repository' && typeof error.path[1] === 'string') notFound.add(error.path[1]);
    }
    return numbers.map((number, index) => {
      const alias = `t${index}`;
      const item = repository[alias];
      if (item === null && notFound.has(alias)) return null;
      if (!isRecord(item)) throw new ShapeError(`issue ${number} is missing from the answer`);
      return shapePage(item[connection.field], `issue ${number} ${connection.field}`, connection);
    });
  };
}

function shapePage(value: unknown, where: string, connection: ThreadConnection): ThreadPage {
  if (!isRecord(value) || !Array.isArray(value.nodes) || !isRecord(value.pageInfo)) throw new ShapeError(`${where} is not a connection`);
  const total = value.totalCount;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError(`${where}.totalCount is not a count`);
  const { hasNextPage, endCursor } = value.pageInfo;
  if (hasNextPage === true && typeof endCursor !== 'string') throw new ShapeError(`${where} has a next page but no cursor`);
  return {
    total,
    more: hasNextPage === true,
    after: typeof endCursor === 'string' ? endCursor : null,
    authors: value.nodes.filter(isRecord).map((node) => connection.readNode(node, where)),
    profiles: profilesOf(value.nodes),
  };
}

export function shapeKeptThread(body: unknown): KeptThread {
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || typeof body.more !== 'boolean' || !Array.isArray(body.authors)) throw new ShapeError('not a kept thread');
  const seen = body.seen;
  if (typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 0) throw new ShapeError('not a kept thread');
  if (!(typeof body.after === 'string' || body.after === null)) throw new ShapeError('not a kept thread');
  const authors: AuthorCounts = [];
  for (const entry of body.authors) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '' || typeof entry[2] !== 'number' || !Number.isSafeInteger(entry[2]) || entry[2] < 1) throw new ShapeError('not a kept thread');
    const type: AccountType = entry[1] === 'Bot' || entry[1] === 'Organization' ? entry[1] : 'User';
    const at: unknown = entry[3];
    if (!(at === undefined || typeof at === 'string')) throw new ShapeError('not a kept thread');
    authors.push(at === undefined ? [entry[0], type, entry[2]] : [entry[0], type, entry[2], at]);
  }
  const kept: KeptThread = { updatedAt: body.updatedAt, seen, after: body.after, more: body.more, authors };
  if (typeof body.readAt === 'number') kept.readAt = body.readAt;
  return kept;
}
