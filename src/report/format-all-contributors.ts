/**
 * Pure: the report as an `.all-contributorsrc` (https://allcontributors.org/docs/en/bot/configuration),
 * for the all-contributors tools to render: `contributors` carry `login`, `name`, `avatar_url`,
 * `profile` and `contributions`, our kinds mapped to its contribution types (SPEC §4).
 */
import type { AllContributorsRc, RcContributor } from '../domain/all-contributors-rc.js';
import type { Kind } from '../domain/contribution.js';
import type { Report, ReportPerson } from './build.js';

/**
 * Our kinds as all-contributors types (https://allcontributors.org/docs/en/emoji-key). A pull request
 * is code offered, merged or not; a co-author wrote a commit's code with its author.
 * `contributors-file` has no type of its own: a person credited in an existing `.all-contributorsrc`
 * keeps the types it gives them. Triage (labelling, assigning, closing, merging) is the tracker's
 * upkeep: `maintenance` (🚧, "Refactoring, upkeep").
 */
export const allContributorsTypes: Record<Exclude<Kind, 'contributors-file'>, string> = {
  code: 'code',
  'co-author': 'code',
  'pull-request': 'code',
  issue: 'bug',
  review: 'review',
  'review-comment': 'review',
  'commit-comment': 'review',
  wiki: 'doc',
  comment: 'question',
  triage: 'maintenance',
  discussion: 'question',
};

export interface AllContributorsContext {
  /** `$GITHUB_SERVER_URL`: profiles and avatars link there. */
  serverUrl: string;
  /** The repository's own `.all-contributorsrc`, if it has one: its settings and its entries are kept. */
  existing: AllContributorsRc | null;
}

export interface AllContributorsDocument {
  text: string;
  /** People known only by a name or an email: all-contributors needs a GitHub login, so they are left out. */
  leftOut: string[];
  /** The file's `projectOwner/projectName`: one of several repositories', when there are several. */
  project: string;
}

export function formatAllContributors(report: Report, context: AllContributorsContext): AllContributorsDocument {
  const existing = new Map((context.existing?.contributors ?? []).map((entry) => [entry.login.toLowerCase(), entry]));
  const withLogin = report.contributors.filter((person): person is ReportPerson & { login: string } => person.login !== null);
  // Who the file already lists stays where it is, so that a regenerated file changes only where people were added.
  const rank = new Map([...existing.keys()].map((login, index) => [login, index]));
  const ordered = [...withLogin].sort((a, b) => (rank.get(a.login.toLowerCase()) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.login.toLowerCase()) ?? Number.MAX_SAFE_INTEGER));
  const contributors = ordered.map((person) => toEntry(person, existing.get(person.login.toLowerCase()), context.serverUrl));
  const [owner = '', name = ''] = (report.repositories[0]?.fullName ?? '/').split('/');
  const settings = context.existing?.settings ?? {
    projectName: name,
    projectOwner: owner,
    repoType: 'github',
    repoHost: context.serverUrl,
    files: ['README.md'],
    imageSize: 100,
    commit: false,
    commitConvention: 'none',
    contributorsPerLine: 7,
  };
  return {
    project: `${String(settings.projectOwner ?? '')}/${String(settings.projectName ?? '')}`,
    text: `${JSON.stringify({ ...settings, contributors }, null, 2)}\n`,
    leftOut: report.contributors.filter((person) => person.login === null).map((person) => person.name ?? ''),
  };
}

function toEntry(person: ReportPerson & { login: string }, given: RcContributor | undefined, serverUrl: string): RcContributor {
  const types = [...(given?.contributions ?? [])];
  for (const [kind, type] of Object.entries(allContributorsTypes)) {
    if (person.kinds.includes(kind as Kind) && !types.includes(type)) types.push(type);
  }
  // A bot's page is its app's (github.com/apps/dependabot for dependabot[bot]), as in the markdown format.
  const app = /^(.+)\[bot\]$/.exec(person.login)?.[1];
  return {
    login: given?.login ?? person.login,
    name: given?.name ?? person.name ?? person.login,
    avatar_url: given?.avatar_url ?? `${serverUrl}/${encodeURIComponent(person.login)}.png`,
    profile: given?.profile ?? (app === undefined ? `${serverUrl}/${encodeURIComponent(person.login)}` : `${serverUrl}/apps/${encodeURIComponent(app)}`),
    contributions: types,
  };
}
