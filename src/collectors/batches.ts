/**
 * GraphQL questions asked in batches (100 pull requests, 100 logins a query), made smaller where GitHub
 * finds a batch too heavy to answer: a query that runs too long answers 502 ("This may be the result
 * of a timeout"), and one over 500,000 possible nodes is refused. Such a batch is halved and both
 * halves asked, down to one item; the size that worked is used for the batches still to come, and
 * kept in the cache for the next run. What a batch brought is handed over (and kept by the caller) as
 * soon as it comes, so a failure later loses none of it.
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
import type { GitHubHelper, PageProgress } from '../github/helper.js';
import { QueryTooHeavyError, ShapeError } from '../github/helper.js';
import { settleAll } from '../github/settle.js';
import { keptParts } from './cache-policy.js';

export interface BatchPlan {
  /** The most items a query may hold (GitHub's 100 a connection). */
  largest: number;
  /** Where the size that worked is kept: a key in the repository's (or the users') partition. */
  sizeKey: string;
  progress?: (pages: PageProgress) => void;
  /**
   * The caller has another way to ask: a single item GitHub finds too heavy throws QueryTooHeavyError
   * at once, instead of being tried again as it is.
   */
  otherWay?: boolean;
}

/**
 * Runs `ask` over `items` in batches. `ask(batch, splittable)`: with `splittable`, a batch GitHub finds
 * too heavy throws QueryTooHeavyError and is asked again in halves; a single item is asked as it is
 * (and tried again like any request), unless the plan has `otherWay`.
 */
export async function askInBatches<T>(github: GitHubHelper, items: readonly T[], plan: BatchPlan, ask: (batch: T[], splittable: boolean) => Promise<void>): Promise<void> {
  if (items.length === 0) return;
  const kept = keptParts(github, shapeBatchSize, Number.POSITIVE_INFINITY);
  let size = Math.min(plan.largest, kept.recall(plan.sizeKey) ?? plan.largest);
  let done = 0;
  let known = Math.ceil(items.length / size);
  const report = (): void => plan.progress?.({ pagesDone: done, pagesKnown: Math.max(known, done) });

  const run = async (batch: T[]): Promise<void> => {
    try {
      await ask(batch, batch.length > 1 || plan.otherWay === true);
    } catch (error) {
      if (!(error instanceof QueryTooHeavyError) || batch.length <= 1) throw error;
      const half = Math.ceil(batch.length / 2);
      if (half < size) {
        size = half;
        kept.keep(plan.sizeKey, size);
      }
      const parts = chunk(batch, size);
      known += parts.length - 1;
      report();
      await settleAll(parts.map(run));
      return;
    }
    done += 1;
    report();
  };

  report();
  await settleAll(chunk([...items], size).map(run));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));
}

function shapeBatchSize(body: unknown): number {
  if (typeof body !== 'number' || !Number.isInteger(body) || body < 1) throw new ShapeError('not a batch size');
  return body;
}
