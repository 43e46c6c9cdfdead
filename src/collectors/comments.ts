import { collectAuthorsOf } from './listing.js';
import type { CollectorContext, CollectorResult } from './types.js';

const ascending = 'sort=created&direction=asc&per_page=100';

/** `comment`: comments on issues and pull-request conversations, repository-wide. */
export async function collectIssueComments(context: CollectorContext): Promise<CollectorResult> {
  // https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository
  return collectAuthorsOf(context, 'comments', `/issues/comments?${ascending}`, 'comment');
}

/** `review-comment`: inline code comments on pull requests, repository-wide. */
export async function collectReviewComments(context: CollectorContext): Promise<CollectorResult> {
  // https://docs.github.com/rest/pulls/comments#list-review-comments-in-a-repository
  return collectAuthorsOf(context, 'review comments', `/pulls/comments?${ascending}`, 'review-comment');
}

/** `commit-comment`: comments on commits (the listing takes no sort parameters). */
export async function collectCommitComments(context: CollectorContext): Promise<CollectorResult> {
  // https://docs.github.com/rest/commits/comments#list-commit-comments-for-a-repository
  return collectAuthorsOf(context, 'commit comments', '/comments?per_page=100', 'commit-comment');
}
