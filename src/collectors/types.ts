import type { Contribution, UserProfile } from '../domain/contribution.js';
import type { PageProgress } from '../github/helper.js';
import type { PolicyContext } from './cache-policy.js';

/** What a collector is handed: the helper, the repository, and how cached answers are used (cache-policy.ts). */
export interface CollectorContext extends PolicyContext {
  /** `owner/repo` as GitHub spells it now. */
  fullName: string;
  /** `--since`, as GitHub's `since` takes it; null for all time. */
  since: string | null;
  progress(source: string, pages: PageProgress): void;
  warn(message: string): void;
}

export interface CollectorResult {
  contributions: Contribution[];
  /** A source that could not be counted whole makes the report incomplete. */
  complete: boolean;
  /** Display names its GraphQL answers of this run carried (inline-names.ts): not asked again by the names step. */
  profiles?: UserProfile[];
}
