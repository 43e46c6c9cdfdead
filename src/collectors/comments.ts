import type { ListingItem } from '../github/shapes.js';
import { countCachedPages, planCache } from './cache-policy.js';
import type { PolicyContext } from './cache-policy.js';
import { QueryTooHeavyError } from '../github/helper.js';
import type { BudgetsLeft } from './cost-plan.js';
import { cheaperWay, fullHour } from './cost-plan.js';
import { collectAuthorsOf } from './listing.js';
import { perPage, sources } from './sources.js';
import { collectThreads, planThreads, pointsToRead } from './threads.js';
import type { CollectorContext, CollectorResult } from './types.js';

/**
 * `comment`: comments on issues and pull-request conversations. `items` are the repository's issues
 * and pull requests, whole (null without a token, with --since, or when the listing was cut short):
 * with them, each thread can be asked through GraphQL instead of the repository-wide REST listing,
 * and the cost planner picks the cheaper way (`budgets`: what is left of each, asked only when both
 * ways cost something). Where GitHub finds even one thread too heavy for GraphQL, the REST listing
 * is asked instead.
 */
export async function collectIssueComments(
  context: CollectorContext,
  items: Promise<readonly ListingItem[] | null>,
  budgets: () => Promise<BudgetsLeft>,
  hasIssues = true,
): Promise<CollectorResult> {
  const known = await items;
  if (known !== null) {
    const cost = commentsCost(context, known);
    // Where issues are off, the REST listing answers 410 ("Issues are disabled"): only GraphQL reads
    // the pull requests' conversations.
    const way = !hasIssues ? 'graphql' : cost.rest > 0 && cost.points > 0 ? cheaperWay(cost, await budgets()) : cheaperWay(cost, fullHour);
    if (way === 'graphql') {
      try {
        return await collectThreads(context, known);
      } catch (error) {
        if (!(error instanceof QueryTooHeavyError)) throw error;
        context.warn(`${context.fullName}: GitHub finds even one thread of comments too heavy to answer through GraphQL: asking its REST listing instead`);
      }
    }
  }
  return collectAuthorsOf(context, sources.comments, 'comment');
}

/**
 * What each way would cost now. The REST listing: a request per 100 comments (the listing's items
 * say how many each holds), less the pages the cache answers; GraphQL: a point per 100 threads a
 * round (threads.ts), less the threads kept unchanged.
 */
export function commentsCost(context: PolicyContext, items: readonly ListingItem[]): { rest: number; points: number } {
  const comments = items.reduce((sum, item) => sum + (item.comments ?? 1), 0);
  const pages = Math.max(1, Math.ceil(comments / perPage));
  const uri = sources.comments.uri(context.repoPath, null);
  const cachePlan = planCache(context, sources.comments.policy, uri);
  const { cached } = countCachedPages(context.github, cachePlan, uri, pages);
  // A cached listing is brought up to date by a `since` walk: a request at least.
  const rest = pages - cached + (cachePlan.incremental && cachePlan.base === 'stale' ? 1 : 0);
  return { rest, points: pointsToRead(planThreads(context, items).threads, items) };
}

/** `review-comment`: inline code comments on pull requests, repository-wide. */
export async function collectReviewComments(context: CollectorContext): Promise<CollectorResult> {
  return collectAuthorsOf(context, sources.reviewComments, 'review-comment');
}

/** `commit-comment`: comments on commits. */
export async function collectCommitComments(context: CollectorContext): Promise<CollectorResult> {
  return collectAuthorsOf(context, sources.commitComments, 'commit-comment');
}
