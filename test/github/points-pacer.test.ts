import { describe, expect, it } from 'vitest';
import { createPointsPacer } from '../../src/github/points-pacer.js';

describe('createPointsPacer', () => {
  it('gives room up to the points a minute allows, then says how long until the oldest leave', () => {
    const pacer = createPointsPacer(10, 60_000);
    for (let second = 0; second < 10; second += 1) expect(pacer.take(1, second * 1000)).toBe(0);
    expect(pacer.take(1, 30_000)).toBe(30_000);
    expect(pacer.take(2, 30_000)).toBe(31_000);
    // The first point has left the window: room for one.
    expect(pacer.take(1, 60_000)).toBe(0);
    expect(pacer.take(1, 60_000)).toBe(1000);
  });

  it('lets a query larger than the minute go alone', () => {
    const pacer = createPointsPacer(10, 60_000);
    expect(pacer.take(25, 0)).toBe(0);
    expect(pacer.take(1, 1000)).toBe(59_000);
    expect(pacer.take(1, 60_000)).toBe(0);
  });
});
