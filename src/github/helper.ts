/**
 * The thin helper at the heart of octohatrack: every GitHub GET goes through `getJSON(uri)`, which
 * returns parsed JSON and is memoised through the disk-backed cache. A response is stored only when it
 * succeeded and had the shape the caller expects, so a rerun never replays a failure, and a run stopped
 * by the rate limit resumes where it stopped.
 */
import { CliError, RateLimitedError } from '../errors.js';
import type { CacheEntry, CacheKey, ResponseCache } from './cache.js';
import { partitionOf } from './cache.js';
import { graphqlErrors, isRecord } from './json.js';
import { pageNumberOf, parseLinkHeader } from './link.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import type { LimitDecision } from './rate-limit.js';
import { decideLimit, rateLimitDefaults, readRateLimit } from './rate-limit.js';
import { settleAll } from './settle.js';
import type { Transport, TransportResponse } from './transport.js';
import { BodyTooLargeError, NetworkError } from './transport.js';

/** Validates a response body and trims it to what the collectors read; throws ShapeError. */
export type Shape<T> = (body: unknown) => T;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** GitHub answered with a status the helper does not handle itself; callers decide (404, 410, 422…). */
export class HttpStatusError extends CliError {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly githubMessage: string,
  ) {
    super(`GitHub answered ${status} for ${url}${githubMessage ? `: ${githubMessage}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

export type CacheOutcome = 'hit' | 'miss' | 'revalidated' | 'off';

export interface RequestEvent {
  method: 'GET' | 'POST';
  url: string;
  status: number | null;
  cache: CacheOutcome;
  remaining: number | null;
  /** The rate-limit bucket `remaining` is of: REST's `core`, or `graphql`. */
  resource: 'core' | 'graphql';
  note?: string;
}

export interface WaitEvent {
  reason: 'primary rate limit' | 'secondary rate limit' | 'retry';
  /** The limit's bucket: REST's `core`, or `graphql`. */
  resource: string;
  until: Date;
  url: string;
}

export interface HelperEvents {
  request?(event: RequestEvent): void;
  wait?(event: WaitEvent): void;
  redirect?(from: string, to: string): void;
}

export interface GitHubHelperOptions {
  apiUrl: string;
  /** GitHub's GraphQL endpoint (https://api.github.com/graphql, or GHES's /api/graphql). */
  graphqlUrl?: string;
  transport: Transport;
  cache: ResponseCache;
  cacheEnabled: boolean;
  maxAgeMs: number;
  waitForReset: boolean;
  concurrency: number;
  timeoutMs: number;
  events?: HelperEvents;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface PageProgress {
  pagesDone: number;
  /** Pages known so far: the `last` page once GitHub has said it, else what is seen. */
  pagesKnown: number;
}

export interface GitHubHelper {
  getJSON<T>(uri: string, shape: Shape<T>): Promise<T>;
  /**
   * The same, for a resource that may not exist: a 404 is null, and is remembered too. With
   * `trustCached`, a cached answer is used whatever its age (the caller knows it has not changed).
   */
  getOptionalJSON<T>(uri: string, shape: Shape<T>, options?: { trustCached?: boolean }): Promise<T | null>;
  /**
   * A GraphQL query through the same cache, limits and retries; `shape` gets the whole `{ data, errors }`
   * body (an answer with no data at all is an error before it).
   */
  postGraphQL<T>(operation: GraphQLOperation, shape: Shape<T>): Promise<T>;
  /** Every item of a paginated listing, in page order; pages fetched side by side once `last` is known. */
  getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk?: WalkOptions): Promise<T[]>;
  /**
   * The same, but a listing GitHub stops paginating (422 "pagination is limited") ends there, with
   * `truncated` set, instead of failing: the caller may walk the rest in `since` windows.
   */
  walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk?: WalkOptions): Promise<{ items: T[]; truncated: boolean }>;
  /**
   * The first page of a listing, and how many pages it has (its `Link rel="last"`; at least 2 when
   * there is a `next` but no `last`), for --dry-run's estimate. A cached first page is used whatever
   * its age. A 410 (the feature is off) or 204 (empty) is an empty listing of 0 pages.
   */
  firstPage<T>(uri: string, shapePage: Shape<T[]>): Promise<{ items: T[]; pages: number }>;
  /** Whether a response is cached, and within --max-age: asks nothing. */
  freshness(uri: string): Freshness;
  /**
   * One part of a batched answer, kept under a key of its own (one person's name out of a names
   * query), so that the next run asks only for what it does not know. Asks nothing.
   */
  remember(cacheKey: string, body: unknown): void;
  /** What is cached under that key, if younger than `maxAgeMs`. Asks nothing. */
  recall<T>(cacheKey: string, shape: Shape<T>, maxAgeMs: number): T | undefined;
  rateLimit(): RateLimitSnapshot | null;
  /** The helper's clock (the one cache ages are measured by), in ms since the epoch. */
  now(): number;
  /** Requests sent (refused ones included), refused by a rate limit, answered from the cache, revalidated by a 304. */
  readonly stats: { requests: number; refused: number; cacheHits: number; revalidated: number };
}

export type Freshness = 'fresh' | 'stale' | 'absent';

export interface WalkOptions {
  /**
   * Use the cached pages whatever their age (only missing pages are fetched): for listings whose
   * pages do not change once full, refreshed by a `since` walk of what changed instead.
   */
  trustCached?: boolean;
  /**
   * With `trustCached`: the last page is asked for again under the usual --max-age rules (a
   * conditional request), and the listing followed on from there. For listings in ascending order
   * that only grow at their end, without a `since` to ask what changed (commit comments).
   */
  revalidateLast?: boolean;
}

export const helperDefaults = {
  /** 5xx and connection faults: this many tries in all, with exponential backoff and jitter. */
  maxTries: 3,
  backoffBaseMs: 1000,
  /** Secondary rate limits: "at most 3 times in a row" (SPEC §6), then give up. */
  maxSecondaryInARow: 3,
  maxRedirects: 5,
};

interface Outgoing {
  url: string;
  /** What the verbose log shows. */
  shown: string;
  method: 'GET' | 'POST';
  body?: unknown;
  /** The rate-limit bucket it draws on. */
  resource: 'core' | 'graphql';
  cached: CacheEntry | undefined;
}

export interface GraphQLOperation {
  /** The operation's name, for the log and errors. */
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /**
   * The path the answer is cached under (and partitioned by), e.g. `/repos/o/r/graphql/reviews?after=X`:
   * a POST has no URI of its own, so the caller names one that says what the answer is about. Null:
   * the answer is not kept whole (the caller remembers its parts, each under a key of its own).
   */
  cacheKey: string | null;
  /**
   * The cache key names everything the answer depends on (the `updated_at` of the pull request it is
   * about), so a cached answer is valid whatever its age, and even under --refresh.
   */
  immutable?: boolean;
}

interface Fetched {
  body: unknown;
  link: string | undefined;
  /** Set when the answer was a remembered "nothing there": its status. */
  absent?: number;
  /**
   * The body came back unchanged (a 304). Its ETag covers the body alone, so it says nothing of the
   * pages after it: a listing that now goes on past this page may answer 304 all the same.
   */
  revalidated?: boolean;
}

/**
 * How a cached answer is used: `usual`, within --max-age as it is, else revalidated (If-None-Match);
 * `trust`, as it is whatever its age; `unconditional`, asked again in full (no If-None-Match), for
 * when only a full answer tells what is needed (a listing's current `Link`).
 */
type CachePolicy = 'usual' | 'trust' | 'unconditional';

/** Which answers are a definite "nothing there", remembered as null like a 200. */
type AbsentWhen = (status: number, message: string) => boolean;
const neverAbsent: AbsentWhen = () => false;

export function createGitHubHelper(options: GitHubHelperOptions): GitHubHelper {
  const api = new URL(`${options.apiUrl}/`);
  const apiPrefix = api.pathname.replace(/\/$/, '');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const events = options.events ?? {};
  const inFlight = new Map<string, Promise<Fetched>>();
  const stats = { requests: 0, refused: 0, cacheHits: 0, revalidated: 0 };
  const waiting: Array<() => void> = [];
  let active = 0;
  let pausedUntil = 0;
  let secondaryInARow = 0;
  /** Requests sent so far, and how many had been sent when the last secondary limit was met. */
  let sent = 0;
  let sentBeforeSecondary = 0;
  const limits = new Map<string, RateLimitSnapshot>();
  /** Requests in flight at once: --concurrency, halved at each secondary rate limit. */
  let concurrency = options.concurrency;
  let stoppedBy: RateLimitedError | null = null;

  /** Turns a URI (a path, or an absolute URL on the API's own origin) into the path the cache keys on. */
  function toApiPath(uri: string): string {
    if (uri.startsWith('/')) return uri;
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new CliError(`not a URL: ${uri}`);
    }
    // A Link or Location on another host is never followed: the token must not go there.
    // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
    if (url.origin !== api.origin || !url.pathname.startsWith(`${apiPrefix}/`)) {
      throw new CliError(`GitHub pointed to ${url.origin}${url.pathname}, outside ${options.apiUrl}; not following it with your token`);
    }
    return url.pathname.slice(apiPrefix.length) + url.search;
  }

  function keyOf(apiPath: string): CacheKey {
    return { host: api.host + apiPrefix, partition: partitionOf(apiPath), path: apiPath };
  }

  /**
   * A slot among --concurrency. GraphQL queries go to the front of the queue: reviews are a chain of
   * queries, one after another, that would otherwise wait behind every page a listing has queued.
   */
  async function acquire(resource: string): Promise<void> {
    if (active < concurrency) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => (resource === 'graphql' ? waiting.unshift(resolve) : waiting.push(resolve)));
  }

  function release(): void {
    // Past a halving, slots are given up until the new limit holds.
    const next = active <= concurrency ? waiting.shift() : undefined;
    if (next) next();
    else active -= 1;
  }

  /**
   * A slot to send in, once no wait is under way and the limit is not known to be spent. Checked
   * again after the slot is had: requests queued for a slot must not go out past a 403 that another
   * one just earned.
   */
  async function acquireWhenAllowed(resource: string): Promise<void> {
    for (;;) {
      if (stoppedBy) throw stoppedBy;
      while (pausedUntil > now()) await sleep(pausedUntil - now());
      stopIfExhausted(resource);
      if (pausedUntil > now()) continue;
      await acquire(resource);
      if (!stoppedBy && pausedUntil <= now() && !isExhausted(resource)) return;
      release();
    }
  }

  function pause(ms: number, reason: WaitEvent['reason'], url: string, resource: string): void {
    const until = now() + ms;
    // Requests that were in flight together report the same wait: announce it once.
    const isNews = until > pausedUntil + 1000;
    pausedUntil = Math.max(pausedUntil, until);
    if (isNews) events.wait?.({ reason, until: new Date(until), url, resource });
  }

  /**
   * Each resource (REST's `core`, `graphql`) has its own bucket. Responses arrive out of order: within
   * one window, the lowest `remaining` is the truth.
   */
  function noteRateLimit(snapshot: RateLimitSnapshot): void {
    const known = limits.get(snapshot.resource);
    const newWindow = !known || snapshot.resetAt.getTime() > known.resetAt.getTime() + 1000;
    if (newWindow || snapshot.remaining < known.remaining) limits.set(snapshot.resource, snapshot);
  }

  function isExhausted(resource: string): boolean {
    const known = limits.get(resource);
    return known !== undefined && known.remaining === 0 && known.resetAt.getTime() > now();
  }

  /**
   * GraphQL's primary limit answers 200 with a RATE_LIMITED error and `x-ratelimit-remaining: 0`.
   * https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#primary-rate-limit
   */
  function graphqlRateLimited(response: TransportResponse, resource: string): LimitDecision | null {
    if (resource !== 'graphql' || response.status !== 200 || !response.text?.includes('RATE_LIMITED')) return null;
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return null;
    }
    if (!graphqlErrors(body).some((error) => error.type === 'RATE_LIMITED')) return null;
    const known = limits.get('graphql');
    const waitMs = Math.max(0, (known?.resetAt.getTime() ?? now()) - now()) + rateLimitDefaults.resetMarginMs;
    return { kind: 'primary', waitMs, resetAt: new Date(now() + waitMs), resource: 'graphql' };
  }

  async function fetchPath(apiPath: string, shape: Shape<unknown>, absentWhen: AbsentWhen, policy: CachePolicy): Promise<Fetched> {
    const key = keyOf(apiPath);
    const cached = options.cacheEnabled && policy !== 'unconditional' ? usable(options.cache.get(key), shape) : undefined;
    if (cached && (policy === 'trust' || isFresh(cached.entry))) {
      stats.cacheHits += 1;
      events.request?.({ method: 'GET', url: apiPath, status: null, cache: 'hit', remaining: null, resource: 'core' });
      return cached.entry.status === undefined ? { body: cached.body, link: cached.entry.link } : { body: cached.body, link: cached.entry.link, absent: cached.entry.status };
    }
    const { response, finalPath } = await requestFollowingRedirects(apiPath, cached?.entry);
    const url = options.apiUrl + finalPath;
    if (response.status === 304 && cached) {
      stats.revalidated += 1;
      const entry: CacheEntry = { ...cached.entry, fetchedAt: now() };
      const etag = response.headers.etag;
      if (etag) entry.etag = etag;
      // The 304's own Link is today's; the cached one may end a listing that has grown since.
      const link = response.headers.link;
      if (link) entry.link = link;
      store(key, finalPath, entry);
      return { body: cached.body, link: entry.link, revalidated: true };
    }
    if (absentWhen(response.status, messageOf(response.errorBody))) {
      // "Not there" is a definite answer (a file that does not exist, a feature turned off: 410, a
      // page past GitHub's pagination depth: 422), remembered like a 200, as null, so that a warm run
      // does not ask again.
      store(key, finalPath, { fetchedAt: now(), body: null, status: response.status });
      return { body: null, link: undefined, absent: response.status };
    }
    if (response.status < 200 || response.status >= 300) {
      throw new HttpStatusError(response.status, url, messageOf(response.errorBody));
    }
    // 204 No Content (an empty repository's contributors) is shaped as null. A 200 of JSON `null` is
    // no GitHub answer: it must not pass for "nothing there" (and be remembered as such).
    const json = response.status === 204 ? null : parseJSON(response.text, url);
    if (json === null && response.status !== 204) throw new CliError(`GitHub sent an unexpected response for ${url}: null`);
    const body = applyShape(json, shape, url);
    const entry: CacheEntry = { fetchedAt: now(), body };
    const { etag, link } = response.headers;
    const lastModified = response.headers['last-modified'];
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    if (link) entry.link = link;
    store(key, finalPath, entry);
    return { body, link };
  }

  function store(key: CacheKey, finalPath: string, entry: CacheEntry): void {
    if (!options.cacheEnabled) return;
    options.cache.set(key, entry);
    // A redirected request is remembered under both names, so a rerun asks neither again.
    if (finalPath !== key.path) options.cache.set(keyOf(finalPath), entry);
  }

  async function requestFollowingRedirects(apiPath: string, cached: CacheEntry | undefined): Promise<{ response: TransportResponse; finalPath: string }> {
    let currentPath = apiPath;
    for (let hop = 0; ; hop += 1) {
      const response = await requestWithRetries(currentPath, hop === 0 ? cached : undefined);
      if (![301, 302, 307, 308].includes(response.status)) return { response, finalPath: currentPath };
      const location = response.headers.location;
      if (!location || hop >= helperDefaults.maxRedirects) {
        throw new CliError(`GitHub redirected ${options.apiUrl + currentPath} ${location ? 'too many times' : 'without a Location'}`);
      }
      // https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects
      let resolved: string;
      try {
        resolved = new URL(location, options.apiUrl + currentPath).toString();
      } catch {
        throw new CliError(`GitHub redirected ${options.apiUrl + currentPath} to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`);
      }
      const target = toApiPath(resolved);
      events.redirect?.(currentPath, target);
      currentPath = target;
    }
  }

  async function requestWithRetries(apiPath: string, cached: CacheEntry | undefined): Promise<TransportResponse> {
    return send({ url: options.apiUrl + apiPath, shown: apiPath, method: 'GET', resource: 'core', cached });
  }

  async function send(outgoing: Outgoing): Promise<TransportResponse> {
    const { url, shown, method, resource, cached } = outgoing;
    for (let attempt = 1; ; attempt += 1) {
      await acquireWhenAllowed(resource);
      let response: TransportResponse;
      const sequence = (sent += 1);
      try {
        const headers: Record<string, string> = {};
        if (cached?.etag) headers['if-none-match'] = cached.etag;
        else if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
        stats.requests += 1;
        response = await options.transport({ url, headers, timeoutMs: options.timeoutMs, method, ...(outgoing.body === undefined ? {} : { body: outgoing.body }) });
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw new CliError(`GitHub sent a response too large to read for ${url}: ${error.message}`, { cause: error });
        if (!(error instanceof NetworkError)) throw error;
        events.request?.({ method, url: shown, status: null, cache: cached ? 'revalidated' : 'miss', remaining: limits.get(resource)?.remaining ?? null, resource, note: error.message });
        if (attempt >= helperDefaults.maxTries) {
          throw new CliError(`cannot reach GitHub at ${url}: ${error.message} (tried ${attempt} times; progress is saved, rerun later)`, { cause: error });
        }
        retryLater(attempt, url);
        continue;
      } finally {
        release();
      }

      const snapshot = readRateLimit(response.headers, now());
      if (snapshot) noteRateLimit(snapshot);
      events.request?.({
        method,
        url: shown,
        status: response.status,
        cache: options.cacheEnabled ? (response.status === 304 ? 'revalidated' : 'miss') : 'off',
        remaining: snapshot?.remaining ?? null,
        resource,
      });

      const limit = decideLimit(response.status, response.headers, messageOf(response.errorBody), now()) ?? graphqlRateLimited(response, resource);
      if (limit) stats.refused += 1;
      if (limit?.kind === 'primary') {
        if (!options.waitForReset) throw stop(limit.resetAt, limit.resource);
        pause(limit.waitMs, 'primary rate limit', url, limit.resource);
        attempt -= 1; // waiting out the primary limit is not a failed try
        continue;
      }
      if (limit?.kind === 'secondary') {
        // Requests that were in flight when one was met are stopped by the same limit: one time
        // in a row, one halving, however many of them come back refused.
        if (sequence > sentBeforeSecondary) {
          sentBeforeSecondary = sent;
          secondaryInARow += 1;
          // "Make requests serially instead of concurrently" when one is met: halve what goes out at once.
          // https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
          concurrency = Math.max(1, Math.floor(concurrency / 2));
        }
        if (secondaryInARow > helperDefaults.maxSecondaryInARow) {
          throw new CliError(`GitHub's secondary rate limit stopped ${url} ${helperDefaults.maxSecondaryInARow} times in a row; progress is saved, rerun in a few minutes`);
        }
        // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
        pause(limit.waitMs, 'secondary rate limit', url, resource);
        attempt -= 1;
        continue;
      }
      if (response.status >= 500) {
        if (attempt >= helperDefaults.maxTries) {
          throw new CliError(`GitHub answered ${response.status} for ${url} ${attempt} times; progress is saved, rerun later`);
        }
        retryLater(attempt, url);
        continue;
      }
      if (response.status === 401) {
        throw new CliError('Bad credentials: check GH_TOKEN/GITHUB_TOKEN (GitHub answered 401); with the GitHub CLI: export GH_TOKEN=$(gh auth token)');
      }
      secondaryInARow = 0;
      return response;
    }
  }

  /** Exponential backoff with full jitter between tries of a 5xx or a connection fault. */
  function retryLater(attempt: number, url: string): void {
    const ceiling = helperDefaults.backoffBaseMs * 2 ** (attempt - 1);
    const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
    events.wait?.({ reason: 'retry', until: new Date(now() + delay), url, resource: 'core' });
    pausedUntil = Math.max(pausedUntil, now() + delay);
  }

  /** The last response said none are left: asking again would only earn a 403. */
  function stopIfExhausted(resource: string): void {
    const known = limits.get(resource);
    if (known && isExhausted(resource)) {
      const waitMs = known.resetAt.getTime() - now() + rateLimitDefaults.resetMarginMs;
      if (!options.waitForReset) throw stop(new Date(now() + waitMs), known.resource);
      pause(waitMs, 'primary rate limit', options.apiUrl, resource);
    }
  }

  function stop(resetAt: Date, resource: string): RateLimitedError {
    stoppedBy ??= new RateLimitedError(resetAt, resource);
    return stoppedBy;
  }

  function parseJSON(text: string | null, url: string): unknown {
    try {
      return JSON.parse(text ?? '');
    } catch {
      throw new CliError(`GitHub sent a response that is not JSON for ${url} (${describeText(text)})`);
    }
  }

  function applyShape(json: unknown, shape: Shape<unknown>, url: string): unknown {
    try {
      return shape(json);
    } catch (error) {
      if (error instanceof ShapeError) throw new CliError(`GitHub sent an unexpected response for ${url}: ${error.message}`);
      throw error;
    }
  }

  function memoised(apiPath: string, shape: Shape<unknown>, absentWhen: AbsentWhen = neverAbsent, policy: CachePolicy = 'usual'): Promise<Fetched> {
    let pending = inFlight.get(apiPath);
    if (!pending) {
      pending = fetchPath(apiPath, shape, absentWhen, policy).finally(() => inFlight.delete(apiPath));
      inFlight.set(apiPath, pending);
    }
    return pending;
  }

  async function getJSON<T>(uri: string, shape: Shape<T>): Promise<T> {
    return (await memoised(toApiPath(uri), shape)).body as T;
  }

  async function postGraphQL<T>(operation: GraphQLOperation, shape: Shape<T>): Promise<T> {
    const key = operation.cacheKey === null ? null : keyOf(operation.cacheKey);
    // The raw answer is cached (the query already asks for nothing more than is read) and shaped on
    // every use, so `shape` need not be idempotent here.
    const cached = options.cacheEnabled && key !== null ? usable(options.cache.get(key), shape) : undefined;
    // POSTs cannot be revalidated (no ETag): within --max-age the cached answer, else a fresh one.
    if (cached && (operation.immutable === true || isFresh(cached.entry))) {
      stats.cacheHits += 1;
      events.request?.({ method: 'POST', url: `graphql ${operation.name}`, status: null, cache: 'hit', remaining: null, resource: 'graphql' });
      return cached.body as T;
    }
    const url = options.graphqlUrl ?? `${options.apiUrl}/graphql`;
    const response = await send({ url, shown: `graphql ${operation.name}`, method: 'POST', body: { query: operation.query, variables: operation.variables }, resource: 'graphql', cached: undefined });
    if (response.status !== 200) throw new HttpStatusError(response.status, `${url} (${operation.name})`, messageOf(response.errorBody));
    const json = parseJSON(response.text, `${url} (${operation.name})`);
    const data = isRecord(json) ? json.data : null;
    if (data === null || data === undefined) {
      throw new CliError(`GitHub's GraphQL API refused ${operation.name}: ${graphqlErrorMessage(json)}`);
    }
    const body = applyShape(json, shape, `${url} (${operation.name})`);
    if (key !== null) store(key, key.path, { fetchedAt: now(), body: json });
    return body as T;
  }

  async function getOptionalJSON<T>(uri: string, shape: Shape<T>, { trustCached = false }: { trustCached?: boolean } = {}): Promise<T | null> {
    return (await memoised(toApiPath(uri), nullable(shape), (status) => status === 404, trustCached ? 'trust' : 'usual')).body as T | null;
  }

  async function getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk?: WalkOptions): Promise<T[]> {
    const { items, truncated } = await walkListing(uri, shapePage, onPage, walk);
    if (truncated) throw new CliError(`GitHub stops paginating ${options.apiUrl}${toApiPath(uri)} before its end (422: pagination is limited)`);
    return items;
  }

  async function walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk: WalkOptions = {}): Promise<{ items: T[]; truncated: boolean }> {
    const firstPath = toApiPath(uri);
    let truncated = false;
    const pages: T[][] = [];
    let pagesDone = 0;
    let pagesKnown = 1;
    // 410 Gone: the listing's feature is turned off (issues disabled): an empty listing.
    const shapeOrAbsent = nullable(shapePage);
    const fetchPage = async (apiPath: string): Promise<Fetched> => {
      // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api: deep pages
      // of the largest listings answer 422; what came before them stands.
      const absentWhen: AbsentWhen = (status, message) => isEmptyListing(status, message) || (apiPath !== firstPath && isPaginationLimit(status, message));
      let page = await memoised(apiPath, shapeOrAbsent, absentWhen, walk.trustCached === true ? 'trust' : 'usual');
      if (page.absent === 422) {
        truncated = true;
        page = { body: [], link: undefined };
      }
      pagesDone += 1;
      onPage?.({ pagesDone, pagesKnown: Math.max(pagesKnown, pagesDone) });
      return page;
    };

    let current = await fetchPage(firstPath);
    let currentPath = firstPath;
    pages.push((current.body as T[] | null) ?? []);
    let currentPage = 1;
    let lastRevalidated = walk.trustCached !== true || walk.revalidateLast !== true;
    for (;;) {
      const links = parseLinkHeader(current.link);
      if (!links.next) {
        if (!lastRevalidated) {
          lastRevalidated = true;
          current = await memoised(currentPath, shapeOrAbsent, isEmptyListing);
          pages[pages.length - 1] = (current.body as T[] | null) ?? [];
          continue;
        }
        // A 304 vouches for this page's items, not for its end: with a full page, the listing may go
        // on (GitHub's ETag covers the body alone). Ask for the page after it, which is a free 304 too
        // once it is cached; a first page cannot be told from a cursor listing's, so it is asked again
        // in full for its current Link.
        // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
        if (!current.revalidated || ((current.body as T[] | null)?.length ?? 0) < perPageOf(firstPath)) break;
        if (currentPath === firstPath || pageNumberOf(currentPath) === null) {
          current = await memoised(currentPath, shapeOrAbsent, isEmptyListing, 'unconditional');
          pages[pages.length - 1] = (current.body as T[] | null) ?? [];
          continue;
        }
        currentPage += 1;
        currentPath = withPage(firstPath, currentPage);
        current = await fetchPage(currentPath);
        pages.push((current.body as T[] | null) ?? []);
        if (truncated) break;
        continue;
      }
      // A `next` on another host is refused even when its page number could be followed here: it is
      // not GitHub's listing any more (SPEC §6), and the user is told so.
      const nextPath = toApiPath(links.next);
      const nextPage = pageNumberOf(links.next);
      const lastPage = links.last ? pageNumberOf(links.last) : null;
      if (nextPage === currentPage + 1 && lastPage !== null && lastPage > nextPage) {
        // Page-numbered and `last` is known: fetch the remaining pages side by side.
        pagesKnown = Math.max(pagesKnown, lastPage);
        const numbers = Array.from({ length: lastPage - currentPage }, (_, index) => currentPage + 1 + index);
        const fetched = await settleAll(numbers.map((number) => fetchPage(withPage(firstPath, number))));
        pages.push(...fetched.map((page) => (page.body as T[] | null) ?? []));
        current = fetched[fetched.length - 1] as Fetched;
        currentPath = withPage(firstPath, lastPage);
        currentPage = lastPage;
        if (truncated) break;
        continue;
      }
      // One more page, or cursor-based: follow `next` (on the API's own origin only). Page-numbered
      // pages are keyed as computed from the first URI, so a rerun finds them whichever way they came.
      pagesKnown = Math.max(pagesKnown, pagesDone + 1);
      currentPath = nextPage === currentPage + 1 ? withPage(firstPath, nextPage) : nextPath;
      current = await fetchPage(currentPath);
      pages.push((current.body as T[] | null) ?? []);
      currentPage = nextPage ?? currentPage + 1;
      if (truncated) break;
      if (pages.length > 100_000) throw new CliError(`the listing ${uri} does not end after 100,000 pages`);
    }
    return { items: pages.flat(), truncated };
  }

  async function firstPage<T>(uri: string, shapePage: Shape<T[]>): Promise<{ items: T[]; pages: number }> {
    const page = await memoised(toApiPath(uri), nullable(shapePage), isEmptyListing, 'trust');
    if (page.body === null) return { items: [], pages: 0 };
    const links = parseLinkHeader(page.link);
    const last = links.last ? pageNumberOf(links.last) : null;
    return { items: page.body as T[], pages: last ?? (links.next ? 2 : 1) };
  }

  function freshness(uri: string): Freshness {
    const entry = options.cacheEnabled ? options.cache.get(keyOf(toApiPath(uri))) : undefined;
    if (!entry) return 'absent';
    return isFresh(entry) ? 'fresh' : 'stale';
  }

  /**
   * Younger than --max-age. An entry from the future (written by a clock that was fast, or edited by
   * hand) is not trusted: it is revalidated, so that --refresh and --max-age mean what they say.
   */
  function isFresh(entry: CacheEntry): boolean {
    const age = now() - entry.fetchedAt;
    return age >= 0 && age < options.maxAgeMs;
  }

  function remember(cacheKey: string, body: unknown): void {
    if (options.cacheEnabled) options.cache.set(keyOf(cacheKey), { fetchedAt: now(), body });
  }

  function recall<T>(cacheKey: string, shape: Shape<T>, maxAgeMs: number): T | undefined {
    const cached = options.cacheEnabled ? usable(options.cache.get(keyOf(cacheKey)), shape) : undefined;
    if (!cached) return undefined;
    const age = now() - cached.entry.fetchedAt;
    if (age < 0 || age >= maxAgeMs) return undefined;
    stats.cacheHits += 1;
    return cached.body as T;
  }

  return { getJSON, getOptionalJSON, getListing, walkListing, firstPage, freshness, remember, recall, postGraphQL, rateLimit: () => limits.get('core') ?? null, now, stats };
}

/**
 * A listing that is empty for good reason, remembered as such: 410, its feature is turned off (issues
 * disabled); 409 "Git Repository is empty." (an empty repository's contributors and commits).
 * https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
function isEmptyListing(status: number, message: string): boolean {
  return status === 410 || (status === 409 && /repository is empty/i.test(message));
}

/** Items on a full page of the listing at `apiPath`: its `per_page`, else GitHub's default of 30. */
function perPageOf(apiPath: string): number {
  const perPage = Number(new URL(apiPath, 'http://x').searchParams.get('per_page'));
  return Number.isInteger(perPage) && perPage > 0 ? Math.min(perPage, 100) : 30;
}

/** GitHub's 422 for deep pages: "pagination is limited for this resource", or (2025) "… not supported for large datasets". */
export function isPaginationLimit(status: number, message: string): boolean {
  return status === 422 && /pagination is limited|not supported for large datasets/i.test(message);
}

function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (body) => (body === null ? null : shape(body));
}

/** Page k of a listing, keyed the same whether it came from a `Link` header or was computed. */
export function withPage(apiPath: string, page: number): string {
  const url = new URL(apiPath, 'http://x');
  url.searchParams.set('page', String(page));
  return url.pathname + url.search;
}

function usable(entry: CacheEntry | undefined, shape: Shape<unknown>): { entry: CacheEntry; body: unknown } | undefined {
  if (!entry) return undefined;
  try {
    // Cached bodies were shaped when stored; shaping again (idempotent) guards against hand edits.
    return { entry, body: shape(entry.body) };
  } catch {
    return undefined;
  }
}

function graphqlErrorMessage(json: unknown): string {
  const message = graphqlErrors(json)[0]?.message;
  return typeof message === 'string' ? message : 'no data in the answer';
}

function messageOf(body: unknown): string {
  if (isRecord(body) && typeof body.message === 'string') return body.message;
  return typeof body === 'string' ? body.slice(0, 200) : '';
}

function describeText(text: string | null): string {
  if (!text) return 'an empty body';
  return `${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}`;
}
