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
