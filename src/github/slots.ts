/**
 * The --concurrency slots requests are sent in, and the order in which waiting requests get one.
 * "Make requests serially instead of concurrently" at a secondary limit: the gate halves them.
 * https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
 */
import type { OutgoingRequest } from './gate.js';

export type Queue = 'urgent' | 'front' | 'next' | 'later';

/**
 * Which queue a request waits in for a slot. Urgent requests first, in order (the planner's look at
 * what is left of the limits: every source that can go either way waits on it). Then GraphQL
 * queries, the last come first: threads, reviews and histories are chains of queries, each waiting
 * on the one before. Then, in order, the requests whose answers decide what comes next (the first
 * page of a listing, a single resource), and last the later pages of listings already under way
 * (`page=2` on): a collector that needs one page to plan does not wait behind another's hundreds.
 */
export function queueOf(outgoing: OutgoingRequest): Queue {
  if (outgoing.urgent === true) return 'urgent';
  if (outgoing.resource === 'graphql') return 'front';
  const page = /[?&]page=(\d+)(?:&|$)/.exec(outgoing.url)?.[1];
  return page !== undefined && Number(page) >= 2 ? 'later' : 'next';
}

export class Slots {
  private active = 0;
  private readonly waiting: Record<Queue, Array<() => void>> = { urgent: [], front: [], next: [], later: [] };

  constructor(private limit: number) {}

  /** Half as many in flight from now on (one at least): slots are given up as requests end. */
  halve(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
  }

  /** A slot, once the queues before `queue` and the requests before this one in it have theirs. */
  async acquire(queue: Queue): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => (queue === 'front' ? this.waiting.front.unshift(resolve) : this.waiting[queue].push(resolve)));
  }

  release(): void {
    // Past a halving, slots are given up until the new limit holds.
    const { urgent, front, next: deciding, later } = this.waiting;
    const next = this.active <= this.limit ? (urgent.shift() ?? front.shift() ?? deciding.shift() ?? later.shift()) : undefined;
    if (next) next();
    else this.active -= 1;
  }
}
