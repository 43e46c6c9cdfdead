import type { PageProgress } from '../github/helper.js';
import type { PolicyContext } from './cache-policy.js';
import type { AccountType } from '../github/shapes.js';

/** The fixed vocabulary of SPEC §3. */
export const kinds = [
  'code',
  'issue',
  'pull-request',
  'comment',
  'review-comment',
  'review',
  'commit-comment',
  'wiki',
  'contributors-file',
] as const;
export type Kind = (typeof kinds)[number];

/** Someone known by a GitHub login, or only by name and/or email. */
export type Identity =
  | { login: string; type: AccountType | null; name?: string }
  | { login: null; type: null; name: string | null; email?: string };

export interface Contribution {
  who: Identity;
  kind: Kind;
  count: number;
}

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
}
