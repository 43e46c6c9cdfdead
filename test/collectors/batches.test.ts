import { describe, expect, it } from 'vitest';
import { askInBatches } from '../../src/collectors/batches.js';
import { CliError } from '../../src/errors.js';
import { QueryTooHeavyError } from '../../src/github/helper.js';
import { apiUrl, memoryCache, scripted, testHelper } from '../github/support.js';

const numbers = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

/** An `ask` that GitHub answers only for batches of at most `limit`, recording every batch it is given. */
function askAtMost(limit: number) {
  const asked: Array<{ size: number; splittable: boolean }> = [];
  const answered: number[] = [];
  const ask = async (batch: number[], splittable: boolean): Promise<void> => {
    asked.push({ size: batch.length, splittable });
    if (batch.length > limit) throw new QueryTooHeavyError('Reviews', 'GitHub answered 502');
    answered.push(...batch);
  };
  return { ask, asked, answered };
}

describe('askInBatches', () => {
  it('halves a batch GitHub finds too heavy, and asks the batches still to come at the size that worked', async () => {
    const github = testHelper({ apiUrl, transport: scripted({}) });
    const { ask, asked, answered } = askAtMost(30);
    await askInBatches(github, numbers(250), { largest: 100, sizeKey: '/repos/o/r/graphql/batch-size/reviews' }, ask);
    expect([...answered].sort((a, b) => a - b)).toEqual(numbers(250));
    // Each item answered once; every refused batch was larger than 30, every answered one 30 at most.
    expect(asked.filter((batch) => batch.size > 30).every((batch) => batch.splittable)).toBe(true);
    expect(Math.max(...asked.filter((batch) => batch.size <= 30).map((batch) => batch.size))).toBe(25);
  });

  it('starts the next run at the size that worked, kept in the cache', async () => {
    const cache = memoryCache();
    const plan = { largest: 100, sizeKey: '/repos/o/r/graphql/batch-size/reviews' };
    await askInBatches(testHelper({ apiUrl, transport: scripted({}), cache }), numbers(100), plan, askAtMost(30).ask);
    const next = askAtMost(30);
    await askInBatches(testHelper({ apiUrl, transport: scripted({}), cache }), numbers(100), plan, next.ask);
    expect(next.asked.map((batch) => batch.size)).toEqual([25, 25, 25, 25]);
  });

  it('asks a single item as it is, and lets its failure through', async () => {
    const github = testHelper({ apiUrl, transport: scripted({}) });
    const { ask, asked } = askAtMost(0);
    await expect(askInBatches(github, numbers(3), { largest: 100, sizeKey: '/users/graphql/batch-size/names' }, ask)).rejects.toBeInstanceOf(QueryTooHeavyError);
    expect(asked.filter((batch) => batch.size === 1).map((batch) => batch.splittable)).toEqual([false, false, false]);
  });

  it('does not split a batch for any other failure', async () => {
    const github = testHelper({ apiUrl, transport: scripted({}) });
    const asked: number[] = [];
    const failing = async (batch: number[]): Promise<void> => {
      asked.push(batch.length);
      throw new CliError('GitHub answered 500 for …/graphql 3 times');
    };
    await expect(askInBatches(github, numbers(10), { largest: 100, sizeKey: '/users/graphql/batch-size/names' }, failing)).rejects.toThrow(/500/);
    expect(asked).toEqual([10]);
  });

  it('reports batches done against batches known, which grow as batches are halved', async () => {
    const github = testHelper({ apiUrl, transport: scripted({}) });
    const seen: string[] = [];
    const progress = ({ pagesDone, pagesKnown }: { pagesDone: number; pagesKnown: number }): number => seen.push(`${pagesDone}/${pagesKnown}`);
    await askInBatches(github, numbers(100), { largest: 100, sizeKey: '/k', progress }, askAtMost(50).ask);
    expect(seen).toEqual(['0/1', '0/2', '1/2', '2/2']);
  });
});
