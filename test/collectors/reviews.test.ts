import { describe, expect, it } from 'vitest';
import { reviewsQuery, shapeReviewsByNumber } from '../../src/collectors/reviews.js';

const connection = (logins: string[], more: string | null = null): unknown => ({
  pageInfo: { hasNextPage: more !== null, endCursor: more },
  nodes: logins.map((login) => ({ author: { __typename: login.endsWith('-bot') ? 'Bot' : 'User', login }, submittedAt: '2024-01-01T00:00:00Z' })),
});

describe('the reviews of pull requests by number', () => {
  it('asks for each pull request under an alias of its own, named by a variable', () => {
    const query = reviewsQuery(3);
    expect(query).toContain('query Reviews($owner: String!, $name: String!, $p0: Int!, $p1: Int!, $p2: Int!)');
    expect(query).toContain('p2: pullRequest(number: $p2) { ...reviews }');
    expect(query).not.toContain('p3:');
  });

  it('reads each alias back as the pull request it was asked for', () => {
    const answer = { data: { repository: { p0: { reviews: connection(['alice', 'ci-bot']) }, p1: { reviews: connection(['bob'], 'cursor-1') } } } };
    const pulls = shapeReviewsByNumber([42, 7])(answer);
    expect([...pulls.keys()]).toEqual([42, 7]);
    expect(pulls.get(42)?.authors.map((a) => a.author)).toEqual([
      { login: 'alice', type: 'User' },
      { login: 'ci-bot[bot]', type: 'Bot' },
    ]);
    expect(pulls.get(7)?.more).toBe('cursor-1');
  });

  it('takes a pull request GitHub cannot resolve as one without reviews', () => {
    const answer = {
      data: { repository: { p0: null, p1: { reviews: connection(['bob']) } } },
      errors: [{ type: 'NOT_FOUND', path: ['repository', 'p0'], message: 'Could not resolve to a PullRequest with the number of 9.' }],
    };
    const pulls = shapeReviewsByNumber([9, 10])(answer);
    expect(pulls.get(9)).toEqual({ authors: [], profiles: [], more: null });
    expect(pulls.get(10)?.authors).toHaveLength(1);
  });

  it('refuses an answer that leaves a pull request out, or nulls it for another reason', () => {
    expect(() => shapeReviewsByNumber([1, 2])({ data: { repository: { p0: { reviews: connection([]) } } } })).toThrow(/pull request 2 is missing from the answer/);
    const timedOut = { data: { repository: { p0: null } }, errors: [{ type: 'TIMEOUT', path: ['repository', 'p0'], message: 'timeout' }] };
    expect(() => shapeReviewsByNumber([1])(timedOut)).toThrow(/pull request 1 is missing from the answer/);
    expect(() => shapeReviewsByNumber([1])({ data: { repository: { pullRequests: 'none' } } })).toThrow(/missing/);
  });
});
