/**
 * After a push: the commits the new head has that the old one had not, `GET
 * /repos/{o}/{r}/compare/{old}...{new}` — "equivalent to running the `git log base..head` command",
 * oldest first, `per_page` and `page` to paginate. With `status` `ahead`, they are exactly what is
 * new, merged commits older than the old head included (which a newest-first walk down to the old
 * head would miss). `behind` or `diverged` (a force push): the history is to be read anew.
 * https://docs.github.com/rest/commits/commits#compare-two-commits
 */
import { ShapeError, withPage } from '../github/helper.js';
import type { CommitAuthor } from '../github/shapes.js';
import { isRecord, shapeCommitsPage } from '../github/shapes.js';
import { settleAll } from '../github/settle.js';
import { perPage, sources } from './sources.js';
import type { CollectorContext } from './types.js';

/** A page of a comparison, shaped (without its `files`): the same keys as GitHub's, so shaping it again changes nothing. */
interface ComparisonPage {
  status: string;
  ahead_by: number;
  total_commits: number;
  commits: CommitAuthor[];
}

export function shapeComparison(body: unknown): ComparisonPage {
  if (!isRecord(body) || typeof body.status !== 'string' || typeof body.ahead_by !== 'number' || typeof body.total_commits !== 'number') throw new ShapeError('not a comparison of two commits');
  return { status: body.status, ahead_by: body.ahead_by, total_commits: body.total_commits, commits: shapeCommitsPage(body.commits) };
}

/**
 * The commits `head` has that `base` has not, when `head` is ahead of it; null when it is not (or
 * GitHub no longer knows `base`: 404), or the pages do not hold as many as it says. Each page is
 * keyed on the two shas: used from the cache whatever its age.
 */
export async function commitsSince(context: CollectorContext, base: string, head: string): Promise<CommitAuthor[] | null> {
  const uri = sources.coAuthors.compareUri(context.repoPath, base, head);
  const first = await context.github.getOptionalJSON(uri, shapeComparison, { trustCached: true });
  if (first === null || first.status !== 'ahead') return null;
  const pages = Math.max(1, Math.ceil(first.total_commits / perPage));
  const rest = await settleAll(Array.from({ length: pages - 1 }, (_, index) => context.github.getOptionalJSON(withPage(uri, index + 2), shapeComparison, { trustCached: true })));
  const commits = [first, ...rest].flatMap((page) => page?.commits ?? []);
  return new Set(commits.map((commit) => commit.sha)).size === first.ahead_by ? commits : null;
}
