/**
 * Pure: contributions from every source and repository → one row per person, merged and sorted.
 */
import type { AccountType, Contribution, Identity, Kind, UserProfile } from '../domain/contribution.js';
import { kinds as allKinds } from '../domain/contribution.js';
import { sanitizeText } from '../text/sanitize.js';

export interface RepositoryContributions {
  fullName: string;
  contributions: readonly Contribution[];
  complete: boolean;
}

export interface RepositorySummary {
  fullName: string;
  githubContributors: number;
  allContributors: number;
}

export interface ReportPerson {
  login: string | null;
  name: string | null;
  type: AccountType | null;
  kinds: Kind[];
  counts: Partial<Record<Kind, number>>;
  repositories: string[];
}

export interface Report {
  complete: boolean;
  repositories: RepositorySummary[];
  contributors: ReportPerson[];
}

interface Draft extends ReportPerson {
  fileName: string | null;
  email: string | null;
}

/** People are keyed by login, case-insensitively; others by email, else by name. */
export function personKey(who: Identity): string {
  if (who.login !== null) return `login:${who.login.toLowerCase()}`;
  if (who.email) return `email:${who.email.toLowerCase()}`;
  return `name:${(who.name ?? '').trim().toLowerCase()}`;
}

export function buildReport(repositories: readonly RepositoryContributions[], profiles: ReadonlyMap<string, UserProfile> = new Map()): Report {
  const people = new Map<string, Draft>();
  const summaries: RepositorySummary[] = [];
  for (const repository of repositories) {
    const everyone = new Set<string>();
    const github = new Set<string>();
    for (const contribution of repository.contributions) {
      const { who } = contribution;
      if (who.login === null && !who.name && !who.email) continue;
      const key = personKey(who);
      everyone.add(key);
      if (contribution.kind === 'code') github.add(key);
      let draft = people.get(key);
      if (!draft) {
        draft = { login: who.login, name: null, type: who.type, kinds: [], counts: {}, repositories: [], fileName: null, email: who.login === null ? (who.email ?? null) : null };
        people.set(key, draft);
      }
      // Listings spell the login as GitHub does; a CONTRIBUTORS file (no type) may not.
      if (who.type !== null && draft.type === null) {
        draft.type = who.type;
        draft.login = who.login;
      }
      if (who.name && !draft.fileName) draft.fileName = who.name;
      draft.counts[contribution.kind] = (draft.counts[contribution.kind] ?? 0) + contribution.count;
      if (!draft.repositories.includes(repository.fullName)) draft.repositories.push(repository.fullName);
    }
    summaries.push({ fullName: repository.fullName, githubContributors: github.size, allContributors: everyone.size });
  }

  const contributors = [...people.values()].map((draft): ReportPerson => {
    const profile = draft.login === null ? undefined : profiles.get(draft.login.toLowerCase());
    const rawName = profile?.name ?? draft.fileName;
    const name = rawName ? sanitizeText(rawName) || null : null;
    const login = draft.login === null ? null : sanitizeText(draft.login);
    return {
      login,
      name: login === null && name === null && draft.email ? sanitizeText(draft.email) : name,
      type: profile?.type ?? (login === null ? null : (draft.type ?? 'User')),
      kinds: allKinds.filter((kind) => draft.counts[kind] !== undefined).sort(),
      counts: Object.fromEntries(allKinds.filter((kind) => draft.counts[kind] !== undefined).sort().map((kind) => [kind, draft.counts[kind]])),
      repositories: [...draft.repositories].sort(),
    };
  });
  contributors.sort(compareByDisplayName);

  return {
    complete: repositories.every((repository) => repository.complete),
    repositories: summaries,
    contributors,
  };
}

export function displayName(person: Pick<ReportPerson, 'login' | 'name'>): string {
  return person.name ?? person.login ?? '';
}

function compareByDisplayName(a: ReportPerson, b: ReportPerson): number {
  const byName = displayName(a).toLowerCase().localeCompare(displayName(b).toLowerCase(), 'en');
  if (byName !== 0) return byName;
  return (a.login ?? '').toLowerCase().localeCompare((b.login ?? '').toLowerCase(), 'en');
}
