/**
 * Owners of several repositories, for `octohatrack acme` (every repository of an organisation or a
 * user): an organisation holding ordinary, forked, archived and empty repositories, and a user with
 * repositories of their own. The people of each repository are computed from its data
 * (`computeFacts`), never typed a second time.
 */
import { computeFacts } from './fixtures.js';
import type { FakeRepo, FakeUser } from './types.js';

export interface OwnersFixture {
  users: FakeUser[];
  repos: FakeRepo[];
  /** `owner/name` → the logins its report lists, sorted case-insensitively. */
  people: Record<string, string[]>;
}

/** A repository with code, an issue, a pull request and a comment on the first of them, each by the people given. */
function repository(owner: string, name: string, people: { code: string[]; issue?: string; pull?: string; comment?: string }, extra: Partial<FakeRepo> = {}): FakeRepo {
  return {
    owner,
    name,
    hasWiki: false,
    contributors: people.code.map((login, index) => ({ login, contributions: people.code.length - index })),
    issues: [...(people.issue ? [{ author: people.issue }] : []), ...(people.pull ? [{ author: people.pull, pullRequest: true }] : [])],
    issueComments: people.comment && (people.issue || people.pull) ? [{ author: people.comment, issueNumber: 1 }] : [],
    ...extra,
  };
}

/**
 * `acme` (an organisation): `app` and `docs` (people in common: ada), `empty` (no commits, no
 * issues: nobody), `upstream-fork` (a fork), `attic` (archived) and `legacy-tool` (for
 * --exclude-repo). `solo` (a user): `dotfiles`, `site` and a fork, `solo-fork`. `hollow`: an
 * organisation without repositories.
 */
export function sampleOwners(): OwnersFixture {
  const users: FakeUser[] = [
    { login: 'acme', type: 'Organization', name: 'Acme Corp' },
    { login: 'solo', name: 'Solo Developer' },
    { login: 'hollow', type: 'Organization', name: 'An organisation without repositories' },
    ...['ada', 'ben', 'cleo', 'dan', 'eve', 'fay', 'forker', 'fork-reporter', 'archivist', 'legacy-dev', 'solo-helper', 'solo-fan'].map((login) => ({ login, name: `${login[0]?.toUpperCase()}${login.slice(1)}` })),
  ];
  const repos: FakeRepo[] = [
    repository('acme', 'app', { code: ['ada', 'ben'], issue: 'cleo', pull: 'ben', comment: 'dan' }),
    repository('acme', 'docs', { code: ['ada'], issue: 'eve', pull: 'fay', comment: 'ada' }),
    // An empty repository: /contributors answers 409 "Git Repository is empty.", as GitHub also does.
    repository('acme', 'empty', { code: [] }, { emptyContributorsStatus: 409 }),
    repository('acme', 'upstream-fork', { code: ['forker', 'ada'], issue: 'fork-reporter' }, { fork: true }),
    repository('acme', 'attic', { code: ['archivist'], issue: 'archivist' }, { archived: true }),
    repository('acme', 'legacy-tool', { code: ['legacy-dev'], issue: 'ada' }),
    repository('solo', 'dotfiles', { code: ['solo'], issue: 'solo-fan' }),
    repository('solo', 'site', { code: ['solo', 'solo-helper'], issue: 'solo-fan', comment: 'solo-helper' }),
    repository('solo', 'solo-fork', { code: ['forker'] }, { fork: true }),
  ];
  const people: Record<string, string[]> = {};
  for (const repo of repos) people[`${repo.owner}/${repo.name}`] = computeFacts(users, repo).logins;
  return { users, repos, people };
}

/** The logins of these repositories together, one each, sorted case-insensitively (as the report sorts them). */
export function peopleOfRepositories(fixture: OwnersFixture, fullNames: readonly string[]): string[] {
  const logins = new Set(fullNames.flatMap((fullName) => fixture.people[fullName] ?? []));
  return [...logins].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
}
