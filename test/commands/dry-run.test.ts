import { describe, expect, it } from 'vitest';
import { estimatePeople } from '../../src/commands/estimate-people.js';

/** A deterministic skewed community: person k is picked with probability ∝ 1/(k+1). */
function activity(people: number, items: number, seed: number): string[] {
  const weights = Array.from({ length: people }, (_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: items }, () => {
    let r = random() * total;
    for (let k = 0; k < people; k += 1) {
      r -= weights[k] ?? 0;
      if (r <= 0) return `p${k}`;
    }
    return `p${people - 1}`;
  });
}

describe('estimatePeople', () => {
  it('is exact when the first pages are everything', () => {
    expect(estimatePeople([{ logins: ['a', 'b', 'A', 'c'], items: 4 }, { logins: ['d'], items: 1 }])).toBe(4);
    expect(estimatePeople([])).toBe(0);
  });

  it('never says fewer than it saw, nor more than there are items', () => {
    const logins = Array.from({ length: 100 }, (_, index) => `p${index}`);
    expect(estimatePeople([{ logins, items: 150 }])).toBe(150);
    expect(estimatePeople([{ logins: ['a', 'a', 'a'], items: 1000 }])).toBeGreaterThanOrEqual(1);
  });

  it('is near the number of different people in a long, skewed listing', () => {
    const all = activity(500, 20_000, 7);
    const actual = new Set(all).size;
    const estimated = estimatePeople([{ logins: all.slice(0, 100), items: 10_000 }, { logins: all.slice(10_000, 10_100), items: 10_000 }]);
    expect(Math.abs(estimated - actual) / actual).toBeLessThan(0.35);
  });
});
