/**
 * `octohatrack acme` (or `acme/*`): the repositories the command line names, with each owner's listed
 * (through the memoised helper, so a rerun within --max-age asks nothing and goes through the same
 * repositories) and chosen as `--include-forks`, `--include-archived` and `--exclude-repo` say.
 */
import { sources } from '../collectors/sources.js';
import type { FilteredRepositories, RepositoryFilter } from '../domain/repository-filter.js';
import { filterRepositories } from '../domain/repository-filter.js';
import type { RepositoryName, RepositoryTarget } from '../domain/repository-name.js';
import { formatRepositoryName, splitFullName } from '../domain/repository-name.js';
import { CliError } from '../errors.js';
import type { GitHubHelper } from '../github/helper.js';
import { HttpStatusError } from '../github/helper.js';
import type { OwnerRepository } from '../github/shapes.js';
import { plural } from '../text/plural.js';
import type { RunReporter } from './report.js';

export interface OwnerListing {
  /** Whose listing answered: the organisation's, or (where there is no such organisation) the user's. */
  account: 'organization' | 'user';
  repositories: OwnerRepository[];
}

/**
 * Every repository the targets name, in their order, each once: a repository as it is given; an
 * owner's, listed and filtered. An owner with none left is an error (exit 1) before anything else is
 * asked: a report that silently leaves out what was asked for would mislead.
 */
export async function resolveRepositories(targets: readonly RepositoryTarget[], filter: RepositoryFilter, github: GitHubHelper, reporter: Pick<RunReporter, 'note'>): Promise<RepositoryName[]> {
  const repositories: RepositoryName[] = [];
  for (const target of targets) {
    if (target.kind === 'repository') {
      repositories.push(target.name);
      continue;
    }
    const listing = await listOwnerRepositories(github, target.owner);
    const filtered = filterRepositories(
      listing.repositories.map((repository) => ({ fullName: repository.full_name, fork: repository.fork, archived: repository.archived })),
      filter,
    );
    if (filtered.kept.length === 0) throw new CliError(describeNoneLeft(target.owner, listing, filtered));
    reporter.note(describeOwner(target.owner, listing, filtered));
    repositories.push(...filtered.kept.map((repository) => splitFullName(repository.fullName)));
  }
  const seen = new Set<string>();
  return repositories.filter((repository) => {
    const key = formatRepositoryName(repository).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The organisation's repositories, else (404: no such organisation) the user's. */
export async function listOwnerRepositories(github: GitHubHelper, owner: string): Promise<OwnerListing> {
  const declared = sources.ownerRepositories;
  try {
    const organization = await github.getOptionalListing(declared.organizationUri(owner), declared.shape);
    if (organization !== null) return { account: 'organization', repositories: organization };
    const user = await github.getOptionalListing(declared.userUri(owner), declared.shape);
    if (user !== null) return { account: 'user', repositories: user };
  } catch (error) {
    if (error instanceof HttpStatusError && (error.status === 403 || error.status === 451)) {
      throw new CliError(`GitHub refused to list the repositories of ${owner}: ${error.githubMessage || `status ${error.status}`}`, { cause: error });
    }
    throw error;
  }
  throw new CliError(`${owner} not found: there is no organisation or user of that name (check the spelling, or give owner/repo for one repository)`);
}

/** `acme: 4 repositories (organisation); left out: 1 fork, 1 archived (--include-forks, --include-archived to count them)` */
function describeOwner(owner: string, listing: OwnerListing, filtered: FilteredRepositories): string {
  const leftOut = describeLeftOut(filtered);
  return `${owner}: ${plural(filtered.kept.length, 'repository', 'repositories')} (${describeAccount(listing)})${leftOut ? `; left out: ${leftOut}` : ''}`;
}

function describeNoneLeft(owner: string, listing: OwnerListing, filtered: FilteredRepositories): string {
  if (listing.repositories.length === 0) {
    return `${owner} (${describeAccount(listing)}) has no repositories that GitHub lists${listing.account === 'organization' ? ' (its private ones need a token with access to them)' : ''}: nothing to report`;
  }
  return `${owner} (${describeAccount(listing)}) has no repositories left to report: ${describeLeftOut(filtered)}`;
}

function describeAccount(listing: OwnerListing): string {
  return listing.account === 'organization' ? 'an organisation' : 'a user';
}

/** `2 forks, 1 archived (--include-forks, --include-archived to count them), 3 matched by --exclude-repo` */
function describeLeftOut(filtered: FilteredRepositories): string {
  const flags = [filtered.forks > 0 ? '--include-forks' : null, filtered.archived > 0 ? '--include-archived' : null].filter((flag) => flag !== null);
  const parts = [
    filtered.forks > 0 ? plural(filtered.forks, 'fork') : null,
    filtered.archived > 0 ? `${filtered.archived} archived` : null,
  ].filter((part) => part !== null);
  const skipped = parts.length > 0 ? `${parts.join(', ')} (${flags.join(', ')} to count ${filtered.forks + filtered.archived === 1 ? 'it' : 'them'})` : null;
  const excluded = filtered.excluded > 0 ? `${filtered.excluded} matched by --exclude-repo` : null;
  return [skipped, excluded].filter((part) => part !== null).join(', ');
}
