/**
 * Pure: which contributions the user asked for (`--no-bots`, `--exclude`), applied before names are
 * looked up (fewer requests) and before the report is built (its counts agree with its rows).
 */
import type { Contribution } from '../domain/contribution.js';
import { isBot } from '../domain/contribution.js';
import { globPattern } from '../domain/glob.js';

export interface Selection {
  bots: boolean;
  /** Login patterns; `*` matches any run of characters; case-insensitive. */
  exclude: readonly string[];
}

/** `--exclude` patterns hold no `?` (a login cannot): only `*` is a wildcard. */
export function loginPattern(pattern: string): RegExp {
  return globPattern(pattern);
}

export function selectContributions(contributions: readonly Contribution[], selection: Selection): Contribution[] {
  const patterns = selection.exclude.map(loginPattern);
  return contributions.filter(({ who }) => {
    if (!selection.bots && isBot(who.login, who.type)) return false;
    return who.login === null || !patterns.some((pattern) => pattern.test(who.login as string));
  });
}
