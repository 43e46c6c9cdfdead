/**
 * Pure: which of an owner's repositories are reported (`--include-forks`, `--include-archived`,
 * `--exclude-repo`). A repository named on the command line is always reported: these choose only
 * among those an owner's listing brings.
 */
import { globPattern } from './glob.js';

export interface RepositoryFilter {
  forks: boolean;
  archived: boolean;
  /** `--exclude-repo` globs: on the name (`legacy-*`), or with a slash on the full name (`acme/old-*`). */
  exclude: readonly string[];
}

export interface ListedRepository {
  fullName: string;
  fork: boolean;
  archived: boolean;
}

export interface FilteredRepositories {
  kept: ListedRepository[];
  /** Left out, each for the first reason that applies: a fork, archived, or matched by --exclude-repo. */
  forks: number;
  archived: number;
  excluded: number;
}

/** Whether `--exclude-repo <glob>` matches the repository `owner/name`. */
export function matchesRepositoryGlob(glob: string, fullName: string): boolean {
  const name = glob.includes('/') ? fullName : fullName.slice(fullName.indexOf('/') + 1);
  return globPattern(glob).test(name);
}

export function filterRepositories(listed: readonly ListedRepository[], filter: RepositoryFilter): FilteredRepositories {
  const result: FilteredRepositories = { kept: [], forks: 0, archived: 0, excluded: 0 };
  for (const repository of listed) {
    if (repository.fork && !filter.forks) result.forks += 1;
    else if (repository.archived && !filter.archived) result.archived += 1;
    else if (filter.exclude.some((glob) => matchesRepositoryGlob(glob, repository.fullName))) result.excluded += 1;
    else result.kept.push(repository);
  }
  return result;
}
