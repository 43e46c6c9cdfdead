/**
 * The history across both budgets (collectors/history.ts): how its pages are split, and the rule
 * that the union of what REST and GraphQL read must hold every commit before the source counts whole.
 */
import { describe, expect, it } from 'vitest';
import { graphqlPagesOf } from '../../src/collectors/cost-plan.js';
import { readHistory } from '../../src/collectors/history.js';
import type { CollectorContext } from '../../src/collectors/types.js';
import type { ResponseCache } from '../../src/github/cache.js';
import type { TransportRequest, TransportResponse } from '../../src/github/transport.js';
import { apiUrl, memoryCache, testHelper } from '../github/support.js';

describe('the split of a history between the two budgets', () => {
  it('gives GraphQL the newest pages in proportion to what is left of each budget, the first at least', () => {
    expect(graphqlPagesOf(0, { rest: 5000, points: 5000 }, 4)).toBe(0);
    expect(graphqlPagesOf(1, { rest: 5000, points: 0 }, 4)).toBe(1);
    expect(graphqlPagesOf(10, { rest: 50, points: 50 }, 4)).toBe(5);
    expect(graphqlPagesOf(10, { rest: 20, points: 80 }, 4)).toBe(8);
    expect(graphqlPagesOf(10, { rest: 5000, points: 0 }, 4)).toBe(1);
    expect(graphqlPagesOf(10, { rest: 0, points: 5000 }, 4)).toBe(10);
    expect(graphqlPagesOf(10, { rest: 0, points: 0 }, 4)).toBe(5);
  });

  it('where both budgets can spare the history, gives GraphQL no more pages than keep pace with the REST pages read side by side', () => {
    // 73 pages, 4 at a time: 15 one after the other through GraphQL while REST reads 58.
    expect(graphqlPagesOf(73, { rest: 5000, points: 5000 }, 4)).toBe(15);
    expect(graphqlPagesOf(73, { rest: 5000, points: 5000 }, 1)).toBe(37);
    expect(graphqlPagesOf(73, { rest: 4000, points: 1000 }, 16)).toBe(5);
    // A history past a tenth of either budget is split by budget alone.
    expect(graphqlPagesOf(1200, { rest: 5000, points: 5000 }, 4)).toBe(600);
    expect(graphqlPagesOf(150, { rest: 1000, points: 5000 }, 4)).toBe(125);
  });
});

const head = 'a'.repeat(40);
const sha = (index: number): string => index.toString(16).padStart(40, '0');

interface History {
  /** The commits GraphQL lists, in order (their indices). */
  graphql: number[];
  /** The commits REST lists, in order. */
  rest: number[];
  /** What GraphQL's `totalCount` says. */
  total: number;
}

/** GitHub, as far as the history goes: GraphQL pages by cursor (`after:N`), REST pages by number, and what is left of each budget. */
function historyServer(history: History, left = { rest: 5000, points: 5000 }, pagesTooHeavy = false) {
  const asked: string[] = [];
  const node = (index: number) => ({ oid: sha(index), message: `Commit ${index}\n\nCo-authored-by: Pal ${index % 3} <pal${index % 3}@example.com>`, author: { name: 'Ada', email: 'ada@example.org', user: { login: 'ada' } }, authors: { nodes: [] } });
  const transport = async (request: TransportRequest): Promise<TransportResponse> => {
    const ok = (json: unknown): TransportResponse => ({ status: 200, headers: {}, errorBody: null, text: JSON.stringify(json) });
    const path = request.url.slice(apiUrl.length);
    if (path === '/rate_limit') {
      asked.push(path);
      return ok({ resources: { core: { limit: 5000, remaining: left.rest, reset: 2_000_000_000 }, graphql: { limit: 5000, remaining: left.points, reset: 2_000_000_000 } } });
    }
    if (request.method === 'POST') {
      const { query, variables } = request.body as { query: string; variables: { after?: string | null } };
      // A query that runs too long: GitHub's 502.
      if (pagesTooHeavy && !query.includes('defaultBranchRef')) {
        asked.push(`graphql ${variables.after ?? 'head'} 502`);
        return { status: 502, headers: {}, text: null, errorBody: { message: 'Something went wrong while executing your query. This may be the result of a timeout.' } };
      }
      const from = variables.after ? Number(variables.after.slice('after:'.length)) : 0;
      const page = history.graphql.slice(from, from + 100);
      const connection = { totalCount: history.total, pageInfo: { hasNextPage: from + 100 < history.graphql.length, endCursor: `after:${from + page.length}` }, nodes: page.map(node) };
      asked.push(`graphql ${variables.after ?? 'head'}`);
      const repository = query.includes('defaultBranchRef') ? { defaultBranchRef: { target: { oid: head, history: connection } } } : { object: { history: connection } };
      return ok({ data: { repository } });
    }
    asked.push(path);
    const number = Number(new URL(path, apiUrl).searchParams.get('page') ?? '1');
    const items = history.rest.slice((number - 1) * 100, number * 100).map((index) => ({ sha: sha(index), commit: { author: { name: 'Ada', email: 'ada@example.org' }, message: `Commit ${index}` }, author: { login: 'ada', type: 'User' } }));
    const pages = Math.ceil(history.rest.length / 100);
    const pageUrl = (page: number): string => `${apiUrl}${path.replace(/&page=\d+/, '')}&page=${page}`;
    // As GitHub links them: every page of a listing of several, the last one back to the first.
    const link = number < pages ? `<${pageUrl(number + 1)}>; rel="next", <${pageUrl(pages)}>; rel="last"` : pages > 1 ? `<${pageUrl(number - 1)}>; rel="prev", <${pageUrl(1)}>; rel="first"` : undefined;
    return { ...ok(items), headers: link === undefined ? {} : { link } };
  };
  return { transport, asked };
}

function context(cache: ResponseCache, transport: (request: TransportRequest) => Promise<TransportResponse>, warnings: string[] = []): CollectorContext {
  return {
    github: testHelper({ apiUrl, transport, cache }),
    fullName: 'o/r',
    repoPath: '/repos/o/r',
    since: null,
    refresh: 'incremental',
    pushed: { at: '2026-01-01T00:00:00Z', branch: 'main' },
    progress: () => undefined,
    warn: (message) => void warnings.push(message),
  };
}

const upTo = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
/** One request at a time: the split follows the budgets alone (half the pages at most go to GraphQL's chain, as they do by budget when both are full). */
const ways = (hasToken: boolean, budgets = { rest: 5000, points: 5000 }, concurrency = 1) => ({ hasToken, budgets: async () => budgets, concurrency });

describe('the history read through both budgets', () => {
  it('reads the newest pages through GraphQL and the oldest through REST, each commit once, and is whole', async () => {
    const server = historyServer({ graphql: upTo(450), rest: upTo(450), total: 450 });
    const read = await readHistory(context(memoryCache(), server.transport), ways(true, { rest: 3000, points: 2000 }));
    expect(read.complete).toBe(true);
    expect(read.commits.map((commit) => commit.sha)).toEqual(upTo(450).map(sha));
    // 5 pages, 2 of them (2,000 / 5,000 of what is left) through GraphQL: the head's and the next; 3 through REST.
    expect(server.asked.filter((what) => what.startsWith('graphql'))).toEqual(['graphql head', 'graphql after:100']);
    expect(server.asked.filter((what) => what.includes('/commits')).sort()).toEqual([3, 4, 5].map((page) => `/repos/o/r/commits?sha=${head}&per_page=100&page=${page}`));
  });

  it('with budget to spare, reads through GraphQL only the pages that keep pace with REST\'s, 4 at a time', async () => {
    const server = historyServer({ graphql: upTo(1000), rest: upTo(1000), total: 1000 });
    const read = await readHistory(context(memoryCache(), server.transport), ways(true, { rest: 5000, points: 5000 }, 4));
    expect(read.complete).toBe(true);
    expect(read.commits).toHaveLength(1000);
    // 10 pages: 2 one after the other through GraphQL while REST reads the other 8 side by side.
    expect(server.asked.filter((what) => what.startsWith('graphql'))).toEqual(['graphql head', 'graphql after:100']);
    expect(server.asked.filter((what) => what.includes('/commits'))).toHaveLength(8);
  });

  it('reads on through GraphQL where the two did not meet, then REST from its first page, until every commit is had', async () => {
    // REST lists the older commits in another order: its pages 3 and 4 hold 190–389, so 390–399 are on neither side of the split.
    const restOrder = [...upTo(200), ...upTo(200).map((index) => 190 + index), ...upTo(10).map((index) => 390 + index)];
    const server = historyServer({ graphql: upTo(400), rest: restOrder, total: 400 });
    const read = await readHistory(context(memoryCache(), server.transport), ways(true));
    // 2 pages each way (GraphQL 0–199, REST 190–389): short of the 400 GraphQL counts, GraphQL reads on until it has them.
    expect(read.complete).toBe(true);
    expect(new Set(read.commits.map((commit) => commit.sha)).size).toBe(400);
    expect(server.asked.filter((what) => what.startsWith('graphql'))).toEqual(['graphql head', 'graphql after:100', 'graphql after:200', 'graphql after:300']);

    // GraphQL ends short (it lists 350, not 200–249), and REST lists those first: REST's first pages are read too.
    const short = historyServer({ graphql: [...upTo(200), ...upTo(150).map((index) => 250 + index)], rest: [...upTo(50).map((index) => 200 + index), ...upTo(200), ...upTo(150).map((index) => 250 + index)], total: 400 });
    const whole = await readHistory(context(memoryCache(), short.transport), ways(true));
    expect(whole.complete).toBe(true);
    expect(short.asked.filter((what) => what.includes('/commits')).map((what) => new URL(what, apiUrl).searchParams.get('page') ?? '1').sort()).toEqual(['1', '2', '3', '4']);
  });

  it('is not whole, and says so, when both ways together hold fewer commits than the history has', async () => {
    const warnings: string[] = [];
    const server = historyServer({ graphql: upTo(290), rest: upTo(290), total: 300 });
    const read = await readHistory(context(memoryCache(), server.transport, warnings), ways(true));
    expect(read.complete).toBe(false);
    expect(read.commits).toHaveLength(290);
    expect(warnings).toEqual(["o/r: the default branch's history holds 300 commits, but only 290 could be read: co-authors are not counted whole"]);
  });

  it('asks nothing again once read, and a resumed read keeps the split it began with', async () => {
    const cache = memoryCache();
    const first = historyServer({ graphql: upTo(450), rest: upTo(450), total: 450 });
    await readHistory(context(cache, first.transport), ways(true, { rest: 3000, points: 2000 }));
    const again = historyServer({ graphql: upTo(450), rest: upTo(450), total: 450 });
    // What is left of the budgets has changed: the kept split stands, and every page is kept.
    const read = await readHistory(context(cache, again.transport), ways(true, { rest: 100, points: 4900 }));
    expect(read.commits).toHaveLength(450);
    expect(again.asked).toEqual([]);
  });

  it('reads through REST the pages GitHub finds too heavy for GraphQL, says so, and is whole', async () => {
    const warnings: string[] = [];
    const server = historyServer({ graphql: upTo(450), rest: upTo(450), total: 450 }, { rest: 5000, points: 5000 }, true);
    const read = await readHistory(context(memoryCache(), server.transport, warnings), ways(true));
    expect(read.complete).toBe(true);
    expect(read.commits).toHaveLength(450);
    // The head's query brought page 1; page 2 timed out, and again when asked once more: pages 2 to 5 through REST.
    expect(server.asked.filter((what) => what.startsWith('graphql'))).toEqual(['graphql head', 'graphql after:100 502', 'graphql after:100 502']);
    expect(server.asked.filter((what) => what.includes('/commits')).map((what) => new URL(what, apiUrl).searchParams.get('page')).sort()).toEqual(['2', '3', '4', '5']);
    expect(warnings).toEqual(['o/r: GitHub finds a page of the history too heavy to answer through GraphQL: reading the rest through REST']);
  });

  it('without a token, reads REST alone: the first page without a sha says the head', async () => {
    const server = historyServer({ graphql: [], rest: upTo(250), total: 250 });
    // The first page's first commit is the head: here, the commit 0 (the listing is its history).
    const read = await readHistory(context(memoryCache(), server.transport), ways(false));
    expect(read).toMatchObject({ complete: true });
    expect(read.commits).toHaveLength(250);
    expect(server.asked).toEqual(['/repos/o/r/commits?per_page=100', `/repos/o/r/commits?sha=${sha(0)}&per_page=100&page=2`, `/repos/o/r/commits?sha=${sha(0)}&per_page=100&page=3`]);
  });
});
