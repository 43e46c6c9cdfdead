/**
 * `review`: every pull-request review, approvals without a comment included. REST has no
 * repository-wide listing of reviews, so GraphQL asks for the first 100 reviews of 100 pull requests a
 * query, and for the rest of a pull request's reviews where it has more (SPEC §3).
 * GraphQL refuses anonymous requests: without a token, reviews are skipped with a note.
 * https://docs.github.com/graphql/reference/objects#pullrequestreview
 */
import type { AccountType, Contribution, UserProfile } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import { splitFullName } from '../domain/repository-name.js';
import type { GitHubHelper, PageProgress } from '../github/helper.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import type { ListingItem } from '../github/shapes.js';
import { isRecord } from '../github/shapes.js';
import type { UserRef } from '../github/shapes.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { authorWithName, keepNames, profilesOf } from './inline-names.js';
import type { CollectorContext, CollectorResult } from './types.js';

const reviewFields = `pageInfo { hasNextPage endCursor } nodes { ${authorWithName} submittedAt }`;
const perQuery = 100;

/** The reviews of `count` (up to 100) pull requests, named by number in the variables `$p0`… and answered under the same aliases. */
export function reviewsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return `query Reviews($owner: String!, $name: String!, ${indexes.map((index) => `$p${index}: Int!`).join(', ')}) {
  repository(owner: $owner, name: $name) {
${indexes.map((index) => `    p${index}: pullRequest(number: $p${index}) { ...reviews }`).join('\n')}
  }
  rateLimit { cost remaining resetAt }
}
fragment reviews on PullRequest { reviews(first: 100) { ${reviewFields} } }`;
}

/** Every pull request in turn, 100 a page: for when the pull requests are not known beforehand (--since). */
export const reviewsByPageQuery = `query ReviewsByPage($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { number reviews(first: 100) { ${reviewFields} } }
    }
  }
  rateLimit { cost remaining resetAt }
}`;

export const moreReviewsQuery = `query MoreReviews($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { reviews(first: 100, after: $after) { ${reviewFields} } }
  }
  rateLimit { cost remaining resetAt }
}`;

type ReviewAuthors = Array<{ author: UserRef | null; submittedAt: string | null }>;

interface ReviewsConnection {
  authors: ReviewAuthors;
  /** The authors' display names the answer carries (inline-names.ts). */
  profiles: UserProfile[];
  /** The cursor to ask for more from, when there are more. */
  more: string | null;
}

interface PullRequestsPage {
  pulls: Array<{ number: number; reviews: ReviewsConnection }>;
  next: string | null;
}

/** One pull request's reviews, kept as they were when the pull request was last updated. */
interface KeptReviews {
  updatedAt: string;
  authors: ReviewAuthors;
}

/**
 * `pullRequests` is the REST listing of the same pull requests (null when it is not whole, or holds
 * only what changed since --since). A pull request's `updated_at` moves with a new review, so each
 * pull request's reviews are kept with the `updated_at` they were asked at, and only pull requests
 * that are new or changed since are asked for, 100 a query, by number: a refresh after a little
 * activity costs a query or two, however many pages of pull requests the repository has.
 */
export async function collectReviews(context: CollectorContext, hasToken: boolean, pullRequests: Promise<readonly ListingItem[] | null>): Promise<CollectorResult> {
  if (!hasToken) {
    context.warn(`${context.fullName}: reviews are skipped: GitHub's GraphQL API needs a token (export GH_TOKEN=$(gh auth token))`);
    return { contributions: [], complete: false };
  }
  const known = await pullRequests;
  const profiles: UserProfile[] = [];
  const authors = known === null ? await reviewsByPage(context) : await reviewsByPullRequest(context, known, profiles);
  const byLogin = new Map<string, Contribution>();
  for (const { author, submittedAt } of authors) {
    if (context.since !== null && (submittedAt === null || submittedAt < context.since)) continue;
    const login = author?.login ?? ghostLogin;
    const existing = byLogin.get(login.toLowerCase());
    if (existing) existing.count += 1;
    else byLogin.set(login.toLowerCase(), { who: { login, type: author?.type ?? 'User' }, kind: 'review', count: 1 });
  }
  return { contributions: [...byLogin.values()], complete: true, profiles };
}

/** `profiles`: the display names the `Reviews` answers carried (never cached whole: read in this run). */
async function reviewsByPullRequest(context: CollectorContext, known: readonly ListingItem[], profiles: UserProfile[]): Promise<ReviewAuthors> {
  const { github } = context;
  const { owner, repo: name } = splitFullName(context.fullName);
  const keyOf = (number: number): string => `${context.repoPath}/graphql/reviews/${number}`;
  // Each pull request's reviews kept on their own, with its `updated_at`: they stand while it does.
  const parts = keptParts(github, shapeKeptReviews, Number.POSITIVE_INFINITY);
  const kept = new Map<number, ReviewAuthors>();
  const wanted = new Map<number, string>();
  for (const { number, updated_at: updatedAt = '' } of known) {
    if (number === undefined || !Number.isSafeInteger(number) || number < 1) continue;
    const reviews = parts.recall(keyOf(number));
    if (reviews !== undefined && updatedAt !== '' && reviews.updatedAt === updatedAt) kept.set(number, reviews.authors);
    else wanted.set(number, updatedAt);
  }
  // 100 pull requests a query, fewer where GitHub finds that too heavy (batches.ts).
  const plan = { largest: perQuery, sizeKey: `${context.repoPath}/graphql/batch-size/reviews`, progress: (pages: PageProgress) => context.progress('reviews', pages) };
  await askInBatches(github, [...wanted.keys()], plan, async (batch, splittable) => {
    // Not kept as one answer: each pull request's part is kept on its own, below.
    const variables = Object.fromEntries([['owner', owner], ['name', name], ...batch.map((number, index) => [`p${index}`, number])]);
    const answer = await github.postGraphQL({ name: 'Reviews', query: reviewsQuery(batch.length), variables, cacheKey: null, splittable }, shapeReviewsByNumber(batch));
    const whole = new Map<number, ReviewAuthors>();
    const named = [...answer.values()].flatMap((connection) => connection.profiles);
    profiles.push(...named);
    for (const [number, connection] of answer) whole.set(number, [...connection.authors, ...(await moreReviews(context, number, connection.more, wanted.get(number) ?? null))]);
    // All in one go, so that they reach the cache in one write: a run killed now finds the query
    // answered whole or not at all, and asks the same query again.
    for (const [number, authors] of whole) {
      parts.keep(keyOf(number), { updatedAt: wanted.get(number) ?? '', authors });
      kept.set(number, authors);
    }
    keepNames(github, named);
  });
  return known.flatMap(({ number }) => (number === undefined ? [] : (kept.get(number) ?? [])));
}

/** Without a list of the pull requests beforehand: every page of them, kept within --max-age. */
async function reviewsByPage(context: CollectorContext): Promise<ReviewAuthors> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const authors: ReviewAuthors = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page: PullRequestsPage = await context.github.postGraphQL(
      { name: 'ReviewsByPage', query: reviewsByPageQuery, variables: { owner, name, after }, cacheKey: `${context.repoPath}/graphql/reviews?after=${encodeURIComponent(after ?? '')}` },
      shapePullRequestsPage,
    );
    pages += 1;
    context.progress('reviews', { pagesDone: pages, pagesKnown: pages + (page.next ? 1 : 0) });
    for (const pull of page.pulls) authors.push(...pull.reviews.authors, ...(await moreReviews(context, pull.number, pull.reviews.more, null)));
    after = page.next;
  } while (after);
  return authors;
}

/**
 * The rest of a pull request's reviews after its first 100, 100 a query. With the pull request's
 * `updated_at` in the cache key, an answer stands until the pull request changes.
 */
async function moreReviews(context: CollectorContext, number: number, after: string | null, updatedAt: string | null): Promise<ReviewAuthors> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const authors: ReviewAuthors = [];
  let more = after;
  while (more) {
    const rest: ReviewsConnection = await context.github.postGraphQL(
      {
        name: 'MoreReviews',
        query: moreReviewsQuery,
        variables: { owner, name, number, after: more },
        cacheKey: `${context.repoPath}/graphql/reviews/${number}?after=${encodeURIComponent(more)}&state=${encodeURIComponent(updatedAt ?? '')}`,
        immutable: updatedAt !== null && updatedAt !== '',
      },
      shapeMoreReviews,
    );
    authors.push(...rest.authors);
    more = rest.more;
  }
  return authors;
}

function field(value: unknown, name: string, where: string): unknown {
  if (!isRecord(value)) throw new ShapeError(`${where} is not an object`);
  return value[name];
}

function repositoryOf(json: unknown): unknown {
  const repository = field(field(json, 'data', 'the answer'), 'repository', 'data');
  if (repository === null) throw new ShapeError('the repository was not found');
  return repository;
}

function shapeConnection(value: unknown, where: string): ReviewsConnection {
  const pageInfo = field(value, 'pageInfo', where);
  const nodes = field(value, 'nodes', where);
  if (!Array.isArray(nodes)) throw new ShapeError(`${where}.nodes is not a list`);
  const more = field(pageInfo, 'hasNextPage', `${where}.pageInfo`) === true ? field(pageInfo, 'endCursor', `${where}.pageInfo`) : null;
  return {
    authors: nodes.filter(isRecord).map((node) => ({ author: toAuthor(node.author), submittedAt: typeof node.submittedAt === 'string' ? node.submittedAt : null })),
    profiles: profilesOf(nodes),
    more: typeof more === 'string' ? more : null,
  };
}

/**
 * GraphQL's actors: a Bot's login comes without the `[bot]` that REST gives it, so it is added
 * back (one person, one key); a deleted account is `author: null`.
 */
export function toAuthor(author: unknown): UserRef | null {
  if (!isRecord(author) || typeof author.login !== 'string' || author.login === '') return null;
  if (author.__typename === 'Bot') return { login: author.login.endsWith('[bot]') ? author.login : `${author.login}[bot]`, type: 'Bot' };
  const type: AccountType = author.__typename === 'Organization' ? 'Organization' : 'User';
  return { login: author.login, type };
}

export function shapePullRequestsPage(json: unknown): PullRequestsPage {
  const connection = field(repositoryOf(json), 'pullRequests', 'repository');
  const nodes = field(connection, 'nodes', 'pullRequests');
  if (!Array.isArray(nodes)) throw new ShapeError('pullRequests.nodes is not a list');
  const pageInfo = field(connection, 'pageInfo', 'pullRequests');
  const next = field(pageInfo, 'hasNextPage', 'pullRequests.pageInfo') === true ? field(pageInfo, 'endCursor', 'pullRequests.pageInfo') : null;
  return {
    pulls: nodes.filter(isRecord).map((pull) => ({
      number: typeof pull.number === 'number' ? pull.number : 0,
      reviews: shapeConnection(pull.reviews, `pull request ${String(pull.number)} reviews`),
    })),
    next: typeof next === 'string' ? next : null,
  };
}

/**
 * The `p0`… aliases of a by-number query, for pull requests `numbers` in that order. A pull request
 * GitHub cannot resolve (deleted since it was listed) is null with a NOT_FOUND error: no reviews.
 * Null for any other reason is an error, not "no reviews", so that it is not kept as such.
 */
export function shapeReviewsByNumber(numbers: readonly number[]): (json: unknown) => Map<number, ReviewsConnection> {
  return (json) => {
    const repository = repositoryOf(json);
    const notFound = new Set<string>();
    for (const error of graphqlErrors(json)) {
      if (error.type === 'NOT_FOUND' && Array.isArray(error.path) && error.path[0] === 'repository' && typeof error.path[1] === 'string') notFound.add(error.path[1]);
    }
    const pulls = new Map<number, ReviewsConnection>();
    numbers.forEach((number, index) => {
      const alias = `p${index}`;
      const pull = field(repository, alias, 'repository');
      if (pull === null && notFound.has(alias)) pulls.set(number, { authors: [], profiles: [], more: null });
      else if (pull === null || pull === undefined) throw new ShapeError(`pull request ${number} is missing from the answer`);
      else pulls.set(number, shapeConnection(field(pull, 'reviews', alias), `pull request ${number} reviews`));
    });
    return pulls;
  };
}

function shapeKeptReviews(body: unknown): KeptReviews {
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || !Array.isArray(body.authors)) throw new ShapeError('not kept reviews');
  return {
    updatedAt: body.updatedAt,
    authors: body.authors.filter(isRecord).map((entry) => ({ author: toAuthorRef(entry.author), submittedAt: typeof entry.submittedAt === 'string' ? entry.submittedAt : null })),
  };
}

/** A kept `UserRef` (already shaped: `[bot]` added back, type known). */
function toAuthorRef(value: unknown): UserRef | null {
  if (!isRecord(value) || typeof value.login !== 'string' || value.login === '') return null;
  const type: AccountType = value.type === 'Bot' || value.type === 'Organization' ? value.type : 'User';
  return { login: value.login, type };
}

function shapeMoreReviews(json: unknown): ReviewsConnection {
  const pull = field(repositoryOf(json), 'pullRequest', 'repository');
  return shapeConnection(field(pull, 'reviews', 'pullRequest'), 'pullRequest.reviews');
}

const countsQuery = `query Counts($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { pullRequests { totalCount } }
  rateLimit { cost remaining resetAt }
}`;

/** How many pull requests the repository has (1 GraphQL point), for --dry-run's estimate of reviews. */
export function countPullRequests(github: GitHubHelper, repoPath: string): Promise<number> {
  const [, , owner = '', name = ''] = repoPath.split('/').map(decodeURIComponent);
  return github.postGraphQL({ name: 'Counts', query: countsQuery, variables: { owner, name }, cacheKey: `${repoPath}/graphql/counts` }, shapeCounts);
}

function shapeCounts(json: unknown): number {
  const data = isRecord(json) ? json.data : null;
  const repository = isRecord(data) ? data.repository : null;
  const pulls = isRecord(repository) ? repository.pullRequests : null;
  const total = isRecord(pulls) ? pulls.totalCount : null;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) throw new ShapeError('pullRequests.totalCount is not a count');
  return total;
}
