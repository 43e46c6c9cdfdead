/**
 * `comment` through GraphQL: each issue's and pull request's conversation, asked by number, the first
 * 100 comments of 100 items a query (100 connections of 100 = 1 point), and the threads longer than
 * that continued in rounds, the next page of up to 100 threads a query, each from its own cursor.
 * The REST listing of the same items says how many comments each holds (none: not asked) and when it
 * last changed (a new comment changes it).
 *
 * Each thread is kept on its own, with the `updated_at` it was read at, the cursor it got to and its
 * authors counted: a refresh asks only the threads that changed, each from where it got to, and a run
 * stopped half-way (a kill, a rate limit) goes on from the last page it had. A thread continued from
 * what was kept is checked against its `totalCount` once read: if comments went away meanwhile, it
 * is read again from its start.
 * https://docs.github.com/graphql/reference/objects#issuecomment
 */
import type { AccountType, Contribution, UserProfile } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import type { ListingItem } from '../github/shapes.js';
import { isRecord } from '../github/shapes.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { authorWithName, keepNames, profilesOf } from './inline-names.js';
import { pagesFor, threadPoints } from './cost-plan.js';
import { toAuthor } from './reviews.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

const perQuery = 100;
const commentFields = `totalCount pageInfo { hasNextPage endCursor } nodes { ${authorWithName} }`;

/** Authors of a thread's comments read so far: login, account type, comments. */
type AuthorCounts = Array<[string, AccountType, number]>;

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
}

interface Thread {
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
  authors: Array<{ login: string; type: AccountType }>;
  /** The authors' display names the page carries (inline-names.ts). */
  profiles: UserProfile[];
}

/** The next page of each thread, under aliases `t0`…: numbers in `$n0`…, cursors in `$c0`… (null: the first page). */
export function threadsQuery(threads: ReadonlyArray<{ pull: boolean }>): string {
  const declared = threads.map((_, index) => `$n${index}: Int!, $c${index}: String`).join(', ');
  const aliases = threads.map(({ pull }, index) => `    t${index}: ${pull ? 'pullRequest' : 'issue'}(number: $n${index}) { comments(first: ${perQuery}, after: $c${index}) { ${commentFields} } }`);
  return `query Comments($owner: String!, $name: String!, ${declared}) {
  repository(owner: $owner, name: $name) {
${aliases.join('\n')}
  }
  rateLimit { cost remaining resetAt }
}`;
}

/** The threads of `items` still to read, and what is known of the rest, from what is kept. */
export function planThreads(context: Pick<CollectorContext, 'github' | 'repoPath'>, items: readonly ListingItem[]): { threads: Thread[]; done: AuthorCounts[] } {
  const parts = keptParts(context.github, shapeKeptThread, Number.POSITIVE_INFINITY);
  const threads: Thread[] = [];
  const done: AuthorCounts[] = [];
  for (const item of items) {
    const { number, updated_at: updatedAt = '' } = item;
    if (number === undefined || !Number.isSafeInteger(number) || number < 1) continue;
    const kept = parts.recall(threadKey(context.repoPath, number));
    // `updated_at` is to the second: a comment made in the second the thread was read leaves it as
    // it was, but not the listing's count of comments.
    const unchanged = kept !== undefined && updatedAt !== '' && kept.updatedAt === updatedAt && (item.comments === undefined || item.comments === kept.seen);
    if (kept !== undefined && unchanged && !kept.more) {
      done.push(kept.authors);
      continue;
    }
    if (item.comments === 0) continue;
    const pull = item.pull_request !== undefined;
    if (kept !== undefined && unchanged) threads.push({ number, pull, state: kept, continued: false });
    else if (kept !== undefined && kept.seen > 0) threads.push({ number, pull, state: { ...kept, updatedAt, more: true }, continued: true });
    else threads.push({ number, pull, state: fresh(updatedAt), continued: false });
  }
  return { threads, done };
}

/** GraphQL points the threads still to read take, from the comments the listing says each holds. */
export function pointsToRead(threads: readonly Thread[], items: readonly ListingItem[]): number {
  const counts = new Map(items.map((item) => [item.number, item.comments]));
  return threadPoints(threads.map(({ number, state }) => Math.max(1, pagesFor(counts.get(number) ?? perQuery, state.seen))));
}

/** `items`: the repository's issues and pull requests, whole (the REST listing). */
export async function collectThreads(context: CollectorContext, items: readonly ListingItem[]): Promise<CollectorResult> {
  const { github } = context;
  const { owner, repo: name } = splitFullName(context.fullName);
  const parts = keptParts(github, shapeKeptThread, Number.POSITIVE_INFINITY);
  const { threads, done } = planThreads(context, items);
  const restarted = new Set<number>();
  const profiles: UserProfile[] = [];
  let queries = 0;
  let known = pointsToRead(threads, items);
  const plan = { largest: perQuery, sizeKey: `${context.repoPath}/graphql/batch-size/comments`, otherWay: true };
  context.progress(sources.threads.label, { pagesDone: 0, pagesKnown: Math.max(1, known) });
  for (let open = threads; open.length > 0; open = open.filter((thread) => thread.state.more)) {
    await askInBatches(github, open, plan, async (batch, splittable) => {
      const variables = Object.fromEntries([
        ['owner', owner],
        ['name', name],
        ...batch.flatMap((thread, index) => [
          [`n${index}`, thread.number],
          [`c${index}`, thread.state.after],
        ]),
      ]);
      const answer = await github.postGraphQL({ name: 'Comments', query: threadsQuery(batch), variables, cacheKey: null, splittable }, shapeThreads(batch.map((thread) => thread.number)));
      const named = answer.flatMap((page) => page?.profiles ?? []);
      profiles.push(...named);
      batch.forEach((thread, index) => {
        const page = answer[index] ?? null;
        thread.state = page === null ? { ...thread.state, more: false } : readOn(thread, page, restarted);
      });
      // All in one go, so that they reach the cache in one write: a run killed now finds this page
      // of each thread read whole or not at all.
      for (const thread of batch) parts.keep(threadKey(context.repoPath, thread.number), thread.state);
      keepNames(github, named);
      queries += 1;
      known = Math.max(known, queries);
      context.progress(sources.threads.label, { pagesDone: queries, pagesKnown: known });
    });
  }
  const byLogin = new Map<string, Contribution>();
  for (const authors of [...done, ...threads.map((thread) => thread.state.authors)]) {
    for (const [login, type, count] of authors) {
      const existing = byLogin.get(login.toLowerCase());
      if (existing) existing.count += count;
      else byLogin.set(login.toLowerCase(), { who: { login, type }, kind: 'comment', count });
    }
  }
  return { contributions: [...byLogin.values()], complete: true, profiles };
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

function fresh(updatedAt: string): KeptThread {
  return { updatedAt, seen: 0, after: null, more: true, authors: [] };
}

function addAuthors(counts: AuthorCounts, authors: ReadonlyArray<{ login: string; type: AccountType }>): AuthorCounts {
  const result: AuthorCounts = counts.map(([login, type, count]) => [login, type, count]);
  const index = new Map(result.map((entry, position) => [entry[0].toLowerCase(), position]));
  for (const { login, type } of authors) {
    const position = index.get(login.toLowerCase());
    const entry = position === undefined ? undefined : result[position];
    if (entry) entry[2] += 1;
    else {
      index.set(login.toLowerCase(), result.length);
      result.push([login, type, 1]);
    }
  }
  return result;
}

function threadKey(repoPath: string, number: number): string {
  return `${repoPath}/graphql/comments/${number}`;
}

/**
 * The `t0`… aliases, for the items `numbers` in that order. An item GitHub cannot resolve (deleted
 * since it was listed) is null with a NOT_FOUND error: no comments (null here). Null for any other
 * reason is an error, not "no comments", so that it is not kept as such.
 */
export function shapeThreads(numbers: readonly number[]): (json: unknown) => Array<ThreadPage | null> {
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
      return shapePage(item.comments, `issue ${number} comments`);
    });
  };
}

function shapePage(value: unknown, where: string): ThreadPage {
  if (!isRecord(value) || !Array.isArray(value.nodes) || !isRecord(value.pageInfo)) throw new ShapeError(`${where} is not a connection`);
  const total = value.totalCount;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError(`${where}.totalCount is not a count`);
  const { hasNextPage, endCursor } = value.pageInfo;
  if (hasNextPage === true && typeof endCursor !== 'string') throw new ShapeError(`${where} has a next page but no cursor`);
  return {
    total,
    more: hasNextPage === true,
    after: typeof endCursor === 'string' ? endCursor : null,
    authors: value.nodes.filter(isRecord).map((node) => toAuthor(node.author) ?? { login: ghostLogin, type: 'User' }),
    profiles: profilesOf(value.nodes),
  };
}

function shapeKeptThread(body: unknown): KeptThread {
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || typeof body.more !== 'boolean' || !Array.isArray(body.authors)) throw new ShapeError('not a kept thread');
  const seen = body.seen;
  if (typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 0) throw new ShapeError('not a kept thread');
  if (!(typeof body.after === 'string' || body.after === null)) throw new ShapeError('not a kept thread');
  const authors: AuthorCounts = [];
  for (const entry of body.authors) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '' || typeof entry[2] !== 'number' || !Number.isSafeInteger(entry[2]) || entry[2] < 1) throw new ShapeError('not a kept thread');
    const type: AccountType = entry[1] === 'Bot' || entry[1] === 'Organization' ? entry[1] : 'User';
    authors.push([entry[0], type, entry[2]]);
  }
  return { updatedAt: body.updatedAt, seen, after: body.after, more: body.more, authors };
}
