/**
 * `--dry-run`: what a run would ask GitHub, source by source, minus what the cache already holds,
 * against the rate limits left — fetching no more than the first page of each listing (whose
 * `Link rel="last"` says how many pages it has) and the repository itself. What it fetches is cached
 * as a run would cache it, so the run that follows does not ask for it again.
 */
import type { Freshness, GitHubHelper } from '../github/helper.js';
import type { CommitAuthor } from '../github/shapes.js';
import { isRecord } from '../github/shapes.js';
import type { LimitStatus, RateLimitStatus } from '../github/rate-limit-status.js';
import type { PolicyContext } from '../collectors/cache-policy.js';
import { planCache } from '../collectors/cache-policy.js';
import type { ListingDeclaration } from '../collectors/sources.js';
import { codeListing, commitsListing, issuesListing, perPage, sources as declared } from '../collectors/sources.js';
import type { RepositoryName } from '../domain/repository-name.js';
import type { BudgetsLeft } from '../collectors/cost-plan.js';
import { budgetsUnder, fullHour } from '../collectors/cost-plan.js';
import type { Plan } from '../options.js';
import { estimateComments } from './estimate-comments.js';
import type { ListingLook } from './look-at-listings.js';
import { lookAtEvents, lookAtListing } from './look-at-listings.js';
import { contentsEstimates, estimateDiscussions, estimateReviews, estimateTriage } from './estimate-sources.js';
import { estimateHistory } from './estimate-history.js';
import type { AuthorSample } from './estimate-people.js';
import { estimateNames } from './estimate-people.js';
import type { Selection } from '../report/select.js';
import { counts } from '../report/select.js';
import type { Kind } from '../domain/contribution.js';
import { fetchRepository } from './report.js';
import type { RepositoryPosition, RunReporter } from './report.js';

const hourMs = 3_600_000;

export interface DryRunSettings {
  repositories: readonly RepositoryName[];
  names: boolean;
  hasToken: boolean;
  wiki: boolean;
  since: string | null;
  refresh: 'incremental' | 'revalidate';
  selection: Selection;
  /** False with --no-cache: what the dry run fetches is not kept for the run. */
  cache: boolean;
  plan: Plan;
  /** --concurrency: the history is split between the budgets as the run splits it. */
  concurrency: number;
}

export interface SourceEstimate {
  source: string;
  api: 'rest' | 'graphql' | 'git';
  /** Requests (GraphQL: queries of 1 point) a run with an empty cache makes for this source. */
  requests: number;
  /** Of those, answered from the cache without a request. */
  cached: number;
  /** Of those, cached but older than --max-age: asked again with a conditional request (free with a token when unchanged). */
  checks: number;
  /** How sure the figure is: exact from GitHub's own page count, or a bound or an extrapolation. */
  accuracy: 'exact' | 'at least' | 'at most' | 'about';
  note?: string;
  /** With `about`: as many as this, at the most the estimate allows (display names). */
  upTo?: number;
}

export interface RepositoryEstimate {
  fullName: string;
  sources: SourceEstimate[];
}

export interface BucketPlan {
  /** Requests (or points) this run would still ask for. */
  toAsk: number;
  /** What they cost against the limit (conditional checks are free with a token). */
  cost: number;
  limit: LimitStatus | null;
  /** Null when GitHub did not say what is left. */
  fits: boolean | null;
  /** Resets to wait through when it does not fit. */
  resets: number;
  /** About how long those waits take. */
  waitMs: number;
}

export interface RunEstimate {
  repositories: RepositoryEstimate[];
  names: SourceEstimate | null;
  /** What this dry run itself asked GitHub (and cached). */
  spent: { requests: number; graphqlPoints: number };
  rest: BucketPlan;
  graphql: BucketPlan | null;
  hasToken: boolean;
  /** False with --no-cache. */
  cache: boolean;
  /** When the estimate was made (for "resets in …"). */
  at: Date;
}

export interface DryRunDependencies {
  github: GitHubHelper;
  rateLimitStatus: () => Promise<RateLimitStatus | null>;
  reporter: Pick<RunReporter, 'repositoryStarted' | 'progress' | 'warn'>;
  now?: () => number;
}

export async function estimateRun(settings: DryRunSettings, dependencies: DryRunDependencies): Promise<RunEstimate> {
  const { github } = dependencies;
  const now = dependencies.now ?? Date.now;
  const sent = { requests: github.stats.requests, refused: github.stats.refused };
  let graphqlPoints = 0;
  const repositories: RepositoryEstimate[] = [];
  const samples: AuthorSample[] = [];
  // What is left of each limit: the cost planner weighs each way against it, as the run does.
  const before = await dependencies.rateLimitStatus();
  const left = budgetsUnder(settings.plan, { rest: before?.core.remaining ?? fullHour.rest, points: before?.graphql?.remaining ?? fullHour.points });
  for (const [index, requested] of settings.repositories.entries()) {
    const position = { index: index + 1, total: settings.repositories.length };
    const found = await estimateRepository(requested, position, settings, dependencies, new Set(repositories.map((r) => r.fullName.toLowerCase())), left);
    if (found === null) continue;
    repositories.push(found.estimate);
    samples.push(...found.samples);
    graphqlPoints += found.graphqlPoints;
  }

  const names = settings.names ? estimateNames(github, settings, samples) : null;
  const spentRequests = github.stats.requests - github.stats.refused - (sent.requests - sent.refused);
  // And again after what the dry run itself asked.
  const status = await dependencies.rateLimitStatus();
  const every = [...repositories.flatMap((r) => r.sources), ...(names ? [names] : [])];
  const rest = planBucket(every.filter((s) => s.api === 'rest'), status?.core ?? null, settings.hasToken, now());
  const graphqlSources = every.filter((s) => s.api === 'graphql');
  const graphql = settings.hasToken ? planBucket(graphqlSources, status?.graphql ?? null, true, now()) : null;
  return {
    repositories,
    names,
    spent: { requests: spentRequests - graphqlPoints, graphqlPoints },
    rest,
    graphql,
    hasToken: settings.hasToken,
    cache: settings.cache,
    at: new Date(now()),
  };
}

/** One repository's sources; null when, under its current name, it is one already estimated (an old name of it). */
async function estimateRepository(
  requested: RepositoryName,
  position: RepositoryPosition,
  settings: DryRunSettings,
  { github, reporter }: DryRunDependencies,
  done: ReadonlySet<string>,
  left: BudgetsLeft,
): Promise<{ estimate: RepositoryEstimate; samples: AuthorSample[]; graphqlPoints: number } | null> {
  const requestedName = `${requested.owner}/${requested.repo}`;
  const info = await fetchRepository(requestedName, github, settings.hasToken);
  // Seen after fetching, as the run that follows will find the cache (a renamed one is cached under both names).
  const repositoryFreshness = github.freshness(`/repos/${requestedName.split('/').map(encodeURIComponent).join('/')}`);
  const fullName = info.full_name;
  if (done.has(fullName.toLowerCase())) return null;
  reporter.repositoryStarted(fullName, position);
  const [owner = '', repo = ''] = fullName.split('/');
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const sources: SourceEstimate[] = [estimateRepositoryItself(requestedName, fullName, repositoryFreshness)];

  const context: PolicyContext = { github, repoPath, refresh: settings.refresh, pushed: { at: info.pushed_at, branch: info.default_branch } };
  const since = settings.since;
  const wants = (kind: Kind): boolean => counts(settings.selection, kind);
  // Co-authors are read from the commits: with --since, the very listing code walks (no request more).
  const commits = commitsListing(since);
  const coAuthors = commits === codeListing(since) ? null : commits;
  const chosen = chooseListings(context, settings, info.has_issues, coAuthors);
  let looked = 0;
  const looks = new Map(
    await Promise.all(
      chosen.map(async ([name, listing]): Promise<[string, ListingLook]> => {
        const look = await listing();
        looked += 1;
        reporter.progress(fullName, 'first pages', { pagesDone: looked, pagesKnown: chosen.length });
        return [name, look];
      }),
    ),
  );
  await estimateCommentsWay(context, settings, info.has_issues, looks, left);
  const issues = looks.get('issues');
  const triage = looks.get('triage');
  if (settings.hasToken && since === null && issues && triage) Object.assign(triage, await estimateTriage(context, triage, issues.items, left));
  sources.push(...[...looks.values()].flatMap((look) => [look.estimate, ...(look.more ?? [])]));
  if (!coAuthors && wants('co-author')) sources.push({ source: declared.coAuthors.label, api: 'rest', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'the commits code lists with --since: no request more' });

  const sentBefore = github.stats.requests;
  // Where issues are off, the pull requests were counted by their own REST listing.
  if (wants('review')) sources.push(await estimateReviews(context, settings.hasToken, info.has_issues ? null : (looks.get('issues')?.items ?? 0), reviewsKeptShare(context, looks.get('issues'))));
  if (wants('discussion')) sources.push(await estimateDiscussions(context, settings.hasToken, info.has_discussions));
  // The history's head: a GraphQL query with a token, the REST listing's first page without.
  if (coAuthors && wants('co-author')) sources.push(...(await estimateHistory({ ...context, fullName, warn: (message) => reporter.warn(message) }, settings.hasToken, left, settings.concurrency)));
  const graphqlPoints = settings.hasToken ? github.stats.requests - sentBefore : 0;
  if (wants('contributors-file')) sources.push(...contentsEstimates(context, since));
  if (settings.wiki && info.has_wiki) sources.push({ source: declared.wiki.label, api: 'git', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'a git clone' });
  // The commits' authors are the code listing's people, sampled there already.
  return { estimate: { fullName, sources }, samples: [...looks.values()].map((look) => ({ logins: look.logins, items: look.items })), graphqlPoints };
}

/**
 * Of the pull requests on the issues listing's first page, the share whose reviews are kept as of
 * their `updated_at` (collectors/reviews.ts keeps them so): the run asks none of those again.
 */
function reviewsKeptShare(context: PolicyContext, issues: ListingLook | undefined): number {
  const pulls = (issues?.firstItems ?? []).filter((item): item is { number: number; updated_at?: string } => isRecord(item) && isRecord(item.pull_request) && typeof item.number === 'number');
  if (pulls.length === 0) return 0;
  const kept = pulls.filter(({ number, updated_at: updatedAt }) => {
    const reviews = context.github.recall(`${context.repoPath}/graphql/reviews/${number}`, (body) => body, Number.POSITIVE_INFINITY);
    return isRecord(reviews) && reviews.updatedAt === updatedAt;
  });
  return kept.length / pulls.length;
}

/** The repository itself. A renamed repository is asked under its old name (a 301), then under its new one; both are cached. */
function estimateRepositoryItself(requestedName: string, fullName: string, freshness: Freshness): SourceEstimate {
  const moved = fullName.toLowerCase() !== requestedName.toLowerCase();
  const asked = moved ? 2 : 1;
  return {
    source: declared.repository.label,
    api: 'rest',
    requests: asked,
    cached: freshness === 'absent' ? 0 : asked,
    checks: freshness === 'stale' ? 1 : 0,
    accuracy: 'exact',
    ...(moved ? { note: `moved to ${fullName}` } : {}),
  };
}

/**
 * The listings whose first page the dry run looks at, by name, for the kinds selected: the collectors'
 * own declarations (collectors/sources.ts), so the first pages fetched here are the cached first pages
 * of the run. `coAuthors` is the commits listing when it is not the one code walks (its history is
 * priced by estimate-history.ts).
 */
function chooseListings(context: PolicyContext, settings: DryRunSettings, hasIssues: boolean, coAuthors: ListingDeclaration<CommitAuthor> | null): Array<[string, () => Promise<ListingLook>]> {
  const since = settings.since;
  const code = codeListing(since);
  const wants = (kind: Kind): boolean => counts(settings.selection, kind);
  // The issues listing also tells reviews (and comments through GraphQL) which items there are.
  const needsIssues = wants('issue') || wants('pull-request') || wants('review') || ((wants('comment') || wants('triage')) && settings.hasToken && since === null);
  return [
    ...(wants('code') || (wants('co-author') && coAuthors === null)
      ? [['code', () => (code === declared.contributors ? lookAtListing(context, declared.contributors, since) : lookAtListing(context, declared.commitsSince, since))] as [string, () => Promise<ListingLook>]]
      : []),
    ...(
      [
        ['issues', needsIssues, issuesListing(hasIssues)],
        ['comments', wants('comment'), declared.comments],
        ['reviewComments', wants('review-comment'), declared.reviewComments],
        ['commitComments', wants('commit-comment'), declared.commitComments],
      ] as const
    ).flatMap(([name, wanted, listing]): Array<[string, () => Promise<ListingLook>]> => (wanted ? [[name, () => lookAtListing(context, listing, since)]] : [])),
    ...(wants('triage') ? [['triage', () => lookAtEvents(context, since)] as [string, () => Promise<ListingLook>]] : []),
  ];
}

/** With a token, comments may be read thread by thread through GraphQL: the comments' estimate becomes the way the planner picks. */
async function estimateCommentsWay(context: PolicyContext, settings: DryRunSettings, hasIssues: boolean, looks: ReadonlyMap<string, ListingLook>, left: BudgetsLeft): Promise<void> {
  const issues = looks.get('issues');
  const comments = looks.get('comments');
  if (!settings.hasToken || settings.since !== null || !comments) return;
  if (!hasIssues) {
    // Issues off: only GraphQL reads the pull requests' conversations, a query per 100 at least.
    const pulls = issues?.items ?? 0;
    comments.estimate = { source: declared.threads.label, api: 'graphql', requests: Math.max(1, Math.ceil(pulls / perPage)), cached: 0, checks: 0, accuracy: 'at least', note: `${pulls.toLocaleString('en-US')} pull requests; issues are off` };
  } else if (issues) {
    const listing = planCache(context, declared.issues.policy, declared.issues.uri(context.repoPath, null));
    comments.estimate = await estimateComments(context, comments.estimate, issues.items, left, listing.incremental && listing.base === 'stale');
  }
}

function planBucket(sources: readonly SourceEstimate[], limit: LimitStatus | null, hasToken: boolean, now: number): BucketPlan {
  const toAsk = sources.reduce((sum, s) => sum + s.requests - s.cached + s.checks, 0);
  // A 304 costs nothing with a token: https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
  const cost = sources.reduce((sum, s) => sum + s.requests - s.cached + (hasToken ? 0 : s.checks), 0);
  if (limit === null) return { toAsk, cost, limit, fits: null, resets: 0, waitMs: 0 };
  if (cost <= limit.remaining) return { toAsk, cost, limit, fits: true, resets: 0, waitMs: 0 };
  const resets = limit.limit === 0 ? Number.POSITIVE_INFINITY : Math.ceil((cost - limit.remaining) / limit.limit);
  const waitMs = Math.max(0, limit.resetAt.getTime() - now) + (resets - 1) * hourMs;
  return { toAsk, cost, limit, fits: false, resets, waitMs };
}
