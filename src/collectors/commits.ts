import type { CommitAuthor } from '../github/shapes.js';
import { planCache } from './cache-policy.js';
import { commitsListing } from './sources.js';
import type { CollectorContext } from './types.js';

/** The default branch's commits, however the run gets them (report.ts walks them once for `code` and `co-author`). */
export type CommitsOf = (context: CollectorContext) => Promise<CommitAuthor[]>;

/**
 * The default branch's commits, 100 a page, newest first: the whole history, or with --since the
 * commits made since (the listing `code` reads then). An empty repository's 409 "Git Repository is
 * empty." is an empty listing (github/pagination.ts). https://docs.github.com/rest/commits/commits#list-commits
 */
export const walkCommits: CommitsOf = async (context) => {
  const listing = commitsListing(context.since);
  const uri = listing.uri(context.repoPath, context.since);
  // Nothing pushed since the listing was checked: its cached pages stand.
  const plan = planCache(context, listing.policy, uri);
  const commits = await context.github.getListing(uri, listing.shape, (progress) => context.progress(listing.label, progress), plan.walk);
  plan.settled();
  return commits;
};
