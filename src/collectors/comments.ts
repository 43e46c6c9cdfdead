import { collectAuthorsOf } from './listing.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

/** `comment`: comments on issues and pull-request conversations, repository-wide. */
export async function collectIssueComments(context: CollectorContext): Promise<CollectorResult> {
  return collectAuthorsOf(context, sources.comments, 'comment');
}

/** `review-comment`: inline code comments on pull requests, repository-wide. */
export async function collectReviewComments(context: CollectorContext): Promise<CollectorResult> {
  return collectAuthorsOf(context, sources.reviewComments, 'review-comment');
}

/** `commit-comment`: comments on commits. */
export async function collectCommitComments(context: CollectorContext): Promise<CollectorResult> {
  return collectAuthorsOf(context, sources.commitComments, 'commit-comment');
}
