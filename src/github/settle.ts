import { RateLimitedError } from '../errors.js';

/**
 * Like Promise.all, but waits for every promise before failing: requests already in flight are paid
 * for, so their answers are let in (and cached) before the run stops. A rate-limit stop is reported
 * before any other failure, since the rerun it asks for also cures the others.
 */
export async function settleAll<T>(promises: Iterable<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((error) => error instanceof RateLimitedError) ?? failures[0];
  return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}
