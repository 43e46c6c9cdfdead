/**
 * The default branch's history through GraphQL: `Commit.history` (in the same order as `git log`,
 * as REST lists it), 100 commits a query, each with its message (whose trailers our parser reads:
 * it decides who is credited) and `authors` — "the git author and the Co-authored-by message
 * trailer. The git author will always be first" — each with the account GitHub resolves its email
 * to. history(first: 100) is 1 request, `authors` nested in it 100: 101 / 100 → 1 point.
 * https://docs.github.com/graphql/reference/objects#commit
 *
 * The first query asks for the head (`defaultBranchRef`, null in an empty repository) with the
 * first page; the pages after it are asked of that commit (`object(oid:)`) by cursor. Each page is
 * kept under the head's sha and its cursor: it can never change. A query GitHub finds too heavy (a
 * 502/504 timeout, too many nodes: up to 10,100 a page) is asked once more (a timeout may pass),
 * then thrown as a QueryTooHeavyError: the caller reads those pages through REST instead.
 */
import { parseCoAuthors } from '../domain/co-authors.js';
import { splitFullName } from '../domain/repository-name.js';
import { QueryTooHeavyError, ShapeError } from '../github/helper.js';
import type { CommitAuthor, UserRef } from '../github/shapes.js';
import { isRecord, shapeCommitsPage } from '../github/shapes.js';
import type { CollectorContext } from './types.js';

/** One page of a history, as read and as kept. */
export interface HistoryPage {
  commits: CommitAuthor[];
  /** Commits in the whole history (`totalCount`). */
  total: number;
  more: boolean;
  /** The cursor after this page's last commit. */
  after: string | null;
}

/** Up to 100 co-authors a commit are read (domain/co-authors.ts), and the git author. */
const pageFields = 'totalCount pageInfo { hasNextPage endCursor } nodes { oid message author { name email user { login } } authors(first: 100) { nodes { email user { login } } } }';

export const historyHeadQuery = `query HistoryHead($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { target { ... on Commit { oid history(first: 100) { ${pageFields} } } } }
  }
  rateLimit { cost remaining resetAt }
}`;

export const historyPageQuery = `query History($owner: String!, $name: String!, $oid: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) { ... on Commit { history(first: 100, after: $after) { ${pageFields} } } }
  }
  rateLimit { cost remaining resetAt }
}`;

/** Where the page of the history under `head` after `after` (null: the first page) is kept. */
export function historyPageKey(repoPath: string, head: string, after: string | null): string {
  return `${repoPath}/kept/history/${head}${after === null ? '' : `?after=${encodeURIComponent(after)}`}`;
}

/** The head of the default branch and the first page of its history; null: an empty repository. */
export async function askHeadThroughGraphQL(context: Pick<CollectorContext, 'github' | 'repoPath' | 'fullName'>): Promise<{ head: string; page: HistoryPage } | null> {
  const { owner, repo } = splitFullName(context.fullName);
  const found = await askTwice(() => context.github.postGraphQL({ name: 'HistoryHead', query: historyHeadQuery, variables: { owner, name: repo }, cacheKey: null, splittable: true }, shapeHeadAnswer));
  if (found !== null) keepPage(context, found.head, null, found.page);
  return found;
}

/** The page of the history under `head` after `after`: kept, else asked (and kept). */
export async function historyPageThroughGraphQL(context: CollectorContext, head: string, after: string | null): Promise<HistoryPage> {
  const kept = recallPage(context, head, after);
  if (kept !== undefined) return kept;
  const { owner, repo } = splitFullName(context.fullName);
  const page = await askTwice(() => context.github.postGraphQL({ name: 'History', query: historyPageQuery, variables: { owner, name: repo, oid: head, after }, cacheKey: null, splittable: true }, shapePageAnswer));
  keepPage(context, head, after, page);
  return page;
}

/** A query GitHub found too heavy, asked once more before giving up on it: "may be the result of a timeout". */
async function askTwice<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof QueryTooHeavyError)) throw error;
    return ask();
  }
}

export function recallPage(context: Pick<CollectorContext, 'github' | 'repoPath'>, head: string, after: string | null): HistoryPage | undefined {
  return context.github.recall(historyPageKey(context.repoPath, head, after), shapeKeptPage, Number.POSITIVE_INFINITY);
}

function keepPage(context: Pick<CollectorContext, 'github' | 'repoPath'>, head: string, after: string | null, page: HistoryPage): void {
  context.github.remember(historyPageKey(context.repoPath, head, after), page);
}

function shapeHeadAnswer(body: unknown): { head: string; page: HistoryPage } | null {
  const repository = dataOf(body).repository;
  if (!isRecord(repository)) throw new ShapeError('no repository in the answer');
  // An empty repository has no default branch yet.
  if (repository.defaultBranchRef === null) return null;
  const target = isRecord(repository.defaultBranchRef) ? repository.defaultBranchRef.target : null;
  if (!isRecord(target) || typeof target.oid !== 'string') throw new ShapeError('the default branch names no commit');
  return { head: target.oid, page: shapeConnection(target.history) };
}

function shapePageAnswer(body: unknown): HistoryPage {
  const repository = dataOf(body).repository;
  const commit = isRecord(repository) ? repository.object : null;
  if (!isRecord(commit)) throw new ShapeError('no such commit');
  return shapeConnection(commit.history);
}

function dataOf(body: unknown): Record<string, unknown> {
  if (!isRecord(body) || !isRecord(body.data)) throw new ShapeError('no data in the answer');
  return body.data;
}

function shapeConnection(value: unknown): HistoryPage {
  if (!isRecord(value) || typeof value.totalCount !== 'number' || !isRecord(value.pageInfo) || !Array.isArray(value.nodes)) throw new ShapeError('not a commit history');
  const { hasNextPage, endCursor } = value.pageInfo;
  if (typeof hasNextPage !== 'boolean' || !(typeof endCursor === 'string' || endCursor === null)) throw new ShapeError('not a page of commits');
  return { commits: value.nodes.map(shapeCommit), total: value.totalCount, more: hasNextPage, after: endCursor };
}

/** A `Commit` node as the REST listing's items are shaped (github/shapes.ts), with the accounts of its trailers. */
function shapeCommit(node: unknown, index: number): CommitAuthor {
  if (!isRecord(node) || typeof node.oid !== 'string' || typeof node.message !== 'string') throw new ShapeError(`commit ${index} has no oid or message`);
  const author = isRecord(node.author) ? node.author : {};
  const actors = isRecord(node.authors) && Array.isArray(node.authors.nodes) ? node.authors.nodes : [];
  const accounts = actors.flatMap((actor): Array<{ email: string; user: UserRef }> => {
    const login = isRecord(actor) && isRecord(actor.user) ? actor.user.login : null;
    return isRecord(actor) && typeof actor.email === 'string' && typeof login === 'string' && login !== '' ? [{ email: actor.email, user: { login, type: 'User' } }] : [];
  });
  const login = isRecord(author.user) ? author.user.login : null;
  return {
    sha: node.oid,
    // `GitActor.user` is a `User`: a bot's email resolves to none here (its no-reply address says who it is).
    author: typeof login === 'string' && login !== '' ? { login, type: 'User' } : null,
    name: typeof author.name === 'string' ? author.name : null,
    email: typeof author.email === 'string' ? author.email : null,
    coAuthors: parseCoAuthors(node.message),
    accounts,
  };
}

function shapeKeptPage(body: unknown): HistoryPage {
  if (!isRecord(body) || typeof body.total !== 'number' || typeof body.more !== 'boolean' || !(typeof body.after === 'string' || body.after === null)) throw new ShapeError('not a kept page of history');
  return { commits: shapeCommitsPage(body.commits), total: body.total, more: body.more, after: body.after };
}
