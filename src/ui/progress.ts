/**
 * Everything the user sees on stderr while a run goes: progress (an ora spinner on a terminal, plain
 * lines otherwise, nothing with --quiet), notes, warnings, the verbose request log, and the countdown
 * of a rate-limit wait. The only importer of ora.
 */
import type { ChalkInstance } from 'chalk';
import ora from 'ora';
import type { Ora } from 'ora';
import type { RepositoryPosition, RunReporter } from '../commands/report.js';
import type { PageProgress, RequestEvent, WaitEvent } from '../github/helper.js';
import type { RateLimitSnapshot } from '../github/rate-limit.js';
import { formatDuration } from '../text/format-duration.js';
import { plural } from '../text/plural.js';
import { sanitizeMessage } from '../text/sanitize.js';

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
  const { stream, color, now = Date.now } = options;
  // The spinner's own colour follows ours (NO_COLOR: none).
  const spinner: Ora | null = options.isTTY && !options.quiet ? ora({ stream, discardStdin: false, isEnabled: true, ...(color.level === 0 ? { color: false } : {}) }) : null;
  const status = createSpinnerStatus(options, spinner, now);
  /** `[2/5] ` before each repository's name, when a run has several. */
  const positions = new Map<string, string>();
  const write = (line: string): void => writeLine(stream, spinner, line);

  return {
    repositoryStarted(repository: string, { index, total }: RepositoryPosition) {
      if (total <= 1) return;
      positions.set(repository, `[${index}/${total}] `);
      status.repository = `[${index}/${total}] ${repository}`;
      status.refresh();
    },
    progress(repository: string, source: string, pages: PageProgress, found?: number) {
      status.endWaitIfOver();
      // Names, after every repository, are the run's (''): no repository is shown then.
      const position = positions.get(repository);
      status.repository = position === undefined ? null : `${position}${repository}`;
      status.current.set(`${repository}\u0000${source}`, { source, pagesDone: pages.pagesDone, pagesKnown: pages.pagesKnown });
      if (found !== undefined) status.everyone = found;
      status.refresh();
    },
    sourceDone(repository: string, source: string, people: number, found?: number) {
      status.current.delete(`${repository}\u0000${source}`);
      if (found !== undefined) status.everyone = found;
      if (options.quiet) return;
      if (spinner) status.refresh();
      const line = `${repository ? `${positions.get(repository) ?? ''}${repository}: ` : ''}${source}: ${plural(people, 'person', 'people')}`;
      write(!spinner || options.verbose ? color.dim(line) : `${color.green('✔')} ${line}`);
    },
    // Messages may quote the server (names, file lines, GitHub's own words): no escapes reach the terminal.
    note(message: string) {
      if (!options.quiet) write(sanitizeMessage(message));
    },
    warn(message: string) {
      write(`${color.yellow('warning:')} ${sanitizeMessage(message)}`);
    },
    request(event: RequestEvent) {
      if (options.verbose) write(color.dim(formatRequest(event)));
    },
    wait(event: WaitEvent) {
      if (options.quiet) return;
      const waitMs = msUntil(event.until, now);
      if (event.reason === 'retry') {
        if (options.verbose) write(color.dim(`retrying in ${formatDuration(waitMs)}`));
        return;
      }
      write(`${describeLimit(event.resource)} ${event.reason}: waiting ${formatDuration(waitMs)}, until ${event.until.toLocaleTimeString()}`);
      status.countDown(event.until, `${describeLimit(event.resource)} ${event.reason}`);
    },
    redirect(from: string, to: string) {
      if (options.verbose) write(color.dim(`GET ${from} → ${to}`));
    },
    stop() {
      status.clearCountdown();
      spinner?.stop();
    },
  };
}

interface SourcePages {
  source: string;
  pagesDone: number;
  pagesKnown: number;
}

interface SpinnerStatus {
  /** The sources being fetched: what the spinner shows, the one with the most pages to go first (pages once the first has told them). */
  current: Map<string, SourcePages>;
  /** People found so far, once a source has said. */
  everyone: number | null;
  /** The repository being collected, as the spinner shows it: `[2/5] acme/tool`. */
  repository: string | null;
  /** Draws the spinner's line again (nothing without a spinner). */
  refresh(): void;
  /** Shows a wait until `until` on the spinner, counting down each second. */
  countDown(until: Date, reason: string): void;
  /** Back to the status line once the wait shown is over. */
  endWaitIfOver(): void;
  clearCountdown(): void;
}

/** The spinner's one line: the status of the run, or the countdown of a rate-limit wait. */
function createSpinnerStatus(options: ProgressUiOptions, spinner: Ora | null, now: () => number): SpinnerStatus {
  let countdown: NodeJS.Timeout | null = null;
  let waitingUntil: { until: Date; reason: string } | null = null;
  const status: SpinnerStatus = {
    current: new Map(),
    everyone: null,
    repository: null,
    refresh() {
      if (!spinner) return;
      const waiting = waitingUntil;
      // While waiting, the countdown comes first, and what is done so far stays beside it.
      // (Until when was said on the line printed when the wait began.)
      spinner.text = statusLine(waiting ? `${waiting.reason}: waiting ${formatDuration(msUntil(waiting.until, now))}` : null);
      if (!spinner.isSpinning) spinner.start();
    },
    countDown(until: Date, reason: string) {
      if (!spinner) return;
      status.clearCountdown();
      waitingUntil = { until, reason };
      status.refresh();
      countdown = setInterval(() => {
        status.endWaitIfOver();
        status.refresh();
      }, countdownIntervalMs).unref();
    },
    endWaitIfOver() {
      if (waitingUntil && waitingUntil.until.getTime() <= now()) status.clearCountdown();
    },
    clearCountdown() {
      if (countdown) clearInterval(countdown);
      countdown = null;
      waitingUntil = null;
    },
  };
  const statusLine = (waiting: string | null): string => {
    const people = status.everyone === null ? null : `${plural(status.everyone, 'person', 'people')} so far`;
    const tail = (waiting === null ? [people, describeLeft(options.rateLimit())] : [people]).filter((part): part is string => part !== null);
    const width = Math.max(20, columnsOf(options.stream) - 3);
    if (waiting === null) return formatStatusLine(status.repository, [...status.current.values()], tail, width);
    // The countdown first, then what fits of the rest: the people so far before the repository, and that before the sources.
    const candidates = [
      formatStatusLine(status.repository === null ? waiting : `${waiting} · ${status.repository}`, [...status.current.values()], tail, Number.POSITIVE_INFINITY),
      [waiting, status.repository, ...tail].filter((part) => part !== null).join(' · '),
      [waiting, ...tail].join(' · '),
    ];
    const line = candidates.find((candidate) => candidate.length <= width) ?? waiting;
    return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
  };
  return status;
}

/** How long until `until`, in whole seconds rounded up (a countdown never shows 0 too early). */
function msUntil(until: Date, now: () => number): number {
  return Math.max(0, Math.ceil((until.getTime() - now()) / 1000)) * 1000;
}

/** A line above the spinner, which is cleared for it and drawn again below it. */
function writeLine(stream: NodeJS.WritableStream, spinner: Ora | null, line: string): void {
  if (spinner?.isSpinning) {
    spinner.clear();
    stream.write(`${line}\n`);
    spinner.render();
  } else {
    stream.write(`${line}\n`);
  }
}

/** `4,992 requests left, reset 3:04 PM`: the REST limit, once a response has told it. */
function describeLeft(snapshot: RateLimitSnapshot | null): string | null {
  if (!snapshot) return null;
  return `${snapshot.remaining.toLocaleString('en-US')} requests left, reset ${snapshot.resetAt.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}`;
}

/**
 * One line, never wider than the terminal (a wrapped spinner line cannot be redrawn in place): the
 * repository (`[2/5] acme/tool`, when there are several), the sources being fetched with their
 * pages, as many as fit (the one with the most pages to go first), then `tail` (people found, the
 * limit left).
 */
function formatStatusLine(repository: string | null, current: readonly SourcePages[], tail: readonly string[], width: number): string {
  const head = repository === null ? [] : [repository];
  const sources = [...current].sort((a, b) => b.pagesKnown - b.pagesDone - (a.pagesKnown - a.pagesDone)).map(({ source, pagesDone, pagesKnown }) => (pagesDone === 0 && pagesKnown <= 1 ? source : `${source} ${pagesDone}/${pagesKnown}`));
  for (let shown = sources.length; shown >= 1; shown -= 1) {
    const more = sources.length - shown;
    const line = [...head, ...sources.slice(0, shown), ...(more > 0 ? [`+${more} more`] : []), ...tail].join(' · ');
    if (line.length <= width) return line;
  }
  const line = [...head, sources.length > 0 ? `${sources.length} sources` : null, ...tail].filter((part) => part !== null).join(' · ');
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** The --verbose line of a request: `GET /repos/o/r/issues?… 200 miss · 4,987 requests left`, `GET /users/x cache hit`. */
function formatRequest(event: RequestEvent): string {
  const outcome = event.cache === 'hit' ? 'cache hit' : `${event.status ?? 'failed'} ${event.cache}`;
  const bucket = event.resource === 'graphql' ? 'GraphQL points' : 'requests';
  const remaining = event.remaining === null || event.cache === 'hit' ? '' : ` · ${event.remaining.toLocaleString('en-US')} ${bucket} left`;
  return `${event.method} ${event.url} ${outcome}${remaining}${event.note ? ` (${event.note})` : ''}`;
}

function columnsOf(stream: NodeJS.WritableStream): number {
  const columns = 'columns' in stream && typeof stream.columns === 'number' ? stream.columns : 0;
  return columns > 0 ? columns : 80;
}

/** GitHub's names for its buckets, as a user knows them. */
export function describeLimit(resource: string): string {
  if (resource === 'core') return 'REST API';
  if (resource === 'graphql') return 'GraphQL API';
  return resource;
}
