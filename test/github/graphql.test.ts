import { describe, expect, it } from 'vitest';
import { CliError, RateLimitedError } from '../../src/errors.js';
import { createGraphQL } from '../../src/github/graphql.js';
import type { GraphQLOperation } from '../../src/github/helper.js';
import { HttpStatusError, QueryTooHeavyError, ShapeError } from '../../src/github/helper.js';
import type { MemoOptions } from '../../src/github/memo.js';
import type { Answer } from './support.js';
import { anything, apiUrl, memoryCache, rateLimitHeaders, scripted, testMemo, testStart } from './support.js';

const reviews: GraphQLOperation = { name: 'reviews', query: 'query($n: Int!) { node { id } }', variables: { n: 1 }, cacheKey: '/repos/o/r/graphql/reviews?pr=1' };
const answer = { data: { node: { id: 'R1' } } };

function graphql(answers: Answer | Answer[], overrides: Partial<MemoOptions> & { graphqlUrl?: string } = {}) {
  const transport = scripted({ '/graphql': answers, '/api/graphql': answers });
  const memo = testMemo(transport, overrides);
  const post = createGraphQL({ apiUrl, graphqlUrl: overrides.graphqlUrl, gate: memo.gate, memo, events: {} });
  return { post, transport, stats: memo.gate.stats };
}

describe('postGraphQL of a query the caller can split', () => {
  const timeout = { status: 502, errorBody: { data: null, errors: [{ message: 'Something went wrong while executing your query. This may be the result of a timeout.' }] } };

  it('hands a 502 back at once as too heavy, instead of asking the same again', async () => {
    const cache = memoryCache();
    const { post, transport } = graphql([timeout, { status: 200, json: answer }], { cache });
    await expect(post({ ...reviews, splittable: true }, anything)).rejects.toBeInstanceOf(QueryTooHeavyError);
    expect(transport.calls).toHaveLength(1);
    expect(cache.entries.size).toBe(0);
  });

  it('takes a refusal for more than 500,000 nodes as too heavy', async () => {
    const refused = { status: 200, json: { errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: 'By the time this query traverses to the reviews connection, it is requesting up to 1,000,000 possible nodes which exceeds the maximum limit of 500,000.' }] } };
    await expect(graphql(refused).post({ ...reviews, splittable: true }, anything)).rejects.toBeInstanceOf(QueryTooHeavyError);
    await expect(graphql(refused).post(reviews, anything)).rejects.toThrow('refused reviews: By the time');
  });

  it('asks a query that cannot be split again after a 502, as any request', async () => {
    const { post, transport } = graphql([timeout, { status: 200, json: answer }]);
    expect(await post(reviews, anything)).toEqual(answer);
    expect(transport.calls).toHaveLength(2);
  });
});

describe('postGraphQL', () => {
  it('posts the query and its variables, hands the whole answer to the shape, and keeps it under its key', async () => {
    const cache = memoryCache();
    const { post, transport, stats } = graphql({ status: 200, json: answer }, { cache });
    expect(await post(reviews, anything)).toEqual(answer);
    expect(transport.calls[0]).toMatchObject({ url: `${apiUrl}/graphql`, method: 'POST', body: { query: reviews.query, variables: { n: 1 } } });
    expect(cache.entries.get('/repos/o/r/graphql/reviews?pr=1')?.body).toEqual(answer);
    expect(await post(reviews, anything)).toEqual(answer);
    expect(transport.calls).toHaveLength(1);
    expect(stats).toMatchObject({ requests: 1, cacheHits: 1 });
  });

  it("goes to GitHub Enterprise Server's own endpoint when told", async () => {
    const { post, transport } = graphql({ status: 200, json: answer }, { graphqlUrl: `${apiUrl}/api/graphql` });
    await post(reviews, anything);
    expect(transport.paths()).toEqual(['/api/graphql']);
  });

  it('an answer with no data at all is a clear error, and is not kept', async () => {
    const cache = memoryCache();
    const refused = { status: 200, json: { errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a node with the global id of 'x'" }] } };
    const { post } = graphql(refused, { cache });
    const error = await post(reviews, anything).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 1, message: "GitHub's GraphQL API refused reviews: Could not resolve to a node with the global id of 'x'" });
    await expect(graphql({ status: 200, json: { data: null } }).post(reviews, anything)).rejects.toThrow('refused reviews: no data in the answer');
    expect(cache.entries.size).toBe(0);
  });

  it('partial data comes with its errors to the shape, which decides', async () => {
    const partial = { data: { node: null }, errors: [{ type: 'FORBIDDEN', path: ['node'], message: 'Resource not accessible' }] };
    const seen: unknown[] = [];
    expect(await graphql({ status: 200, json: partial }).post(reviews, (body) => (seen.push(body), 'ok'))).toBe('ok');
    expect(seen).toEqual([partial]);
    const strict = () => {
      throw new ShapeError('node is null');
    };
    await expect(graphql({ status: 200, json: partial }).post(reviews, strict)).rejects.toThrow(`GitHub sent an unexpected response for ${apiUrl}/graphql (reviews): node is null`);
  });

  it('another status is an HttpStatusError naming the operation; a body that is not JSON a CliError', async () => {
    await expect(graphql({ status: 502 }).post(reviews, anything)).rejects.toThrow(/answered 502 .* 3 times/);
    const forbidden = graphql({ status: 403, errorBody: { message: 'Resource not accessible by integration' } });
    const error = await forbidden.post(reviews, anything).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 403, url: `${apiUrl}/graphql (reviews)`, githubMessage: 'Resource not accessible by integration' });
    await expect(graphql({ status: 200, text: '<html>' }).post(reviews, anything)).rejects.toThrow(/not JSON for .*\/graphql \(reviews\)/);
  });

  it('asks again once --max-age is past, but an `immutable` answer is used whatever its age, even under --refresh', async () => {
    const cache = memoryCache();
    cache.entries.set('/repos/o/r/graphql/reviews?pr=1', { fetchedAt: 0, body: { data: { node: { id: 'old' } } } });
    const refresh = { cache, maxAgeMs: 0, now: () => 120_000 };
    const immutable = graphql({ status: 200, json: answer }, refresh);
    expect(await immutable.post({ ...reviews, immutable: true }, anything)).toEqual({ data: { node: { id: 'old' } } });
    expect(immutable.transport.calls).toHaveLength(0);
    const usual = graphql({ status: 200, json: answer }, refresh);
    expect(await usual.post(reviews, anything)).toEqual(answer);
    expect(usual.transport.calls).toHaveLength(1);
  });

  it('an answer with no cache key is not kept whole', async () => {
    const cache = memoryCache();
    const { post, transport } = graphql({ status: 200, json: answer }, { cache });
    await post({ ...reviews, cacheKey: null }, anything);
    await post({ ...reviews, cacheKey: null }, anything);
    expect(cache.entries.size).toBe(0);
    expect(transport.calls).toHaveLength(2);
  });

  it('a RATE_LIMITED answer stops the run like the primary limit (exit 75)', async () => {
    const rateLimited = { status: 200, headers: rateLimitHeaders(testStart, 0, 60, 'graphql'), json: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } };
    await expect(graphql(rateLimited, { now: () => testStart }).post(reviews, anything)).rejects.toBeInstanceOf(RateLimitedError);
  });
});
