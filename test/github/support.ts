/**
 * What the helper's unit tests share: a scripted transport, a clock that sleeping moves forward, a
 * cache in memory, and each part of the helper built with the settings a test does not care about.
 */
import type { CacheEntry, CacheKey, ResponseCache } from '../../src/github/cache.js';
import type { GateOptions, RequestGate } from '../../src/github/gate.js';
import { createRequestGate } from '../../src/github/gate.js';
import type { GitHubHelper, GitHubHelperOptions } from '../../src/github/helper.js';
import { createGitHubHelper, ShapeError } from '../../src/github/helper.js';
import type { Memo, MemoOptions } from '../../src/github/memo.js';
import { createMemo } from '../../src/github/memo.js';
import type { Transport, TransportRequest, TransportResponse } from '../../src/github/transport.js';

export const apiUrl = 'https://api.example.test';
export const anything = (body: unknown): unknown => body;
export const list = (body: unknown): unknown[] => {
  if (!Array.isArray(body)) throw new ShapeError('expected a list');
  return body;
};

export function memoryCache(): ResponseCache & { entries: Map<string, CacheEntry> } {
  const entries = new Map<string, CacheEntry>();
  return {
    entries,
    dir: '/memory',
    get: (key: CacheKey) => entries.get(key.path),
    set: (key: CacheKey, entry: CacheEntry) => void entries.set(key.path, entry),
    checkpoint: () => undefined,
    save: () => undefined,
  };
}

export function testHelper(options: Pick<GitHubHelperOptions, 'apiUrl' | 'transport'> & Partial<GitHubHelperOptions>): GitHubHelper {
  return createGitHubHelper({
    cache: memoryCache(),
    cacheEnabled: true,
    maxAgeMs: 60_000,
    waitForReset: false,
    concurrency: 4,
    timeoutMs: 1000,
    ...options,
  });
}

export type Answer = Partial<TransportResponse> & { status: number; json?: unknown };
export type ScriptedTransport = Transport & { calls: TransportRequest[]; paths(): string[] };

/**
 * A transport that answers from a script per path (a list is answered in turn, its last answer
 * repeated) and records what was asked. A path with no script is a 404.
 */
export function scripted(answers: Record<string, Answer | Answer[] | Error>): ScriptedTransport {
  const calls: TransportRequest[] = [];
  const transport = async (request: TransportRequest): Promise<TransportResponse> => {
    calls.push(request);
    const script = answers[request.url.slice(apiUrl.length)];
    if (script === undefined) return { status: 404, headers: {}, text: null, errorBody: { message: 'Not Found' } };
    if (script instanceof Error) throw script;
    const answer = Array.isArray(script) ? (script.length > 1 ? (script.shift() as Answer) : (script[0] as Answer)) : script;
    return {
      headers: {},
      errorBody: null,
      ...answer,
      text: answer.text ?? (answer.json === undefined ? null : JSON.stringify(answer.json)),
    };
  };
  return Object.assign(transport, { calls, paths: () => calls.map((call) => call.url.slice(apiUrl.length)) });
}

export const testStart = Date.parse('2026-11-26T12:00:00Z');

/** A clock that sleeping moves forward, so waits take no real time. */
export function fakeClock(start = testStart) {
  const clock = { time: start, slept: [] as number[] };
  return Object.assign(clock, {
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.time += ms;
    },
  });
}

/** Lets other promises run `count` times over: a transport that answers "later" without a timer. */
export async function ticks(count = 20): Promise<void> {
  for (let tick = 0; tick < count; tick += 1) await Promise.resolve();
}

/** Rate-limit headers saying `remaining` are left until `resetInS` seconds after `now`. */
export function rateLimitHeaders(now: number, remaining: number, resetInS: number, resource = 'core'): Record<string, string> {
  return {
    'x-ratelimit-limit': '60',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.floor(now / 1000) + resetInS),
    'x-ratelimit-resource': resource,
    date: new Date(now).toUTCString(),
  };
}

export function testGate(transport: Transport, overrides: Partial<GateOptions> = {}): RequestGate {
  const clock = fakeClock();
  return createRequestGate({
    apiUrl,
    transport,
    cacheEnabled: true,
    waitForReset: false,
    concurrency: 4,
    timeoutMs: 1000,
    events: {},
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...overrides,
  });
}

/** A memo over a gate on the same clock; `now` and `sleep` go to both. */
export function testMemo(transport: Transport, overrides: Partial<MemoOptions> & Partial<GateOptions> = {}): Memo & { gate: RequestGate } {
  const clock = fakeClock();
  const now = overrides.now ?? clock.now;
  const gate = testGate(transport, { now, sleep: overrides.sleep ?? clock.sleep, ...(overrides.events ? { events: overrides.events } : {}) });
  const memo = createMemo({ apiUrl: overrides.apiUrl ?? apiUrl, cache: memoryCache(), cacheEnabled: true, maxAgeMs: 60_000, gate, events: {}, ...overrides, now });
  return Object.assign(memo, { gate });
}
