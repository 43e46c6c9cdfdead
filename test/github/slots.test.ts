/**
 * The order in which requests waiting for a slot get one: a chain of GraphQL queries and the planner's
 * look at the limits first, then whatever decides what comes next (a listing's first page), then the
 * later pages of listings under way.
 */
import { describe, expect, it } from 'vitest';
import type { OutgoingRequest } from '../../src/github/gate.js';
import { queueOf, Slots } from '../../src/github/slots.js';

const rest = (url: string): OutgoingRequest => ({ url, shown: url, method: 'GET', resource: 'core', cached: undefined });

describe('slots', () => {
  it('puts GraphQL and urgent requests first, a first page before the later pages of a listing', () => {
    expect(queueOf({ ...rest('https://api.github.com/graphql'), method: 'POST', resource: 'graphql' })).toBe('front');
    expect(queueOf({ ...rest('https://api.github.com/rate_limit'), urgent: true })).toBe('urgent');
    expect(queueOf(rest('https://api.github.com/repos/o/r/issues/events?per_page=100'))).toBe('next');
    expect(queueOf(rest('https://api.github.com/repos/o/r/issues?per_page=100&page=1'))).toBe('next');
    expect(queueOf(rest('https://api.github.com/repos/o/r'))).toBe('next');
    expect(queueOf(rest('https://api.github.com/repos/o/r/pulls/comments?per_page=100&page=2'))).toBe('later');
    expect(queueOf(rest('https://api.github.com/repos/o/r/commits?sha=abc&page=17&per_page=100'))).toBe('later');
    expect(queueOf(rest('https://api.github.com/repos/o/r/contents/CONTRIBUTORS?ref=page=2'))).toBe('next');
  });

  it('hands a freed slot to the urgent (first in first), then the front queue (last in first), then the next, then the later pages', async () => {
    const slots = new Slots(1);
    await slots.acquire('later');
    const order: string[] = [];
    const waiting = (['later', 'urgent', 'next', 'front', 'later', 'next', 'front', 'urgent'] as const).map((queue, index) =>
      slots.acquire(queue).then(() => {
        order.push(`${queue}${index}`);
        slots.release();
      }),
    );
    slots.release();
    await Promise.all(waiting);
    expect(order).toEqual(['urgent1', 'urgent7', 'front6', 'front3', 'next2', 'next5', 'later0', 'later4']);
  });

  it('gives slots up after a halving until the new limit holds', async () => {
    const slots = new Slots(4);
    for (let index = 0; index < 4; index++) await slots.acquire('next');
    slots.halve();
    let served = false;
    const waiting = slots.acquire('front').then(() => (served = true));
    slots.release();
    slots.release();
    await Promise.resolve();
    expect(served).toBe(false);
    slots.release();
    await waiting;
    expect(served).toBe(true);
  });
});
