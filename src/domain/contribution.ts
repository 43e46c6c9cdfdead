/**
 * What the whole program counts: who contributed (an identity), how (a kind, SPEC §3) and how often.
 * Collectors make contributions, the report merges them; both speak this vocabulary and nothing else of
 * each other's.
 */

/** The fixed vocabulary of SPEC §3. */
export const kinds = [
  'code',
  'co-author',
  'issue',
  'pull-request',
  'comment',
  'review-comment',
  'review',
  'commit-comment',
  'wiki',
  'contributors-file',
  'triage',
  'discussion',
] as const;
export type Kind = (typeof kinds)[number];

/** GitHub's account types; anything else GitHub sends is read as `User`. */
export type AccountType = 'User' | 'Bot' | 'Organization';

/** Someone known by a GitHub login, or only by name and/or email. */
export type Identity =
  | { login: string; type: AccountType | null; name?: string }
  | { login: null; type: null; name: string | null; email?: string };

export interface Contribution {
  who: Identity;
  kind: Kind;
  count: number;
}

/** An account as GitHub describes it: its login as GitHub spells it, its type, its display name if any. */
export interface UserProfile {
  login: string;
  type: AccountType;
  name: string | null;
}

/** GitHub shows a deleted account as `user: null` or as the `ghost` account: one entry, `ghost`. */
export const ghostLogin = 'ghost';

/** A GitHub login: letters, digits and hyphens, not beginning with a hyphen, at most 39 characters. */
const loginPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;

/** A person's or an organisation's login (`octocat`); an app's bot (`dependabot[bot]`) is not one. */
export function isLogin(text: string): boolean {
  return loginPattern.test(text);
}

/** A login GitHub shows as an author: a person's, or an app's bot (`dependabot[bot]`). */
export function isAccountLogin(text: string): boolean {
  return isLogin(text.replace(/\[bot\]$/, ''));
}

export function isBot(login: string | null, type: string | null): boolean {
  return type === 'Bot' || (login !== null && /\[bot\]$/i.test(login));
}
