import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/errors.js';
import type { OutgoingRequest } from '../../src/github/gate.js';
import { gateDefaults } from '../../src/github/gate.js';
import type { Transport, TransportResponse } from '../../src/github/transport.js';
import { BodyTooLargeError, NetworkError } from '../../src/github/transport.js';
import { apiUrl, fakeClock, rateLimitHeaders, scripted, testGate, testStart, ticks } from './support.js';

const get = (path: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest => ({ url: apiUrl + path, shown: path, method: 'GET', resource: 'core', cached: undefined, ...extra });
const graphql = (): OutgoingRequest => ({ url: `${apiUrl}/graphql`, shown: 'graphql q', method: 'POST', body: { query: '{ viewer { login } }' }, resource: 'graphql', cached: undefined });
const secondary = { status: 403, headers: { 'retry-after': '2' }, errorBody: { message: 'You have exceeded a secondary rate limit.' } };
const ok: TransportResponse = { status: 200, headers: {}, text: '"ok"', errorBody: null };

describe('retries', () => {
  it('retries 5xx and connection faults with growing waits, then gives up with exit 1', async () => {
    const transport = scripted({
      '/flaky': [{ status: 502 }, { status: 200, json: 'ok' }],
      '/down': { status: 503 },
      '/reset': new NetworkError('socket hang up (ECONNRESET)'),
    });
    const clock = fakeClock();
    const gate = testGate(transport, { ...clock, random: () => 1 });
    expect((await gate.send(get('/flaky'))).status).toBe(200);
    await expect(gate.send(get('/down'))).rejects.toThrow(/answered 503 .* 3 times/);
    await expect(gate.send(get('/reset'))).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/ECONNRESET\) \(tried 3 times/) });
    expect(transport.paths()).toEqual(['/flaky', '/flaky', '/down', '/down', '/down', '/reset', '/reset', '/reset']);
    expect(clock.slept).toEqual([1000, 1000, 2000, 1000, 2000]);
  });

  it('tries maxTries times in all, with full jitter between half and all of the backoff', async () => {
    const clock = fakeClock();
    const transport = scripted({ '/down': { status: 500 } });
    const gate = testGate(transport, { ...clock, random: () => 0 });
    await expect(gate.send(get('/down'))).rejects.toThrow(/answered 500/);
    expect(transport.calls).toHaveLength(gateDefaults.maxTries);
    expect(clock.slept).toEqual([500, 1000]);
    expect(gate.stats).toEqual({ requests: 3, refused: 0, cacheHits: 0, revalidated: 0, stored: 0 });
  });

  it('hands back any other status untried again: 404, 422, 304', async () => {
    const transport = scripted({ '/a': { status: 404 }, '/b': { status: 422 }, '/c': { status: 304 } });
    const gate = testGate(transport);
    expect((await gate.send(get('/a'))).status).toBe(404);
    expect((await gate.send(get('/b'))).status).toBe(422);
    expect((await gate.send(get('/c'))).status).toBe(304);
    expect(transport.calls).toHaveLength(3);
  });

  it('turns a body too large to read into a clear error, untried again', async () => {
    const transport = scripted({ '/huge': new BodyTooLargeError(64 * 1024 * 1024) });
    await expect(testGate(transport).send(get('/huge'))).rejects.toThrow(/too large to read for https:\/\/api.example.test\/huge: .*64 MiB/);
    expect(transport.calls).toHaveLength(1);
  });

  it('says Bad credentials on 401', async () => {
    const gate = testGate(scripted({ '/a': { status: 401, errorBody: { message: 'Bad credentials' } } }));
    await expect(gate.send(get('/a'))).rejects.toThrow('Bad credentials: check GH_TOKEN/GITHUB_TOKEN');
  });

  it('asks conditionally for what is cached: If-None-Match, else If-Modified-Since', async () => {
    const transport = scripted({ '/a': { status: 304 } });
    const gate = testGate(transport);
    await gate.send(get('/a', { cached: { fetchedAt: 0, etag: 'W/"1"', lastModified: 'Tue, 01 Sep 2026 00:00:00 GMT', body: 1 } }));
    await gate.send(get('/a', { cached: { fetchedAt: 0, lastModified: 'Tue, 01 Sep 2026 00:00:00 GMT', body: 1 } }));
    await gate.send(get('/a'));
    expect(transport.calls.map((call) => call.headers)).toEqual([{ 'if-none-match': 'W/"1"' }, { 'if-modified-since': 'Tue, 01 Sep 2026 00:00:00 GMT' }, {}]);
  });
});

describe('primary rate limits', () => {
  it('stops at the primary limit with the reset time, and sends nothing more', async () => {
    const transport = scripted({ '/a': { status: 200, json: 'a', headers: rateLimitHeaders(testStart, 0, 600) }, '/b': { status: 200, json: 'b' } });
    const gate = testGate(transport, { now: () => testStart });
    expect((await gate.send(get('/a'))).status).toBe(200);
    expect(gate.rateLimit()).toMatchObject({ remaining: 0, resource: 'core' });
    const stop = gate.send(get('/b'));
    await expect(stop).rejects.toBeInstanceOf(RateLimitedError);
    await expect(stop).rejects.toMatchObject({ exitCode: 75, resetAt: new Date(testStart + 601_000) });
    expect(transport.calls).toHaveLength(1);
  });

  it('stops on a 403 of the primary limit, and every request after it with the same error', async () => {
    const limited = { status: 403, headers: rateLimitHeaders(testStart, 0, 60), errorBody: { message: 'API rate limit exceeded' } };
    const transport = scripted({ '/a': limited, '/b': { status: 200, json: 'b' } });
    const gate = testGate(transport, { now: () => testStart });
    const first = await gate.send(get('/a')).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RateLimitedError);
    await expect(gate.send(get('/b'))).rejects.toBe(first);
    expect(transport.paths()).toEqual(['/a']);
    expect(gate.stats.refused).toBe(1);
  });

  it('with --wait-for-reset, sleeps until the reset and goes on', async () => {
    const clock = fakeClock();
    const limited = { status: 403, headers: rateLimitHeaders(clock.time, 0, 30), errorBody: { message: 'API rate limit exceeded' } };
    const transport = scripted({ '/a': [limited, { status: 200, json: 'a' }] });
    const waits: string[] = [];
    const gate = testGate(transport, { ...clock, waitForReset: true, events: { wait: (wait) => waits.push(`${wait.reason} ${wait.resource}`) } });
    expect((await gate.send(get('/a'))).status).toBe(200);
    expect(clock.slept).toEqual([31_000]);
    expect(waits).toEqual(['primary rate limit core']);
  });

  it('with --wait-for-reset, waits before sending once the last answer said none are left', async () => {
    const clock = fakeClock();
    const transport = scripted({ '/a': { status: 200, json: 'a', headers: rateLimitHeaders(clock.time, 0, 10) }, '/b': { status: 200, json: 'b' } });
    const gate = testGate(transport, { ...clock, waitForReset: true });
    await gate.send(get('/a'));
    await gate.send(get('/b'));
    expect(clock.slept).toEqual([11_000]);
    expect(transport.calls).toHaveLength(2);
  });

  it("takes GraphQL's 200 with a RATE_LIMITED error for its primary limit", async () => {
    const rateLimited = { status: 200, headers: rateLimitHeaders(testStart, 0, 120, 'graphql'), json: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } };
    const transport = scripted({ '/graphql': rateLimited });
    const gate = testGate(transport, { now: () => testStart });
    await expect(gate.send(graphql())).rejects.toMatchObject({ exitCode: 75, resource: 'graphql', resetAt: new Date(testStart + 121_000) });
    expect(gate.rateLimit()).toBeNull(); // the REST bucket is another one
  });

  it('with --wait-for-reset, waits out a GraphQL RATE_LIMITED and asks again', async () => {
    const clock = fakeClock();
    const rateLimited = { status: 200, headers: rateLimitHeaders(clock.time, 0, 5, 'graphql'), json: { errors: [{ type: 'RATE_LIMITED', message: 'limit' }] } };
    const transport = scripted({ '/graphql': [rateLimited, { status: 200, json: { data: { viewer: { login: 'a' } } } }] });
    const gate = testGate(transport, { ...clock, waitForReset: true });
    expect((await gate.send(graphql())).text).toContain('viewer');
    expect(clock.slept).toEqual([6000]);
    expect(gate.stats).toMatchObject({ requests: 2, refused: 1 });
  });

  it('keeps the lowest remaining of a window, whatever order the answers come in', async () => {
    const transport = scripted({ '/a': { status: 200, headers: rateLimitHeaders(testStart, 40, 600) }, '/b': { status: 200, headers: rateLimitHeaders(testStart, 41, 600) } });
    const gate = testGate(transport, { now: () => testStart });
    await gate.send(get('/a'));
    await gate.send(get('/b'));
    expect(gate.rateLimit()?.remaining).toBe(40);
  });
});

describe('secondary rate limits', () => {
  it('waits out a secondary limit and retries, at most three times in a row', async () => {
    const transport = scripted({ '/a': [secondary, { status: 200, json: 'a' }], '/b': secondary });
    const clock = fakeClock();
    const gate = testGate(transport, clock);
    expect((await gate.send(get('/a'))).status).toBe(200);
    expect(clock.slept).toEqual([2000]);
    await expect(gate.send(get('/b'))).rejects.toThrow(/secondary rate limit stopped .* 3 times in a row/);
    expect(transport.paths().filter((path) => path === '/b')).toHaveLength(gateDefaults.maxSecondaryInARow + 1);
  });

  it('counts the requests a secondary limit stopped together as one time, not four', async () => {
    let sent = 0;
    const transport: Transport = async () => {
      sent += 1;
      const limited = sent <= 4;
      await ticks();
      return limited ? { ...secondary, text: null, headers: { 'retry-after': '1' } } : ok;
    };
    const waits: string[] = [];
    const gate = testGate(transport, { ...fakeClock(), concurrency: 4, events: { wait: (wait) => waits.push(wait.reason) } });
    // Four in flight when GitHub says "slow down" to each: one wait, then all four go through.
    const answers = await Promise.all(Array.from({ length: 4 }, (_, index) => gate.send(get(`/${index}`))));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(sent).toBe(8);
    expect(waits).toEqual(['secondary rate limit']);
  });

  it('halves what it sends at once after a secondary limit', async () => {
    let inFlight = 0;
    const peaks: number[] = [];
    let secondarySent = false;
    const transport: Transport = async ({ url }) => {
      inFlight += 1;
      peaks.push(inFlight);
      // Each answer comes back on its own, as over a network: the limit is met before the next one lands.
      await ticks(url.endsWith('/0') ? 10 : 40 + 40 * (peaks.length % 4));
      inFlight -= 1;
      if (url.endsWith('/0') && !secondarySent) {
        secondarySent = true;
        return { ...secondary, text: null, headers: { 'retry-after': '1' } };
      }
      return ok;
    };
    const gate = testGate(transport, { concurrency: 4 });
    await Promise.all(Array.from({ length: 12 }, (_, index) => gate.send(get(`/${index}`))));
    expect(Math.max(...peaks.slice(0, 4))).toBe(4);
    const afterLimit = peaks.slice(peaks.indexOf(4) + 4);
    expect(afterLimit.length).toBeGreaterThan(4);
    expect(Math.max(...afterLimit)).toBeLessThanOrEqual(2);
  });

  it('halves again at the next limit, down to one at a time', async () => {
    let inFlight = 0;
    let peakAfterSecond = 0;
    let limitsSent = 0;
    const transport: Transport = async ({ url }) => {
      inFlight += 1;
      if (limitsSent >= 2) peakAfterSecond = Math.max(peakAfterSecond, inFlight);
      await ticks();
      inFlight -= 1;
      if (url.endsWith('/0') && limitsSent < 2) {
        limitsSent += 1;
        return { ...secondary, text: null, headers: { 'retry-after': '1' } };
      }
      return ok;
    };
    const gate = testGate(transport, { concurrency: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, index) => gate.send(get(`/${index}`))));
    expect(limitsSent).toBe(2);
    expect(peakAfterSecond).toBe(1);
  });

  it('a successful answer ends the run of limits in a row', async () => {
    const transport = scripted({ '/a': [secondary, secondary, secondary, { status: 200, json: 'a' }], '/b': [secondary, secondary, secondary, { status: 200, json: 'b' }] });
    const gate = testGate(transport, fakeClock());
    expect((await gate.send(get('/a'))).status).toBe(200);
    expect((await gate.send(get('/b'))).status).toBe(200);
    expect(gate.stats).toMatchObject({ requests: 8, refused: 6 });
  });
});

describe("GraphQL's points a minute", () => {
  it('holds back the query past 2,000 points in a minute until the minute has room, and says so once', async () => {
    const clock = fakeClock();
    const waits: string[] = [];
    const transport = scripted({ '/graphql': { status: 200, json: { data: {} } } });
    const gate = testGate(transport, { now: clock.now, sleep: clock.sleep, events: { wait: (event) => waits.push(`${event.reason} ${event.resource}`) } });
    for (let query = 0; query < 2000; query += 1) await gate.send(graphql());
    expect(clock.slept).toEqual([]);
    clock.time += 10_000;
    await gate.send({ ...graphql(), points: 3 });
    // The first three points leave the window a minute after they were sent, 10 s ago.
    expect(clock.slept).toEqual([50_000]);
    expect(waits).toEqual(['secondary rate limit graphql']);
    expect(transport.calls).toHaveLength(2001);
  });

  it('never holds back REST requests', async () => {
    const clock = fakeClock();
    const gate = testGate(scripted({ '/graphql': { status: 200, json: { data: {} } }, '/x': { status: 200, json: 1 } }), { now: clock.now, sleep: clock.sleep });
    for (let query = 0; query < 2000; query += 1) await gate.send(graphql());
    await gate.send(get('/x'));
    expect(clock.slept).toEqual([]);
  });
});
