/**
 * Everything the user sees on stderr while a run goes: progress (an ora spinner on a terminal, plain
 * lines otherwise, nothing with --quiet), notes, warnings, the verbose request log, and the countdown
 * of a rate-limit wait. The only importer of ora.
 */
import type { ChalkInstance } from 'chalk';
import ora from 'ora';
import type { Ora } from 'ora';
import type { RunReporter } from '../commands/report.js';
import type { PageProgress, RequestEvent, WaitEvent } from '../github/helper.js';
import type { RateLimitSnapshot } from '../github/rate-limit.js';

export interface ProgressUi extends RunReporter {
  request(event: RequestEvent): void;
  wait(event: WaitEvent): void;
  redirect(from: string, to: string): void;
  stop(): void;
}

export interface ProgressUiOptions {
  stream: NodeJS.WritableStream;
  isTTY: boolean;
  quiet: boolean;
  verbose: boolean;
  color: ChalkInstance;
  rateLimit: () => RateLimitSnapshot | null;
  now?: () => number;
}

const countdownIntervalMs = 1000;

export function createProgressUi(options: ProgressUiOptions): ProgressUi {
  const { stream, color } = options;
  const now = options.now ?? Date.now;
  const spinner: Ora | null = options.isTTY && !options.quiet ? ora({ stream, discardStdin: false }) : null;
  const current = new Map<string, string>();
  let countdown: NodeJS.Timeout | null = null;
  let waitingUntil: { until: Date; reason: string } | null = null;

  function write(line: string): void {
    if (spinner?.isSpinning) {
      spinner.clear();
      stream.write(`${line}\n`);
      spinner.render();
    } else {
      stream.write(`${line}\n`);
    }
  }

  function left(): string {
    const snapshot = options.rateLimit();
    return snapshot ? ` · ${snapshot.remaining.toLocaleString('en-US')} requests left` : '';
  }

  function refresh(): void {
    if (!spinner) return;
    if (waitingUntil) {
      const seconds = Math.max(0, Math.ceil((waitingUntil.until.getTime() - now()) / 1000));
      spinner.text = `${waitingUntil.reason}: waiting ${formatSeconds(seconds)} (until ${waitingUntil.until.toLocaleTimeString()})`;
    } else {
      spinner.text = [...current.values()].slice(0, 4).join(' · ') + left();
    }
    if (!spinner.isSpinning) spinner.start();
  }

  function clearCountdown(): void {
    if (countdown) clearInterval(countdown);
    countdown = null;
    waitingUntil = null;
  }

  return {
    progress(repository: string, source: string, pages: PageProgress) {
      if (waitingUntil && waitingUntil.until.getTime() <= now()) clearCountdown();
      current.set(`${repository}\u0000${source}`, `${source} ${pages.pagesDone}/${pages.pagesKnown}`);
      refresh();
    },
    sourceDone(repository: string, source: string, people: number) {
      current.delete(`${repository}\u0000${source}`);
      if (options.quiet) return;
      const where = repository ? `${repository}: ` : '';
      if (spinner) refresh();
      if (!spinner || options.verbose) write(color.dim(`${where}${source}: ${people} ${people === 1 ? 'person' : 'people'}`));
      else write(`${color.green('✔')} ${where}${source}: ${people} ${people === 1 ? 'person' : 'people'}`);
    },
    note(message: string) {
      if (!options.quiet) write(message);
    },
    warn(message: string) {
      write(`${color.yellow('warning:')} ${message}`);
    },
    request(event: RequestEvent) {
      if (!options.verbose) return;
      // e.g. `GET /repos/o/r/issues?… 200 miss · 4,987 left`, `GET /users/x cache hit`
      const outcome = event.cache === 'hit' ? 'cache hit' : `${event.status ?? 'failed'} ${event.cache}`;
      const bucket = event.resource === 'graphql' ? 'GraphQL points' : 'requests';
      const remaining = event.remaining === null || event.cache === 'hit' ? '' : ` · ${event.remaining.toLocaleString('en-US')} ${bucket} left`;
      write(color.dim(`${event.method} ${event.url} ${outcome}${remaining}${event.note ? ` (${event.note})` : ''}`));
    },
    wait(event: WaitEvent) {
      if (options.quiet) return;
      const seconds = Math.max(0, Math.ceil((event.until.getTime() - now()) / 1000));
      if (event.reason === 'retry') {
        if (options.verbose) write(color.dim(`retrying in ${formatSeconds(seconds)}`));
        return;
      }
      write(`${describeLimit(event.resource)} ${event.reason}: waiting ${formatSeconds(seconds)}, until ${event.until.toLocaleTimeString()}`);
      if (!spinner) return;
      clearCountdown();
      waitingUntil = { until: event.until, reason: `${describeLimit(event.resource)} ${event.reason}` };
      refresh();
      countdown = setInterval(() => {
        if (waitingUntil && waitingUntil.until.getTime() <= now()) clearCountdown();
        refresh();
      }, countdownIntervalMs);
      countdown.unref();
    },
    redirect(from: string, to: string) {
      if (options.verbose) write(color.dim(`GET ${from} → ${to}`));
    },
    stop() {
      clearCountdown();
      spinner?.stop();
    },
  };
}

/** GitHub's names for its buckets, as a user knows them. */
export function describeLimit(resource: string): string {
  if (resource === 'core') return 'REST API';
  if (resource === 'graphql') return 'GraphQL API';
  return resource;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes < 60 ? `${minutes} min ${String(rest).padStart(2, '0')} s` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
