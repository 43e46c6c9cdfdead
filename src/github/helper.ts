/**
 * The thin helper at the heart of octohatrack: every GitHub GET goes through `getJSON(uri)`, which
 * returns parsed JSON and is memoised through the disk-backed cache. This file is its face: the public
 * types, and `createGitHubHelper`, which puts together its four parts, one job each:
 * - `gate.ts`, the request gate: slots, pauses, retries and rate limits, for every request sent;
 * - `memo.ts`, conditional GET and memo: the cache, ETags and 304s, redirects, what is stored;
 * - `pagination.ts`: every page of a listing, by its `Link` headers;
 * - `graphql.ts`: GraphQL queries through the same gate and cache.
 */
import type { Shape } from './body.js';
import { nullable } from './body.js';
import type { ResponseCache } from './cache.js';
import { createRequestGate, gateDefaults } from './gate.js';
import { createGraphQL } from './graphql.js';
import { createMemo, memoDefaults } from './memo.js';
import { createPagination } from './pagination.js';
import type { Walked } from './pagination.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import type { RateLimitStatus } from './rate-limit-status.js';
import { readRateLimitStatus } from './rate-limit-status.js';
import type { Transport } from './transport.js';

export type { Shape } from './body.js';
export { ShapeError } from './body.js';
export { HttpStatusError } from './http-status-error.js';
export { QueryTooHeavyError } from './graphql.js';
export { isPaginationLimit, withPage } from './pagination.js';

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
  /** Something the user should know of an answer (a listing that loops). */
  warning?(message: string): void;
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
  /** A listing's page just read: its items, as the listing's shape reads them. */
  items?: readonly unknown[];
  /** Who those items name (a listing's authors): counted among the people found so far as they come. */
  people?: ReadonlyArray<string | null>;
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
  getListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk?: WalkOptions<T>): Promise<T[]>;
  /**
   * The same, but a listing GitHub stops paginating (422 "pagination is limited") ends there, with
   * `truncated` set, instead of failing: the caller may walk the rest in `since` windows.
   */
  walkListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void, walk?: WalkOptions<T>): Promise<Walked<T>>;
  /**
   * The same as getListing, for a listing that may not exist: a 404 on its first page is null, and is
   * remembered too (an organisation's repositories asked of a user's login).
   */
  getOptionalListing<T>(uri: string, shapePage: Shape<T[]>, onPage?: (progress: PageProgress) => void): Promise<T[] | null>;
  /**
   * The first page of a listing, and how many pages it has (its `Link rel="last"`; at least 2 when
   * there is a `next` but no `last`), for --dry-run's estimate. A cached first page is used whatever
   * its age (with `trustCached` false, within --max-age only). A 410 (the feature is off), 409 (an
   * empty repository) or 204 (empty) is an empty listing of 0 pages.
   */
  firstPage<T>(uri: string, shapePage: Shape<T[]>, trustCached?: boolean): Promise<{ items: T[]; pages: number }>;
  /** Whether a response is cached, and within --max-age: asks nothing. */
  freshness(uri: string): Freshness;
  /**
   * One part of a batched answer, kept under a key of its own (one person's name out of a names
   * query), so that the next run asks only for what it does not know. Asks nothing.
   */
  remember(cacheKey: string, body: unknown): void;
  /** What is cached under that key, if younger than `maxAgeMs`. Asks nothing. */
  recall<T>(cacheKey: string, shape: Shape<T>, maxAgeMs: number): T | undefined;
  /** What GitHub last said of a limit: REST's `core` (the default), or `graphql`. */
  rateLimit(resource?: 'core' | 'graphql'): RateLimitSnapshot | null;
  /**
   * What is left of each limit now: `GET /rate_limit` (free, never cached), through the same slots,
   * pauses and secondary-limit rules as every request. Null when GitHub does not say.
   */
  rateLimitStatus(): Promise<RateLimitStatus | null>;
  /** The helper's clock (the one cache ages are measured by), in ms since the epoch. */
  now(): number;
  /** Requests sent (refused ones included), refused by a rate limit, answered from the cache, revalidated by a 304. */
  readonly stats: { requests: number; refused: number; cacheHits: number; revalidated: number; stored: number };
  /** Answers are kept (false with --no-cache: a page asked twice is fetched twice). */
  readonly cacheEnabled: boolean;
}

export type Freshness = 'fresh' | 'stale' | 'absent';

export interface WalkOptions<T = unknown> {
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
  /**
   * The walk ends with the first page this is true of (its items kept): pages are then asked one at
   * a time, in order, never side by side. For listings in newest-first order, which are read only as
   * far back as a caller needs (what it has seen already, or --since).
   */
  until?: (page: readonly T[]) => boolean;
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
  /**
   * The caller can ask the same in smaller parts: an answer GitHub finds too heavy (a 502/504 timeout,
   * or more nodes than it allows) is not tried again as it is, but thrown as a QueryTooHeavyError.
   */
  splittable?: boolean;
}

/** The retry, rate-limit and redirect bounds, each defined (and explained) in the part that enforces it. */
export const helperDefaults = { ...gateDefaults, ...memoDefaults };

export function createGitHubHelper(options: GitHubHelperOptions): GitHubHelper {
  const now = options.now ?? Date.now;
  const events = options.events ?? {};
  const gate = createRequestGate({
    apiUrl: options.apiUrl,
    transport: options.transport,
    cacheEnabled: options.cacheEnabled,
    waitForReset: options.waitForReset,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    events,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now,
    random: options.random ?? Math.random,
  });
  const memo = createMemo({ apiUrl: options.apiUrl, cache: options.cache, cacheEnabled: options.cacheEnabled, maxAgeMs: options.maxAgeMs, gate, events, now });
  const { getListing, walkListing, getOptionalListing, firstPage } = createPagination({ apiUrl: options.apiUrl, memo, ...(events.warning ? { warn: events.warning } : {}) });
  const postGraphQL = createGraphQL({ apiUrl: options.apiUrl, graphqlUrl: options.graphqlUrl, gate, memo, events });

  return {
    async getJSON<T>(uri: string, shape: Shape<T>): Promise<T> {
      return (await memo.get(memo.toApiPath(uri), shape)).body as T;
    },
    async getOptionalJSON<T>(uri: string, shape: Shape<T>, { trustCached = false }: { trustCached?: boolean } = {}): Promise<T | null> {
      return (await memo.get(memo.toApiPath(uri), nullable(shape), (status) => status === 404, trustCached ? 'trust' : 'usual')).body as T | null;
    },
    postGraphQL,
    getListing,
    walkListing,
    getOptionalListing,
    firstPage,
    freshness: (uri) => memo.freshness(uri),
    remember: (cacheKey, body) => memo.remember(cacheKey, body),
    recall: (cacheKey, shape, maxAgeMs) => memo.recall(cacheKey, shape, maxAgeMs),
    rateLimit: (resource) => gate.rateLimit(resource),
    async rateLimitStatus() {
      const response = await gate.send({ url: `${options.apiUrl}/rate_limit`, shown: '/rate_limit', method: 'GET', resource: 'core', cached: undefined, urgent: true });
      return readRateLimitStatus(response, now);
    },
    now,
    stats: gate.stats,
    cacheEnabled: options.cacheEnabled,
  };
}
