/**
 * The main command: for each repository, ask every source for its contributions (through the memoised
 * helper), then names, then build the report. No terminal, no process: events go to the reporter.
 */
import { collectCode } from '../collectors/code.js';
import { collectCoAuthors } from '../collectors/co-authors.js';
import type { CommitsOf } from '../collectors/commits.js';
import { walkCommits } from '../collectors/commits.js';
import { collectCommitComments, collectIssueComments, collectReviewComments } from '../collectors/comments.js';
import { collectContributorsFiles } from '../collectors/contributors-file.js';
import { collectIssuesAndPullRequests } from '../collectors/issues.js';
import type { WikiSettings } from '../collectors/wiki.js';
import { collectWiki } from '../collectors/wiki.js';
import { fetchDisplayNames } from '../collectors/names.js';
import { collectReviews } from '../collectors/reviews.js';
import { collectTriage } from '../collectors/triage.js';
import { collectDiscussions } from '../collectors/discussions.js';
import { codeListing, issuesListing, sources as declared } from '../collectors/sources.js';
import type { CollectorContext, CollectorResult } from '../collectors/types.js';
import type { BudgetsLeft } from '../collectors/cost-plan.js';
import { budgetsUnder, fullHour } from '../collectors/cost-plan.js';
import type { Plan } from '../options.js';
import type { RateLimitStatus } from '../github/rate-limit-status.js';
import type { Contribution, Kind, UserProfile } from '../domain/contribution.js';
import type { RepositoryName } from '../domain/repository-name.js';
import { formatRepositoryName, splitFullName } from '../domain/repository-name.js';
import { settleAll } from '../github/settle.js';
import { CliError } from '../errors.js';
import type { GitHubHelper, PageProgress } from '../github/helper.js';
import { HttpStatusError } from '../github/helper.js';
import type { ListingItem, RepositoryInfo } from '../github/shapes.js';
import { shapeRepository } from '../github/shapes.js';
import type { RepositoryContributions, Report } from '../report/build.js';
import { buildReport, personKey } from '../report/build.js';
import type { Selection } from '../report/select.js';
import { countedKinds, counts, selectContributions } from '../report/select.js';

export interface RunReporter {
  /** The run goes on to the `index`th repository (from 1) of `total`. */
  repositoryStarted(repository: string, position: RepositoryPosition): void;
  /** A source has fetched another page (or name). */
  /** `found`: people found so far by every source, pages read included (after --no-bots and --exclude). */
  progress(repository: string, source: string, pages: PageProgress, found?: number): void;
  /** A source is done: `people` found by it, `everyone` found so far by every source (after --no-bots and --exclude). */
  sourceDone(repository: string, source: string, people: number, everyone?: number): void;
  note(message: string): void;
  warn(message: string): void;
}

export interface RepositoryPosition {
  index: number;
  total: number;
}

export interface ReportSettings {
  repositories: readonly RepositoryName[];
  names: boolean;
  /** GraphQL (reviews, batched names) needs a token. */
  hasToken: boolean;
  selection: Selection;
  /** Null: `--no-wiki`. */
  wiki: Omit<WikiSettings, 'fullName' | 'since'> | null;
  /** `--since` (ISO 8601), or null. */
  since: string | null;
  refresh: CollectorContext['refresh'];
  /** How long a display name is used before it is asked for again. */
  namesMaxAgeMs: number;
  /** How a source that can be asked either way is asked (options.ts `Plan`). */
  plan: Plan;
  /** --concurrency: requests in flight at once. */
  concurrency: number;
}

export async function runReport(settings: ReportSettings, github: GitHubHelper, reporter: RunReporter): Promise<Report> {
  const collected: RepositoryContributions[] = [];
  const everyone = new Set<string>();
  // Display names the GraphQL answers of this run carried: the names step does not ask for them.
  const described = new Map<string, UserProfile>();
  // What is left of each limit now (`GET /rate_limit`, free), for the cost planner: asked once, and
  // only when a source could go either way at a cost. Where GitHub does not say, a full hour of each.
  // It is a request like any other: a secondary limit or a failure stops the run as theirs would.
  let status: Promise<RateLimitStatus | null> | null = null;
  const budgets = async (): Promise<BudgetsLeft> => {
    const now = await (status ??= github.rateLimitStatus());
    return budgetsUnder(settings.plan, { rest: now?.core.remaining ?? fullHour.rest, points: now?.graphql?.remaining ?? fullHour.points });
  };
  for (const [index, repository] of settings.repositories.entries()) {
    const position = { index: index + 1, total: settings.repositories.length };
    const found = await collectRepository(repository, position, settings, github, reporter, new Set(collected.map((r) => r.fullName.toLowerCase())), everyone, budgets);
    if (found === null) continue;
    const { profiles, ...contributed } = found;
    for (const profile of profiles) described.set(profile.login.toLowerCase(), profile);
    collected.push({ ...contributed, contributions: selectContributions(contributed.contributions, settings.selection) });
  }
  // One look-up per person: logins differ only in case between sources (a CONTRIBUTORS file may
  // spell one in lower case); the listings come first, so GitHub's own spelling is kept.
  const logins = new Map<string, string>();
  for (const repository of collected) {
    for (const { who } of repository.contributions) {
      if (who.login !== null && !logins.has(who.login.toLowerCase())) logins.set(who.login.toLowerCase(), who.login);
    }
  }
  const profiles = settings.names
    ? await fetchDisplayNames(github, logins.values(), (pages) => reporter.progress('', declared.names.label, pages), settings.hasToken, settings.namesMaxAgeMs, described)
    : new Map();
  if (settings.names) reporter.sourceDone('', declared.names.label, profiles.size);
  return buildReport(collected, profiles);
}

/** Null when the repository, under its current name, is one already collected (an old name of it). */
async function collectRepository(
  requested: RepositoryName,
  position: RepositoryPosition,
  settings: ReportSettings,
  github: GitHubHelper,
  reporter: RunReporter,
  done: ReadonlySet<string>,
  everyone: Set<string>,
  budgets: () => Promise<BudgetsLeft>,
): Promise<(RepositoryContributions & { profiles: UserProfile[] }) | null> {
  const requestedName = formatRepositoryName(requested);
  const info = await fetchRepository(requestedName, github, settings.hasToken);
  if (info.full_name.toLowerCase() !== requestedName.toLowerCase()) {
    reporter.note(`${requestedName} has moved to ${info.full_name}; reporting under the new name`);
  }
  const fullName = info.full_name;
  if (done.has(fullName.toLowerCase())) return null;
  reporter.repositoryStarted(fullName, position);
  const context = collectorContext(github, info, settings, reporter, everyone);

  // Reviews wait for the pull-request listing: it tells which pull requests changed since their reviews were kept.
  let issues: ReturnType<typeof collectIssuesAndPullRequests> | null = null;
  const issuesOnce = (c: CollectorContext): ReturnType<typeof collectIssuesAndPullRequests> => (issues ??= collectIssuesAndPullRequests(c, info.has_issues));
  // With --since, code and co-authors read the same commits: they are walked once.
  let commits: ReturnType<CommitsOf> | null = null;
  const commitsOnce: CommitsOf = (c) => (commits ??= walkCommits(c));
  // With a token and for all time, sources can read the repository's issues and pull requests (the
  // listing, whole) item by item through GraphQL; null where they cannot (cut short, or not asked).
  const itemsToCome = settings.hasToken && settings.since === null;
  const wholeItems = (c: CollectorContext): Promise<readonly ListingItem[] | null> => (itemsToCome ? issuesOnce(c).then((found) => (found.complete ? found.items : null)) : Promise.resolve(null));
  // Each source as collectors/sources.ts declares it, with the kinds it counts (a source of no kind
  // asked for is not run); --dry-run reads the same declarations.
  const every: Array<[string, readonly Kind[], (context: CollectorContext) => Promise<CollectorResult>]> = [
    [codeListing(settings.since).label, ['code'], (c) => collectCode(c, commitsOnce)],
    [declared.coAuthors.label, ['co-author'], (c) => collectCoAuthors(c, { hasToken: settings.hasToken, budgets, concurrency: settings.concurrency }, commitsOnce)],
    [issuesListing(info.has_issues).label, ['issue', 'pull-request'], issuesOnce],
    // With a token and for all time, comments can be asked per thread through GraphQL: the listing
    // says how many each holds and which changed; the cost planner picks the cheaper way.
    [declared.comments.label, ['comment'], (c) => collectIssueComments(c, wholeItems(c), budgets, info.has_issues)],
    [declared.reviewComments.label, ['review-comment'], collectReviewComments],
    // With --since the listing holds only what changed since; cut short, not all of them: either way,
    // GraphQL pages through every pull request instead.
    // Without a token, reviews are skipped and never read the pull requests: handed them anyway, a
    // failed listing (a rate limit) would be a rejection no one handles, which kills the process.
    [declared.reviews.label, ['review'], (c) => collectReviews(c, settings.hasToken, itemsToCome ? issuesOnce(c).then((found) => (found.complete ? found.pullRequests : null)) : Promise.resolve(null))],
    [declared.commitComments.label, ['commit-comment'], collectCommitComments],
    [declared.contributorsFiles.label, ['contributors-file'], collectContributorsFiles],
    // With a token and for all time, triage the listing cannot reach is read from the items' timelines.
    [declared.issueEvents.label, ['triage'], (c) => collectTriage(c, wholeItems(c), budgets, itemsToCome)],
  ];
  // Where discussions are off there is nothing to ask, nor to say.
  if (info.has_discussions) every.push([declared.discussions.label, ['discussion'], (c) => collectDiscussions(c, settings.hasToken, true)]);
  const { wiki } = settings;
  if (wiki && info.has_wiki) every.push([declared.wiki.label, ['wiki'], () => collectWiki({ ...wiki, fullName, since: settings.since }, (message) => reporter.note(message), (message) => reporter.warn(message))]);
  // (The issues listing still runs, unseen, where reviews, comments or triage need it.)
  const sources = every.filter(([, of]) => of.some((kind) => counts(settings.selection, kind)));
  // Every source runs to its end even when another fails, so that all they fetched is cached.
  const results = await settleAll(
    sources.map(async ([source, , collect]) => {
      reporter.progress(fullName, source, { pagesDone: 0, pagesKnown: 1 });
      const found = await collect(context);
      // The issues listing holds both issues and pull requests: only the kinds asked for count.
      const result = { ...found, contributions: found.contributions.filter(({ kind }) => counts(settings.selection, kind)) };
      for (const { who } of selectContributions(result.contributions, settings.selection)) everyone.add(personKey(who));
      reporter.sourceDone(fullName, source, new Set(result.contributions.map((c) => c.who.login ?? c.who.name)).size, everyone.size);
      return result;
    }),
  );
  return {
    fullName,
    contributions: results.flatMap((result) => result.contributions),
    complete: results.every((result) => result.complete),
    profiles: results.flatMap((result) => result.profiles ?? []),
  };
}

/**
 * What every collector of the repository `info` is of is handed. The people a listing's pages name
 * join `everyone` (the people found so far, as the progress shows them) as the pages come, as long
 * as --no-bots and --exclude keep them.
 */
function collectorContext(github: GitHubHelper, info: RepositoryInfo, settings: ReportSettings, reporter: RunReporter, everyone: Set<string>): CollectorContext {
  const fullName = info.full_name;
  const [kind = 'code'] = countedKinds(settings.selection);
  const { owner, repo } = splitFullName(fullName);
  return {
    github,
    fullName,
    repoPath: `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
    since: settings.since,
    refresh: settings.refresh,
    pushed: { at: info.pushed_at, branch: info.default_branch },
    progress: (source, { people, ...pages }) => {
      const named = (people ?? []).flatMap((login): Contribution[] => (login === null ? [] : [{ who: { login, type: null }, kind, count: 1 }]));
      for (const { who } of selectContributions(named, settings.selection)) everyone.add(personKey(who));
      reporter.progress(fullName, source, pages, people === undefined ? undefined : everyone.size);
    },
    warn: (message) => reporter.warn(message),
  };
}

export async function fetchRepository(name: string, github: GitHubHelper, hasToken: boolean): Promise<RepositoryInfo> {
  try {
    // https://docs.github.com/rest/repos/repos#get-a-repository (a renamed one answers 301, followed)
    return await github.getJSON(`/repos/${name.split('/').map(encodeURIComponent).join('/')}`, shapeRepository);
  } catch (error) {
    if (!(error instanceof HttpStatusError)) throw error;
    // A token is suggested only to a run without one; with one, the token may not see it.
    if (error.status === 404) {
      const why = hasToken ? 'or private, and this token cannot see it' : 'or private: set a token with access, export GH_TOKEN=$(gh auth token)';
      throw new CliError(`${name} not found (${why}): check the name`, { cause: error });
    }
    if (error.status === 451) throw new CliError(`access to ${name} is blocked for legal reasons (GitHub answered 451)`, { cause: error });
    if (error.status === 403) throw new CliError(`GitHub refused access to ${name}: ${error.githubMessage || 'forbidden'}`, { cause: error });
    throw error;
  }
}
