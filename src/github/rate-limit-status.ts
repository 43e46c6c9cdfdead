/**
 * What is left of the rate limits now, for --dry-run: `GET /rate_limit`, sent straight through the
 * transport (never cached: its answer is only true now). It "does not count against your primary
 * rate limit".
 * https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
 */
import { isRecord } from './shapes.js';
import { rateLimitDefaults, serverClockOffsetMs } from './rate-limit.js';
import type { Transport, TransportResponse } from './transport.js';
import { NetworkError } from './transport.js';

export interface LimitStatus {
  limit: number;
  remaining: number;
  /** When the window resets, on the local clock (computed against the server's clock). */
  resetAt: Date;
}

export interface RateLimitStatus {
  /** REST (`core`). */
  core: LimitStatus;
  /** GraphQL points; null when GitHub does not say (no token: GraphQL refuses anonymous requests). */
  graphql: LimitStatus | null;
}

/**
 * Null when GitHub cannot say: rate limiting turned off on a GitHub Enterprise Server (404), or no
 * answer. An estimate is still worth printing without it.
 */
export async function fetchRateLimitStatus(transport: Transport, apiUrl: string, timeoutMs: number, now: () => number = Date.now): Promise<RateLimitStatus | null> {
  let response;
  try {
    response = await transport({ url: `${apiUrl}/rate_limit`, headers: {}, timeoutMs });
  } catch (error) {
    if (error instanceof NetworkError) return null;
    throw error;
  }
  return readRateLimitStatus(response, now);
}

/** `GET /rate_limit`'s answer, read; null when it does not say (not a 200, or not its shape). */
export function readRateLimitStatus(response: TransportResponse, now: () => number = Date.now): RateLimitStatus | null {
  if (response.status !== 200 || response.text === null) return null;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return null;
  }
  const offsetMs = serverClockOffsetMs(response.headers, now());
  const resources = isRecord(body) && isRecord(body.resources) ? body.resources : {};
  const core = readLimit(resources.core, offsetMs, now());
  if (core === null) return null;
  const graphql = readLimit(resources.graphql, offsetMs, now());
  return { core, graphql: graphql !== null && graphql.limit > 0 ? graphql : null };
}

function readLimit(value: unknown, offsetMs: number, localNow: number): LimitStatus | null {
  if (!isRecord(value)) return null;
  const { limit, remaining, reset } = value;
  if (!isCount(limit) || !isCount(remaining) || !isCount(reset)) return null;
  // `reset` is epoch seconds on the server's clock: turned into a wait, then onto ours.
  const waitMs = Math.min(Math.max(0, reset * 1000 - (localNow + offsetMs)), rateLimitDefaults.maxPrimaryWaitMs);
  return { limit, remaining: Math.min(remaining, limit), resetAt: new Date(localNow + waitMs) };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
