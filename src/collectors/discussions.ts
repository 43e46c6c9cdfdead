/**
 * `discussion`: the authors of a repository's Discussions, of their comments and of the replies to
 * those comments, one count per discussion, comment or reply. GraphQL only (REST has no listing of
 * discussions), so without a token they are skipped with a note, and the report is incomplete only
 * where the repository has discussions (`has_discussions`).
 * https://docs.github.com/graphql/guides/using-the-graphql-api-for-discussions
 *
 * What each step costs, by GitHub's formula (each connection costs as many requests as its parents
 * can hold, full pages assumed; the sum / 100, rounded, at least 1):
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * 1. `Discussions`: the discussions, 100 a query, oldest first, each with its author, `updatedAt`
 *    and how many comments it has (`comments { totalCount }`): 1 + 100 requests = 1 point a page.
 * 2. `DiscussionComments`: the comments of the discussions that have any, each alias
 *    `discussion(number) { comments(first: f) { … replies(first: 100) } }` asked for just as many
 *    comments as the listing says are left (f ≤ 100), so that it costs 1 + f requests; aliases are
 *    packed up to `requestsPerQuery` (149) requests, so each query costs 1 point and the step about
 *    (discussions with comments + comments) / 100 points, never more than twice that. Possible nodes
 *    per query: at most 101 × 149 ≈ 15,000, far under 500,000. A discussion with more than 100
 *    comments goes on in rounds, from its cursor.
 * 3. `DiscussionReplies`: a comment with more than 100 replies goes on through
 *    `node(id) { ... on DiscussionComment { replies(first: 100, after) } }`, 100 a query: 100 requests,
 *    1 point a query.
 *
 * Each discussion is kept on its own with the `updatedAt` and comment count it was read at, the
 * cursors it got to and who wrote what when: a warm run asks only for the discussions pages (used
 * as they are within --max-age), a refresh reads again only the discussions that changed, and a run
 * stopped half-way goes on from the last page it had.
 */
import type { AccountType, Contribution } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import type { GitHubHelper } from '../github/helper.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import { isRecord } from '../github/shapes.js';
import { settleAll } from '../github/settle.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { toAuthor } from './reviews.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

const perPage = 100;
/** Requests a `DiscussionComments` query may imply: at most 149 round to 1 point. */
export const requestsPerQuery = 149;
const actor = 'author { __typename login }';

/** Who wrote one discussion, comment or reply, and when: login, account type, `createdAt`. */
type Authored = [string, AccountType, string];

/** One discussion as kept between runs (and between rounds). */
export interface KeptDiscussion {
  /** The discussion's `updatedAt` this reading is of. */
  updatedAt: string;
  /** Its comments' `totalCount` in the listing this reading is of. */
  comments: number;
  /** Comments read so far. */
  seen: number;
  /** The cursor after the last comment read (null: none read yet). */
  after: string | null;
  /** Pages of comments are left to read. */
  more: boolean;
  /** Comments with replies left to read: the comment's node id, and the cursor after the last reply read. */
  replies: Array<[string, string]>;
  /** The comments and replies read so far. */
  authored: Authored[];
}

interface ListedDiscussion {
  number: number;
  updatedAt: string;
  comments: number;
  author: Authored;
}

interface Open {
  number: number;
  state: KeptDiscussion;
}

export const discussionsQuery = `query Discussions($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: ${perPage}, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { number updatedAt createdAt ${actor} comments { totalCount } }
    }
  }
  rateLimit { cost remaining resetAt }
}`;

const replyFields = `totalCount pageInfo { hasNextPage endCursor } nodes { ${actor} createdAt }`;

/** The next page of comments of each discussion, under aliases `d0`…: numbers in `$n0`…, page sizes in `$f0`…, cursors in `$c0`…. */
export function discussionCommentsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return `query DiscussionComments($owner: String!, $name: String!, ${indexes.map((index) => `$n${index}: Int!, $f${index}: Int!, $c${index}: String`).join(', ')}) {
  repository(owner: $owner, name: $name) {
${indexes.map((index) => `    d${index}: discussion(number: $n${index}) { comments(first: $f${index}, after: $c${index}) { totalCount pageInfo { hasNextPage endCursor } nodes { id ${actor} createdAt replies(first: ${perPage}) { ${replyFields} } } } }`).join('\n')}
  }
  rateLimit { cost remaining resetAt }
}`;
}

/** The next page of replies of each comment, under aliases `r0`…: node ids in `$i0`…, cursors in `$c0`…. */
export function discussionRepliesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return `query DiscussionReplies(${indexes.map((index) => `$i${index}: ID!, $c${index}: String`).join(', ')}) {
${indexes.map((index) => `  r${index}: node(id: $i${index}) { ... on DiscussionComment { replies(first: ${perPage}, after: $c${index}) { ${replyFields} } } }`).join('\n')}
  rateLimit { cost remaining resetAt }
}`;
}

/** Comments the next page of a discussion asks for: what the listing says is left, 1 to 100. */
function pageSize(state: KeptDiscussion): number {
  return Math.min(perPage, Math.max(1, state.comments - state.seen));
}

/** Discussions packed into queries of at most `requestsPerQuery` requests (each alias: 1 + its page size). */
export function packDiscussions<T extends { state: KeptDiscussion }>(open: readonly T[]): T[][] {
  const packs: T[][] = [];
  let pack: T[] = [];
  let requests = 0;
  for (const discussion of open) {
    const weight = 1 + pageSize(discussion.state);
    if (pack.length > 0 && requests + weight > requestsPerQuery) {
      packs.push(pack);
      pack = [];
      requests = 0;
    }
    pack.push(discussion);
    requests += weight;
  }
  if (pack.length > 0) packs.push(pack);
  return packs;
}

export async function collectDiscussions(context: CollectorContext, hasToken: boolean, hasDiscussions: boolean): Promise<CollectorResult> {
  if (!hasDiscussions) return { contributions: [], complete: true };
  if (!hasToken) {
    context.warn(`${context.fullName}: discussions are skipped: GitHub's GraphQL API needs a token (export GH_TOKEN=$(gh auth token))`);
    return { contributions: [], complete: false };
  }
  const listed = await listDiscussions(context);
  const { github } = context;
  const parts = keptParts(github, shapeKeptDiscussion, Number.POSITIVE_INFINITY);
  const keyOf = (number: number): string => `${context.repoPath}/graphql/discussions/${number}`;
  const done: Authored[][] = [];
  const open: Open[] = [];
  for (const discussion of listed) {
    if (discussion.comments === 0) continue;
    const kept = parts.recall(keyOf(discussion.number));
    // A new comment or reply moves the discussion's `updatedAt`; the count of comments is compared
    // too, as for threads (`updatedAt` is to the second).
    if (kept !== undefined && kept.updatedAt === discussion.updatedAt && kept.comments === discussion.comments) {
      if (!kept.more && kept.replies.length === 0) done.push(kept.authored);
      else open.push({ number: discussion.number, state: kept });
    } else {
      // Changed: read again whole (a reply may have come to any comment).
      open.push({ number: discussion.number, state: { updatedAt: discussion.updatedAt, comments: discussion.comments, seen: 0, after: null, more: true, replies: [], authored: [] } });
    }
  }
  let queries = 0;
  let known = 0;
  const progress = (): void => context.progress(sources.discussions.label, { pagesDone: queries, pagesKnown: Math.max(known, queries) });
  const keep = (discussions: Iterable<Open>): void => {
    // All in one go, so that they reach the cache in one write: a run killed now finds this page of
    // each discussion read whole or not at all.
    for (const discussion of discussions) parts.keep(keyOf(discussion.number), { ...discussion.state, replies: [...discussion.state.replies], authored: [...discussion.state.authored] });
    queries += 1;
    progress();
  };
  for (;;) {
    const comments = open.filter((discussion) => discussion.state.more);
    const replies = open.flatMap((discussion) => discussion.state.replies.map(([id, after]) => ({ discussion, id, after })));
    if (comments.length === 0 && replies.length === 0) break;
    const packs = packDiscussions(comments);
    known = queries + packs.length + Math.ceil(replies.length / perPage);
    await settleAll([
      ...packs.map((pack) => readComments(context, pack, keep)),
      readReplies(context, replies, keep),
    ]);
  }
  const byLogin = new Map<string, Contribution>();
  const count = (login: string, type: AccountType, at: string): void => {
    if (context.since !== null && at < context.since) return;
    const existing = byLogin.get(login.toLowerCase());
    if (existing) existing.count += 1;
    else byLogin.set(login.toLowerCase(), { who: { login, type }, kind: 'discussion', count: 1 });
  };
  for (const { author } of listed) count(...author);
  for (const authored of [...done, ...open.map((discussion) => discussion.state.authored)]) {
    for (const entry of authored) count(...entry);
  }
  return { contributions: [...byLogin.values()], complete: true };
}

/** Every discussion, 100 a query (1 point), each page kept within --max-age. */
async function listDiscussions(context: CollectorContext): Promise<ListedDiscussion[]> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const listed: ListedDiscussion[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page: { discussions: ListedDiscussion[]; next: string | null } = await context.github.postGraphQL(
      { name: 'Discussions', query: discussionsQuery, variables: { owner, name, after }, cacheKey: `${context.repoPath}/graphql/discussions?after=${encodeURIComponent(after ?? '')}` },
      shapeDiscussionsPage,
    );
    pages += 1;
    context.progress(sources.discussions.label, { pagesDone: pages, pagesKnown: pages + (page.next ? 1 : 0) });
    listed.push(...page.discussions);
    after = page.next;
  } while (after);
  return listed;
}

/** The next page of comments of a pack of discussions: one query, halved where GitHub finds it too heavy. */
async function readComments(context: CollectorContext, pack: Open[], keep: (discussions: Iterable<Open>) => void): Promise<void> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const plan = { largest: pack.length, sizeKey: `${context.repoPath}/graphql/batch-size/discussions` };
  await askInBatches(context.github, pack, plan, async (batch, splittable) => {
    const variables = Object.fromEntries([
      ['owner', owner],
      ['name', name],
      ...batch.flatMap(({ number, state }, index) => [
        [`n${index}`, number],
        [`f${index}`, pageSize(state)],
        [`c${index}`, state.after],
      ]),
    ]);
    const answer = await context.github.postGraphQL({ name: 'DiscussionComments', query: discussionCommentsQuery(batch.length), variables, cacheKey: null, splittable }, shapeCommentPages(batch.map(({ number }) => number)));
    batch.forEach(({ state }, index) => {
      const page = answer[index] ?? null;
      if (page === null) {
        // Deleted since it was listed: nothing more to read.
        state.more = false;
        state.replies = [];
        return;
      }
      state.seen += page.comments.length;
      state.after = page.after ?? state.after;
      state.more = page.more;
      for (const comment of page.comments) {
        state.authored.push(comment.author, ...comment.replies.authored);
        if (comment.replies.more !== null) state.replies.push([comment.id, comment.replies.more]);
      }
    });
    keep(batch);
  });
}

/** The next page of replies of each comment with more, 100 a query (1 point). */
async function readReplies(context: CollectorContext, open: Array<{ discussion: Open; id: string; after: string }>, keep: (discussions: Iterable<Open>) => void): Promise<void> {
  const plan = { largest: perPage, sizeKey: `${context.repoPath}/graphql/batch-size/discussion-replies` };
  await askInBatches(context.github, open, plan, async (batch, splittable) => {
    const variables = Object.fromEntries(batch.flatMap(({ id, after }, index) => [
      [`i${index}`, id],
      [`c${index}`, after],
    ]));
    const answer = await context.github.postGraphQL({ name: 'DiscussionReplies', query: discussionRepliesQuery(batch.length), variables, cacheKey: null, splittable }, shapeReplyPages(batch.length));
    batch.forEach(({ discussion, id }, index) => {
      const page = answer[index] ?? null;
      const { state } = discussion;
      const at = state.replies.findIndex(([pending]) => pending === id);
      if (at < 0) return;
      if (page !== null) state.authored.push(...page.authored);
      if (page === null || page.more === null) state.replies.splice(at, 1);
      else state.replies[at] = [id, page.more];
    });
    keep(new Set(batch.map(({ discussion }) => discussion)));
  });
}

interface RepliesPage {
  authored: Authored[];
  /** The cursor to go on from, when there are more. */
  more: string | null;
}

interface CommentsPage {
  comments: Array<{ id: string; author: Authored; replies: RepliesPage }>;
  more: boolean;
  after: string | null;
}

function authored(node: Record<string, unknown>): Authored {
  const author = toAuthor(node.author) ?? { login: ghostLogin, type: 'User' as const };
  return [author.login, author.type, typeof node.createdAt === 'string' ? node.createdAt : ''];
}

function connectionOf(value: unknown, where: string): { nodes: Array<Record<string, unknown>>; more: string | null } {
  if (!isRecord(value) || !Array.isArray(value.nodes) || !isRecord(value.pageInfo)) throw new ShapeError(`${where} is not a connection`);
  const { hasNextPage, endCursor } = value.pageInfo;
  if (hasNextPage === true && typeof endCursor !== 'string') throw new ShapeError(`${where} has a next page but no cursor`);
  return { nodes: value.nodes.filter(isRecord), more: hasNextPage === true ? (endCursor as string) : null };
}

function dataOf(json: unknown): Record<string, unknown> {
  const data = isRecord(json) ? json.data : undefined;
  if (!isRecord(data)) throw new ShapeError('the answer has no data');
  return data;
}

function repositoryOf(json: unknown): Record<string, unknown> {
  const repository = dataOf(json).repository;
  if (!isRecord(repository)) throw new ShapeError('the repository was not found');
  return repository;
}

/** Aliases GitHub answered null with NOT_FOUND (deleted since): `[…prefix, alias]`. */
function notFound(json: unknown, prefix: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const error of graphqlErrors(json)) {
    const path: unknown = error.path;
    if (error.type !== 'NOT_FOUND' || !Array.isArray(path) || path.length !== prefix.length + 1) continue;
    const last: unknown = path[prefix.length];
    if (prefix.every((step, index) => path[index] === step) && typeof last === 'string') found.add(last);
  }
  return found;
}

export function shapeDiscussionsPage(json: unknown): { discussions: ListedDiscussion[]; next: string | null } {
  const connection = connectionOf(repositoryOf(json).discussions, 'repository.discussions');
  return {
    discussions: connection.nodes.map((node) => {
      const number = node.number;
      const total = isRecord(node.comments) ? node.comments.totalCount : undefined;
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw new ShapeError('a discussion has no number');
      if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError(`discussion ${number} comments.totalCount is not a count`);
      return { number, updatedAt: typeof node.updatedAt === 'string' ? node.updatedAt : '', comments: total, author: authored(node) };
    }),
    next: connection.more,
  };
}

function shapeReplies(value: unknown, where: string): RepliesPage {
  const connection = connectionOf(value, where);
  return { authored: connection.nodes.map(authored), more: connection.more };
}

/** The `d0`… aliases, for discussions `numbers` in that order; null: deleted since it was listed. */
export function shapeCommentPages(numbers: readonly number[]): (json: unknown) => Array<CommentsPage | null> {
  return (json) => {
    const repository = repositoryOf(json);
    const gone = notFound(json, ['repository']);
    return numbers.map((number, index) => {
      const alias = `d${index}`;
      const discussion = repository[alias];
      if (discussion === null && gone.has(alias)) return null;
      if (!isRecord(discussion)) throw new ShapeError(`discussion ${number} is missing from the answer`);
      const connection = connectionOf(discussion.comments, `discussion ${number} comments`);
      return {
        comments: connection.nodes.map((node) => {
          if (typeof node.id !== 'string' || node.id === '') throw new ShapeError(`a comment of discussion ${number} has no id`);
          return { id: node.id, author: authored(node), replies: shapeReplies(node.replies, `discussion ${number} replies`) };
        }),
        more: connection.more !== null,
        after: endCursorOf(discussion.comments),
      };
    });
  };
}

function endCursorOf(connection: unknown): string | null {
  const pageInfo = isRecord(connection) ? connection.pageInfo : undefined;
  return isRecord(pageInfo) && typeof pageInfo.endCursor === 'string' ? pageInfo.endCursor : null;
}

/** The `r0`… aliases; null: the comment was deleted since. */
export function shapeReplyPages(count: number): (json: unknown) => Array<RepliesPage | null> {
  return (json) => {
    const data = dataOf(json);
    const gone = notFound(json, []);
    return Array.from({ length: count }, (_, index) => {
      const alias = `r${index}`;
      const comment = data[alias];
      if (comment === null && gone.has(alias)) return null;
      if (!isRecord(comment)) throw new ShapeError(`comment ${alias} is missing from the answer`);
      return shapeReplies(comment.replies, `comment ${alias} replies`);
    });
  };
}

function shapeKeptDiscussion(body: unknown): KeptDiscussion {
  const fail = (): never => {
    throw new ShapeError('not a kept discussion');
  };
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || typeof body.more !== 'boolean' || !Array.isArray(body.replies) || !Array.isArray(body.authored)) return fail();
  const { comments, seen } = body;
  if (typeof comments !== 'number' || !Number.isSafeInteger(comments) || comments < 0 || typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 0) return fail();
  if (!(typeof body.after === 'string' || body.after === null)) return fail();
  const replies: Array<[string, string]> = [];
  for (const entry of body.replies) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return fail();
    replies.push([entry[0], entry[1]]);
  }
  const authoredList: Authored[] = [];
  for (const entry of body.authored) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '' || typeof entry[2] !== 'string') return fail();
    const type: AccountType = entry[1] === 'Bot' || entry[1] === 'Organization' ? entry[1] : 'User';
    authoredList.push([entry[0], type, entry[2]]);
  }
  return { updatedAt: body.updatedAt, comments, seen, after: body.after, more: body.more, replies, authored: authoredList };
}

const countsQuery = `query DiscussionCounts($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { discussions { totalCount } }
  rateLimit { cost remaining resetAt }
}`;

/** How many discussions the repository has (1 GraphQL point, cached), for --dry-run's estimate. */
export function countDiscussions(github: GitHubHelper, repoPath: string): Promise<number> {
  const [, , owner = '', name = ''] = repoPath.split('/').map(decodeURIComponent);
  return github.postGraphQL({ name: 'DiscussionCounts', query: countsQuery, variables: { owner, name }, cacheKey: `${repoPath}/graphql/discussion-counts` }, (json) => {
    const discussions = repositoryOf(json).discussions;
    const total = isRecord(discussions) ? discussions.totalCount : null;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError('discussions.totalCount is not a count');
    return total;
  });
}

/** Where the first page of discussions is kept: --dry-run looks at it to say what is cached. */
export function firstDiscussionsPageKey(repoPath: string): string {
  return `${repoPath}/graphql/discussions?after=`;
}
