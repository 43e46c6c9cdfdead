/**
 * Options resolved once, in one pure function: flags > environment > defaults (STYLE habit 4).
 */
import path from 'node:path';
import type { Kind } from './domain/contribution.js';
import { kinds as everyKind } from './domain/contribution.js';
import type { RepositoryFilter } from './domain/repository-filter.js';
import type { RepositoryTarget } from './domain/repository-name.js';
import { UsageError } from './errors.js';
import { githubUrls, resolveHost, resolveToken } from './endpoints.js';
import { dedupeTargets, locateTarget } from './repository-args.js';

export { deriveGraphqlUrl } from './endpoints.js';
export { parseRepository, parseTarget } from './repository-args.js';

export const outputFormats = ['text', 'json', 'csv', 'markdown', 'all-contributors'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/**
 * How a source that can be asked either way is asked: by the cost planner across both budgets
 * (`both-budgets`, the default), or through its REST listing wherever it has one (`rest-listings`:
 * the plan before the cost planner, GraphQL only where REST has no listing). `OCTOHATRACK_PLAN`, for
 * the benchmark's same-run baseline.
 */
export const plans = ['both-budgets', 'rest-listings'] as const;
export type Plan = (typeof plans)[number];

export interface Options {
  /** The repositories and owners named on the command line, in its order, each once. */
  targets: RepositoryTarget[];
  /** Which of an owner's repositories are reported: `--include-forks`, `--include-archived`, `--exclude-repo`. */
  ownerRepositories: RepositoryFilter;
  token: string | null;
  /** Where the token is read from: GH_TOKEN, or GH_ENTERPRISE_TOKEN for a host named in an argument. */
  tokenVariable: 'GH_TOKEN' | 'GH_ENTERPRISE_TOKEN';
  /** REST base URL without a trailing slash. */
  apiUrl: string;
  graphqlUrl: string;
  serverUrl: string;
  cache: {
    enabled: boolean;
    dir: string;
    /** `--refresh` is `--max-age 0`: every cached response is revalidated. */
    maxAgeMs: number;
  };
  waitForReset: boolean;
  /** `--dry-run`: estimate the requests instead of running. */
  dryRun: boolean;
  format: OutputFormat;
  names: boolean;
  wiki: boolean;
  /** `--kinds` less `--skip-kinds` (and `wiki` less with --no-wiki): what is counted, and asked of GitHub. */
  kinds: Kind[];
  bots: boolean;
  exclude: string[];
  /** `--since`: only contributions made on or after this moment (ISO 8601, UTC, no milliseconds). */
  since: string | null;
  concurrency: number;
  timeoutMs: number;
  quiet: boolean;
  verbose: boolean;
  plan: Plan;
}

/** What commander hands over: every flag optional, no parser defaults. */
export interface Flags {
  includeForks?: boolean;
  includeArchived?: boolean;
  excludeRepo?: string[];
  cache?: boolean;
  cacheDir?: string;
  maxAge?: string;
  refresh?: boolean;
  waitForReset?: boolean;
  dryRun?: boolean;
  format?: string;
  names?: boolean;
  wiki?: boolean;
  kinds?: string;
  skipKinds?: string;
  bots?: boolean;
  exclude?: string[];
  since?: string;
  concurrency?: string;
  timeout?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const defaults = {
  apiUrl: githubUrls.apiUrl,
  serverUrl: githubUrls.serverUrl,
  cacheDir: path.join('.cache', 'octohatrack'),
  maxAge: '24h',
  format: 'text' as OutputFormat,
  concurrency: 4,
  maxConcurrency: 16,
  timeout: '30s',
};

export function resolveOptions(
  flags: Flags,
  repositoryArgs: readonly string[],
  env: Environment,
  cwd: string,
): Options {
  if (repositoryArgs.length === 0) {
    const hint = flags.exclude?.length ? ' (--exclude takes every word after it: give the repositories first)' : '';
    throw new UsageError(`missing repository: give one or more owner/repo, or an owner for all its repositories${hint}`);
  }
  const located = repositoryArgs.map((arg) => ({ arg, ...locateTarget(arg) }));
  const { apiUrl, serverUrl, graphqlUrl, enterprise } = resolveHost(env, located);
  const targets = dedupeTargets(located.map(({ target }) => target));
  const ownerRepositories = parseOwnerFilter(flags, targets);

  const format = flags.format ?? defaults.format;
  if (!isOutputFormat(format)) {
    throw new UsageError(`unknown format '${format}': use one of ${outputFormats.join(', ')}`);
  }
  if (flags.dryRun === true && format !== 'text' && format !== 'json') {
    throw new UsageError(`--dry-run prints its estimate as text or json, not --format ${format}`);
  }


  return {
    targets,
    ownerRepositories,
    token: resolveToken(env, enterprise === true),
    tokenVariable: enterprise === true ? 'GH_ENTERPRISE_TOKEN' : 'GH_TOKEN',
    apiUrl,
    graphqlUrl,
    serverUrl,
    cache: {
      enabled: flags.cache !== false,
      dir: resolveCacheDir(flags, env, cwd),
      maxAgeMs: flags.refresh === true ? 0 : parseDuration(flags.maxAge ?? defaults.maxAge, '--max-age'),
    },
    waitForReset: flags.waitForReset === true,
    dryRun: flags.dryRun === true,
    format,
    names: flags.names !== false,
    wiki: flags.wiki !== false,
    kinds: parseKinds(flags),
    bots: flags.bots !== false,
    exclude: parseExclude(flags.exclude ?? []),
    since: flags.since === undefined ? null : parseSince(flags.since),
    concurrency: parseConcurrency(flags.concurrency),
    timeoutMs: parsePositiveDuration(flags.timeout ?? defaults.timeout, '--timeout'),
    quiet: flags.quiet === true,
    verbose: flags.verbose === true && flags.quiet !== true,
    plan: parsePlan(env.OCTOHATRACK_PLAN),
  };
}

function parsePlan(value: string | undefined): Plan {
  const plan = nonEmpty(value) ?? 'both-budgets';
  if (!isPlan(plan)) throw new UsageError(`OCTOHATRACK_PLAN is '${plan}': use ${plans.join(' or ')}`);
  return plan;
}

function isPlan(value: string): value is Plan {
  return (plans as readonly string[]).includes(value);
}

/** `--cache-dir` > `$OCTOHATRACK_CACHE_DIR` > `.cache/octohatrack` under the current directory. */
export function resolveCacheDir(flags: Pick<Flags, 'cacheDir'>, env: Environment, cwd: string): string {
  return path.resolve(cwd, nonEmpty(flags.cacheDir) ?? nonEmpty(env.OCTOHATRACK_CACHE_DIR) ?? defaults.cacheDir);
}

/**
 * `--include-forks`, `--include-archived` and `--exclude-repo` choose among an owner's repositories:
 * without an owner to list, they would do nothing, which is not what whoever typed them meant.
 * `--exclude-repo` is repeatable and takes comma-separated globs: a name (`legacy-*`, `test-?`) or
 * `owner/name` (`acme/old-*`).
 */
function parseOwnerFilter(flags: Flags, targets: readonly RepositoryTarget[]): RepositoryFilter {
  const exclude = (flags.excludeRepo ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  for (const glob of exclude) {
    if (!/^(?:[A-Za-z0-9*?-]{1,39}\/)?[A-Za-z0-9._*?-]{1,100}$/.test(glob)) {
      throw new UsageError(`invalid --exclude-repo pattern ${JSON.stringify(glob)}: use a repository name with * and ? as wildcards (legacy-*, *-archive), or owner/name`);
    }
  }
  const given = [flags.includeForks ? '--include-forks' : null, flags.includeArchived ? '--include-archived' : null, flags.excludeRepo !== undefined ? '--exclude-repo' : null].filter((flag) => flag !== null);
  if (given.length > 0 && !targets.some((target) => target.kind === 'owner')) {
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'chooses' : 'choose'} among an owner's repositories: give an owner (acme or acme/*), not only owner/repo`);
  }
  return { forks: flags.includeForks === true, archived: flags.includeArchived === true, exclude };
}

const durationUnitsMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0`, or a whole number with a unit: `90s`, `30m`, `6h`, `7d`. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,9})([smhd])?$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2];
  if (amount === undefined || (unit === undefined && Number(amount) !== 0)) {
    throw new UsageError(`invalid duration '${text}' for ${flag}: use 0 or a number with s, m, h or d (90s, 30m, 6h, 7d)`);
  }
  return unit === undefined ? 0 : Number(amount) * (durationUnitsMs[unit] ?? 0);
}

/** An ISO 8601 date (`2026-01-31`) or date-time (`2026-01-31T12:00:00Z`), in the form GitHub's `since` takes. */
export function parseSince(text: string): string {
  const trimmed = text.trim();
  const time = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed) ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed) : Number.NaN;
  if (!Number.isFinite(time)) throw new UsageError(`invalid --since '${text}': use an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z`);
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `--kinds code,review` (only those) and `--skip-kinds wiki,commit-comment` (all but those), both of
 * the vocabulary (SPEC §3); `--no-wiki` skips `wiki`. Nothing left to count is a usage error.
 */
export function parseKinds(flags: Pick<Flags, 'kinds' | 'skipKinds' | 'wiki'>): Kind[] {
  const read = (value: string | undefined, flag: string): Set<Kind> | null => {
    if (value === undefined) return null;
    const words = value.split(',').map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
    if (words.length === 0) throw new UsageError(`${flag} needs one or more kinds: ${everyKind.join(', ')}`);
    for (const word of words) {
      if (!(everyKind as readonly string[]).includes(word)) throw new UsageError(`unknown kind '${word}' in ${flag}: use ${everyKind.join(', ')}`);
    }
    return new Set(words as Kind[]);
  };
  const only = read(flags.kinds, '--kinds');
  const skipped = read(flags.skipKinds, '--skip-kinds') ?? new Set<Kind>();
  if (flags.wiki === false) skipped.add('wiki');
  const chosen = everyKind.filter((kind) => (only === null || only.has(kind)) && !skipped.has(kind));
  if (chosen.length === 0) throw new UsageError('--kinds and --skip-kinds leave no kind to count');
  return chosen;
}

/** `--exclude a b`, `--exclude 'a,b'`: logins or `*` patterns of the characters a login may have. */
function parseExclude(values: readonly string[]): string[] {
  const patterns = values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  for (const pattern of patterns) {
    if (!/^[A-Za-z0-9*[\]-]{1,60}$/.test(pattern)) {
      throw new UsageError(`invalid --exclude pattern ${JSON.stringify(pattern)}: use logins, with * as a wildcard (renovate*, *-ci)`);
    }
  }
  return patterns;
}

function parsePositiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms === 0) throw new UsageError(`${flag} must be longer than 0`);
  return ms;
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return defaults.concurrency;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > defaults.maxConcurrency) {
    throw new UsageError(`invalid --concurrency '${text}': use a whole number from 1 to ${defaults.maxConcurrency}`);
  }
  return value;
}

function isOutputFormat(value: string): value is OutputFormat {
  return (outputFormats as readonly string[]).includes(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
