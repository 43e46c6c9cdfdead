/**
 * Faults a test schedules with `addFault`: each one skips its first `after` matching requests,
 * then hits the next `times` of them. Several faults may match the same request: the first that
 * hits it decides the answer.
 */
import type { Fault } from './types.js';

interface ScheduledFault {
  fault: Fault;
  toSkip: number;
  remaining: number;
}

function matches(fault: Fault, pathAndQuery: string): boolean {
  if (fault.match === undefined) return true;
  if (typeof fault.match === 'string') return pathAndQuery.includes(fault.match);
  fault.match.lastIndex = 0;
  return fault.match.test(pathAndQuery);
}

export class FaultSchedule {
  #scheduled: ScheduledFault[] = [];

  add(fault: Fault): void {
    this.#scheduled.push({ fault, toSkip: fault.after ?? 0, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.#scheduled = [];
  }

  /** The fault that replaces (or damages) the answer to this request, if any. */
  take(pathAndQuery: string): Fault | null {
    let answer: Fault | null = null;
    for (const entry of this.#scheduled) {
      if (answer !== null || entry.remaining <= 0 || !matches(entry.fault, pathAndQuery)) continue;
      if (entry.toSkip > 0) {
        entry.toSkip--;
        continue;
      }
      entry.remaining--;
      answer = entry.fault;
    }
    this.#scheduled = this.#scheduled.filter((entry) => entry.remaining > 0);
    return answer;
  }
}
