import type { Contribution } from '../domain/contribution.js';
import type { GitHubHelper, PageProgress } from '../github/helper.js';

export interface CollectorContext {
  github: GitHubHelper;
  /** `owner/repo` as GitHub spells it now. */
  fullName: string;
  /** `/repos/owner/repo`, URL-encoded. */
  repoPath: string;
  /** `--since`, as GitHub's `since` takes it; null for all time. */
  since: string | null;
  /**
   * How a listing older than --max-age is brought up to date: `incremental`, its cached pages plus a
   * `since` walk of what changed; `revalidate` (--refresh, --max-age 0), every page asked again.
   */
  refresh: 'incremental' | 'revalidate';
  /** The repository's last push (`pushed_at`) and default branch, as it was asked for this run. */
  pushed: { at: string | null; branch: string | null };
  progress(source: string, pages: PageProgress): void;
  warn(message: string): void;
}

export interface CollectorResult {
  contributions: Contribution[];
  /** A source that could not be counted whole makes the report incomplete. */
  complete: boolean;
}
