/**
 * Pure: which contributions the user asked for (`--kinds`, `--skip-kinds`, `--no-bots`, `--exclude`),
 * applied before names are looked up (fewer requests) and before the report is built (its counts agree
 * with its rows). The kinds left out are not asked of GitHub at all (commands/report.ts).
 */
import type { Contribution, Kind } from '../domain/contribution.js';
import { isBot, kinds as everyKind } from '../domain/contribution.js';
import { globPattern } from '../domain/glob.js';

export interface Selection {
  bots: boolean;
  /** Login patterns; `*` matches any run of characters; case-insensitive. */
  exclude: readonly string[];
  /** The kinds to count (every kind unless said). */
  kinds?: ReadonlySet<Kind>;
}

/** Whether a kind is counted under this selection. */
export function counts(selection: Selection, kind: Kind): boolean {
  return selection.kinds === undefined || selection.kinds.has(kind);
}

/** The kinds counted, in the vocabulary's order. */
export function countedKinds(selection: Selection): Kind[] {
  return everyKind.filter((kind) => counts(selection, kind));
}

/** `--exclude` patterns hold no `?` (a login cannot): only `*` is a wildcard. */
export function loginPattern(pattern: string): RegExp {
  return globPattern(pattern);
}

export function selectContributions(contributions: readonly Contribution[], selection: Selection): Contribution[] {
  const patterns = selection.exclude.map(loginPattern);
  return contributions.filter(({ who, kind }) => {
    if (!counts(selection, kind)) return false;
    if (!selection.bots && isBot(who.login, who.type)) return false;
    return who.login === null || !patterns.some((pattern) => pattern.test(who.login as string));
  });
}
