/**
 * A session: the progress UI, the cache and the memoised helper, as every command that asks GitHub
 * needs them, made once per command from its options and the terminal main.ts hands over. main.ts
 * closes it whatever happens (at the end, on an error, on a signal, on a closed pipe): the cache is
 * saved and the spinner stopped before anything else is printed.
 */
import fs from 'node:fs';
import type { ChalkInstance } from 'chalk';
import type { RateLimitedError } from './errors.js';
import type { ResponseCache } from './github/cache.js';
import { createDiskCache, createNullCache } from './github/cache.js';
import type { GitHubHelper } from './github/helper.js';
import { createGitHubHelper } from './github/helper.js';
import type { Transport } from './github/transport.js';
import { createOctokitTransport } from './github/transport.js';
import type { Environment, Options } from './options.js';
import { formatDuration } from './text/format-duration.js';
import { plural } from './text/plural.js';
import type { ProgressUi } from './ui/progress.js';
import { createProgressUi, describeLimit } from './ui/progress.js';
import { version } from './version.js';

const maxBodyBytes = 32 * 1024 * 1024;

/** What main.ts hands a session of the process: where progress goes, in what colours, and the environment. */
export interface Terminal {
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  color: ChalkInstance;
  env: Environment;
}

export interface Session {
  ui: ProgressUi;
  github: GitHubHelper;
  transport: Transport;
  cache: ResponseCache;
  hasToken: boolean;
  /** Stops the progress display and saves the cache; safe to call more than once. */
  close(): void;
}

export function startSession(options: Options, terminal: Terminal): Session {
  const { stderr, color, env } = terminal;
  let github: GitHubHelper | null = null;
  const ui = createProgressUi({
    stream: stderr,
    // A terminal that reports no width (some CI and container terminals) gets plain lines: a
    // spinner cannot redraw in zero columns. So do CI (even on a pseudo-terminal) and TERM=dumb, as
    // ora itself would judge; it then printed a line at every change instead of plain lines per source.
    isTTY: stderr.isTTY === true && (stderr.columns ?? 0) > 0 && !('CI' in env) && env.TERM !== 'dumb',
    quiet: options.quiet,
    verbose: options.verbose,
    color,
    rateLimit: () => github?.rateLimit() ?? null,
  });
  // The cache is per folder by default (as the original tool's was): say where a new one is made.
  if (options.cache.enabled && !fs.existsSync(options.cache.dir)) {
    ui.note(color.dim(`New cache in ${options.cache.dir}: the same command from another folder starts over (set OCTOHATRACK_CACHE_DIR to keep one cache wherever you run)`));
  }
  if (!options.token) {
    ui.note(
      color.dim(
        options.tokenVariable === 'GH_ENTERPRISE_TOKEN'
          ? 'No GH_ENTERPRISE_TOKEN or GITHUB_ENTERPRISE_TOKEN for this GitHub Enterprise Server: requests are anonymous (GH_TOKEN is for github.com only)'
          : 'No GH_TOKEN or GITHUB_TOKEN: requests are anonymous (60 an hour). For 5,000 an hour: export GH_TOKEN=$(gh auth token)',
      ),
    );
  }
  // The cache writes each response through as it is stored (cache.ts): no timer is needed.
  const cache = options.cache.enabled ? createDiskCache(options.cache.dir, { warn: (message) => ui.warn(message) }) : createNullCache();
  const transport = createOctokitTransport({ apiUrl: options.apiUrl, token: options.token, userAgent: `octohatrack/${version}`, maxBodyBytes });
  github = createGitHubHelper({
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
      warning: (message) => ui.warn(message),
    },
  });
  let closed = false;
  return {
    ui,
    github,
    transport,
    cache,
    hasToken: options.token !== null,
    close() {
      if (closed) return;
      closed = true;
      ui.stop();
      cache.save();
    },
  };
}

/** Why the run stopped at the rate limit, what it did until then, and how to go on. */
export function describeRateLimitStop(error: RateLimitedError, session: Session | null, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((error.resetAt.getTime() - now) / 1000));
  const stats = session?.github.stats;
  const answered = stats ? stats.requests - stats.refused : 0;
  const done = stats ? ` after ${plural(answered, 'answered request')} (and ${stats.cacheHits} answered from the cache)` : '';
  const dir = session?.cache.dir;
  const saved = !dir
    ? 'Nothing was cached (--no-cache): a rerun starts from the beginning.'
    : (stats?.stored ?? 0) > 0
      ? `Progress is saved in ${dir}: run the same command again then, and it resumes where it stopped.`
      : `Nothing was fetched before the limit: run the same command again then.`;
  return [
    `stopped by GitHub's ${describeLimit(error.resource)} rate limit${done}.`,
    `The limit resets at ${error.resetAt.toLocaleTimeString()} (in ${formatDuration(seconds * 1000)}).`,
    saved,
    'Or add --wait-for-reset to wait for it and go on.',
    ...(session?.hasToken ? [] : ['Without a token the limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=$(gh auth token)']),
  ].join('\n');
}
