/**
 * `--dry-run`: what a run would ask GitHub, source by source, minus what the cache already holds,
 * against the rate limits left — fetching no more than the first page of each listing (whose
 * `Link rel="last"` says how many pages it has) and the repository itself. What it fetches is cached
 * as a run would cache it, so the run that follows does not ask for it again.
 */
import type { GitHubHelper } from '../github/helper.js';
import { HttpStatusError, ShapeError, withPage } from '../github/helper.js';
import type { LimitStatus, RateLimitStatus } from '../github/rate-limit-status.js';
import { isRecord } from '../github/shapes.js';
import { namesPerQuery } from '../collectors/names.js';
import type { CachePlan, PolicyContext } from '../collectors/cache-policy.js';
import { pageUse, planCache } from '../collectors/cache-policy.js';
import type { ListingDeclaration } from '../collectors/sources.js';
import { codeListing, issuesListing, perPage, sources as declared } from '../collectors/sources.js';
import { isBot } from '../domain/contribution.js';
import type { RepositoryName } from '../domain/repository-name.js';
import { loginPattern } from '../report/select.js';
import { formatDuration } from '../text/format-duration.js';
import { plural } from '../text/plural.js';
import type { Selection } from '../report/select.js';
import { fetchRepository } from './report.js';
import type { RunReporter } from './report.js';

/** GitHub stops paginating a listing after about this many items; the rest is walked in windows. */
const paginationLimitItems = 40_000;
const hourMs = 3_600_000;

export interface DryRunSettings {
  repositories: readonly RepositoryName[];
  names: boolean;
  hasToken: boolean;
  wiki: boolean;
  since: string | null;
  refresh: 'incremental' | 'revalidate';
  selection: Selection;
  /** False with --no-cache: what the dry run fetches is not kept for the run. */
  cache: boolean;
}

export interface SourceEstimate {
  source: string;
  api: 'rest' | 'graphql' | 'git';
  /** Requests (GraphQL: queries of 1 point) a run with an empty cache makes for this source. */
  requests: number;
  /** Of those, answered from the cache without a request. */
  cached: number;
  /** Of those, cached but older than --max-age: asked again with a conditional request (free with a token when unchanged). */
  checks: number;
  /** How sure the figure is: exact from GitHub's own page count, or a bound or an extrapolation. */
  accuracy: 'exact' | 'at least' | 'at most' | 'about';
  note?: string;
}

export interface RepositoryEstimate {
  fullName: string;
  sources: SourceEstimate[];
}

export interface BucketPlan {
  /** Requests (or points) this run would still ask for. */
  toAsk: number;
  /** What they cost against the limit (conditional checks are free with a token). */
  cost: number;
  limit: LimitStatus | null;
  /** Null when GitHub did not say what is left. */
  fits: boolean | null;
  /** Resets to wait through when it does not fit. */
  resets: number;
  /** About how long those waits take. */
  waitMs: number;
}

export interface RunEstimate {
  repositories: RepositoryEstimate[];
  names: SourceEstimate | null;
  /** What this dry run itself asked GitHub (and cached). */
  spent: { requests: number; graphqlPoints: number };
  rest: BucketPlan;
  graphql: BucketPlan | null;
  hasToken: boolean;
  /** False with --no-cache. */
  cache: boolean;
  /** When the estimate was made (for "resets in …"). */
  at: Date;
}

export interface DryRunDependencies {
  github: GitHubHelper;
  rateLimitStatus: () => Promise<RateLimitStatus | null>;
  reporter: Pick<RunReporter, 'progress' | 'warn'>;
  now?: () => number;
}

interface ListingLook {
  estimate: SourceEstimate;
  /** Authors seen on the first page, in order. */
  logins: string[];
  /** Items in the whole listing, estimated from its page count. */
  items: number;
}

export async function estimateRun(settings: DryRunSettings, dependencies: DryRunDependencies): Promise<RunEstimate> {
  const { github, reporter } = dependencies;
  const now = dependencies.now ?? Date.now;
  const before = { requests: github.stats.requests, refused: github.stats.refused };
  let graphqlPoints = 0;
  const repositories: RepositoryEstimate[] = [];
  const samples: AuthorSample[] = [];

  for (const requested of settings.repositories) {
    const requestedName = `${requested.owner}/${requested.repo}`;
    const info = await fetchRepository(requestedName, github);
    // Seen after fetching, as the run that follows will find the cache (a renamed one is cached under both names).
    const repositoryFreshness = github.freshness(`/repos/${requestedName.split('/').map(encodeURIComponent).join('/')}`);
    const fullName = info.full_name;
    if (repositories.some((r) => r.fullName.toLowerCase() === fullName.toLowerCase())) continue;
    const [owner = '', repo = ''] = fullName.split('/');
    const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
    // A renamed repository is asked under its old name (a 301), then under its new one; both are cached.
    const moved = fullName.toLowerCase() !== requestedName.toLowerCase();
    const asked = moved ? 2 : 1;
    const sources: SourceEstimate[] = [
      {
        source: declared.repository.label,
        api: 'rest',
        requests: asked,
        cached: repositoryFreshness === 'absent' ? 0 : asked,
        checks: repositoryFreshness === 'stale' ? 1 : 0,
        accuracy: 'exact',
        ...(moved ? { note: `moved to ${fullName}` } : {}),
      },
    ];

    const push: PolicyContext = { github, repoPath, refresh: settings.refresh, pushed: { at: info.pushed_at, branch: info.default_branch } };
    const since = settings.since;
    // The collectors' own declarations (collectors/sources.ts): the first pages fetched here are the
    // cached first pages of the run.
    const code = codeListing(since);
    const listings: Array<() => Promise<ListingLook>> = [
      () => (code === declared.contributors ? lookAtListing(push, declared.contributors, since) : lookAtListing(push, declared.commitsSince, since)),
      ...[issuesListing(info.has_issues), declared.comments, declared.reviewComments, declared.commitComments].map((listing) => () => lookAtListing(push, listing, since)),
    ];
    let done = 0;
    const looks = await Promise.all(
      listings.map(async (listing) => {
        const look = await listing();
        done += 1;
        reporter.progress(fullName, 'first pages', { pagesDone: done, pagesKnown: listings.length });
        return look;
      }),
    );
    for (const look of looks) {
      sources.push(look.estimate);
      samples.push({ logins: look.logins, items: look.items });
    }

    // Reviews: one GraphQL query per 100 pull requests (SPEC §3); the pull requests are counted by
    // GraphQL (1 point), or by their own REST listing where issues are off.
    if (!settings.hasToken) {
      sources.push({ source: declared.reviews.label, api: 'graphql', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'skipped: GraphQL needs a token' });
    } else {
      let pullRequests: number;
      if (info.has_issues) {
        const sentBefore = github.stats.requests;
        pullRequests = await countPullRequests(github, repoPath, owner, repo);
        graphqlPoints += github.stats.requests - sentBefore;
      } else {
        pullRequests = looks[1]?.items ?? 0;
      }
      const pages = Math.max(1, Math.ceil(pullRequests / perPage));
      sources.push({
        source: 'reviews',
        api: 'graphql',
        requests: pages,
        cached: 0,
        checks: 0,
        accuracy: 'at most',
        note: `${pullRequests.toLocaleString('en-US')} pull requests`,
      });
    }

    sources.push(...contentsEstimates(push, since));
    if (settings.wiki && info.has_wiki) sources.push({ source: declared.wiki.label, api: 'git', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'a git clone' });
    repositories.push({ fullName, sources });
  }

  const names = settings.names ? estimateNames(github, settings, samples) : null;
  const spentRequests = github.stats.requests - github.stats.refused - (before.requests - before.refused);
  const status = await dependencies.rateLimitStatus();
  const every = [...repositories.flatMap((r) => r.sources), ...(names ? [names] : [])];
  const rest = planBucket(every.filter((s) => s.api === 'rest'), status?.core ?? null, settings.hasToken, now());
  const graphqlSources = every.filter((s) => s.api === 'graphql');
  const graphql = settings.hasToken ? planBucket(graphqlSources, status?.graphql ?? null, true, now()) : null;
  return {
    repositories,
    names,
    spent: { requests: spentRequests - graphqlPoints, graphqlPoints },
    rest,
    graphql,
    hasToken: settings.hasToken,
    cache: settings.cache,
    at: new Date(now()),
  };
}

async function lookAtListing<T>(context: PolicyContext, listing: ListingDeclaration<T>, since: string | null): Promise<ListingLook> {
  const { github } = context;
  const uri = listing.uri(context.repoPath, listing.policy.kind === 'since-incremental' ? since : null);
  const source = listing.label;
  let first: { items: T[]; pages: number };
  try {
    first = await github.firstPage(uri, listing.shape);
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 403 && /too large/i.test(error.githubMessage)) {
      return { estimate: { source, api: 'rest', requests: 1, cached: 0, checks: 0, accuracy: 'exact', note: 'too large for GitHub to list: left out' }, logins: [], items: 0 };
    }
    throw error;
  }
  // How the run that follows will use the cache: seen after the first page was fetched, as it will find it.
  const plan = planCache(context, listing.policy, uri);
  const logins = listing.authors(first.items);
  const pages = Math.max(1, first.pages);
  const { cached, checks } = countPages(github, plan, uri, pages);
  // Oldest-first listings with a cached first page: what changed since is asked with `since` (about
  // 1 request per 100 changed items); see collectors/listing.ts.
  const changes = plan.incremental && plan.base === 'stale' ? 1 : 0;
  const items = first.pages <= 1 ? logins.length : (pages - 1) * perPage + perPage / 2;
  const capped = items >= paginationLimitItems;
  const estimate: SourceEstimate = {
    source,
    api: 'rest',
    requests: pages + changes,
    cached,
    checks,
    accuracy: capped ? 'at least' : 'exact',
    ...(capped ? { note: `GitHub stops paging at ${paginationLimitItems.toLocaleString('en-US')} items: the rest in windows` } : {}),
    ...(changes > 0 ? { note: '+1 for what changed since' } : {}),
  };
  return { estimate, logins: logins.flatMap((login) => (login === null ? [] : [login])), items };
}

/** Pages of the listing at `uri` the cache answers, and of those, the ones checked with a conditional request. */
function countPages(github: GitHubHelper, plan: CachePlan, uri: string, pages: number): { cached: number; checks: number } {
  let cached = 0;
  let checks = 0;
  for (let page = 1; page <= pages; page += 1) {
    const use = pageUse(plan, github.freshness(page === 1 ? uri : withPage(uri, page)), page === pages);
    if (use !== 'ask') cached += 1;
    if (use === 'check') checks += 1;
  }
  return { cached, checks };
}

/**
 * `CONTRIBUTORS` and `.all-contributorsrc`: 1 request each (a 404 is remembered too), none when
 * cached and nothing was pushed since; none with --since.
 */
function contentsEstimates(context: PolicyContext, since: string | null): SourceEstimate[] {
  const declaration = declared.contributorsFiles;
  if (since !== null) return [{ source: declaration.label, api: 'rest', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'left out with --since' }];
  const uses = declaration.files.map((file) => {
    const uri = declaration.uri(context.repoPath, file);
    const plan = planCache(context, declaration.policy, uri);
    return pageUse(plan, plan.base, true);
  });
  return [
    {
      source: declaration.label,
      api: 'rest',
      requests: uses.length,
      cached: uses.filter((use) => use !== 'ask').length,
      checks: uses.filter((use) => use === 'check').length,
      accuracy: 'exact',
    },
  ];
}

const countsQuery = `query Counts($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { pullRequests { totalCount } }
  rateLimit { cost remaining resetAt }
}`;

function countPullRequests(github: GitHubHelper, repoPath: string, owner: string, name: string): Promise<number> {
  return github.postGraphQL({ name: 'Counts', query: countsQuery, variables: { owner, name }, cacheKey: `${repoPath}/graphql/counts` }, shapeCounts);
}

function shapeCounts(json: unknown): number {
  const data = isRecord(json) ? json.data : null;
  const repository = isRecord(data) ? data.repository : null;
  const pulls = isRecord(repository) ? repository.pullRequests : null;
  const total = isRecord(pulls) ? pulls.totalCount : null;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) throw new ShapeError('pullRequests.totalCount is not a count');
  return total;
}

/** The authors on a listing's first page, in order, and how many items the whole listing holds. */
export interface AuthorSample {
  logins: readonly string[];
  items: number;
}

/**
 * Display names: 1 GraphQL query per 100 people with a token, 1 request per person without. How many
 * people there are is known only at the end: it is extrapolated from the authors on the first pages.
 */
function estimateNames(github: GitHubHelper, settings: DryRunSettings, samples: readonly AuthorSample[]): SourceEstimate {
  const patterns = settings.selection.exclude.map(loginPattern);
  const isWanted = (login: string): boolean =>
    login.toLowerCase() !== 'ghost' &&
    !(settings.hasToken && isBot(login, null)) &&
    (settings.selection.bots || !isBot(login, null)) &&
    !patterns.some((pattern) => pattern.test(login));
  const wantedSamples = samples.map(({ logins, items }) => {
    const wanted = logins.filter(isWanted);
    return { logins: wanted, items: logins.length === 0 ? 0 : Math.round((items * wanted.length) / logins.length) };
  });
  const wanted = [...new Set(wantedSamples.flatMap((sample) => sample.logins.map((login) => login.toLowerCase())))];
  const people = Math.round(estimatePeople(wantedSamples));
  if (settings.hasToken) {
    const queries = Math.ceil(people / namesPerQuery);
    return { source: declared.names.label, api: 'graphql', requests: queries, cached: 0, checks: 0, accuracy: 'about', note: `about ${people.toLocaleString('en-US')} people` };
  }
  const cachedShare = wanted.length === 0 ? 0 : wanted.filter((login) => github.freshness(`/users/${encodeURIComponent(login)}`) === 'fresh').length / wanted.length;
  return { source: declared.names.label, api: 'rest', requests: people, cached: Math.round(people * cachedShare), checks: 0, accuracy: 'about', note: `about ${people.toLocaleString('en-US')} people, 1 request each` };
}

/**
 * Different people among all the items of the listings, from their first pages: the smaller of two
 * estimates, each good where the other is not.
 * - Growth (Heaps' law): among n items of a community's activity, about K·n^β different people. β is
 *   read from the first pages themselves (how many people their halves show, against the whole), and d
 *   people among n items become d·(N/n)^β among N. It cannot see that a community is small.
 * - Pool size (Chao1, bias-corrected, from ecology's species counts): d + f1(f1-1)/(2(f2+1)), where
 *   f1 people were seen once and f2 twice. Made for skewed activity (a few people do most of it); a
 *   lower bound for the community, which a listing much longer than its first page mostly shows whole.
 */
export function estimatePeople(samples: readonly AuthorSample[]): number {
  const distinct = (lists: ReadonlyArray<readonly string[]>): number => new Set(lists.flat().map((login) => login.toLowerCase())).size;
  const sampled = samples.reduce((sum, sample) => sum + sample.logins.length, 0);
  const total = samples.reduce((sum, sample) => sum + Math.max(sample.items, sample.logins.length), 0);
  const seen = distinct(samples.map((sample) => sample.logins));
  if (sampled === 0 || seen === 0 || total <= sampled) return seen;
  const halves = [0, 1].map((half) => samples.map(({ logins }) => (half === 0 ? logins.slice(0, Math.ceil(logins.length / 2)) : logins.slice(Math.ceil(logins.length / 2)))));
  const halfSize = halves.reduce((sum, lists) => sum + lists.reduce((count, list) => count + list.length, 0), 0) / 2;
  const halfSeen = halves.reduce((sum, lists) => sum + distinct(lists), 0) / 2;
  const beta = halfSeen > 0 && halfSize > 0 && halfSize < sampled ? Math.min(1, Math.max(0, Math.log(seen / halfSeen) / Math.log(sampled / halfSize))) : 1;
  const growth = seen * (total / sampled) ** beta;
  const times = new Map<string, number>();
  for (const login of samples.flatMap((sample) => sample.logins)) times.set(login.toLowerCase(), (times.get(login.toLowerCase()) ?? 0) + 1);
  const once = [...times.values()].filter((count) => count === 1).length;
  const twice = [...times.values()].filter((count) => count === 2).length;
  const pool = seen + (once * (once - 1)) / (2 * (twice + 1));
  return Math.max(seen, Math.min(total, growth, pool));
}

function planBucket(sources: readonly SourceEstimate[], limit: LimitStatus | null, hasToken: boolean, now: number): BucketPlan {
  const toAsk = sources.reduce((sum, s) => sum + s.requests - s.cached + s.checks, 0);
  // A 304 costs nothing with a token: https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
  const cost = sources.reduce((sum, s) => sum + s.requests - s.cached + (hasToken ? 0 : s.checks), 0);
  if (limit === null) return { toAsk, cost, limit, fits: null, resets: 0, waitMs: 0 };
  if (cost <= limit.remaining) return { toAsk, cost, limit, fits: true, resets: 0, waitMs: 0 };
  const resets = limit.limit === 0 ? Number.POSITIVE_INFINITY : Math.ceil((cost - limit.remaining) / limit.limit);
  const waitMs = Math.max(0, limit.resetAt.getTime() - now) + (resets - 1) * hourMs;
  return { toAsk, cost, limit, fits: false, resets, waitMs };
}

/** The estimate as a user reads it: a table per repository, then each limit, then the verdict. */
export function formatEstimate(estimate: RunEstimate): string {
  const rows: Array<[string, string, string, string, string]> = [];
  const figure = (value: number, accuracy: SourceEstimate['accuracy']): string =>
    `${accuracy === 'about' ? '~' : accuracy === 'at least' ? '≥' : ''}${value.toLocaleString('en-US')}`;
  const row = (label: string, source: SourceEstimate): void => {
    if (source.api === 'git') {
      rows.push([label, '-', '-', '-', source.note ?? '']);
      return;
    }
    const toAsk = source.requests - source.cached + source.checks;
    const toAskAccuracy = source.accuracy === 'at most' ? 'exact' : source.accuracy;
    const what = source.api === 'graphql' ? ' (GraphQL)' : '';
    rows.push([`${label}${what}`, figure(source.requests, source.accuracy), source.cached.toLocaleString('en-US'), `${source.accuracy === 'at most' ? '≤' : ''}${figure(toAsk, toAskAccuracy)}`, source.note ?? '']);
  };
  for (const repository of estimate.repositories) {
    rows.push([repository.fullName, '', '', '', '']);
    for (const source of repository.sources) row(`  ${source.source}`, source);
  }
  if (estimate.names) row('names', estimate.names);

  const header: [string, string, string, string, string] = ['', 'requests', 'cached', 'to ask', ''];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...rows].map((r) => r[column]?.length ?? 0)));
  const line = (r: readonly string[]): string =>
    [r[0]?.padEnd(widths[0] ?? 0), r[1]?.padStart(widths[1] ?? 0), r[2]?.padStart(widths[2] ?? 0), r[3]?.padStart(widths[3] ?? 0), r[4] ?? '']
      .join('  ')
      .trimEnd();
  const lines = [`Dry run: what a run would ask GitHub (nothing is reported).`, '', line(header), ...rows.map(line)];
  const marks = rows.map((r) => `${r[1]}${r[3]}`).join('');
  const legend = [marks.includes('~') ? '~ about' : null, marks.includes('≥') ? '≥ at least' : null, marks.includes('≤') ? '≤ at most: reviews of pull requests unchanged since an earlier run are not asked again' : null];
  if (legend.some((entry) => entry !== null)) lines.push(`(${legend.filter((entry) => entry !== null).join('; ')})`);

  lines.push('', describeBucket('REST API', 'requests', estimate.rest, estimate.at));
  if (estimate.graphql) lines.push(describeBucket('GraphQL API', 'points', estimate.graphql, estimate.at));
  else lines.push('GraphQL API: not used without a token (reviews are skipped).');
  lines.push('', ...verdict(estimate));
  const { requests, graphqlPoints } = estimate.spent;
  if (requests + graphqlPoints > 0) {
    const asked = `This dry run asked GitHub ${plural(requests, 'request')}${graphqlPoints > 0 ? ` and ${plural(graphqlPoints, 'GraphQL point')}` : ''}, for the first page of each listing`;
    const cached = estimate.cache ? 'They are cached: the run does not ask for them again.' : 'With --no-cache they are not kept: the run asks for them again.';
    lines.push('', ...(graphqlPoints > 0 ? [asked, `and the number of pull requests. ${cached}`] : [`${asked}.`, cached]));
  } else {
    lines.push('', 'This dry run asked GitHub nothing: what it needed was in the cache.');
  }
  return `${lines.join('\n')}\n`;
}

function describeBucket(name: string, unit: 'requests' | 'points', plan: BucketPlan, at: Date): string {
  const checks = unit === 'requests' && plan.toAsk > plan.cost ? ` (${(plan.toAsk - plan.cost).toLocaleString('en-US')} of them checks of cached answers, free when unchanged)` : '';
  const toAsk = `${name}: ${plan.toAsk.toLocaleString('en-US')} ${plan.toAsk === 1 ? unit.replace(/s$/, '') : unit} to ask${checks}`;
  if (plan.limit === null) return `${toAsk}; GitHub did not say what is left of its limit.`;
  const left = `${plan.limit.remaining.toLocaleString('en-US')} of ${plan.limit.limit.toLocaleString('en-US')} left`;
  const seconds = Math.max(0, Math.round((plan.limit.resetAt.getTime() - at.getTime()) / 1000));
  return `${toAsk}; ${left}, resets at ${plan.limit.resetAt.toLocaleTimeString()} (in ${formatDuration(seconds * 1000, 'minute')}).`;
}

function verdict(estimate: RunEstimate): string[] {
  const plans: Array<[string, BucketPlan | null]> = [
    ['REST API', estimate.rest],
    ['GraphQL API', estimate.graphql],
  ];
  const short = plans.flatMap(([name, plan]): Array<[string, BucketPlan]> => (plan !== null && plan.fits === false ? [[name, plan]] : []));
  if (short.length === 0) {
    if (plans.some(([, plan]) => plan !== null && plan.fits === null)) return ['Whether it finishes in one go is unknown: GitHub did not say what is left of its limits.'];
    return ['It finishes in one go.'];
  }
  const longest = Math.max(...short.map(([, plan]) => plan.waitMs));
  const resets = short.map(([name, plan]) => `${plural(plan.resets, 'reset')} of the ${name} limit`).join(' and ');
  const lines = [
    `It does not finish in one go: it waits through about ${resets} (about ${formatDuration(longest, 'minute')}).`,
    'With --wait-for-reset it waits them out by itself. Without it, it stops (exit code 75) when the',
    'limit runs out, and the same command resumes where it stopped after the reset.',
  ];
  if (!estimate.hasToken) lines.push('Without a token the REST limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=$(gh auth token)');
  return lines;
}

/** The estimate as JSON (`--dry-run --format json`), for scripts. */
export function formatEstimateJson(estimate: RunEstimate): string {
  const bucket = (plan: BucketPlan | null) =>
    plan === null
      ? null
      : {
          toAsk: plan.toAsk,
          cost: plan.cost,
          remaining: plan.limit?.remaining ?? null,
          limit: plan.limit?.limit ?? null,
          resetAt: plan.limit?.resetAt.toISOString() ?? null,
          finishesInOneGo: plan.fits,
          resets: plan.resets,
        };
  return `${JSON.stringify(
    {
      repositories: estimate.repositories,
      names: estimate.names,
      rest: bucket(estimate.rest),
      graphql: bucket(estimate.graphql),
      finishesInOneGo: [estimate.rest, estimate.graphql].every((plan) => plan === null || plan.fits !== false),
      spent: estimate.spent,
    },
    null,
    2,
  )}\n`;
}
