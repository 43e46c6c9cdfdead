import type { ListingItem } from '../github/shapes.js';
import { countAuthors, fetchListingItems } from './listing.js';
import { issuesListing } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

/**
 * `issue` and `pull-request` authors from one listing: GitHub's issues listing holds both, pull
 * requests marked by `pull_request` (https://docs.github.com/rest/issues/issues#list-repository-issues).
 * Oldest first, so the pages already fetched stay the same while the repository grows: a resumed run
 * misses nothing. Where issues are turned off (the listing answers 410), pull requests come from
 * their own listing.
 */
export async function collectIssuesAndPullRequests(context: CollectorContext, hasIssues: boolean): Promise<CollectorResult & { items: ListingItem[]; pullRequests: ListingItem[] }> {
  if (hasIssues) {
    const { items, complete } = await fetchListingItems(context, issuesListing(true));
    const pullRequests = items.filter((item) => item.pull_request);
    return {
      contributions: [...countAuthors(context, 'issues', items.filter((item) => !item.pull_request), 'issue'), ...countAuthors(context, 'pull requests', pullRequests, 'pull-request')],
      complete,
      items,
      pullRequests: inCreationOrder(pullRequests),
    };
  }
  const { items: listed, complete } = await fetchListingItems(context, issuesListing(false));
  // Marked as the issues listing marks them: each is asked through GraphQL as a `pullRequest`.
  const pullRequests = listed.map((item): ListingItem => ({ ...item, pull_request: {} }));
  return { contributions: countAuthors(context, 'pull requests', pullRequests, 'pull-request'), complete, items: pullRequests, pullRequests: inCreationOrder(pullRequests) };
}

/** Oldest first, as GraphQL pages them (a windowed walk appends in the order of updates). */
function inCreationOrder(items: ListingItem[]): ListingItem[] {
  return [...items].sort((a, b) => ((a.created_at ?? '') < (b.created_at ?? '') ? -1 : (a.created_at ?? '') > (b.created_at ?? '') ? 1 : a.id - b.id));
}
