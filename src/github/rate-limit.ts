/**
 * GitHub's rate-limit rules, each written where it is enforced.
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
 * https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
 */
import { graphqlErrors } from './json.js';

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** When the window resets, on the local clock (computed from the server's clock). */
  resetAt: Date;
  resource: string;
}

export type LimitDecision =
  | { kind: 'primary'; waitMs: number; resetAt: Date; resource: string }
  | { kind: 'secondary'; waitMs: number };

export const rateLimitDefaults = {
  /** "If the retry-after header is absent … wait for at least one minute before retrying." */
  secondaryWaitMs: 60_000,
  /** A primary window is one hour; a reset further away than that is a bad header, not a plan. */
  maxPrimaryWaitMs: 3_600_000 + 60_000,
  /** Retry-after values are seconds; nobody should sleep longer than this on one. */
  maxSecondaryWaitMs: 15 * 60_000,
  /** "wait until after x-ratelimit-reset": one extra second past it. */
  resetMarginMs: 1000,
};

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * The server's clock offset: how far its `Date` header is ahead of ours. Waits are computed against
 * the server's clock, so a wrong local clock can neither make us sleep for hours nor go negative.
 */
export function serverClockOffsetMs(headers: Headers, localNow: number): number {
  const date = headers.date ? Date.parse(headers.date) : Number.NaN;
  return Number.isFinite(date) ? date - localNow : 0;
}

export function readRateLimit(headers: Headers, localNow: number): RateLimitSnapshot | null {
  const limit = toInt(headers['x-ratelimit-limit']);
  const remaining = toInt(headers['x-ratelimit-remaining']);
  const reset = toInt(headers['x-ratelimit-reset']);
  if (limit === null || remaining === null || reset === null) return null;
  const waitMs = clamp(reset * 1000 - (localNow + serverClockOffsetMs(headers, localNow)), 0, rateLimitDefaults.maxPrimaryWaitMs);
  return { limit, remaining, resetAt: new Date(localNow + waitMs), resource: resourceName(headers['x-ratelimit-resource']) };
}

/**
 * GitHub names its rate-limit resources in lower case (`core`, `graphql`, `search`, `code_search`…).
 * The name is shown on the terminal: anything else (escape sequences, control characters, a page of
 * text) is taken for `core`, which is what a REST request counts against.
 */
function resourceName(header: string | undefined): string {
  return header !== undefined && /^[a-z][a-z0-9_]{0,39}$/.test(header) ? header : 'core';
}

/**
 * Is this 403/429 a rate limit, and which?
 * - primary: `x-ratelimit-remaining: 0` → not before `x-ratelimit-reset`;
 * - secondary: a `retry-after` header → that many seconds; GitHub's secondary-rate-limit message
 *   without one → at least a minute.
 * Any other 403 (forbidden, "too large") is not a rate limit and is left to the caller.
 */
export function decideLimit(status: number, headers: Headers, message: string, localNow: number): LimitDecision | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    return { kind: 'secondary', waitMs: retryAfterMs(retryAfter, headers, localNow) };
  }
  if (headers['x-ratelimit-remaining'] === '0') {
    const snapshot = readRateLimit(headers, localNow);
    const waitMs = (snapshot ? snapshot.resetAt.getTime() - localNow : 0) + rateLimitDefaults.resetMarginMs;
    return { kind: 'primary', waitMs, resetAt: new Date(localNow + waitMs), resource: snapshot?.resource ?? 'core' };
  }
  if (/secondary rate limit|abuse detection/i.test(message) || status === 429) {
    return { kind: 'secondary', waitMs: rateLimitDefaults.secondaryWaitMs };
  }
  return null;
}

/** `retry-after` is delay-seconds (what GitHub sends) or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(value: string, headers: Headers, localNow: number): number {
  const seconds = toInt(value);
  let waitMs: number;
  if (seconds !== null) {
    waitMs = seconds * 1000;
  } else {
    const at = Date.parse(value);
    waitMs = Number.isFinite(at) ? at - (localNow + serverClockOffsetMs(headers, localNow)) : rateLimitDefaults.secondaryWaitMs;
  }
  return clamp(waitMs, 0, rateLimitDefaults.maxSecondaryWaitMs);
}

function toInt(value: string | undefined): number | null {
  return value !== undefined && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : null;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * GraphQL's primary limit answers 200 with a RATE_LIMITED error and `x-ratelimit-remaining: 0`; it
 * resets when the `graphql` bucket last said it would (`resetAt`, null if unknown: at once).
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#primary-rate-limit
 */
export function graphqlRateLimited(status: number, text: string | null, resetAt: Date | null, localNow: number): LimitDecision | null {
  if (status !== 200 || !text?.includes('RATE_LIMITED')) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!graphqlErrors(body).some((error) => error.type === 'RATE_LIMITED')) return null;
  const waitMs = Math.max(0, (resetAt?.getTime() ?? localNow) - localNow) + rateLimitDefaults.resetMarginMs;
  return { kind: 'primary', waitMs, resetAt: new Date(localNow + waitMs), resource: 'graphql' };
}
