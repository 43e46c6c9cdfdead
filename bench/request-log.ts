/**
 * What the loopback GitHub's request log says about one CLI run: REST requests and GraphQL queries,
 * per listing and per status, and when they happened (to see where the time went).
 */
import type { RequestLogEntry } from '../test/fake-github/server.js';

export interface RequestSummary {
  /** Every request that reached the server, refused ones included. */
  total: number;
  rest: number;
  graphql: number;
  /** Refused by a rate limit (REST 403/429; GraphQL RATE_LIMITED answers are 200 and counted as GraphQL). */
  refused: number;
  /** Conditional requests (If-None-Match sent). */
  conditional: number;
  byStatus: Record<string, number>;
  /** REST requests per resource (`/issues`, `/issues/comments`, … ; `repository` for the repository itself). */
  byResource: Record<string, number>;
  /** GraphQL queries per operation (`Reviews`, `MoreReviews`, `Names`). */
  byOperation: Record<string, number>;
  /** Requests of `since` windows (listings past the pagination depth). */
  windowRequests: number;
  /** 422 "pagination is limited" answers. */
  paginationLimited: number;
  /** REST requests charged against the primary limit (a 304 with a token, or a refusal, is not). */
  restCharged: number;
  /** GraphQL points charged (each query's cost, by GitHub's formula, where it was charged). */
  graphqlPoints: number;
  /** The run's budget: the larger of the two, since a token has 5,000 of each an hour, spent side by side. */
  budget: number;
}

export interface Timeline {
  /** Spawn → first request reached the server (node start-up, cache load, repository request sent). */
  beforeFirstRequestMs: number | null;
  /** First request → last answer. */
  requestSpanMs: number | null;
  /** Last answer → process exit (report, final cache save, exit). */
  afterLastAnswerMs: number | null;
  /** Mean requests in flight at the server while requests were being made (includes injected latency). */
  meanInFlight: number | null;
  /** Per REST resource / GraphQL operation: when its first request arrived and its last was answered, relative to spawn. */
  phases: Record<string, { startMs: number; endMs: number; requests: number }>;
}

export const isGraphQL = (entry: RequestLogEntry): boolean => entry.operation !== undefined || /^\/(api\/)?graphql(\?|$)/.test(entry.path);

function resourceOf(entry: RequestLogEntry): string {
  if (isGraphQL(entry)) return `GraphQL ${entry.operation ?? '?'}`;
  const pathOnly = entry.path.split('?')[0] ?? entry.path;
  const rest = pathOnly.replace(/^\/repos\/[^/]+\/[^/]+/, '').replace(/^\/repositories\/\d+/, '');
  if (rest === pathOnly) return pathOnly.startsWith('/users/') ? '/users/{login}' : pathOnly;
  if (rest === '') return 'repository';
  return rest.startsWith('/contents/') ? `/contents/${decodeURIComponent(rest.slice('/contents/'.length))}` : rest;
}

export function summarise(entries: readonly RequestLogEntry[]): RequestSummary {
  const summary: RequestSummary = {
    total: entries.length,
    rest: 0,
    graphql: 0,
    refused: 0,
    conditional: 0,
    byStatus: {},
    byResource: {},
    byOperation: {},
    windowRequests: 0,
    paginationLimited: 0,
    restCharged: 0,
    graphqlPoints: 0,
    budget: 0,
  };
  for (const entry of entries) {
    const status = String(entry.status);
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
    if (entry.ifNoneMatch !== null) summary.conditional += 1;
    if (isGraphQL(entry)) {
      summary.graphql += 1;
      if (entry.countedAgainstLimit) summary.graphqlPoints += entry.cost ?? 0;
      const operation = entry.operation ?? '?';
      summary.byOperation[operation] = (summary.byOperation[operation] ?? 0) + 1;
      continue;
    }
    summary.rest += 1;
    if (entry.countedAgainstLimit) summary.restCharged += 1;
    if (entry.status === 403 || entry.status === 429) summary.refused += 1;
    if (entry.status === 422) summary.paginationLimited += 1;
    if (/[?&]since=/.test(entry.path)) summary.windowRequests += 1;
    const resource = resourceOf(entry);
    summary.byResource[resource] = (summary.byResource[resource] ?? 0) + 1;
  }
  summary.budget = Math.max(summary.restCharged, summary.graphqlPoints);
  return summary;
}

/**
 * `answeredAt` holds when the server answered each entry (from its `onRequest` hook); `at` is when
 * the request arrived. Both are on the server's clock, which is the bench process's `Date.now()`.
 */
export function timeline(entries: readonly RequestLogEntry[], answeredAt: ReadonlyMap<RequestLogEntry, number>, spawnedAt: number, exitedAt: number): Timeline {
  if (entries.length === 0) {
    return { beforeFirstRequestMs: null, requestSpanMs: null, afterLastAnswerMs: null, meanInFlight: null, phases: {} };
  }
  const first = Math.min(...entries.map((entry) => entry.at));
  const answers = entries.map((entry) => answeredAt.get(entry) ?? entry.at);
  const last = Math.max(...answers);
  const busy = entries.reduce((sum, entry) => sum + ((answeredAt.get(entry) ?? entry.at) - entry.at), 0);
  const phases: Timeline['phases'] = {};
  for (const entry of entries) {
    const key = resourceOf(entry);
    const answered = answeredAt.get(entry) ?? entry.at;
    const phase = phases[key];
    if (phase) {
      phase.startMs = Math.min(phase.startMs, entry.at - spawnedAt);
      phase.endMs = Math.max(phase.endMs, answered - spawnedAt);
      phase.requests += 1;
    } else {
      phases[key] = { startMs: entry.at - spawnedAt, endMs: answered - spawnedAt, requests: 1 };
    }
  }
  return {
    beforeFirstRequestMs: first - spawnedAt,
    requestSpanMs: last - first,
    afterLastAnswerMs: exitedAt - last,
    meanInFlight: last > first ? busy / (last - first) : null,
    phases,
  };
}
