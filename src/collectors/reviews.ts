/**
 * `review`: every pull-request review, approvals without a comment included. REST has no
 * repository-wide listing of reviews, so GraphQL asks for 100 pull requests a query with their first
 * 100 reviews each, and for the rest of a pull request's reviews where it has more (SPEC §3).
 * GraphQL refuses anonymous requests: without a token, reviews are skipped with a note.
 * https://docs.github.com/graphql/reference/objects#pullrequestreview
 */
import { createHash } from 'node:crypto';
import { ShapeError } from '../github/helper.js';
import type { ListingItem } from '../github/shapes.js';
import { isRecord } from '../github/shapes.js';
import type { AccountType, UserRef } from '../github/shapes.js';
import { ghostLogin } from './listing.js';
import type { CollectorContext, CollectorResult, Contribution } from './types.js';

const reviewFields = 'pageInfo { hasNextPage endCursor } nodes { author { __typename login } submittedAt }';

export const reviewsQuery = `query Reviews($owner: String!, $name: String!, $after: String) {
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

interface ReviewsConnection {
  authors: Array<{ author: UserRef | null; submittedAt: string | null }>;
  /** The cursor to ask for more from, when there are more. */
  more: string | null;
}

interface PullRequestsPage {
  pulls: Array<{ number: number; reviews: ReviewsConnection }>;
  next: string | null;
}

/**
 * `pullRequests` is the REST listing of the same pull requests, oldest first like the GraphQL pages:
 * page k of GraphQL holds its pull requests 100k to 100k+99. Their numbers and `updated_at` (which a
 * new review moves) are the fingerprint in each page's cache key, so an unchanged page is never asked
 * again, whatever --max-age or --refresh say, and a repository that grew asks only for its last pages.
 */
export async function collectReviews(context: CollectorContext, hasToken: boolean, pullRequests: Promise<readonly ListingItem[]>): Promise<CollectorResult> {
  if (!hasToken) {
    context.warn(`${context.fullName}: reviews are skipped: GitHub's GraphQL API needs a token (export GH_TOKEN=$(gh auth token))`);
    return { contributions: [], complete: false };
  }
  const known = await pullRequests;
  const updatedAt = new Map(known.map((pull) => [pull.number, pull.updated_at]));
  const [owner = '', name = ''] = context.fullName.split('/');
  const authors: ReviewsConnection['authors'] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const slice = known.slice(pages * 100, pages * 100 + 100);
    const page: PullRequestsPage = await context.github.postGraphQL(
      {
        name: 'Reviews',
        query: reviewsQuery,
        variables: { owner, name, after },
        cacheKey: `${context.repoPath}/graphql/reviews?after=${encodeURIComponent(after ?? '')}&state=${fingerprint(slice)}`,
        immutable: slice.length > 0,
      },
      shapePullRequestsPage,
    );
    pages += 1;
    context.progress('reviews', { pagesDone: pages, pagesKnown: pages + (page.next ? 1 : 0) });
    for (const pull of page.pulls) {
      authors.push(...pull.reviews.authors);
      let more = pull.reviews.more;
      const state = updatedAt.get(pull.number);
      while (more) {
        const rest: ReviewsConnection = await context.github.postGraphQL(
          {
            name: 'MoreReviews',
            query: moreReviewsQuery,
            variables: { owner, name, number: pull.number, after: more },
            cacheKey: `${context.repoPath}/graphql/reviews/${pull.number}?after=${encodeURIComponent(more)}&state=${encodeURIComponent(state ?? '')}`,
            immutable: state !== undefined,
          },
          shapeMoreReviews,
        );
        authors.push(...rest.authors);
        more = rest.more;
      }
    }
    after = page.next;
  } while (after);

  const byLogin = new Map<string, Contribution>();
  for (const { author, submittedAt } of authors) {
    if (context.since !== null && (submittedAt === null || submittedAt < context.since)) continue;
    const login = author?.login ?? ghostLogin;
    const existing = byLogin.get(login.toLowerCase());
    if (existing) existing.count += 1;
    else byLogin.set(login.toLowerCase(), { who: { login, type: author?.type ?? 'User' }, kind: 'review', count: 1 });
  }
  return { contributions: [...byLogin.values()], complete: true };
}

/** What a page of pull requests looked like in the REST listing: their numbers and last changes. */
function fingerprint(pulls: readonly ListingItem[]): string {
  const text = pulls.map((pull) => `${pull.number ?? pull.id}@${pull.updated_at ?? ''}`).join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
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

function shapeMoreReviews(json: unknown): ReviewsConnection {
  const pull = field(repositoryOf(json), 'pullRequest', 'repository');
  return shapeConnection(field(pull, 'reviews', 'pullRequest'), 'pullRequest.reviews');
}
