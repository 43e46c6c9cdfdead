/**
 * GitHub's primary rate limit: https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
 *
 * - One bucket per token (5,000 an hour) and one for unauthenticated requests, which GitHub ties
 *   to the originating IP (60 an hour).
 * - A window opens at the first counted request and lasts `windowSeconds`; once the server clock
 *   passes `x-ratelimit-reset` the bucket is full again.
 * - Every answer carries x-ratelimit-limit/-remaining/-used/-reset (UTC epoch seconds)/-resource.
 * - Past the limit: 403 (or 429) with `x-ratelimit-remaining: 0`; the refused request is not counted.
 *
 * GraphQL has its own bucket (`resource: graphql`), charged in points per query rather than one
 * per request: https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
 */

export const rateLimitDefaults = {
  authenticated: 5000,
  anonymous: 60,
  windowSeconds: 3600,
  status: 403,
  graphql: 5000,
} as const;

export type RateLimitResource = 'core' | 'graphql';

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  used: number;
  /** UTC epoch seconds. */
  reset: number;
  resource: RateLimitResource;
}

interface Bucket {
  limit: number;
  used: number;
  /** Server-clock ms at which the window ends; null before the first counted request. */
  resetMs: number | null;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #authenticatedLimit: number;
  readonly #anonymousLimit: number;
  readonly #windowMs: number;
  readonly #resource: RateLimitResource;

  constructor(options: {
    authenticated: number;
    anonymous: number;
    windowSeconds: number;
    resource?: RateLimitResource;
  }) {
    this.#authenticatedLimit = options.authenticated;
    this.#anonymousLimit = options.anonymous;
    this.#windowMs = options.windowSeconds * 1000;
    this.#resource = options.resource ?? 'core';
  }

  /** `token` null is the anonymous (per-IP) bucket. */
  #bucket(token: string | null, nowMs: number): Bucket {
    const key = token === null ? 'anonymous' : `token:${token}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { limit: token === null ? this.#anonymousLimit : this.#authenticatedLimit, used: 0, resetMs: null };
      this.#buckets.set(key, bucket);
    }
    if (bucket.resetMs !== null && nowMs >= bucket.resetMs) {
      bucket.used = 0;
      bucket.resetMs = null;
    }
    return bucket;
  }

  #snapshot(bucket: Bucket, nowMs: number): RateLimitSnapshot {
    // Before the window opens GitHub reports a reset one window ahead of now.
    const resetMs = bucket.resetMs ?? this.#windowEnd(nowMs);
    return {
      limit: bucket.limit,
      remaining: Math.max(0, bucket.limit - bucket.used),
      used: bucket.used,
      reset: Math.floor(resetMs / 1000),
      resource: this.#resource,
    };
  }

  /** Window ends fall on whole seconds so `x-ratelimit-reset` is exactly when the bucket refills. */
  #windowEnd(nowMs: number): number {
    return Math.ceil((nowMs + this.#windowMs) / 1000) * 1000;
  }

  isExhausted(token: string | null, nowMs: number): boolean {
    const bucket = this.#bucket(token, nowMs);
    return bucket.used >= bucket.limit;
  }

  /** Whether `amount` more can be spent (GraphQL: the query's cost in points). */
  canAfford(token: string | null, nowMs: number, amount: number): boolean {
    const bucket = this.#bucket(token, nowMs);
    return bucket.used + amount <= bucket.limit;
  }

  /** Counts one request (or `amount` points) and returns the state after it. */
  consume(token: string | null, nowMs: number, amount = 1): RateLimitSnapshot {
    const bucket = this.#bucket(token, nowMs);
    bucket.resetMs ??= this.#windowEnd(nowMs);
    bucket.used = Math.min(bucket.limit, bucket.used + amount);
    return this.#snapshot(bucket, nowMs);
  }

  /** The state without counting anything (304s with a token, `/rate_limit`, refusals). */
  peek(token: string | null, nowMs: number): RateLimitSnapshot {
    return this.#snapshot(this.#bucket(token, nowMs), nowMs);
  }

  /** As if every window had just reset. */
  reset(): void {
    this.#buckets.clear();
  }
}
