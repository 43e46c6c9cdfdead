/**
 * Pure: which contributions the user asked for (`--no-bots`, `--exclude`), applied before names are
 * looked up (fewer requests) and before the report is built (its counts agree with its rows).
 */
import type { Contribution } from '../domain/contribution.js';
import { isBot } from '../domain/contribution.js';

export interface Selection {
  bots: boolean;
  /** Login patterns; `*` matches any run of characters; case-insensitive. */
  exclude: readonly string[];
}

export function loginPattern(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function selectContributions(contributions: readonly Contribution[], selection: Selection): Contribution[] {
  const patterns = selection.exclude.map(loginPattern);
  return contributions.filter(({ who }) => {
    if (!selection.bots && isBot(who.login, who.type)) return false;
    return who.login === null || !patterns.some((pattern) => pattern.test(who.login as string));
  });
}
