/**
 * Faults a test schedules with `addFault`: each one skips its first `after` matching requests,
 * then hits the next `times` of them. Several faults may hit the same request: every `latency`
 * fault adds its delay, and the first other one decides the answer.
 */
import type { Fault } from './types.js';

interface ScheduledFault {
  fault: Fault;
  toSkip: number;
  remaining: number;
}

export interface FaultsForRequest {
  extraLatencyMs: number;
  /** The fault that replaces (or damages) the answer, if any. */
  answer: Fault | null;
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

  take(pathAndQuery: string): FaultsForRequest {
    const result: FaultsForRequest = { extraLatencyMs: 0, answer: null };
    for (const entry of this.#scheduled) {
      if (entry.remaining <= 0 || !matches(entry.fault, pathAndQuery)) continue;
      if (entry.fault.kind !== 'latency' && result.answer !== null) continue;
      if (entry.toSkip > 0) {
        entry.toSkip--;
        continue;
      }
      entry.remaining--;
      if (entry.fault.kind === 'latency') result.extraLatencyMs += entry.fault.latencyMs ?? 0;
      else result.answer = entry.fault;
    }
    this.#scheduled = this.#scheduled.filter((entry) => entry.remaining > 0);
    return result;
  }
}
