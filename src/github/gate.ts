/**
 * The request gate: every request to GitHub goes out through it, and it alone decides when. It holds
 * the --concurrency slots, the pauses, the retries of 5xx and connection faults, and GitHub's rate
 * limits (primary and secondary, REST and GraphQL), each rule written where it is enforced. In: an
 * outgoing request; out: GitHub's answer, or a typed error saying what to do next.
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
import { CliError, RateLimitedError, RetryLaterError } from '../errors.js';
import type { CacheEntry } from './cache.js';
import type { HelperEvents, WaitEvent } from './helper.js';
import { messageOf } from './json.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import type { Queue } from './slots.js';
import { queueOf, Slots } from './slots.js';
import { decideLimit, graphqlRateLimited, rateLimitDefaults, readRateLimit } from './rate-limit.js';
import { createPointsPacer, type PointsPacer } from './points-pacer.js';
import type { Transport, TransportResponse } from './transport.js';
import { BodyTooLargeError, NetworkError } from './transport.js';

export const gateDefaults = {
  /** 5xx and connection faults: this many tries in all, with exponential backoff and jitter. */
  maxTries: 3,
  backoffBaseMs: 1000,
  /** Secondary rate limits: "at most 3 times in a row" (SPEC §6), then give up. */
  maxSecondaryInARow: 3,
};

export interface GateOptions {
  apiUrl: string;
  transport: Transport;
  /** Only for what the request log says: `off` when no cache is used. */
  cacheEnabled: boolean;
  waitForReset: boolean;
  concurrency: number;
  timeoutMs: number;
  events: Pick<HelperEvents, 'request' | 'wait'>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export interface OutgoingRequest {
  url: string;
  /** What the verbose log shows. */
  shown: string;
  method: 'GET' | 'POST';
  body?: unknown;
  /** The rate-limit bucket it draws on. */
  resource: 'core' | 'graphql';
  /** The cached answer it revalidates (If-None-Match / If-Modified-Since), if any. */
  cached: CacheEntry | undefined;
  /** A 502 or 504 is handed back at once instead of tried again: the caller makes the request lighter. */
  timeoutIsAnswer?: boolean;
  /** GraphQL: what the query costs in points (1 unless said), paced against the points a minute allowed. */
  points?: number;
  /** Goes to the front of the queue for a slot, as GraphQL queries do (the planner's look at the limits). */
  urgent?: boolean;
}

/**
 * Requests sent (refused ones included), refused by a rate limit, answered from the cache, revalidated
 * by a 304, and answers kept in the cache this run (what a rerun would not ask again).
 */
export type GateStats = Record<'requests' | 'refused' | 'cacheHits' | 'revalidated' | 'stored', number>;

export interface RequestGate {
  send(outgoing: OutgoingRequest): Promise<TransportResponse>;
  /** The REST (`core`) bucket as last seen. */
  /** What GitHub last said of a limit: REST's `core` (the default), or `graphql`. */
  rateLimit(resource?: 'core' | 'graphql'): RateLimitSnapshot | null;
  readonly stats: GateStats;
}

export function createRequestGate(options: GateOptions): RequestGate {
  return new Gate(options);
}

/** What to do with an answer: hand it over, try again (a failed try), or send again after a wait that is no failure. */
type Verdict = 'answer' | 'retry' | 'wait';

class Gate implements RequestGate {
  readonly stats: GateStats = { requests: 0, refused: 0, cacheHits: 0, revalidated: 0, stored: 0 };
  private pausedUntil = 0;
  private secondaryInARow = 0;
  /** Requests sent so far, and how many had been sent when the last secondary limit was met. */
  private sent = 0;
  private sentBeforeSecondary = 0;
  private readonly limits = new Map<string, RateLimitSnapshot>();
  /** Requests in flight at once: --concurrency, halved at each secondary rate limit. */
  private readonly slots: Slots;
  private stoppedBy: RateLimitedError | null = null;
  private readonly pacer: PointsPacer = createPointsPacer();
  /** The end of the last pacing wait announced. */
  private pacedUntil = 0;

  constructor(private readonly options: GateOptions) {
    this.slots = new Slots(options.concurrency);
  }

  rateLimit(resource: 'core' | 'graphql' = 'core'): RateLimitSnapshot | null {
    return this.limits.get(resource) ?? null;
  }

  async send(outgoing: OutgoingRequest): Promise<TransportResponse> {
    for (let attempt = 1; ; attempt += 1) {
      if (outgoing.resource === 'graphql') await this.pace(outgoing.points ?? 1, outgoing.url);
      await this.acquireWhenAllowed(outgoing.resource, queueOf(outgoing));
      const sequence = (this.sent += 1);
      const response = await this.transmit(outgoing, attempt);
      if (response === null) continue; // a connection fault, tried again after a wait
      const verdict = this.judge(response, outgoing, attempt, sequence);
      if (verdict === 'answer') {
        this.secondaryInARow = 0;
        return response;
      }
      if (verdict === 'wait') attempt -= 1; // waiting out a rate limit is not a failed try
    }
  }

  /** One try on the wire, in a slot; null after a connection fault that is to be tried again. */
  private async transmit(outgoing: OutgoingRequest, attempt: number): Promise<TransportResponse | null> {
    const { url, shown, method, resource, cached } = outgoing;
    try {
      const headers: Record<string, string> = {};
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      else if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
      this.stats.requests += 1;
      return await this.options.transport({ url, headers, timeoutMs: this.options.timeoutMs, method, ...(outgoing.body === undefined ? {} : { body: outgoing.body }) });
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new CliError(`GitHub sent a response too large to read for ${url}: ${error.message}`, { cause: error });
      if (!(error instanceof NetworkError)) throw error;
      const remaining = this.limits.get(resource)?.remaining ?? null;
      this.options.events.request?.({ method, url: shown, status: null, cache: cached ? 'revalidated' : 'miss', remaining, resource, note: error.message });
      if (attempt >= gateDefaults.maxTries) {
        throw new RetryLaterError(`cannot reach GitHub at ${url}: ${error.message} (tried ${attempt} times)`, 'later', { cause: error });
      }
      this.retryLater(attempt, url);
      return null;
    } finally {
      this.slots.release();
    }
  }

  /** Notes the answer's rate limit, logs it, and decides what comes next; throws when the run must stop. */
  private judge(response: TransportResponse, outgoing: OutgoingRequest, attempt: number, sequence: number): Verdict {
    const { url, shown, method, resource } = outgoing;
    const { now, events, cacheEnabled } = this.options;
    const snapshot = readRateLimit(response.headers, now());
    if (snapshot) this.noteRateLimit(snapshot);
    const cache = cacheEnabled ? (response.status === 304 ? 'revalidated' : 'miss') : 'off';
    events.request?.({ method, url: shown, status: response.status, cache, remaining: snapshot?.remaining ?? null, resource });

    const limit = decideLimit(response.status, response.headers, messageOf(response.errorBody), now()) ?? (resource === 'graphql' ? graphqlRateLimited(response.status, response.text, this.limits.get('graphql')?.resetAt ?? null, now()) : null);
    if (limit) this.stats.refused += 1;
    if (limit?.kind === 'primary') {
      // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
      if (!this.options.waitForReset) throw this.stop(limit.resetAt, limit.resource);
      this.pause(limit.waitMs, 'primary rate limit', url, limit.resource);
      return 'wait';
    }
    if (limit?.kind === 'secondary') {
      this.meetSecondaryLimit(limit.waitMs, url, resource, sequence);
      return 'wait';
    }
    if (response.status >= 500) {
      // A GraphQL query that runs too long answers 502 ("may be the result of a timeout"): asked again
      // as it is, it would time out again.
      // https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#timeouts
      if (outgoing.timeoutIsAnswer === true && (response.status === 502 || response.status === 504)) return 'answer';
      if (attempt >= gateDefaults.maxTries) {
        throw new RetryLaterError(`GitHub answered ${response.status} for ${url} ${attempt} times`, 'later');
      }
      this.retryLater(attempt, url);
      return 'retry';
    }
    if (response.status === 401) {
      throw new CliError('Bad credentials: check GH_TOKEN/GITHUB_TOKEN (GitHub answered 401); with the GitHub CLI: export GH_TOKEN=$(gh auth token)');
    }
    return 'answer';
  }

  /**
   * Requests that were in flight when one was met are stopped by the same limit: one time in a row,
   * one halving, however many of them come back refused.
   * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
   */
  private meetSecondaryLimit(waitMs: number, url: string, resource: string, sequence: number): void {
    if (sequence > this.sentBeforeSecondary) {
      this.sentBeforeSecondary = this.sent;
      this.secondaryInARow += 1;
      // "Make requests serially instead of concurrently" when one is met: halve what goes out at once.
      // https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
      this.slots.halve();
    }
    if (this.secondaryInARow > gateDefaults.maxSecondaryInARow) {
      throw new RetryLaterError(`GitHub's secondary rate limit stopped ${url} ${gateDefaults.maxSecondaryInARow} times in a row`, 'in a few minutes');
    }
    this.pause(waitMs, 'secondary rate limit', url, resource);
  }

  /**
   * A slot to send in, once no wait is under way and the limit is not known to be spent. Checked
   * again after the slot is had: requests queued for a slot must not go out past a 403 that another
   * one just earned.
   */
  private async acquireWhenAllowed(resource: string, queue: Queue): Promise<void> {
    const { now, sleep } = this.options;
    for (;;) {
      if (this.stoppedBy) throw this.stoppedBy;
      while (this.pausedUntil > now()) await sleep(this.pausedUntil - now());
      this.stopIfExhausted(resource);
      if (this.pausedUntil > now()) continue;
      await this.slots.acquire(queue);
      if (!this.stoppedBy && this.pausedUntil <= now() && !this.isExhausted(resource)) return;
      this.slots.release();
    }
  }

  private pause(ms: number, reason: WaitEvent['reason'], url: string, resource: string): void {
    const until = this.options.now() + ms;
    // Requests that were in flight together report the same wait: announce it once.
    const isNews = until > this.pausedUntil + 1000;
    this.pausedUntil = Math.max(this.pausedUntil, until);
    if (isNews) this.options.events.wait?.({ reason, until: new Date(until), url, resource });
  }

  /** Exponential backoff with full jitter between tries of a 5xx or a connection fault. */
  private retryLater(attempt: number, url: string): void {
    const { now, random, events } = this.options;
    const ceiling = gateDefaults.backoffBaseMs * 2 ** (attempt - 1);
    const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
    events.wait?.({ reason: 'retry', until: new Date(now() + delay), url, resource: 'core' });
    this.pausedUntil = Math.max(this.pausedUntil, now() + delay);
  }

  /**
   * Each resource (REST's `core`, `graphql`) has its own bucket. Responses arrive out of order: within
   * one window, the lowest `remaining` is the truth.
   */
  private noteRateLimit(snapshot: RateLimitSnapshot): void {
    const known = this.limits.get(snapshot.resource);
    const newWindow = !known || snapshot.resetAt.getTime() > known.resetAt.getTime() + 1000;
    if (newWindow || snapshot.remaining < known.remaining) this.limits.set(snapshot.resource, snapshot);
  }

  private isExhausted(resource: string): boolean {
    const known = this.limits.get(resource);
    return known !== undefined && known.remaining === 0 && known.resetAt.getTime() > this.options.now();
  }

  /** The last response said none are left: asking again would only earn a 403. */
  private stopIfExhausted(resource: string): void {
    const known = this.limits.get(resource);
    if (known && this.isExhausted(resource)) {
      const now = this.options.now();
      const waitMs = known.resetAt.getTime() - now + rateLimitDefaults.resetMarginMs;
      if (!this.options.waitForReset) throw this.stop(new Date(now + waitMs), known.resource);
      this.pause(waitMs, 'primary rate limit', this.options.apiUrl, resource);
    }
  }

  /** Holds a GraphQL query back until the last minute's points leave room for it (points-pacer.ts). */
  private async pace(points: number, url: string): Promise<void> {
    const { now, sleep, events } = this.options;
    for (let waitMs = this.pacer.take(points, now()); waitMs > 0; waitMs = this.pacer.take(points, now())) {
      const until = now() + waitMs;
      if (until > this.pacedUntil + 1000) events.wait?.({ reason: 'secondary rate limit', until: new Date(until), url, resource: 'graphql' });
      this.pacedUntil = Math.max(this.pacedUntil, until);
      await sleep(waitMs);
    }
  }

  /** The first primary limit met stops every request, queued or to come, with the same error. */
  private stop(resetAt: Date, resource: string): RateLimitedError {
    this.stoppedBy ??= new RateLimitedError(resetAt, resource);
    return this.stoppedBy;
  }
}
