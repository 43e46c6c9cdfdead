import { describe, expect, it } from 'vitest';
import { cheaperWay, threadPoints } from '../../src/collectors/cost-plan.js';
import { threadsQuery } from '../../src/collectors/thread-query.js';
import { collectThreads, commentsConnection } from '../../src/collectors/threads.js';
import type { CollectorContext } from '../../src/collectors/types.js';
import type { ResponseCache } from '../../src/github/cache.js';
import type { ListingItem } from '../../src/github/shapes.js';
import type { TransportRequest, TransportResponse } from '../../src/github/transport.js';
import { apiUrl, memoryCache, testHelper } from '../github/support.js';

describe('the cost planner', () => {
  it('scores threads by rounds: a page of up to 100 threads a query, 1 point each', () => {
    expect(threadPoints([])).toBe(0);
    // 250 threads of one page each: 3 queries.
    expect(threadPoints(Array.from({ length: 250 }, () => 1))).toBe(3);
    // One thread of 110 pages and 99 of two: round 1 and 2 hold 100 threads (1 point each), rounds 3 to 110 one.
    expect(threadPoints([110, ...Array.from({ length: 99 }, () => 2)])).toBe(110);
    expect(threadPoints([3, 3, 1], 2)).toBe(2 + 1 + 1);
  });

  it('scores threads read from both ends: two pages of a thread a round', () => {
    expect(threadPoints([], 100, true)).toBe(0);
    expect(threadPoints(Array.from({ length: 250 }, () => 1), 100, true)).toBe(3);
    // Round 1: two pages of each of the 100 threads (200 pages, 2 points); rounds 2 to 55: the longest alone, 2 pages, 1 point.
    expect(threadPoints([110, ...Array.from({ length: 99 }, () => 2)], 100, true)).toBe(56);
    // 3 pages: round 1 asks both ends, round 2 the page between.
    expect(threadPoints([3, 3, 1], 2, true)).toBe(Math.ceil(5 / 2) + 1);
  });

  it('picks the way that spends the smaller share of what is left of its own budget', () => {
    expect(cheaperWay({ rest: 1000, points: 160 }, { rest: 5000, points: 5000 })).toBe('graphql');
    // The GraphQL budget nearly spent: REST, though it costs more requests than points.
    expect(cheaperWay({ rest: 1000, points: 160 }, { rest: 5000, points: 200 })).toBe('rest');
    expect(cheaperWay({ rest: 1, points: 1 }, { rest: 5000, points: 5000 })).toBe('rest');
    expect(cheaperWay({ rest: 0, points: 5 }, { rest: 0, points: 5000 })).toBe('rest');
    expect(cheaperWay({ rest: 5, points: 0 }, { rest: 5000, points: 0 })).toBe('graphql');
    expect(cheaperWay({ rest: 5, points: 1 }, { rest: 5000, points: 0 })).toBe('rest');
  });
});

/** A thread's comments: their ids, and their authors' logins ('' for a deleted account). */
type Threads = Map<number, Array<{ id: number; login: string }>>;
let lastId = 0;
const thread = (logins: readonly string[]): Array<{ id: number; login: string }> => logins.map((login) => ({ id: (lastId += 1), login }));

/** A page asked: from a cursor forward (`after`; `first` when not 100), or back from the end (`before`, `last`). */
type Asked = { number: number; after: string | null; first?: number } | { number: number; before: string | null; last: number };

/**
 * GitHub's GraphQL for `query Comments`: each alias `tK` answered from `threads` with its
 * `comments(first: N, after: $cK)` or `comments(last: N, before: $cK)` page. A cursor names the
 * comment it is at, as GitHub's do (not its position: a comment deleted before it moves nothing).
 */
function threadsServer(threads: Threads) {
  const asked: Asked[][] = [];
  let failAfter = Number.POSITIVE_INFINITY;
  const transport = async (request: TransportRequest): Promise<TransportResponse> => {
    const { query, variables } = request.body as { query: string; variables: Record<string, unknown> };
    if (asked.length >= failAfter) return { status: 502, headers: {}, text: null, errorBody: { message: 'Bad gateway' } };
    const aliases = [...query.matchAll(/t(\d+): (?:issue|pullRequest)\(number: \$n\d+\) \{ comments\((first|last): (\d+), (?:after|before): \$c\d+\)/g)].map((match) => ({
      index: Number(match[1]),
      backward: match[2] === 'last',
      size: Number(match[3]),
    }));
    const repository: Record<string, unknown> = {};
    const errors: unknown[] = [];
    const questions = aliases.map(({ index, backward, size }): Asked => {
      const number = variables[`n${index}`] as number;
      const cursor = (variables[`c${index}`] as string | null) ?? null;
      if (backward) return { number, before: cursor, last: size };
      return size === 100 ? { number, after: cursor } : { number, after: cursor, first: size };
    });
    asked.push(questions);
    const cursorOf = (id: number | undefined): string | null => (id === undefined ? null : `after:${id}`);
    const idOf = (cursor: string): number => Number(cursor.slice('after:'.length));
    questions.forEach((question, position) => {
      const alias = `t${aliases[position]?.index ?? position}`;
      const comments = threads.get(question.number);
      if (comments === undefined) {
        repository[alias] = null;
        errors.push({ type: 'NOT_FOUND', path: ['repository', alias], message: `Could not resolve to an Issue with the number of ${question.number}.` });
        return;
      }
      const page =
        'last' in question
          ? comments.filter((comment) => question.before === null || comment.id < idOf(question.before)).slice(-question.last)
          : comments.filter((comment) => question.after === null || comment.id > idOf(question.after)).slice(0, question.first ?? 100);
      const firstId = page[0]?.id;
      const lastId = page[page.length - 1]?.id;
      repository[alias] = {
        comments: {
          totalCount: comments.length,
          pageInfo: {
            hasNextPage: lastId !== undefined && comments.some((comment) => comment.id > lastId),
            hasPreviousPage: firstId !== undefined && comments.some((comment) => comment.id < firstId),
            startCursor: cursorOf(firstId),
            endCursor: cursorOf(lastId),
          },
          nodes: page.map(({ login }) => ({ author: login === '' ? null : { __typename: login.endsWith('-app') ? 'Bot' : 'User', login } })),
        },
      };
    });
    return { status: 200, headers: {}, errorBody: null, text: JSON.stringify({ data: { repository }, ...(errors.length > 0 ? { errors } : {}) }) };
  };
  return { transport, asked, failAfterQueries: (count: number) => void (failAfter = count) };
}

/** The cursor after the comment at `index` of thread `number`. */
const cursorAt = (threads: Threads, number: number, index: number): string => `after:${threads.get(number)?.[index]?.id ?? 'none'}`;
const authors = (count: number, ...logins: string[]): string[] => Array.from({ length: count }, (_, index) => logins[index % logins.length] ?? 'someone');
const item = (number: number, comments: number, updated = '2024-01-01T00:00:00Z', pull = false): ListingItem => ({
  id: number,
  number,
  comments,
  updated_at: updated,
  ...(pull ? { pull_request: {} } : {}),
});

function context(cache: ResponseCache, transport: (request: TransportRequest) => Promise<TransportResponse>): CollectorContext {
  return {
    github: testHelper({ apiUrl, transport, cache, maxAgeMs: 0 }),
    fullName: 'o/r',
    repoPath: '/repos/o/r',
    since: null,
    refresh: 'revalidate',
    pushed: { at: null, branch: null },
    progress: () => undefined,
    warn: () => undefined,
  };
}

const counts = (result: Awaited<ReturnType<typeof collectThreads>>): Record<string, number> =>
  Object.fromEntries(result.contributions.map((c) => [`${c.who.login ?? ''}:${c.who.type ?? ''}`, c.count]).sort());

describe('comments through GraphQL, thread by thread', () => {
  it('asks issues and pull requests under aliases of their own kind', () => {
    const query = threadsQuery([{ pull: false }, { pull: true }], commentsConnection);
    expect(query).toContain('query Comments($owner: String!, $name: String!, $n0: Int!, $c0: String, $n1: Int!, $c1: String)');
    expect(query).toContain('t0: issue(number: $n0) { comments(first: 100, after: $c0)');
    expect(query).toContain('t1: pullRequest(number: $n1) { comments(first: 100, after: $c1)');
  });

  it('reads long threads from both ends at once, in rounds, and counts every author once per comment', async () => {
    const threads: Threads = new Map([
      [1, thread(authors(250, 'alice', 'bob'))],
      [2, thread(authors(3, 'carol', '', 'ci-app'))],
      [3, thread(authors(101, 'dave'))],
    ]);
    const server = threadsServer(threads);
    const items = [item(1, 250), item(2, 3, undefined, true), item(3, 101), item(4, 0)];
    const result = await collectThreads(context(memoryCache(), server.transport), items);
    expect(result.complete).toBe(true);
    expect(counts(result)).toEqual({ 'alice:User': 125, 'bob:User': 125, 'carol:User': 1, 'ghost:User': 1, 'ci-app[bot]:Bot': 1, 'dave:User': 101 });
    // Round 1: the first page of the three threads with comments (#4 has none), and from the end of
    // the two longer than a page, as much as is left past the first (#3: 1); round 2: #1's 50 between.
    expect(server.asked).toEqual([
      [
        { number: 1, after: null },
        { number: 1, before: null, last: 100 },
        { number: 2, after: null },
        { number: 3, after: null },
        { number: 3, before: null, last: 1 },
      ],
      [{ number: 1, after: cursorAt(threads, 1, 99), first: 50 }],
    ]);
  });

  it('reads a thread whose count changes while it is read from both ends again from its start, from the start alone', async () => {
    const threads: Threads = new Map([[1, thread(authors(450, 'alice', 'bob'))]]);
    const server = threadsServer(threads);
    // A comment made after the first round: the pages of the second count 451, not 450.
    const transport = async (request: TransportRequest): Promise<TransportResponse> => {
      if (server.asked.length === 1) threads.set(1, [...(threads.get(1) ?? []), ...thread(['late'])]);
      return server.transport(request);
    };
    const result = await collectThreads(context(memoryCache(), transport), [item(1, 450)]);
    expect(counts(result)).toEqual({ 'alice:User': 225, 'bob:User': 225, 'late:User': 1 });
    expect(server.asked.slice(0, 2).map((query) => query.map((q) => ('last' in q ? 'end' : 'start')))).toEqual([
      ['start', 'end'],
      ['start', 'end'],
    ]);
    // Then from the start alone: 5 pages of 100, one after the other.
    expect(server.asked.slice(2)).toEqual([
      [{ number: 1, after: null }],
      [{ number: 1, after: cursorAt(threads, 1, 99) }],
      [{ number: 1, after: cursorAt(threads, 1, 199) }],
      [{ number: 1, after: cursorAt(threads, 1, 299) }],
      [{ number: 1, after: cursorAt(threads, 1, 399) }],
    ]);
  });

  it('asks nothing again for threads unchanged since they were read, and only what is new of a thread that grew', async () => {
    const cache = memoryCache();
    const threads: Threads = new Map([
      [1, thread(authors(150, 'alice'))],
      [2, thread(authors(2, 'bob'))],
    ]);
    const first = threadsServer(threads);
    await collectThreads(context(cache, first.transport), [item(1, 150), item(2, 2)]);

    const unchanged = threadsServer(threads);
    const again = await collectThreads(context(cache, unchanged.transport), [item(1, 150), item(2, 2)]);
    expect(unchanged.asked).toEqual([]);
    expect(counts(again)).toEqual({ 'alice:User': 150, 'bob:User': 2 });

    const before = cursorAt(threads, 1, 149);
    threads.set(1, [...(threads.get(1) ?? []), ...thread(['erin'])]);
    const grown = threadsServer(threads);
    const refreshed = await collectThreads(context(cache, grown.transport), [item(1, 151, '2024-02-01T00:00:00Z'), item(2, 2)]);
    expect(grown.asked).toEqual([[{ number: 1, after: before }]]);
    expect(counts(refreshed)).toEqual({ 'alice:User': 150, 'bob:User': 2, 'erin:User': 1 });
  });

  it('reads on a thread whose count of comments moved within the second it was read (updated_at is to the second)', async () => {
    const cache = memoryCache();
    const threads: Threads = new Map([[1, thread(['alice', 'bob'])]]);
    await collectThreads(context(cache, threadsServer(threads).transport), [item(1, 2)]);
    const before = cursorAt(threads, 1, 1);
    threads.set(1, [...(threads.get(1) ?? []), ...thread(['carol'])]);
    const server = threadsServer(threads);
    const result = await collectThreads(context(cache, server.transport), [item(1, 3)]);
    expect(server.asked).toEqual([[{ number: 1, after: before }]]);
    expect(counts(result)).toEqual({ 'alice:User': 1, 'bob:User': 1, 'carol:User': 1 });
  });

  it('reads a changed thread again from its start when comments went away (its totalCount no longer adds up)', async () => {
    const cache = memoryCache();
    const threads: Threads = new Map([[1, thread(['alice', 'bob', 'carol'])]]);
    await collectThreads(context(cache, threadsServer(threads).transport), [item(1, 3)]);
    // bob's comment deleted, dave's added: as many as before, but not the same.
    const [alice, , carol] = threads.get(1) ?? [];
    const before = cursorAt(threads, 1, 2);
    threads.set(1, [alice, carol, ...thread(['dave'])].filter((comment) => comment !== undefined));
    const server = threadsServer(threads);
    const result = await collectThreads(context(cache, server.transport), [item(1, 3, '2024-03-01T00:00:00Z')]);
    expect(server.asked).toEqual([[{ number: 1, after: before }], [{ number: 1, after: null }]]);
    expect(counts(result)).toEqual({ 'alice:User': 1, 'carol:User': 1, 'dave:User': 1 });
  });

  it('goes on after a failure from the last page each thread had, at both ends, asking no page twice', async () => {
    const cache = memoryCache();
    const threads: Threads = new Map([[1, thread(authors(550, 'alice'))]]);
    const broken = threadsServer(threads);
    broken.failAfterQueries(2);
    await expect(collectThreads(context(cache, broken.transport), [item(1, 550)])).rejects.toThrow(/502/);
    // Two rounds had 200 comments from the start and 200 from the end: 150 are left between them.
    // (The third round's 502 was taken for a query too heavy: it was halved, and one page a query is
    // what this repository's threads are asked in since.)
    const server = threadsServer(threads);
    const result = await collectThreads(context(cache, server.transport), [item(1, 550)]);
    expect(server.asked).toEqual([[{ number: 1, after: cursorAt(threads, 1, 199) }], [{ number: 1, before: cursorAt(threads, 1, 350), last: 50 }]]);
    expect(counts(result)).toEqual({ 'alice:User': 550 });
    // Read whole, it is kept as read to its last comment: a comment more is the only page a refresh asks.
    threads.set(1, [...(threads.get(1) ?? []), ...thread(['bob'])]);
    const grown = threadsServer(threads);
    const refreshed = await collectThreads(context(cache, grown.transport), [item(1, 551, '2024-02-01T00:00:00Z')]);
    expect(grown.asked).toEqual([[{ number: 1, after: cursorAt(threads, 1, 549) }]]);
    expect(counts(refreshed)).toEqual({ 'alice:User': 550, 'bob:User': 1 });
  });

  it('takes an item GitHub cannot resolve (deleted since it was listed) as one without comments', async () => {
    const server = threadsServer(new Map([[2, thread(['bob'])]]));
    const result = await collectThreads(context(memoryCache(), server.transport), [item(1, 4), item(2, 1)]);
    expect(counts(result)).toEqual({ 'bob:User': 1 });
  });
});
