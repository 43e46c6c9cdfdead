import { describe, expect, it } from 'vitest';
import { decideLimit, rateLimitDefaults, readRateLimit, serverClockOffsetMs } from '../../src/github/rate-limit.js';

const localNow = Date.parse('2026-11-26T12:00:00Z');

describe('rate limits', () => {
  it('computes the reset against the server clock, not ours', () => {
    // The server's clock is an hour ahead of ours; its reset is 10 minutes after its own now.
    const serverNow = localNow + 3_600_000;
    const headers = {
      date: new Date(serverNow).toUTCString(),
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String((serverNow + 600_000) / 1000),
    };
    expect(serverClockOffsetMs(headers, localNow)).toBe(3_600_000);
    expect(readRateLimit(headers, localNow)?.resetAt.getTime()).toBe(localNow + 600_000);
    const decision = decideLimit(403, headers, 'API rate limit exceeded', localNow);
    expect(decision).toEqual({ kind: 'primary', waitMs: 601_000, resetAt: new Date(localNow + 601_000), resource: 'core' });
  });

  it('never waits a negative time for a reset in the past, nor hours for one far away', () => {
    const past = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(localNow / 1000 - 500) };
    expect(decideLimit(429, past, '', localNow)).toMatchObject({ kind: 'primary', waitMs: rateLimitDefaults.resetMarginMs });
    const far = { ...past, 'x-ratelimit-reset': String(localNow / 1000 + 10 * 3600) };
    expect(decideLimit(403, far, '', localNow)).toMatchObject({ waitMs: rateLimitDefaults.maxPrimaryWaitMs + rateLimitDefaults.resetMarginMs });
  });

  it('waits retry-after on a secondary limit, a minute without one', () => {
    expect(decideLimit(403, { 'retry-after': '7', 'x-ratelimit-remaining': '4000' }, '', localNow)).toEqual({ kind: 'secondary', waitMs: 7000 });
    expect(decideLimit(403, {}, 'You have exceeded a secondary rate limit.', localNow)).toEqual({ kind: 'secondary', waitMs: 60_000 });
    expect(decideLimit(429, {}, '', localNow)).toEqual({ kind: 'secondary', waitMs: 60_000 });
  });

  it('leaves other 403s to the caller', () => {
    expect(decideLimit(403, { 'x-ratelimit-remaining': '12' }, 'Resource not accessible by integration', localNow)).toBeNull();
    expect(decideLimit(404, { 'x-ratelimit-remaining': '0' }, '', localNow)).toBeNull();
  });
});
