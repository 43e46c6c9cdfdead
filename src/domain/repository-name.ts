/** A repository as the user names it (`owner/repo`), and as GitHub spells it back (`full_name`). */
export interface RepositoryName {
  owner: string;
  repo: string;
}

export function formatRepositoryName(name: RepositoryName): string {
  return `${name.owner}/${name.repo}`;
}

/** GitHub's `full_name` (`owner/repo`, checked where it is read) as its two parts. */
export function splitFullName(fullName: string): RepositoryName {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}

/**
 * What the command line names: one repository (`owner/repo`), or every repository of an
 * organisation or user (`acme`, `acme/*`).
 */
export type RepositoryTarget = { kind: 'repository'; name: RepositoryName } | { kind: 'owner'; owner: string };
