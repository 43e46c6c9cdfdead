/**
 * The process boundary: argv, environment, stdout/stderr, signals and exit codes live here and
 * nowhere else. Whatever happens, the cache is saved before the process ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chalkStderr } from 'chalk';
import { CommanderError } from 'commander';
import type { CheckFlags } from './cli.js';
import { createProgram } from './cli.js';
import { compareWithRc, formatAllContributorsReport, readRepositoriesRc } from './commands/all-contributors.js';
import { describeCacheInfo, runCacheClear } from './commands/cache.js';
import { estimateRun, formatEstimate, formatEstimateJson } from './commands/dry-run.js';
import type { ReportSettings } from './commands/report.js';
import { runReport } from './commands/report.js';
import { parseAllContributorsRc, RcError } from './domain/all-contributors-rc.js';
import { CliError, exitCodes, RateLimitedError, UsageError } from './errors.js';
import type { ResponseCache } from './github/cache.js';
import { createDiskCache, createNullCache } from './github/cache.js';
import type { GitHubHelper } from './github/helper.js';
import { createGitHubHelper } from './github/helper.js';
import { fetchRateLimitStatus } from './github/rate-limit-status.js';
import type { Transport } from './github/transport.js';
import { createOctokitTransport } from './github/transport.js';
import type { Flags, Options } from './options.js';
import { parseRepository, resolveCacheDir, resolveOptions } from './options.js';
import { formatReport } from './report/format.js';
import { sanitizeMessage } from './text/sanitize.js';
import type { ProgressUi } from './ui/progress.js';
import { formatDuration } from './text/format-duration.js';
import { plural } from './text/plural.js';
import { createProgressUi, describeLimit } from './ui/progress.js';
import { version } from './version.js';

const maxBodyBytes = 32 * 1024 * 1024;
const namesMinimumMaxAgeMs = 7 * 86_400_000;
const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = {
  SIGINT: exitCodes.interrupted,
  SIGTERM: exitCodes.terminated,
  SIGHUP: 129,
};

const stdout = process.stdout;
const stderr = process.stderr;
const color = chalkStderr;

/** What must be cleaned up on any exit: set once a run has started. */
const running: { cache: ResponseCache | null; ui: ProgressUi | null; github: GitHubHelper | null; hasToken: boolean } = {
  cache: null,
  ui: null,
  github: null,
  hasToken: false,
};

function printError(message: string): void {
  // An error may quote the server (GitHub's message, a body that is not JSON): no escapes reach the terminal.
  stderr.write(`${color.red('octohatrack:')} ${sanitizeMessage(message)}\n`);
}

function saveProgress(): void {
  running.ui?.stop();
  running.cache?.save();
}

/** Aborted on a signal: what runs outside this process (a wiki clone) stops and cleans up at once. */
const stopping = new AbortController();

function onSignal(signal: NodeJS.Signals): void {
  stopping.abort();
  saveProgress();
  const saved = running.cache?.dir ? 'progress saved; run the same command again to resume' : 'nothing was cached (--no-cache)';
  stderr.write(`\n${color.yellow(`interrupted by ${signal}`)}: ${saved}\n`);
  process.exit(signalExitCodes[signal] ?? exitCodes.failed);
}

interface Session {
  ui: ProgressUi;
  github: GitHubHelper;
  transport: Transport;
  /** Stops the progress display and saves the cache. */
  finish(): void;
}

/** The progress UI, the cache and the memoised helper, as every command that asks GitHub needs them. */
function startSession(options: Options): Session {
  const ui = createProgressUi({
    stream: stderr,
    // A terminal that reports no width (some CI and container terminals) gets plain lines: a
    // spinner cannot redraw in zero columns. So do CI (even on a pseudo-terminal) and TERM=dumb, as
    // ora itself would judge; it then printed a line at every change instead of plain lines per source.
    isTTY: stderr.isTTY === true && (stderr.columns ?? 0) > 0 && !('CI' in process.env) && process.env.TERM !== 'dumb',
    quiet: options.quiet,
    verbose: options.verbose,
    color,
    rateLimit: () => running.github?.rateLimit() ?? null,
  });
  running.ui = ui;
  if (!options.token) {
    ui.note(color.dim('No GH_TOKEN or GITHUB_TOKEN: requests are anonymous (60 an hour). For 5,000 an hour: export GH_TOKEN=$(gh auth token)'));
  }
  const cache = options.cache.enabled ? createDiskCache(options.cache.dir, { warn: (message) => ui.warn(message) }) : createNullCache();
  // The cache writes each response through as it is stored (cache.ts): no timer is needed.
  running.cache = cache;

  const transport = createOctokitTransport({ apiUrl: options.apiUrl, token: options.token, userAgent: `octohatrack/${version}`, maxBodyBytes });
  const github = createGitHubHelper({
    apiUrl: options.apiUrl,
    graphqlUrl: options.graphqlUrl,
    transport,
    cache,
    cacheEnabled: options.cache.enabled,
    maxAgeMs: options.cache.maxAgeMs,
    waitForReset: options.waitForReset,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    events: {
      request: (event) => ui.request(event),
      wait: (event) => ui.wait(event),
      redirect: (from, to) => ui.redirect(from, to),
    },
  });
  running.github = github;
  running.hasToken = options.token !== null;
  return {
    ui,
    github,
    transport,
    finish() {
      saveProgress();
    },
  };
}

function reportSettings(options: Options): ReportSettings {
  return {
    repositories: options.repositories,
    names: options.names,
    hasToken: options.token !== null,
    selection: { bots: options.bots, exclude: options.exclude },
    wiki: options.wiki ? { serverUrl: options.serverUrl, env: process.env, signal: stopping.signal } : null,
    since: options.since,
    refresh: options.cache.maxAgeMs > 0 ? 'incremental' : 'revalidate',
    // Display names rarely change: kept a week at least, unless --refresh or --max-age 0 ask again.
    namesMaxAgeMs: options.cache.maxAgeMs === 0 ? 0 : Math.max(options.cache.maxAgeMs, namesMinimumMaxAgeMs),
  };
}

async function report(repositories: string[], flags: Flags): Promise<void> {
  const options = resolveOptions(flags, repositories, process.env, process.cwd());
  const { ui, github, transport, finish } = startSession(options);
  try {
    if (options.dryRun) {
      const estimate = await estimateRun(
        { ...reportSettings(options), wiki: options.wiki, cache: options.cache.enabled },
        { github, reporter: ui, rateLimitStatus: () => fetchRateLimitStatus(transport, options.apiUrl, options.timeoutMs) },
      );
      ui.stop();
      stdout.write(options.format === 'json' ? formatEstimateJson(estimate) : formatEstimate(estimate));
      return;
    }
    const result = await runReport(reportSettings(options), github, ui);
    ui.stop();
    if (!result.complete) ui.warn('the report is incomplete: some sources could not be counted (see above)');
    if (options.format === 'all-contributors') {
      const document = await formatAllContributorsReport(result, github, options.serverUrl, (message) => ui.warn(message));
      if (document.leftOut.length > 0) {
        const shown = document.leftOut.slice(0, 5).join(', ');
        ui.note(`left out of the all-contributors file, which needs a GitHub login: ${shown}${document.leftOut.length > 5 ? ` and ${document.leftOut.length - 5} more` : ''}`);
      }
      stdout.write(document.text);
    } else {
      stdout.write(formatReport(result, options.format, options.serverUrl));
    }
  } finally {
    finish();
  }
}

/** `octohatrack check [--rc FILE] owner/repo`: exit 1 when someone found is missing from the file. */
async function check(repository: string, flags: CheckFlags): Promise<void> {
  const { rc: given, ...rest } = flags;
  const rc = given ?? '.all-contributorsrc';
  // Only logins are compared: no display names to ask for.
  const options = resolveOptions({ ...rest, names: false }, [repository], process.env, process.cwd());
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(process.cwd(), rc), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const where = given === undefined ? `there is no ${rc} in ${process.cwd()}: give its path with --rc FILE` : `there is no file ${rc}`;
      throw new CliError(`${where}, or make one with: octohatrack ${repository} --format all-contributors > ${rc}`);
    }
    throw new CliError(`cannot read ${rc}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let listed;
  try {
    listed = parseAllContributorsRc(text);
  } catch (error) {
    if (error instanceof RcError) throw new CliError(`${rc} is not an .all-contributorsrc: ${error.message}`, { cause: error });
    throw error;
  }
  const { ui, github, finish } = startSession(options);
  try {
    const result = await runReport(reportSettings(options), github, ui);
    ui.stop();
    if (!result.complete) ui.warn('some sources could not be counted (see above): who is missing may be incomplete');
    const repositoryRc = await readRepositoriesRc(result, github, (message) => ui.warn(message));
    const selection = [...(options.bots ? [] : ['--no-bots']), ...(options.exclude.length > 0 ? ['--exclude', ...options.exclude.map((p) => `'${p}'`)] : []), ...(options.since ? ['--since', options.since] : [])];
    const regenerate = ['octohatrack', repository, ...selection, '--format', 'all-contributors', '>', rc].join(' ');
    const { text: comparison, missing } = compareWithRc(result, listed, rc, repositoryRc, regenerate);
    stdout.write(comparison);
    if (missing > 0) throw new CliError(`${plural(missing, 'contributor is', 'contributors are')} missing from ${rc}`);
  } finally {
    finish();
  }
}

function describeRateLimitStop(error: RateLimitedError): string {
  const seconds = Math.max(0, Math.round((error.resetAt.getTime() - Date.now()) / 1000));
  const stats = running.github?.stats;
  const answered = stats ? stats.requests - stats.refused : 0;
  const done = stats ? ` after ${plural(answered, 'answered request')} (and ${stats.cacheHits} answered from the cache)` : '';
  const saved = running.cache?.dir ? `Progress is saved in ${running.cache.dir}: run the same command again then, and it resumes where it stopped.` : 'Nothing was cached (--no-cache): a rerun starts from the beginning.';
  return [
    `stopped by GitHub's ${describeLimit(error.resource)} rate limit${done}.`,
    `The limit resets at ${error.resetAt.toLocaleTimeString()} (in ${formatDuration(seconds * 1000)}).`,
    saved,
    'Or add --wait-for-reset to wait for it and go on.',
    ...(running.hasToken ? [] : ['Without a token the limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=$(gh auth token)']),
  ].join('\n');
}

async function main(): Promise<number> {
  for (const signal of Object.keys(signalExitCodes) as NodeJS.Signals[]) process.once(signal, onSignal);
  // Nobody reads stderr any more (`2>&1 >/dev/null | head`): go on without progress; the report and
  // the cache matter more.
  stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // `octohatrack o/r | head`: the reader went away; what it wanted was printed, and the cache is safe.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    saveProgress();
    process.exit(exitCodes.ok);
  });
  const program = createProgram({
    report,
    check,
    cacheInfo: async (flags) => {
      stdout.write(describeCacheInfo(resolveCacheDir(flags, process.env, process.cwd())));
    },
    cacheClear: async (repository, flags) => {
      const dir = resolveCacheDir(flags, process.env, process.cwd());
      stdout.write(runCacheClear(dir, repository === undefined ? null : parseRepository(repository)));
    },
    writeOut: (text) => stdout.write(text),
    writeErr: (text) => stderr.write(text),
  });
  try {
    await program.parseAsync(process.argv);
    return exitCodes.ok;
  } catch (error) {
    saveProgress();
    if (error instanceof CommanderError) {
      // Commander has already printed its message (and the hint to --help).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof RateLimitedError) {
      printError(describeRateLimitStop(error));
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      printError(`${error.message}\n(run octohatrack --help for usage)`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      printError(error.message);
      return error.exitCode;
    }
    printError(`unexpected error; this is a bug, please report it with the command you ran:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return exitCodes.failed;
  }
}

/**
 * Resolves once what was written to `stream` has left the process. Writes to a pipe are queued when
 * the reader is slower than the report is long, and `process.exit` would drop what is queued.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await main();
await Promise.all([drained(stdout), drained(stderr)]);
process.exit(code);
