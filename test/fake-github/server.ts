/**
 * The loopback GitHub: a real HTTP server on 127.0.0.1 that answers like the GitHub REST API
 * (https://docs.github.com/rest) for the endpoints a contributors tool uses, with GitHub's
 * pagination, authentication, primary rate limit, conditional requests and redirects, plus
 * faults a test can schedule. It records every request it receives.
 *
 * Per request: log → faults → holds (a test's `hold()`) → authentication → rate limit → route →
 * conditional → send. It never waits on time itself: the benchmarks' latency is a wait bench/
 * hands `startFakeGitHubDelayed`.
 * `POST /graphql` (and `/api/graphql`) is GitHub's GraphQL API, with its own `graphql` rate-limit
 * bucket, executed against GitHub's published schema: see graphql.ts.
 */
import { createHash } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultSchedule } from './faults.js';
import { RateLimiter, rateLimitDefaults } from './rate-limit.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import type { GraphQLAnswer } from './graphql.js';
import { renderGraphQLTimeout } from './render.js';
import { errorResponse, restDocs, route } from './routes.js';
import type { ApiResponse } from './routes.js';
import { addActivity, createStore } from './store.js';
import type { Fault, FakeGitHub, FakeGitHubOptions, RequestLogEntry } from './types.js';

export type {
  FakeActivity,
  FakeAnonymousContributor,
  FakeComment,
  FakeContributor,
  FakeGitHub,
  FakeGitHubOptions,
  FakeIssue,
  FakeRateLimitOptions,
  FakeRepo,
  FakeReview,
  FakeReviewState,
  FakeUser,
  FakeUserContributor,
  Fault,
  FaultKind,
  RequestLogEntry,
} from './types.js';

const jsonContentType = 'application/json; charset=utf-8';

export const secondaryDefaults = {
  /** "No more than 100 concurrent requests are allowed" (REST and GraphQL together). */
  maxConcurrentRequests: 100,
  /** What GitHub's secondary-limit answers usually carry; "if the retry-after response header is present…". */
  retryAfterSeconds: 60 as number | null,
};

/** GraphQL is served here, as on api.github.com, and at GitHub Enterprise Server's path. */
const graphqlPaths = new Set(['/graphql', '/api/graphql']);
/** Request bodies larger than this are refused (413) without being read further. */
const maxBodyBytes = 8 * 1024 * 1024;

/** The GraphQL endpoint and GitHub's schema load on the first GraphQL request, once per process. */
let graphqlModule: Promise<typeof import('./graphql.js')> | undefined;
function loadGraphQL(): Promise<typeof import('./graphql.js')> {
  graphqlModule ??= import('./graphql.js');
  return graphqlModule;
}

/** A rate-limit bucket as the fault and GraphQL code see it: one token's, at one instant. */
interface Bucket {
  peek(): RateLimitSnapshot;
  consume(): RateLimitSnapshot;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** What the answer to one request needs besides its body. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  entry: RequestLogEntry;
  nowMs: number;
  requestId: string;
}

/** `Authorization: token X` or `Bearer X` (https://docs.github.com/rest/authentication). */
function readToken(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() ?? header.trim();
}

function rateLimitHeaders(snapshot: RateLimitSnapshot): Record<string, string> {
  return {
    'x-ratelimit-limit': String(snapshot.limit),
    'x-ratelimit-remaining': String(snapshot.remaining),
    'x-ratelimit-reset': String(snapshot.reset),
    'x-ratelimit-used': String(snapshot.used),
    'x-ratelimit-resource': snapshot.resource,
  };
}

/** Weak validator over the body, as GitHub sends: `W/"<hex>"`. */
function etagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches. */
function ifNoneMatchHits(header: string, etag: string): boolean {
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag));
}

function notModifiedSince(header: string | undefined, lastModified: string | undefined): boolean {
  if (header === undefined || lastModified === undefined) return false;
  const since = Date.parse(header);
  const modified = Date.parse(lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/** The loopback GitHub, answering as soon as it can: a test holds requests with `hold()` and `arrived(n)`. */
export function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  return serve(options, null);
}

/**
 * For the benchmarks (bench/) alone: every answer waits for `delay` first (bench/ makes it a latency,
 * as over a network). No test delays an answer (server.test.ts checks that none calls this): it holds
 * requests with `hold()` instead.
 */
export function startFakeGitHubDelayed(options: FakeGitHubOptions, delay: () => Promise<void>): Promise<FakeGitHub> {
  return serve(options, delay);
}

async function serve(options: FakeGitHubOptions, delay: (() => Promise<void>) | null): Promise<FakeGitHub> {
  const store = createStore(options.users, options.repos);
  const limiter = new RateLimiter({
    authenticated: options.rateLimit?.authenticated ?? rateLimitDefaults.authenticated,
    anonymous: options.rateLimit?.anonymous ?? rateLimitDefaults.anonymous,
    windowSeconds: options.rateLimit?.windowSeconds ?? rateLimitDefaults.windowSeconds,
  });
  const graphqlLimiter = new RateLimiter({
    authenticated: options.rateLimit?.graphql ?? rateLimitDefaults.graphql,
    // GraphQL needs a token: /rate_limit reports a graphql limit of 0 without one.
    anonymous: 0,
    windowSeconds: options.rateLimit?.windowSeconds ?? rateLimitDefaults.windowSeconds,
    resource: 'graphql',
  });
  const rateLimitStatus = options.rateLimit?.status ?? rateLimitDefaults.status;
  const validTokens = options.tokens === undefined ? null : new Set(options.tokens);
  const faults = new FaultSchedule();
  const requests: RequestLogEntry[] = [];
  let clockOffsetMs = 0;
  let requestCounter = 0;
  /** Requests being answered, per token (or per IP address without one). */
  const inFlight = new Map<string, number>();
  const maxConcurrentRequests = options.maxConcurrentRequests ?? secondaryDefaults.maxConcurrentRequests;
  const concurrencyRetryAfterSeconds =
    options.concurrencyRetryAfterSeconds === undefined ? secondaryDefaults.retryAfterSeconds : options.concurrencyRetryAfterSeconds;
  let closed = false;
  let apiBase = '';
  /** Set by `hold()`: a request that took a place waits while one of them applies to it. */
  const holds = new Set<{ applies: (request: RequestLogEntry, operation?: string) => boolean; released: Promise<void> }>();
  const holdOn = (request: RequestLogEntry, operation?: string) => [...holds].find((hold) => hold.applies(request, operation));
  /** Waits while a hold applies to the request; says whether it waited. */
  const waitWhileHeld = async (request: RequestLogEntry, operation?: string): Promise<boolean> => {
    let waited = false;
    for (let hold = holdOn(request, operation); hold !== undefined; hold = holdOn(request, operation)) {
      waited = true;
      await hold.released;
    }
    return waited;
  };
  /** Waiting for the log to reach a length (`arrived(n)`). */
  const arrivals: Array<{ count: number; resolve: () => void }> = [];
  const noteArrival = (): void => {
    for (const waiting of arrivals.filter((candidate) => requests.length >= candidate.count)) {
      arrivals.splice(arrivals.indexOf(waiting), 1);
      waiting.resolve();
    }
  };

  const now = (): number => Date.now() + clockOffsetMs;

  const finish = (exchange: Exchange, status: number, counted: boolean): void => {
    exchange.entry.status = status;
    exchange.entry.countedAgainstLimit = counted;
    options.onRequest?.(exchange.entry);
  };

  const baseHeaders = (exchange: Exchange): Record<string, string> => ({
    // The Date header comes from the server clock, which tests may move (setClockOffsetMs).
    date: new Date(now()).toUTCString(),
    server: 'GitHub.com',
    'x-github-request-id': exchange.requestId,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-content-type-options': 'nosniff',
  });

  const send = (
    exchange: Exchange,
    status: number,
    headers: Record<string, string>,
    body: string | null,
  ): void => {
    const { res, req } = exchange;
    const all: Record<string, string> = { ...baseHeaders(exchange), ...headers };
    if (body !== null) {
      all['content-type'] ??= jsonContentType;
      all['content-length'] = String(Buffer.byteLength(body));
    }
    res.writeHead(status, all);
    res.end(req.method === 'HEAD' || body === null ? undefined : body);
  };

  const sendApi = (
    exchange: Exchange,
    response: ApiResponse,
    rate: RateLimitSnapshot | null,
    counted: boolean,
  ): void => {
    finish(exchange, response.status, counted);
    send(exchange, response.status, { ...(rate === null ? {} : rateLimitHeaders(rate)), ...response.headers }, response.body);
  };

  /**
   * Secondary limits answer 403/429 with GitHub's message, `retry-after` when there is one, and a
   * primary budget that is NOT exhausted; not counted:
   * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
   */
  const sendSecondary = (exchange: Exchange, status: 403 | 429, retryAfterSeconds: number | null, rate: RateLimitSnapshot): void => {
    const response = errorResponse(
      status,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) },
    );
    sendApi(exchange, response, rate, false);
  };

  const coreBucket = (token: string | null, nowMs: number): Bucket => ({
    peek: () => limiter.peek(token, nowMs),
    consume: () => limiter.consume(token, nowMs),
  });

  const faultAnswer = (exchange: Exchange, fault: Fault, bucket: Bucket, graphql = false): boolean => {
    switch (fault.kind) {
      case 'reset': {
        // A connection reset: RST on the socket, no answer at all.
        finish(exchange, 0, false);
        exchange.req.socket.resetAndDestroy();
        return true;
      }
      case 'secondary': {
        sendSecondary(exchange, fault.status === 429 ? 429 : 403, fault.retryAfterSeconds ?? null, bucket.peek());
        return true;
      }
      case 'primary': {
        // An exhausted primary limit whose reset the test chooses (in the past, or hours away).
        const snapshot = bucket.peek();
        const resetAt = Math.floor(exchange.nowMs / 1000) + (fault.resetInSeconds ?? 60);
        const status = fault.status === 429 ? 429 : 403;
        const response = errorResponse(status, 'API rate limit exceeded for user ID 1.', 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting', fault.headers);
        sendApi(exchange, response, { ...snapshot, remaining: 0, used: snapshot.limit, reset: resetAt }, false);
        return true;
      }
      case 'redirect': {
        const status = fault.status === 302 || fault.status === 307 || fault.status === 308 ? fault.status : 301;
        sendApi(exchange, errorResponse(status, 'Moved Permanently', restDocs, { location: fault.location ?? '/' }), bucket.consume(), true);
        return true;
      }
      case 'status': {
        const status = fault.status ?? 500;
        if (status >= 500) {
          // Front-end failures (502/503/504…) carry no rate-limit headers and cost nothing. A
          // GraphQL query that times out answers 502/504 with GitHub's GraphQL-shaped body.
          const message = status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Server Error');
          const body = graphql && (status === 502 || status === 504) ? renderGraphQLTimeout(exchange.requestId) : JSON.stringify({ message });
          sendApi(exchange, { status, body, headers: {} }, null, false);
          return true;
        }
        const message =
          fault.message ?? (status === 451 ? 'Repository access blocked' : (STATUS_CODES[status] ?? `Status ${String(status)}`));
        sendApi(exchange, errorResponse(status, message), bucket.consume(), true);
        return true;
      }
      default:
        return false;
    }
  };

  /** Headers and half the body, then nothing until close(): a stalled download. */
  const stall = (exchange: Exchange, status: number, headers: Record<string, string>, body: string): void => {
    const bytes = Buffer.from(body);
    exchange.res.writeHead(status, {
      ...baseHeaders(exchange),
      ...headers,
      'content-type': headers['content-type'] ?? jsonContentType,
      'content-length': String(bytes.length),
    });
    exchange.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
  };

  /**
   * POST /graphql. GitHub's GraphQL API needs a token: without one it answers 401 "This endpoint
   * requires you to be authenticated." (https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql)
   * with a graphql limit of 0. An invalid token was already answered 401 "Bad credentials".
   */
  const serveGraphQL = async (exchange: Exchange, token: string | null, fault: Fault | null): Promise<void> => {
    const rawBody = await readBody(exchange.req);
    // Held again when a hold applies to its operation (a test may stop a run before its names, say).
    if (await waitWhileHeld(exchange.entry, operationNameOf(rawBody))) exchange.nowMs = now();
    if (closed) {
      exchange.res.destroy();
      return;
    }
    const variables = variablesOf(rawBody);
    if (variables !== undefined) exchange.entry.variables = variables;
    const bucket: Bucket = {
      peek: () => graphqlLimiter.peek(token, exchange.nowMs),
      consume: () => graphqlLimiter.consume(token, exchange.nowMs),
    };
    if (fault !== null && faultAnswer(exchange, fault, bucket, true)) return;
    const graphqlHeaders = { 'x-github-media-type': 'github.v4; format=json' };
    if (token === null) {
      const body = JSON.stringify({
        message: 'This endpoint requires you to be authenticated.',
        documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      });
      sendApi(exchange, { status: 401, body, headers: graphqlHeaders }, bucket.peek(), false);
      return;
    }
    if (rawBody === null) {
      sendApi(exchange, errorResponse(413, 'Payload Too Large', 'https://docs.github.com/graphql'), bucket.peek(), false);
      return;
    }
    const { answerGraphQL } = await loadGraphQL();
    const answer: GraphQLAnswer = answerGraphQL({
      store,
      rawBody,
      token,
      nowMs: exchange.nowMs,
      limiter: graphqlLimiter,
      userId: userIdForToken(token),
      requestId: exchange.requestId,
      ...(options.graphqlTimeoutNodes === undefined ? {} : { timeoutNodes: options.graphqlTimeoutNodes }),
      ...(fault?.kind === 'forbidden'
        ? { forbidden: { path: fault.graphqlPath ?? [], message: fault.message ?? 'Resource not accessible by personal access token' } }
        : {}),
    });
    if (answer.operation !== undefined) exchange.entry.operation = answer.operation;
    if (answer.cost !== undefined) exchange.entry.cost = answer.cost;
    if (fault?.kind === 'stall') {
      finish(exchange, 0, answer.counted);
      stall(exchange, answer.status, { ...rateLimitHeaders(answer.rate), ...graphqlHeaders }, answer.body);
      return;
    }
    const body = fault?.kind === 'body' ? (fault.transformBody ? fault.transformBody(answer.body) : (fault.body ?? '')) : answer.body;
    const extra = fault?.kind === 'headers' ? (fault.headers ?? {}) : {};
    sendApi(exchange, { status: answer.status, body, headers: { ...graphqlHeaders, ...extra } }, answer.rate, answer.counted);
  };

  const restPrefix = options.enterprise ? '/api/v3' : '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requested = req.url ?? '/';
    // GitHub Enterprise Server's REST API is under /api/v3: routed as api.github.com's.
    const pathAndQuery = restPrefix !== '' && requested.startsWith(`${restPrefix}/`) ? requested.slice(restPrefix.length) : requested;
    const authorization = req.headers.authorization;
    const token = readToken(authorization);
    const ifNoneMatch = req.headers['if-none-match'] ?? null;
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: pathAndQuery,
      status: 0,
      token,
      ifNoneMatch,
      countedAgainstLimit: false,
      at: now(),
    };
    requests.push(entry);
    noteArrival();
    requestCounter += 1;
    const requestId = `FA4E:${process.pid.toString(16).toUpperCase()}:${requestCounter.toString(16).toUpperCase().padStart(6, '0')}`;

    // "No more than 100 concurrent requests are allowed. This limit is shared across the REST API
    // and GraphQL API." Past it, a secondary rate limit, decided on arrival; the refused request
    // meets no fault and takes no place:
    // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
    const caller = token ?? `ip:${req.socket.remoteAddress ?? ''}`;
    const alreadyInFlight = inFlight.get(caller) ?? 0;
    if (alreadyInFlight >= maxConcurrentRequests) {
      // Refused at once: it never reaches the part of GitHub that takes time.
      const exchange: Exchange = { req, res, entry, nowMs: now(), requestId };
      const isGraphQL = req.method === 'POST' && graphqlPaths.has(new URL(pathAndQuery, apiBase).pathname);
      const bucket = isGraphQL ? graphqlLimiter : limiter;
      sendSecondary(exchange, 403, concurrencyRetryAfterSeconds, bucket.peek(token, exchange.nowMs));
      return;
    }
    inFlight.set(caller, alreadyInFlight + 1);
    res.once('close', () => {
      const left = (inFlight.get(caller) ?? 1) - 1;
      if (left > 0) inFlight.set(caller, left);
      else inFlight.delete(caller);
    });

    const fault = faults.take(pathAndQuery);
    if (delay) await delay();
    await waitWhileHeld(entry);
    if (closed) {
      res.destroy();
      return;
    }
    const exchange: Exchange = { req, res, entry, nowMs: now(), requestId };

    // Authentication: a token that is not valid answers 401, counted against the caller's IP.
    if (token !== null && validTokens !== null && !validTokens.has(token)) {
      if (fault !== null && faultAnswer(exchange, fault, coreBucket(null, exchange.nowMs))) return;
      const limited = limiter.isExhausted(null, exchange.nowMs);
      sendApi(
        exchange,
        errorResponse(401, 'Bad credentials'),
        limited ? limiter.peek(null, exchange.nowMs) : limiter.consume(null, exchange.nowMs),
        !limited,
      );
      return;
    }
    const url = new URL(pathAndQuery, apiBase);
    if (req.method === 'POST' && graphqlPaths.has(url.pathname)) {
      await serveGraphQL(exchange, token, fault);
      return;
    }
    // An Enterprise Server answers nothing of its API outside /api/v3.
    if (restPrefix !== '' && pathAndQuery === requested) {
      sendApi(exchange, errorResponse(404, 'Not Found'), null, false);
      return;
    }
    if (fault !== null && faultAnswer(exchange, fault, coreBucket(token, exchange.nowMs))) return;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendApi(exchange, errorResponse(404, 'Not Found'), limiter.consume(token, exchange.nowMs), true);
      return;
    }

    // GET /rate_limit "does not count against your primary rate limit":
    // https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
    if (url.pathname === '/rate_limit') {
      const core = limiter.peek(token, exchange.nowMs);
      const other = (limit: number): RateLimitSnapshot => ({ ...core, limit, remaining: limit, used: 0 });
      const body = JSON.stringify({
        resources: {
          core,
          graphql: graphqlLimiter.peek(token, exchange.nowMs),
          search: { ...other(token === null ? 10 : 30), resource: 'search' },
          integration_manifest: { ...other(5000), resource: 'integration_manifest' },
        },
        rate: core,
      });
      sendApi(exchange, { status: 200, body, headers: { etag: etagOf(body) } }, core, false);
      return;
    }

    // Primary rate limit exhausted: 403 (or 429) with x-ratelimit-remaining 0; not counted.
    if (limiter.isExhausted(token, exchange.nowMs)) {
      const who =
        token === null
          ? `${(req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
          : `user ID ${String(userIdForToken(token))}.`;
      const response = errorResponse(
        rateLimitStatus,
        `API rate limit exceeded for ${who}`,
        'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
      );
      sendApi(exchange, response, limiter.peek(token, exchange.nowMs), false);
      return;
    }

    let response = route({
      store,
      apiBase,
      url,
      accept: req.headers.accept ?? null,
      token,
      ...(options.paginationLimit === undefined ? {} : { paginationLimit: options.paginationLimit }),
      ...(options.paginationLimitMessage === undefined ? {} : { paginationLimitMessage: options.paginationLimitMessage }),
      ...(options.linkStyle === undefined ? {} : { linkStyle: options.linkStyle }),
      ...(options.cursorPagination === undefined ? {} : { cursorPagination: options.cursorPagination }),
    });
    if (fault?.kind === 'body') {
      const body = fault.transformBody ? fault.transformBody(response.body ?? '') : (fault.body ?? '');
      response = { status: 200, body, headers: fault.transformBody ? response.headers : {} };
    }

    const headers: Record<string, string> = { ...response.headers };
    if (response.status === 200 && response.body !== null) {
      headers['etag'] = etagOf(response.body);
      headers['cache-control'] = token === null ? 'public, max-age=60, s-maxage=60' : 'private, max-age=60, s-maxage=60';
      headers['vary'] = 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding';
    }
    if (fault?.kind === 'headers') Object.assign(headers, fault.headers ?? {});

    if (fault?.kind === 'stall') {
      finish(exchange, 0, true);
      const rate = limiter.consume(token, exchange.nowMs);
      stall(exchange, response.status, { ...rateLimitHeaders(rate), ...headers }, response.body ?? '{}');
      return;
    }

    // Conditional requests: a matching If-None-Match (or, without it, an If-Modified-Since not
    // older than Last-Modified) answers 304 with the same headers and no body. "Making a
    // conditional request does not count against your primary rate limit if a 304 response is
    // returned and the request was made while correctly authorized with an Authorization header":
    // https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
    const etag = headers['etag'];
    const notModified =
      response.status === 200 &&
      fault === null &&
      (ifNoneMatch !== null
        ? etag !== undefined && ifNoneMatchHits(ifNoneMatch, etag)
        : notModifiedSince(req.headers['if-modified-since'], headers['last-modified']));
    if (notModified) {
      const counted = token === null;
      const rate = counted ? limiter.consume(token, exchange.nowMs) : limiter.peek(token, exchange.nowMs);
      delete headers['content-type'];
      if (options.linkOn304 === false) delete headers['link'];
      sendApi(exchange, { status: 304, body: null, headers }, rate, counted);
      return;
    }

    sendApi(exchange, { ...response, headers }, limiter.consume(token, exchange.nowMs), true);
  };

  const server = createServer((req, res) => {
    res.sendDate = false;
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake itself: answer 500 with the stack so the failing test shows it.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': jsonContentType });
        res.end(JSON.stringify({ message: `fake-github crashed: ${message}` }));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  apiBase = `http://127.0.0.1:${String(address.port)}${restPrefix}`;

  return {
    url: apiBase,
    requests,
    clearLog: () => {
      requests.length = 0;
    },
    addFault: (fault) => {
      faults.add(fault);
    },
    clearFaults: () => {
      faults.clear();
    },
    resetRateLimits: () => {
      limiter.reset();
      graphqlLimiter.reset();
    },
    addActivity: (fullName, activity) => {
      // Whole seconds, as GitHub's timestamps are: a later `since` must not skip it.
      addActivity(store, fullName, activity, Math.floor((Date.now() + clockOffsetMs) / 1000) * 1000);
    },
    setClockOffsetMs: (ms) => {
      clockOffsetMs = ms;
    },
    hold: (applies = () => true) => {
      let resolve = (): void => undefined;
      const hold = { applies, released: new Promise<void>((resolved) => (resolve = resolved)) };
      holds.add(hold);
      return () => {
        holds.delete(hold);
        resolve();
      };
    },
    arrived: (count) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => arrivals.push({ count, resolve }))),
    close: async () => {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      // Idle keep-alive sockets and stalled answers would otherwise hold close() open.
      server.closeAllConnections();
      await stopped;
    },
  };
}

/** A GraphQL request's `variables` as JSON text, for the log; undefined when there are none. */
function variablesOf(rawBody: string | null): string | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody ?? '');
    const variables = typeof parsed === 'object' && parsed !== null && 'variables' in parsed ? parsed.variables : undefined;
    return variables === undefined || variables === null ? undefined : JSON.stringify(variables);
  } catch {
    return undefined;
  }
}

/** The name of a GraphQL request's operation (`query Names(…)`, or `operationName`), if it has one. */
function operationNameOf(rawBody: string | null): string | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody ?? '');
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const fields = parsed as Record<string, unknown>;
    if (typeof fields['operationName'] === 'string' && fields['operationName'] !== '') return fields['operationName'];
    return typeof fields['query'] === 'string' ? /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/.exec(fields['query'])?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** A stable user id for a token, used in "API rate limit exceeded for user ID …". */
function userIdForToken(token: string): number {
  return 1_000_000 + (createHash('sha1').update(token).digest().readUInt32BE(0) % 9_000_000);
}
