/**
 * Every source of contributions, declared once: what it asks GitHub (its URIs), the shape it reads,
 * how its cached answers are used (its cache policy), and what it costs. The run (`commands/report.ts`
 * through the collectors) and `--dry-run` (`commands/dry-run.ts`) both read these declarations, so
 * that the dry run's first pages are the run's cached first pages, byte for byte.
 */
import { triageEvents } from '../domain/triage-events.js';
import type { Shape } from '../github/helper.js';
import type { CodeContributor, CommitAuthor, IssueEvent, ListingItem, OwnerRepository } from '../github/shapes.js';
import { shapeCommitsPage, shapeContributorsPage, shapeIssueEventsPage, shapeListingPage, shapeOwnerRepositoriesPage } from '../github/shapes.js';

/**
 * How cached answers are used once they are older than --max-age (within it, they are used as they
 * are; --refresh and --max-age 0 revalidate everything, each page with If-None-Match):
 * - `since-incremental`: a listing sorted oldest first; its cached pages stand, and what changed is
 *   asked with `since` from the newest `updated_at` (collectors/listing.ts).
 * - `append-only`: a listing in ascending id order without `since`; only its last page can change.
 * - `newest-first`: a listing in descending order without `since`: it grows at its top, so every page
 *   shifts with each new item. What the run has seen of it is kept whole, with the newest id seen; a
 *   refresh asks for page 1 again (If-None-Match) and the pages after it only while they hold nothing
 *   seen yet (collectors/triage.ts).
 * - `push-settled`: what is on the default branch; it stands while the repository's `pushed_at` and
 *   default branch are those it was checked at (`settleMs` or more after the push).
 * - `immutable`: keyed on a sha (a history, a comparison): used whatever its age, --refresh too.
 * - `revalidated`: asked again with If-None-Match (free with a token when unchanged).
 * - `per-item`: reviews, and comments and timelines through GraphQL, kept per issue or pull request
 *   with its `updated_at` (and for those, the cursor a long thread got to).
 * - `kept-a-week`: display names, one by one, kept a week at least (or --max-age, if longer); never
 *   with --refresh or --max-age 0.
 * - `not-cached`: the wiki's git clone.
 */
export type CachePolicy =
  | { kind: 'since-incremental' }
  | { kind: 'append-only' }
  | { kind: 'newest-first' }
  | { kind: 'push-settled'; settleMs: number }
  | { kind: 'immutable' }
  | { kind: 'revalidated' }
  | { kind: 'per-item' }
  | { kind: 'kept-a-week'; minimumMaxAgeMs: number }
  | { kind: 'not-cached' };

/** What a source costs, as --dry-run counts it. */
export type Cost =
  /** One REST request per page of 100 items, the pages counted from the first page's `Link`. */
  | 'page-per-100-items'
  /** One REST request per URI (a 404 is remembered too). */
  | 'request-per-uri'
  /** One GraphQL query (1 point) per 100 pull requests. */
  | 'query-per-100-pull-requests'
  /**
   * One GraphQL query (1 point) per 100 threads with comments (the first 100 of each), then a round
   * per two further pages of the longest ones (one from each end), 100 pages a query (cost-plan.ts
   * `threadPoints`).
   */
  | 'query-per-100-threads'
  /**
   * One GraphQL query (1 point) per 100 discussions, then about 1 point per 100 comments and the
   * discussions that hold them, and 1 point per 100 further pages of replies (collectors/discussions.ts).
   */
  | 'points-per-100-discussions-and-comments'
  | 'point-per-100-commits'
  /** One GraphQL query per 100 people with a token, one REST request per person without. */
  | 'query-per-100-people'
  /** A git clone: no API request. */
  | 'git-clone';

/** A repository-wide REST listing: the first page's URI, and how its items name their authors. */
export interface ListingDeclaration<T> {
  label: string;
  api: 'rest';
  cost: 'page-per-100-items';
  policy: CachePolicy;
  /**
   * The listing's first page for the repository at `repoPath` (`/repos/o/r`), given --since (null for
   * all time); a listing that cannot be asked by date leaves it out.
   */
  uri(repoPath: string, since: string | null): string;
  shape: Shape<T[]>;
  /** Authors' logins of a page's items, in order (null: none known), for --dry-run's estimate of people. */
  authors(items: readonly T[]): Array<string | null>;
}

/**
 * An owner's repositories, as `octohatrack acme` (or `acme/*`) asks for them: the organisation's
 * listing, or where there is no such organisation (404), the user's.
 */
export interface OwnerListingDeclaration {
  label: string;
  api: 'rest';
  cost: 'page-per-100-items';
  policy: CachePolicy;
  organizationUri(owner: string): string;
  userUri(owner: string): string;
  shape: Shape<OwnerRepository[]>;
}

export interface OtherDeclaration {
  label: string;
  api: 'rest' | 'graphql' | 'git';
  cost: Exclude<Cost, 'page-per-100-items'>;
  policy: CachePolicy;
}

/** `per_page=100`: the most GitHub gives (SPEC §3). */
export const perPage = 100;
const ascending = `sort=created&direction=asc&per_page=${perPage}`;
/** `--since`: GitHub's `since` keeps what was updated since (a superset of what was made since). */
const sinceParameter = (since: string | null): string => (since === null ? '' : `&since=${encodeURIComponent(since)}`);
const itemAuthors = (items: readonly ListingItem[]): Array<string | null> => items.map((item) => (item.user === null ? 'ghost' : (item.user?.login ?? null)));
const incremental: CachePolicy = { kind: 'since-incremental' };

/**
 * GitHub's contributors list "may return information that is a few hours old" (it is computed in
 * the background: https://docs.github.com/rest/repos/repos#list-repository-contributors), so it is
 * trusted only when it was checked at least this long after the push.
 */
const contributorsSettleMs = 24 * 60 * 60 * 1000;

export const sources = {
  /** https://docs.github.com/rest/repos/repos#get-a-repository (a renamed one answers 301, followed) */
  repository: { label: 'repository', api: 'rest', cost: 'request-per-uri', policy: { kind: 'revalidated' } } satisfies OtherDeclaration,
  /**
   * Every repository of an organisation (`type=all`: sources and forks, archived ones too):
   * https://docs.github.com/rest/repos/repos#list-organization-repositories; a user's login answers
   * 404 there, and then the user's own (`type=owner`): https://docs.github.com/rest/repos/repos#list-repositories-for-a-user.
   * By name, so the order is the same every run. Revalidated like the repository: a rerun within
   * --max-age (a resume after a rate-limit stop) asks nothing, and goes through the same repositories.
   */
  ownerRepositories: {
    label: 'repositories',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'revalidated' },
    organizationUri: (owner) => `/orgs/${encodeURIComponent(owner)}/repos?type=all&sort=full_name&direction=asc&per_page=${perPage}`,
    userUri: (owner) => `/users/${encodeURIComponent(owner)}/repos?type=owner&sort=full_name&direction=asc&per_page=${perPage}`,
    shape: shapeOwnerRepositoriesPage,
  } satisfies OwnerListingDeclaration,
  /** `code`: https://docs.github.com/rest/repos/repos#list-repository-contributors, anonymous committers included. */
  contributors: {
    label: 'code contributors',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'push-settled', settleMs: contributorsSettleMs },
    uri: (repoPath) => `${repoPath}/contributors?anon=1&per_page=${perPage}`,
    shape: shapeContributorsPage,
    authors: (items) => items.map((item) => item.login ?? null),
  } satisfies ListingDeclaration<CodeContributor>,
  /** `code` with --since: the contributors list has no dates, so the authors of the commits made since. */
  commitsSince: {
    label: 'code contributors',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'revalidated' },
    uri: (repoPath, since) => `${repoPath}/commits?since=${encodeURIComponent(since ?? '')}&per_page=${perPage}`,
    shape: shapeCommitsPage,
    authors: (items) => items.map((item) => item.author?.login ?? null),
  } satisfies ListingDeclaration<CommitAuthor>,
  /**
   * `co-author`: the default branch's history under its head's sha (`uri`'s first commit, without a token): every page immutable;
   * after a push, `compareUri`'s new commits. https://docs.github.com/rest/commits/commits (collectors/history.ts; `history` with a token)
   */
  coAuthors: {
    label: 'co-authors',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'immutable' },
    uri: (repoPath) => `${repoPath}/commits?per_page=${perPage}`,
    historyUri: (repoPath: string, head: string) => `${repoPath}/commits?sha=${head}&per_page=${perPage}`,
    compareUri: (repoPath: string, base: string, head: string) => `${repoPath}/compare/${base}...${head}?per_page=${perPage}`,
    shape: shapeCommitsPage,
    authors: (items) => items.map((item) => item.author?.login ?? null),
  } satisfies ListingDeclaration<CommitAuthor> & { historyUri(repoPath: string, head: string): string; compareUri(repoPath: string, base: string, head: string): string },
  history: { label: 'co-authors', api: 'graphql', cost: 'point-per-100-commits', policy: { kind: 'immutable' } } satisfies OtherDeclaration,
  /** `issue` and `pull-request`: https://docs.github.com/rest/issues/issues#list-repository-issues */
  issues: {
    label: 'issues and pull requests',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: incremental,
    uri: (repoPath, since) => `${repoPath}/issues?state=all&${ascending}${sinceParameter(since)}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /** `pull-request` where issues are turned off: https://docs.github.com/rest/pulls/pulls#list-pull-requests */
  pulls: {
    label: 'pull requests',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: incremental,
    uri: (repoPath, since) => `${repoPath}/pulls?state=all&${ascending}${sinceParameter(since)}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /** `comment`: https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository */
  comments: {
    label: 'comments',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: incremental,
    uri: (repoPath, since) => `${repoPath}/issues/comments?${ascending}${sinceParameter(since)}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /**
   * The busiest threads first (`sort=comments`), for --dry-run's estimate of what reading them through
   * GraphQL takes: the first page holds the longest threads, each with how many comments it has.
   */
  busiestThreads: {
    label: 'issues and pull requests by comments',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'revalidated' },
    uri: (repoPath: string) => `${repoPath}/issues?state=all&sort=comments&direction=desc&per_page=${perPage}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /** `review-comment`: https://docs.github.com/rest/pulls/comments#list-review-comments-in-a-repository */
  reviewComments: {
    label: 'review comments',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: incremental,
    uri: (repoPath, since) => `${repoPath}/pulls/comments?${ascending}${sinceParameter(since)}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /**
   * `commit-comment`, in ascending id order; the listing takes no sort and no `since`.
   * https://docs.github.com/rest/commits/comments#list-commit-comments-for-a-repository
   */
  commitComments: {
    label: 'commit comments',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'append-only' },
    uri: (repoPath) => `${repoPath}/comments?per_page=${perPage}`,
    shape: shapeListingPage,
    authors: itemAuthors,
  } satisfies ListingDeclaration<ListingItem>,
  /**
   * `triage`: the events of every issue and pull request, repository-wide.
   * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository documents `per_page`
   * (at most 100) and `page` only: no `sort`, `direction` or `since`, and no order; GitHub lists the
   * newest first. Like GitHub's other large listings, it stops paging after about 40,000 events (422):
   * the older ones come from the items' timelines, with a token (`timelines`; collectors/triage.ts).
   */
  issueEvents: {
    label: 'triage',
    api: 'rest',
    cost: 'page-per-100-items',
    policy: { kind: 'newest-first' },
    uri: (repoPath) => `${repoPath}/issues/events?per_page=${perPage}`,
    shape: shapeIssueEventsPage,
    authors: (items) => items.filter((item) => triageEvents.has(item.event)).map((item) => (item.actor === null ? 'ghost' : (item.actor?.login ?? null))),
  } satisfies ListingDeclaration<IssueEvent>,
  /** `review`: GraphQL, 100 pull requests a query (REST has no repository-wide listing of reviews). */
  reviews: { label: 'reviews', api: 'graphql', cost: 'query-per-100-pull-requests', policy: { kind: 'per-item' } } satisfies OtherDeclaration,
  /** `comment` the other way (a token, no --since): each item's conversation through GraphQL, where the planner finds it cheaper (comments.ts). */
  threads: { label: 'comments', api: 'graphql', cost: 'query-per-100-threads', policy: { kind: 'per-item' } } satisfies OtherDeclaration,
  timelines: { label: 'triage', api: 'graphql', cost: 'query-per-100-threads', policy: { kind: 'per-item' } } satisfies OtherDeclaration,
  /** `discussion`: GraphQL only (REST has no listing of discussions); each discussion kept with its `updatedAt`. */
  discussions: { label: 'discussions', api: 'graphql', cost: 'points-per-100-discussions-and-comments', policy: { kind: 'per-item' } } satisfies OtherDeclaration,
  /**
   * `contributors-file`: CONTRIBUTORS and .all-contributorsrc at the root of the default branch.
   * https://docs.github.com/rest/repos/contents#get-repository-content (404: no such file)
   */
  contributorsFiles: {
    label: 'CONTRIBUTORS files',
    api: 'rest',
    cost: 'request-per-uri',
    policy: { kind: 'push-settled', settleMs: 0 },
    files: ['CONTRIBUTORS', '.all-contributorsrc'] as const,
    uri: (repoPath: string, file: string) => `${repoPath}/contents/${encodeURIComponent(file)}`,
  } satisfies OtherDeclaration & { files: readonly string[]; uri(repoPath: string, file: string): string },
  /** `wiki`: the authors of the wiki's git commits. */
  wiki: { label: 'wiki', api: 'git', cost: 'git-clone', policy: { kind: 'not-cached' } } satisfies OtherDeclaration,
  /** Display names: GraphQL, 100 logins a query, with a token; `GET /users/{login}` each without. */
  names: { label: 'names', api: 'graphql', cost: 'query-per-100-people', policy: { kind: 'kept-a-week', minimumMaxAgeMs: 7 * 86_400_000 } } satisfies OtherDeclaration,
} as const;

/** The listing that holds the repository's issues and pull requests: `/issues`, or `/pulls` where issues are off. */
export function issuesListing(hasIssues: boolean): ListingDeclaration<ListingItem> {
  return hasIssues ? sources.issues : sources.pulls;
}

/**
 * The commits the co-authors are read from: the whole history, or with --since the commits made since,
 * the very listing `code` walks then (so --since costs no request more).
 */
export function commitsListing(since: string | null): ListingDeclaration<CommitAuthor> {
  return since === null ? sources.coAuthors : sources.commitsSince;
}

/** The code listing: GitHub's contributors list, or with --since the commits made since. */
export function codeListing(since: string | null): ListingDeclaration<CodeContributor> | ListingDeclaration<CommitAuthor> {
  return since === null ? sources.contributors : sources.commitsSince;
}
