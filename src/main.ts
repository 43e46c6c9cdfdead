/**
 * The process boundary: argv, environment, stdout/stderr, signals and exit codes live here and
 * nowhere else. Whatever happens, the cache is saved before the process ends.
 */
import { chalkStderr } from 'chalk';
import { CommanderError } from 'commander';
import { createProgram } from './cli.js';
import { describeCacheInfo, runCacheClear } from './commands/cache.js';
import { runReport } from './commands/report.js';
import { CliError, exitCodes, RateLimitedError, UsageError } from './errors.js';
import type { ResponseCache } from './github/cache.js';
import { createDiskCache, createNullCache } from './github/cache.js';
import type { GitHubHelper } from './github/helper.js';
import { createGitHubHelper } from './github/helper.js';
import { createOctokitTransport } from './github/transport.js';
import type { Flags } from './options.js';
import { parseRepository, resolveCacheDir, resolveOptions } from './options.js';
import { formatReport } from './report/format.js';
import type { ProgressUi } from './ui/progress.js';
import { createProgressUi, describeLimit, formatSeconds } from './ui/progress.js';
import { version } from './version.js';

/** How often fetched responses are written while running: a `kill -9` loses at most this much. */
const checkpointIntervalMs = 1000;
const maxBodyBytes = 32 * 1024 * 1024;
const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = {
  SIGINT: exitCodes.interrupted,
  SIGTERM: exitCodes.terminated,
  SIGHUP: 129,
};

const stdout = process.stdout;
const stderr = process.stderr;
const color = chalkStderr;

/** What must be cleaned up on any exit: set once a run has started. */
const running: { cache: ResponseCache | null; ui: ProgressUi | null; github: GitHubHelper | null } = {
  cache: null,
  ui: null,
  github: null,
};

function printError(message: string): void {
  stderr.write(`${color.red('octohatrack:')} ${message}\n`);
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

async function report(repositories: string[], flags: Flags): Promise<void> {
  const options = resolveOptions(flags, repositories, process.env, process.cwd());
  const ui = createProgressUi({
    stream: stderr,
    // A terminal that reports no width (some CI and container terminals) gets plain lines: a
    // spinner cannot redraw in zero columns.
    isTTY: stderr.isTTY === true && (stderr.columns ?? 0) > 0,
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
  running.cache = cache;
  const checkpoints = setInterval(() => cache.checkpoint(), checkpointIntervalMs);
  checkpoints.unref();

  const github = createGitHubHelper({
    apiUrl: options.apiUrl,
    graphqlUrl: options.graphqlUrl,
    transport: createOctokitTransport({ apiUrl: options.apiUrl, token: options.token, userAgent: `octohatrack/${version}`, maxBodyBytes }),
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

  try {
    const result = await runReport(
      {
        repositories: options.repositories,
        names: options.names,
        hasToken: options.token !== null,
        selection: { bots: options.bots, exclude: options.exclude },
        wiki: options.wiki ? { serverUrl: options.serverUrl, env: process.env, signal: stopping.signal } : null,
        since: options.since,
        refresh: options.cache.maxAgeMs > 0 ? 'incremental' : 'revalidate',
      },
      github,
      ui,
    );
    ui.stop();
    if (!result.complete) ui.warn('the report is incomplete: some sources could not be counted (see above)');
    stdout.write(formatReport(result, options.format, options.serverUrl));
  } finally {
    clearInterval(checkpoints);
    saveProgress();
  }
}

function describeRateLimitStop(error: RateLimitedError): string {
  const seconds = Math.max(0, Math.round((error.resetAt.getTime() - Date.now()) / 1000));
  const stats = running.github?.stats;
  const answered = stats ? stats.requests - stats.refused : 0;
  const done = stats ? ` after ${answered} answered request${answered === 1 ? '' : 's'} (and ${stats.cacheHits} answered from the cache)` : '';
  const saved = running.cache?.dir ? `Progress is saved in ${running.cache.dir}: run the same command again then, and it resumes where it stopped.` : 'Nothing was cached (--no-cache): a rerun starts from the beginning.';
  return [
    `stopped by GitHub's ${describeLimit(error.resource)} rate limit${done}.`,
    `The limit resets at ${error.resetAt.toLocaleTimeString()} (in ${formatSeconds(seconds)}).`,
    saved,
    'Or add --wait-for-reset to wait for it and go on.',
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

process.exit(await main());
