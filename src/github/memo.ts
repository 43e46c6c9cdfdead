/**
 * Conditional GET and memo: a URI on the API's own origin, answered from the disk-backed cache when it
 * may be, else asked of GitHub through the request gate (with If-None-Match when a cached answer is
 * there to revalidate). A response is stored only when it succeeded and had the shape the caller
 * expects, so a rerun never replays a failure, and a run stopped by the rate limit resumes where it
 * stopped. A definite "nothing there" (404, 410…) is remembered as null, like a 200.
 * https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
import { CliError } from '../errors.js';
import type { Shape } from './body.js';
import { applyShape, parseJSON } from './body.js';
import type { CacheEntry, CacheKey, ResponseCache } from './cache.js';
import { partitionOf } from './cache.js';
import type { RequestGate } from './gate.js';
import type { Freshness, HelperEvents } from './helper.js';
import { HttpStatusError } from './http-status-error.js';
import { messageOf } from './json.js';
import { privacyOf } from './privacy.js';
import type { TransportResponse } from './transport.js';

export const memoDefaults = {
  maxRedirects: 5,
};

export interface MemoOptions {
  apiUrl: string;
  cache: ResponseCache;
  cacheEnabled: boolean;
  maxAgeMs: number;
  /** Sends what the cache cannot answer; its `stats` count the hits and revalidations too. */
  gate: Pick<RequestGate, 'send' | 'stats'>;
  events: Pick<HelperEvents, 'request' | 'redirect'>;
  now: () => number;
}

export interface Fetched {
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
export type CachePolicy = 'usual' | 'trust' | 'unconditional';

/** Which answers are a definite "nothing there", remembered as null like a 200. */
export type AbsentWhen = (status: number, message: string) => boolean;
export const neverAbsent: AbsentWhen = () => false;

export interface Memo {
  /** Turns a URI (a path, or an absolute URL on the API's own origin) into the path the cache keys on. */
  toApiPath(uri: string): string;
  /** The answer for an API path, from the cache or from GitHub; one request for callers asking at once. */
  get(apiPath: string, shape: Shape<unknown>, absentWhen?: AbsentWhen, policy?: CachePolicy): Promise<Fetched>;
  /** Whether a response is cached, and within --max-age: asks nothing. */
  freshness(uri: string): Freshness;
  /** Keeps a body under a key of its own (an answer GitHub cannot revalidate, or part of one). Asks nothing. */
  remember(cacheKey: string, body: unknown): void;
  /** What is cached under that key, if younger than `maxAgeMs`; counted as a cache hit. Asks nothing. */
  recall<T>(cacheKey: string, shape: Shape<T>, maxAgeMs: number): T | undefined;
  /** What is cached under that key, shaped, and whether it is within --max-age. Asks nothing. */
  lookup(cacheKey: string, shape: Shape<unknown>): { body: unknown; fresh: boolean } | undefined;
}

export function createMemo(options: MemoOptions): Memo {
  return new CachedGet(options);
}

class CachedGet implements Memo {
  private readonly api: URL;
  private readonly apiPrefix: string;
  private readonly inFlight = new Map<string, Promise<Fetched>>();

  constructor(private readonly options: MemoOptions) {
    this.api = new URL(`${options.apiUrl}/`);
    this.apiPrefix = this.api.pathname.replace(/\/$/, '');
  }

  toApiPath(uri: string): string {
    if (uri.startsWith('/')) return uri;
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new CliError(`not a URL: ${uri}`);
    }
    // A Link or Location on another host is never followed: the token must not go there.
    // https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
    if (url.origin !== this.api.origin || !url.pathname.startsWith(`${this.apiPrefix}/`)) {
      throw new CliError(`GitHub pointed to ${url.origin}${url.pathname}, outside ${this.options.apiUrl}; not following it with your token`);
    }
    return url.pathname.slice(this.apiPrefix.length) + url.search;
  }

  get(apiPath: string, shape: Shape<unknown>, absentWhen: AbsentWhen = neverAbsent, policy: CachePolicy = 'usual'): Promise<Fetched> {
    // One request for the same path at once; but an answer asked for in full does not make do with
    // one that may come from the cache or a 304.
    const key = policy === 'unconditional' ? `${apiPath}\u0000unconditional` : apiPath;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchPath(apiPath, shape, absentWhen, policy).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  freshness(uri: string): Freshness {
    const entry = this.options.cacheEnabled ? this.options.cache.get(this.keyOf(this.toApiPath(uri))) : undefined;
    if (!entry) return 'absent';
    return this.isFresh(entry) && privacyOf(entry.body) === 'public' ? 'fresh' : 'stale';
  }

  remember(cacheKey: string, body: unknown): void {
    if (!this.options.cacheEnabled) return;
    // A listing's page kept by hand (a first page kept under its head's sha too) is a page GitHub sent
    // whole: it keeps a Link, empty, as fitsItsListing expects of every page it stored.
    const entry: CacheEntry = { fetchedAt: this.options.now(), body };
    if (Array.isArray(body) && isListingPage(cacheKey)) entry.link = '';
    this.options.cache.set(this.keyOf(cacheKey), entry);
    this.options.gate.stats.stored += 1;
  }

  recall<T>(cacheKey: string, shape: Shape<T>, maxAgeMs: number): T | undefined {
    const cached = this.cached(cacheKey, shape);
    if (!cached) return undefined;
    const age = this.options.now() - cached.entry.fetchedAt;
    if (age < 0 || age >= maxAgeMs) return undefined;
    this.options.gate.stats.cacheHits += 1;
    return cached.body as T;
  }

  lookup(cacheKey: string, shape: Shape<unknown>): { body: unknown; fresh: boolean } | undefined {
    const cached = this.cached(cacheKey, shape);
    return cached && { body: cached.body, fresh: this.isFresh(cached.entry) };
  }

  private async fetchPath(apiPath: string, shape: Shape<unknown>, absentWhen: AbsentWhen, policy: CachePolicy): Promise<Fetched> {
    const { gate, events, now } = this.options;
    const key = this.keyOf(apiPath);
    const cached = policy === 'unconditional' ? undefined : this.cached(apiPath, shape);
    // An answer about a private repository is served only to a run GitHub still lets see it (privacy.ts).
    const privacy = cached ? privacyOf(cached.entry.body) : 'public';
    if (cached && privacy === 'public' && (policy === 'trust' || this.isFresh(cached.entry))) {
      gate.stats.cacheHits += 1;
      events.request?.({ method: 'GET', url: apiPath, status: null, cache: 'hit', remaining: null, resource: 'core' });
      const { entry, body } = cached;
      return entry.status === undefined || entry.status === 204 ? { body, link: entry.link } : { body, link: entry.link, absent: entry.status };
    }
    // One kept without saying whether it is private is asked again in full, so that what is kept says.
    const { response, finalPath } = await this.requestFollowingRedirects(apiPath, privacy === 'unknown' ? undefined : cached?.entry);
    const url = this.options.apiUrl + finalPath;
    if (response.status === 304 && cached) return this.revalidated(key, finalPath, cached, response);
    if (absentWhen(response.status, messageOf(response.errorBody))) {
      // "Not there" is a definite answer (a file that does not exist, a feature turned off: 410, a
      // page past GitHub's pagination depth: 422), remembered like a 200, as null, so that a warm run
      // does not ask again.
      this.store(key, finalPath, { fetchedAt: now(), body: null, status: response.status });
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
    // A page of an owner's repositories depends on who asks: one that named a private repository is
    // not replaced by one that names none (what a caller who cannot see it gets). Asked again anyway.
    if (privacy === 'private' && Array.isArray(body) && privacyOf(body) !== 'private') return { body, link: response.headers.link };
    const entry: CacheEntry = { fetchedAt: now(), body };
    if (response.status === 204) entry.status = 204;
    const { etag, link } = response.headers;
    const lastModified = response.headers['last-modified'];
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    // A listing's page keeps its Link even when GitHub sent none (''): one that lost it is told apart.
    if (link) entry.link = link;
    else if (isListingPage(finalPath)) entry.link = '';
    this.store(key, finalPath, entry);
    return { body, link };
  }

  /** A 304: the cached body stands, fetched again as of now. */
  private revalidated(key: CacheKey, finalPath: string, cached: { entry: CacheEntry; body: unknown }, response: TransportResponse): Fetched {
    this.options.gate.stats.revalidated += 1;
    const entry: CacheEntry = { ...cached.entry, fetchedAt: this.options.now() };
    const etag = response.headers.etag;
    if (etag) entry.etag = etag;
    // The 304's own Link is today's; the cached one may end a listing that has grown since.
    const link = response.headers.link;
    if (link) entry.link = link;
    this.store(key, finalPath, entry);
    return { body: cached.body, link: entry.link, revalidated: true };
  }

  private async requestFollowingRedirects(apiPath: string, cached: CacheEntry | undefined): Promise<{ response: TransportResponse; finalPath: string }> {
    const { apiUrl, gate, events } = this.options;
    let currentPath = apiPath;
    for (let hop = 0; ; hop += 1) {
      const response = await gate.send({ url: apiUrl + currentPath, shown: currentPath, method: 'GET', resource: 'core', cached: hop === 0 ? cached : undefined });
      if (![301, 302, 307, 308].includes(response.status)) return { response, finalPath: currentPath };
      const location = response.headers.location;
      if (!location || hop >= memoDefaults.maxRedirects) {
        throw new CliError(`GitHub redirected ${apiUrl + currentPath} ${location ? 'too many times' : 'without a Location'}`);
      }
      // Followed on the API's own origin only (toApiPath refuses any other).
      // https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects
      let resolved: string;
      try {
        resolved = new URL(location, apiUrl + currentPath).toString();
      } catch {
        throw new CliError(`GitHub redirected ${apiUrl + currentPath} to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`);
      }
      const target = this.toApiPath(resolved);
      events.redirect?.(currentPath, target);
      currentPath = target;
    }
  }

  private store(key: CacheKey, finalPath: string, entry: CacheEntry): void {
    if (!this.options.cacheEnabled) return;
    this.options.cache.set(key, entry);
    this.options.gate.stats.stored += 1;
    // A redirected request is remembered under both names, so a rerun asks neither again.
    if (finalPath !== key.path) this.options.cache.set(this.keyOf(finalPath), entry);
  }

  private keyOf(apiPath: string): CacheKey {
    return { host: this.api.host + this.apiPrefix, partition: partitionOf(apiPath), path: apiPath };
  }

  /** The cached answer under that path, shaped again; none when the cache is off or the entry is not usable. */
  private cached(apiPath: string, shape: Shape<unknown>): { entry: CacheEntry; body: unknown } | undefined {
    const entry = this.options.cacheEnabled ? this.options.cache.get(this.keyOf(apiPath)) : undefined;
    if (!entry || !fitsItsListing(apiPath, entry)) return undefined;
    try {
      // Cached bodies were shaped when stored; shaping again (idempotent) guards against hand edits.
      return { entry, body: shape(entry.body) };
    } catch {
      return undefined;
    }
  }

  /**
   * Younger than --max-age. An entry from the future (written by a clock that was fast, or edited by
   * hand) is not trusted: it is revalidated, so that --refresh and --max-age mean what they say.
   */
  private isFresh(entry: CacheEntry): boolean {
    const age = this.options.now() - entry.fetchedAt;
    return age >= 0 && age < this.options.maxAgeMs;
  }
}

/** A page of a REST listing: its path asks for `per_page`. */
function isListingPage(apiPath: string): boolean {
  return URL.canParse(apiPath, 'http://x') && new URL(apiPath, 'http://x').searchParams.has('per_page');
}

/**
 * Whether a cached listing page is one GitHub could have sent, as this memo stored it: a body, or
 * `null` with the status that said "nothing there" (a page emptied by hand would hide its people);
 * and its Link, which GitHub sends on every page of a listing of several pages ('' when it sent
 * none: a page that lost it would end the listing there). Anything else is a miss, asked again.
 */
function fitsItsListing(apiPath: string, entry: CacheEntry): boolean {
  if (!isListingPage(apiPath)) return true;
  if (entry.body === null) return entry.status !== undefined;
  if (!Array.isArray(entry.body)) return true;
  const page = Number(new URL(apiPath, 'http://x').searchParams.get('page') ?? '1');
  return entry.link !== undefined && (page <= 1 || entry.link !== '');
}
