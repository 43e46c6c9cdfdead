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
 *    and how many comments it has (`comments { totalCount }`): 1 + 100 requests = 1 point a page;
 *    kept whole, so that a refresh asks only for those updated since (`DiscussionsChanged`, newest
 *    updated first: a point per 100 changed), discussion-listing.ts.
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
 * cursors it got to and who wrote what when: a warm run asks nothing (the listing is used as it is
 * within --max-age), a refresh reads again only the discussions that changed, and a run stopped
 * half-way goes on from the last page it had.
 */
import type { AccountType, Contribution, UserProfile } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import type { GitHubHelper } from '../github/helper.js';
import { ShapeError } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';
import { settleAll } from '../github/settle.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { authorWithName, keepNames } from './inline-names.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';
import type { Authored, KeptDiscussion } from './discussion-shapes.js';
import { repositoryOf, shapeCommentPages, shapeKeptDiscussion, shapeReplyPages } from './discussion-shapes.js';
import { listDiscussions } from './discussion-listing.js';

const perPage = 100;
/** Requests a `DiscussionComments` query may imply: at most 149 round to 1 point. */
export const requestsPerQuery = 149;
const actor = authorWithName;


interface Open {
  number: number;
  state: KeptDiscussion;
}

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
  // The display names the comments and replies read in this run carry (inline-names.ts).
  const profiles: UserProfile[] = [];
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
      ...packs.map((pack) => readComments(context, pack, keep, profiles)),
      readReplies(context, replies, keep, profiles),
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
  return { contributions: [...byLogin.values()], complete: true, profiles };
}

/** Every discussion, 100 a query (1 point), each page kept within --max-age. */
/** The next page of comments of a pack of discussions: one query, halved where GitHub finds it too heavy. */
async function readComments(context: CollectorContext, pack: Open[], keep: (discussions: Iterable<Open>) => void, profiles: UserProfile[]): Promise<void> {
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
    const named = answer.flatMap((page) => (page === null ? [] : [...page.profiles, ...page.comments.flatMap((comment) => comment.replies.profiles)]));
    profiles.push(...named);
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
    keepNames(context.github, named);
  });
}

/** The next page of replies of each comment with more, 100 a query (1 point). */
async function readReplies(context: CollectorContext, open: Array<{ discussion: Open; id: string; after: string }>, keep: (discussions: Iterable<Open>) => void, profiles: UserProfile[]): Promise<void> {
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
    const named = answer.flatMap((page) => page?.profiles ?? []);
    profiles.push(...named);
    keepNames(context.github, named);
  });
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
