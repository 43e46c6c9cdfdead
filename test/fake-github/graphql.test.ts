import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateRepository } from './fixtures.js';
import { loadGitHubSchema } from './graphql.js';
import { sample, sampleServers, token } from './test-servers.js';
import type { FakeGitHub } from './server.js';


/** The queries octohatrack sends, verbatim. */
const reviewsQuery = `query Reviews($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        reviews(first: 100) {
          pageInfo { hasNextPage endCursor }
          nodes { author { __typename login } submittedAt }
        }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}`;
const moreReviewsQuery = `query MoreReviews($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { author { __typename login } submittedAt }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}`;
/** The Names query for `count` logins: `query Names($l0: String!, …) { u0: user(login: $l0) { login name } … }`. */
function namesQuery(count: number): string {
  const indices = Array.from({ length: count }, (_, index) => index);
  return [
    `query Names(${indices.map((index) => `$l${String(index)}: String!`).join(', ')}) {`,
    ...indices.map((index) => `  u${String(index)}: user(login: $l${String(index)}) { login name }`),
    '  rateLimit { cost remaining resetAt }',
    '}',
  ].join('\n');
}

interface Actor {
  __typename: string;
  login: string;
}
interface ReviewNode {
  author: Actor | null;
  submittedAt: string;
}
interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface ReviewConnection {
  pageInfo: PageInfo;
  nodes: ReviewNode[];
}
interface ReviewsData {
  repository: {
    pullRequests: { pageInfo: PageInfo; nodes: Array<{ number: number; reviews: ReviewConnection }> };
  } | null;
  rateLimit: { cost: number; remaining: number; resetAt: string };
}
interface MoreReviewsData {
  repository: { pullRequest: { reviews: ReviewConnection } | null } | null;
  rateLimit: { cost: number; remaining: number; resetAt: string };
}
interface GitHubError {
  type?: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
  message: string;
}
interface GraphQLBody<T> {
  data?: T | null;
  errors?: GitHubError[];
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: GraphQLBody<T>;
}

const start = sampleServers();

async function post<T>(
  github: FakeGitHub,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string | null; path?: string } = {},
): Promise<Answer<T>> {
  const sent = options.token === undefined ? token : options.token;
  const response = await fetch(`${github.url}${options.path ?? '/graphql'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sent === null ? {} : { authorization: `bearer ${sent}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody<T> };
}

/** The REST spelling of a GraphQL author: bots gain `[bot]`, deleted accounts are `ghost`. */
function restLogin(author: Actor | null): string {
  if (author === null) return 'ghost';
  return author.__typename === 'Bot' ? `${author.login}[bot]` : author.login;
}

beforeAll(() => {
  // Built once per process; measured here so the report shows it.
  // How long it takes is for `npm run bench`: a test makes no claim on time.
  const { buildMs } = loadGitHubSchema();
  console.log(`GitHub GraphQL schema built in ${buildMs.toFixed(0)} ms`);
});

describe('GraphQL endpoint, sample repository', () => {
  let github: FakeGitHub;
  const owner = 'octo-org';
  const name = 'hello-world';

  beforeAll(async () => {
    github = await start();
  });
  beforeEach(() => {
    github.clearLog();
    github.resetRateLimits();
  });

  describe('authentication', () => {
    it('answers 401 without a token, as GitHub does, with a graphql limit of 0', async () => {
      const answer = await post(github, '{ rateLimit { cost } }', {}, { token: null });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        message: 'This endpoint requires you to be authenticated.',
        documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      });
      expect(answer.headers.get('x-ratelimit-resource')).toBe('graphql');
      expect(answer.headers.get('x-ratelimit-limit')).toBe('0');
      expect(github.requests[0]).toMatchObject({ method: 'POST', path: '/graphql', status: 401, countedAgainstLimit: false });
    });

    it('answers 401 Bad credentials to an unknown token, like REST', async () => {
      const answer = await post(github, '{ rateLimit { cost } }', {}, { token: 'ghp_wrong' });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ message: 'Bad credentials' });
    });

    it('also serves /api/graphql (GitHub Enterprise Server) and refuses GET', async () => {
      const answer = await post<{ rateLimit: { cost: number } }>(github, '{ rateLimit { cost } }', {}, { path: '/api/graphql' });
      expect(answer.status).toBe(200);
      expect(answer.body.data?.rateLimit.cost).toBe(1);
      expect((await fetch(`${github.url}/graphql`, { headers: { authorization: `bearer ${token}` } })).status).toBe(404);
    });
  });

  describe('parsing and validation against GitHub’s schema', () => {
    it('answers 200 with errors and no data to a syntax error', async () => {
      const answer = await post(github, '{ repository(owner: "octo-org", name: "hello-world") { name ');
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors?.[0]?.message).toMatch(/Syntax Error/);
      expect(answer.body.errors?.[0]?.locations?.[0]).toMatchObject({ line: 1 });
      expect(github.requests[0]?.countedAgainstLimit).toBe(false);
    });

    it('refuses a field GitHub does not have, in GitHub’s words', async () => {
      // PullRequestReview has an `author`, not a `login`: a plausible slip that GitHub refuses.
      const query = `query Slip($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          pullRequests(first: 10) { nodes { reviews(first: 10) { nodes { login } } } }
        }
      }`;
      const answer = await post(github, query, { owner, name });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([
        {
          path: ['query Slip', 'repository', 'pullRequests', 'nodes', 'reviews', 'nodes', 'login'],
          extensions: { code: 'undefinedField', typeName: 'PullRequestReview', fieldName: 'login' },
          locations: [{ line: 3, column: 74 }],
          message: "Field 'login' doesn't exist on type 'PullRequestReview'",
        },
      ]);
      expect(github.requests[0]).toMatchObject({ operation: 'Slip', countedAgainstLimit: false });
    });

    it('refuses a missing required variable', async () => {
      const answer = await post(github, moreReviewsQuery, { owner, name });
      expect(answer.body.errors?.[0]).toMatchObject({
        message: 'Variable $number of type Int! was provided invalid value',
        extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
      });
    });

    it('accepts the three queries octohatrack sends, unchanged', async () => {
      const reviews = await post<ReviewsData>(github, reviewsQuery, { owner, name, after: null });
      expect(reviews.body.errors).toBeUndefined();
      const more = await post<MoreReviewsData>(github, moreReviewsQuery, { owner, name, number: 2, after: null });
      expect(more.body.errors).toBeUndefined();
      const names = await post(github, namesQuery(2), { l0: 'alice', l1: 'bob' });
      expect(names.body.errors).toBeUndefined();
      expect(github.requests.map((entry) => entry.operation)).toEqual(['Reviews', 'MoreReviews', 'Names']);
    });
  });

  describe('data', () => {
    it('lists every submitted review of the sample, as the facts say', async () => {
      const answer = await post<ReviewsData>(github, reviewsQuery, { owner, name, after: null });
      const pulls = answer.body.data?.repository?.pullRequests;
      expect(pulls?.pageInfo.hasNextPage).toBe(false);
      expect(pulls?.nodes.map((pull) => pull.number)).toEqual(
        sample.repo.issues?.flatMap((issue, index) => (issue.pullRequest === true ? [index + 1] : [])),
      );
      const reviews = pulls?.nodes.flatMap((pull) => pull.reviews.nodes) ?? [];
      expect(reviews).toHaveLength(sample.facts.counts.reviews);
      expect([...new Set(reviews.map((review) => restLogin(review.author)))].sort()).toEqual(
        [...sample.facts.loginsByKind.review].sort(),
      );
      expect(sample.facts.loginsByKind.review).toContain('approver-only');
      expect(sample.facts.loginsByKind.review).toContain('ghost');
    });

    it('gives deleted accounts `author: null`', async () => {
      const answer = await post<MoreReviewsData>(github, moreReviewsQuery, { owner, name, number: 11, after: null });
      expect(answer.body.data?.repository?.pullRequest?.reviews.nodes[0]?.author).toBeNull();
      const pull = await post<{ repository: { pullRequest: { author: Actor | null } } }>(
        github,
        '{ repository(owner: "octo-org", name: "hello-world") { pullRequest(number: 17) { author { login } } } }',
      );
      expect(pull.body.data?.repository.pullRequest.author).toBeNull();
    });

    it('spells a bot’s login without [bot], with __typename Bot', async () => {
      const answer = await post<{ repository: { pullRequest: { author: Actor & { url: string } } } }>(
        github,
        `{ repository(owner: "octo-org", name: "hello-world") {
            pullRequest(number: 8) { author { __typename login ... on Bot { url } } } } }`,
      );
      expect(answer.body.data?.repository.pullRequest.author).toEqual({
        __typename: 'Bot',
        login: 'dependabot',
        url: 'https://github.com/apps/dependabot',
      });
    });

    it('batches users by alias: bots, organizations and unknown logins are NOT_FOUND', async () => {
      const logins = ['alice', 'dependabot', 'dependabot[bot]', 'octo-org', 'EVIL-NAME', 'nobody-at-all'];
      const variables = Object.fromEntries(logins.map((login, index) => [`l${String(index)}`, login]));
      type Names = Record<string, { login: string; name: string | null } | null> & { rateLimit: { cost: number } };
      const answer = await post<Names>(github, namesQuery(logins.length), variables);
      expect(answer.status).toBe(200);
      const data = answer.body.data;
      expect(data?.['u0']).toEqual({ login: 'alice', name: 'Alice Liddell' });
      expect(data?.['u4']).toEqual({ login: 'evil-name', name: sample.facts.displayNames['evil-name'] });
      for (const alias of ['u1', 'u2', 'u3', 'u5']) expect(data?.[alias]).toBeNull();
      expect(data?.rateLimit.cost).toBe(1);
      expect(answer.body.errors).toEqual(
        [1, 2, 3, 5].map((index) => ({
          type: 'NOT_FOUND',
          path: [`u${String(index)}`],
          locations: [{ line: index + 2, column: 3 }],
          message: `Could not resolve to a User with the login of '${String(logins[index])}'.`,
        })),
      );
    });

    it('finds repositories case-insensitively and under former names; unknown ones are NOT_FOUND', async () => {
      const renamed = await post<ReviewsData>(github, reviewsQuery, { owner: 'OCTO-ORG', name: 'hello-world-old', after: null });
      expect(renamed.body.data?.repository?.pullRequests.nodes.length).toBe(sample.facts.counts.pullRequests);
      const missing = await post<ReviewsData>(github, reviewsQuery, { owner, name: 'missing', after: null });
      expect(missing.body.data?.repository).toBeNull();
      expect(missing.body.data?.rateLimit.cost).toBe(1);
      expect(missing.body.errors).toEqual([
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 2, column: 3 }],
          message: "Could not resolve to a Repository with the name 'octo-org/missing'.",
        },
      ]);
    });

    it('pages with opaque cursors, edges and totalCount; a foreign cursor is INVALID_CURSOR_ARGUMENTS', async () => {
      type Page = {
        repository: {
          pullRequests: {
            totalCount: number;
            pageInfo: PageInfo & { hasPreviousPage: boolean; startCursor: string | null };
            edges: Array<{ cursor: string; node: { number: number } }>;
          };
        } | null;
      };
      const query = `query Page($after: String) { repository(owner: "octo-org", name: "hello-world") {
        pullRequests(first: 4, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
          totalCount pageInfo { hasNextPage endCursor hasPreviousPage startCursor } edges { cursor node { number } } } } }`;
      const first = (await post<Page>(github, query)).body.data?.repository?.pullRequests;
      expect(first?.totalCount).toBe(sample.facts.counts.pullRequests);
      expect(first?.edges.map((edge) => edge.node.number)).toEqual([44, 41, 38, 35]);
      expect(first?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first?.pageInfo.endCursor).toBe(first?.edges.at(-1)?.cursor);
      expect(Buffer.from(first?.pageInfo.endCursor ?? '', 'base64').toString('base64')).toBe(first?.pageInfo.endCursor);
      const second = (await post<Page>(github, query, { after: first?.pageInfo.endCursor })).body.data?.repository?.pullRequests;
      expect(second?.edges.map((edge) => edge.node.number)).toEqual([32, 29, 26, 23]);
      expect(second?.pageInfo.hasPreviousPage).toBe(true);

      const invalid = await post<Page>(github, query, { after: 'not-a-cursor' });
      expect(invalid.body.data).toEqual({ repository: null });
      expect(invalid.body.errors?.[0]).toMatchObject({
        type: 'INVALID_CURSOR_ARGUMENTS',
        path: ['repository', 'pullRequests'],
        message: '`not-a-cursor` does not appear to be a valid cursor.',
      });
    });
  });

  describe('node limits', () => {
    it('refuses first > 100 with EXCESSIVE_PAGINATION, before running anything', async () => {
      const query = `{ repository(owner: "octo-org", name: "hello-world") {
        pullRequests(first: 101) { nodes { number } } } }`;
      const answer = await post(github, query);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        errors: [
          {
            type: 'EXCESSIVE_PAGINATION',
            path: ['repository', 'pullRequests'],
            locations: [{ line: 2, column: 9 }],
            message: 'Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.',
          },
        ],
      });
      expect(github.requests[0]?.countedAgainstLimit).toBe(false);
      const last = await post(github, '{ repository(owner: "o", name: "n") { pullRequests(last: 250) { nodes { number } } } }');
      expect(last.body.errors?.[0]?.message).toBe(
        'Requesting 250 records on the `pullRequests` connection exceeds the `last` limit of 100 records.',
      );
    });

    it('refuses a connection without first/last (MISSING_PAGINATION_BOUNDARIES), unless it asks only totalCount', async () => {
      const missing = await post(github, '{ repository(owner: "octo-org", name: "hello-world") { pullRequests { nodes { number } } } }');
      expect(missing.body.errors?.[0]).toMatchObject({
        type: 'MISSING_PAGINATION_BOUNDARIES',
        path: ['repository', 'pullRequests'],
        message: 'You must provide a `first` or `last` value to properly paginate the `pullRequests` connection.',
      });
      const counted = await post<{ repository: { pullRequests: { totalCount: number } } }>(
        github,
        '{ repository(owner: "octo-org", name: "hello-world") { pullRequests { totalCount } } }',
      );
      expect(counted.body.data?.repository.pullRequests.totalCount).toBe(sample.facts.counts.pullRequests);
    });

    it('refuses a query that may return more than 500,000 nodes', async () => {
      const query = `{ repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 100) { nodes {
        reviews(first: 100) { nodes { comments(first: 100) { nodes { id } } } } } } } }`;
      const answer = await post(github, query);
      expect(answer.body).toEqual({
        errors: [
          {
            type: 'MAX_NODE_LIMIT_EXCEEDED',
            message:
              'By the time this query traverses to the comments connection, it is requesting up to 1,000,000 possible nodes which exceeds the maximum limit of 500,000.',
          },
        ],
      });
    });
  });

  describe('rate limit', () => {
    it('charges GitHub’s cost in a graphql bucket of its own, with headers and rateLimit', async () => {
      const first = await post<ReviewsData>(github, reviewsQuery, { owner, name, after: null });
      expect(first.headers.get('x-ratelimit-resource')).toBe('graphql');
      expect(first.headers.get('x-ratelimit-limit')).toBe('5000');
      expect(first.headers.get('x-ratelimit-used')).toBe('1');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('4999');
      // 1 request for pullRequests + 100 for the reviews of 100 pull requests = 101 → 1 point.
      expect(first.body.data?.rateLimit).toMatchObject({ cost: 1, remaining: 4999 });
      const reset = Number(first.headers.get('x-ratelimit-reset'));
      expect(first.body.data?.rateLimit.resetAt).toBe(new Date(reset * 1000).toISOString().replace('.000Z', 'Z'));

      // 1 + 100 + 100 × 100 = 10,101 requests → 101 points; nodeCount 100 + 10,000 + 100,000.
      const heavy = await post<{ rateLimit: { cost: number; nodeCount: number; used: number } }>(
        github,
        `query Heavy { repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 100) { nodes {
          reviews(first: 100) { nodes { comments(first: 10) { totalCount } } } } } }
          rateLimit { cost nodeCount used } }`,
      );
      expect(heavy.body.data?.rateLimit).toEqual({ cost: 101, nodeCount: 110_100, used: 102 });
      expect(heavy.body.errors?.[0]?.message).toMatch(/^fake-github does not implement PullRequestReview\.comments/);
      expect(heavy.headers.get('x-ratelimit-used')).toBe('102');
      expect(github.requests.map((entry) => [entry.operation, entry.cost, entry.countedAgainstLimit])).toEqual([
        ['Reviews', 1, true],
        ['Heavy', 101, true],
      ]);

      // The REST bucket is untouched, and /rate_limit reports both.
      const rest = await fetch(`${github.url}/rate_limit`, { headers: { authorization: `token ${token}` } });
      const resources = ((await rest.json()) as { resources: Record<string, { used: number; resource: string }> }).resources;
      expect(resources['core']?.used).toBe(0);
      expect(resources['graphql']).toMatchObject({ used: 102, resource: 'graphql' });
    });

    it('a dry run costs the query without charging it', async () => {
      const answer = await post<{ rateLimit: { cost: number; remaining: number } }>(
        github,
        '{ repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 100) { totalCount } } rateLimit(dryRun: true) { cost remaining } }',
      );
      expect(answer.body.data?.rateLimit).toEqual({ cost: 1, remaining: 5000 });
      expect(answer.headers.get('x-ratelimit-used')).toBe('0');
    });
  });

  describe('faults', () => {
    it('applies secondary-limit and status faults to /graphql', async () => {
      github.addFault({ match: '/graphql', kind: 'secondary', retryAfterSeconds: 30 });
      const secondary = await post(github, '{ rateLimit { cost } }');
      expect(secondary.status).toBe(403);
      expect(secondary.headers.get('retry-after')).toBe('30');
      expect(secondary.headers.get('x-ratelimit-resource')).toBe('graphql');
      expect(secondary.body).toMatchObject({ message: expect.stringMatching(/secondary rate limit/) as unknown });

      github.addFault({ match: '/graphql', kind: 'status', status: 502 });
      const timeout = await post(github, '{ rateLimit { cost } }');
      expect(timeout.status).toBe(502);
      expect(timeout.body.data).toBeNull();
      expect(timeout.body.errors?.[0]?.message).toMatch(/^Something went wrong while executing your query/);

      expect((await post(github, '{ rateLimit { cost } }')).status).toBe(200);
    });
  });
});

describe('GraphQL rate limit exhaustion', () => {
  it('answers 200 with RATE_LIMITED and remaining 0, charges nothing, and leaves REST alone', async () => {
    const github = await start({ rateLimit: { graphql: 3 } });
    const query = '{ rateLimit { cost remaining used limit } }';
    for (let index = 0; index < 3; index++) expect((await post(github, query)).status).toBe(200);
    const refused = await post(github, query);
    expect(refused.status).toBe(200);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([{ type: 'RATE_LIMITED', message: expect.stringMatching(/^API rate limit exceeded for user ID \d+\.$/) as unknown }]);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-used')).toBe('3');
    expect(github.requests.at(-1)).toMatchObject({ status: 200, countedAgainstLimit: false, cost: 1 });

    const rest = await fetch(`${github.url}/repos/octo-org/hello-world`, { headers: { authorization: `token ${token}` } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-ratelimit-resource')).toBe('core');

    github.resetRateLimits();
    const again = await post<{ rateLimit: { remaining: number } }>(github, query);
    expect(again.body.data?.rateLimit.remaining).toBe(2);
  });

  it('refuses a query that costs more than what is left', async () => {
    const github = await start({ rateLimit: { graphql: 50 } });
    const heavy = `{ repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 100) { nodes {
      reviews(first: 100) { nodes { author { login } } } } } }
      a: repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 100) { nodes {
      b: reviews(first: 60) { totalCount } c: reviews(first: 60) { totalCount } } } } }`;
    // 1 + 100 + 1 + 100 + 100 = 302 requests → 3 points; fine. Then the bucket is made nearly empty.
    expect((await post(github, heavy)).body.errors).toBeUndefined();
    for (let index = 0; index < 46; index++) await post(github, '{ rateLimit { cost } }');
    const refused = await post(github, heavy);
    expect(refused.body.errors?.[0]?.type).toBe('RATE_LIMITED');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await post(github, '{ rateLimit { cost } }')).status).toBe(200);
  });
});

describe('GraphQL reviews over many pages', () => {
  // 230 pull requests (three pages of 100); two of them with 230 reviews (three pages each).
  const world = generateRepository({
    owner: 'paging-org',
    name: 'busy',
    issues: 20,
    pullRequests: 230,
    comments: 0,
    reviewComments: 0,
    commitComments: 0,
    people: 60,
    reviews: 1500,
    maxReviewsPerPull: 230,
    busyPulls: 2,
    seed: 5,
  });
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await start({ users: world.users, repos: [world.repo] });
  });

  it('walks every review as a client would: pullRequests pages, then MoreReviews for long review lists', async () => {
    const variables = { owner: 'paging-org', name: 'busy' };
    const seen: ReviewNode[] = [];
    const unfinished: Array<{ number: number; after: string | null }> = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const answer: Answer<ReviewsData> = await post<ReviewsData>(github, reviewsQuery, { ...variables, after });
      expect(answer.body.errors).toBeUndefined();
      const connection = answer.body.data?.repository?.pullRequests;
      if (connection === undefined) throw new Error('no pullRequests');
      pages++;
      for (const pull of connection.nodes) {
        seen.push(...pull.reviews.nodes);
        if (pull.reviews.pageInfo.hasNextPage) unfinished.push({ number: pull.number, after: pull.reviews.pageInfo.endCursor });
      }
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after !== null);
    expect(pages).toBe(3);

    const busy = world.repo.issues?.flatMap((issue, index) => (issue.pullRequest === true ? [index + 1] : [])).slice(0, 2);
    expect(unfinished.map((entry) => entry.number)).toEqual(busy);
    for (const entry of unfinished) {
      const sizes: number[] = [];
      let cursor: string | null = entry.after;
      while (cursor !== null) {
        const answer: Answer<MoreReviewsData> = await post<MoreReviewsData>(github, moreReviewsQuery, {
          ...variables,
          number: entry.number,
          after: cursor,
        });
        expect(answer.body.data?.rateLimit.cost).toBe(1);
        const reviews = answer.body.data?.repository?.pullRequest?.reviews;
        if (reviews === undefined) throw new Error('no reviews');
        sizes.push(reviews.nodes.length);
        seen.push(...reviews.nodes);
        cursor = reviews.pageInfo.hasNextPage ? reviews.pageInfo.endCursor : null;
      }
      expect(sizes).toEqual([100, 30]);
    }

    const facts = world.facts;
    expect(seen).toHaveLength(facts.counts.reviews);
    expect([...new Set(seen.map((review) => restLogin(review.author)))].sort()).toEqual([...facts.loginsByKind.review].sort());
    expect(seen.some((review) => review.author?.__typename === 'Bot' && !review.author.login.endsWith('[bot]'))).toBe(true);
    expect(seen.map((review) => review.submittedAt).sort()).toEqual(
      facts.contributions.filter((entry) => entry.kind === 'review').map((entry) => entry.at).sort(),
    );
  });
});

describe('GraphQL comments of issues and pull requests', () => {
  const commentsQuery = `query Comments($owner: String!, $name: String!, $issue: Int!, $pull: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    issue(number: $issue) { comments(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { author { __typename login } createdAt } } }
    pullRequest(number: $pull) { comments(first: 100) { totalCount nodes { author { __typename login } } } }
  }
  rateLimit { cost }
}`;
  interface CommentsData {
    repository: {
      issue: { comments: { totalCount: number; pageInfo: PageInfo; nodes: Array<{ author: Actor | null; createdAt: string }> } };
      pullRequest: { comments: { totalCount: number; nodes: Array<{ author: Actor | null }> } };
    };
    rateLimit: { cost: number };
  }

  it('lists a conversation oldest first, page by page, as the REST listing holds it; new ones too', async () => {
    const github = await start();
    const comments = sample.repo.issueComments ?? [];
    const onIssue = (number: number): number => comments.filter((comment) => comment.issueNumber === number).length;
    const issue = (sample.repo.issues ?? []).findIndex((candidate, index) => !candidate.pullRequest && onIssue(index + 1) > 2) + 1;
    const pull = (sample.repo.issues ?? []).findIndex((candidate, index) => candidate.pullRequest === true && onIssue(index + 1) > 0) + 1;
    expect(issue).toBeGreaterThan(0);
    expect(pull).toBeGreaterThan(0);
    const variables = { owner: 'octo-org', name: 'hello-world', issue, pull, after: null as string | null };

    const seen: string[] = [];
    let first: CommentsData | null = null;
    for (;;) {
      const answer = await post<CommentsData>(github, commentsQuery, variables);
      expect(answer.body.errors).toBeUndefined();
      const data = answer.body.data as CommentsData;
      first ??= data;
      seen.push(...data.repository.issue.comments.nodes.map((node) => node.createdAt));
      if (!data.repository.issue.comments.pageInfo.hasNextPage) break;
      variables.after = data.repository.issue.comments.pageInfo.endCursor;
    }
    expect(first?.repository.issue.comments.totalCount).toBe(onIssue(issue));
    expect(seen).toHaveLength(onIssue(issue));
    expect([...seen].sort()).toEqual(seen);
    expect(first?.repository.pullRequest.comments.totalCount).toBe(onIssue(pull));
    // Two connections, each of at most 100: 1 + 1 requests, 1 point.
    expect(first?.rateLimit.cost).toBe(1);

    github.addActivity('octo-org/hello-world', { issueComments: [{ author: 'late-commenter', issueNumber: pull }] });
    const later = await post<CommentsData>(github, commentsQuery, { ...variables, after: null });
    const authors = (later.body.data as CommentsData).repository.pullRequest.comments.nodes.map((node) => restLogin(node.author));
    expect(authors.at(-1)).toBe('late-commenter');
    expect(authors).toHaveLength(onIssue(pull) + 1);
  });

  it('finds an issue and a pull request opened after an earlier query, with their comments', async () => {
    const github = await start();
    const opened = `query Opened($owner: String!, $name: String!, $issue: Int!, $pull: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $issue) { comments(first: 100) { nodes { author { __typename login } } } }
    pullRequest(number: $pull) { comments(first: 100) { nodes { author { __typename login } } } }
  }
}`;
    interface OpenedData {
      repository: { issue: { comments: { nodes: Array<{ author: Actor | null }> } } | null; pullRequest: { comments: { nodes: Array<{ author: Actor | null }> } } | null };
    }
    const count = (sample.repo.issues ?? []).length;
    const variables = { owner: 'octo-org', name: 'hello-world', issue: count + 1, pull: count + 2 };
    // Asked before they exist: not found (the repository's issues are looked up by number once).
    const before = await post<OpenedData>(github, opened, variables);
    expect(before.body.errors?.map((error) => error.type)).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    github.addActivity('octo-org/hello-world', {
      issues: [{ author: 'new-issuer' }, { author: 'new-author', pullRequest: true }],
      issueComments: [
        { author: 'issue-commenter', issueNumber: count + 1 },
        { author: 'pull-commenter', issueNumber: count + 2 },
      ],
    });
    const after = await post<OpenedData>(github, opened, variables);
    expect(after.body.errors).toBeUndefined();
    const repository = (after.body.data as OpenedData).repository;
    expect(repository.issue?.comments.nodes.map((node) => restLogin(node.author))).toEqual(['issue-commenter']);
    expect(repository.pullRequest?.comments.nodes.map((node) => restLogin(node.author))).toEqual(['pull-commenter']);
  });
});

describe('GraphQL discussions', () => {
  const users = [{ login: 'alice' }, { login: 'helper[bot]', type: 'Bot' as const }];
  const repo = {
    owner: 'octo-org',
    name: 'forum',
    issues: [{ author: 'alice' }],
    discussions: [
      { author: 'alice', comments: [{ author: 'helper[bot]', replies: Array.from({ length: 3 }, () => ({ author: null })) }, { author: null }] },
      { author: null },
    ],
  };
  const query = `query Forum($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    hasDiscussionsEnabled
    discussions(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount nodes { number updatedAt author { __typename login } comments { totalCount } } }
    discussion(number: $number) { comments(first: 100) { nodes { id author { __typename login } replies(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { author { __typename login } } } } } }
  }
  rateLimit { cost }
}`;
  interface ForumData {
    repository: {
      hasDiscussionsEnabled: boolean;
      discussions: { totalCount: number; nodes: Array<{ number: number; updatedAt: string; author: Actor | null; comments: { totalCount: number } }> };
      discussion: { comments: { nodes: Array<{ id: string; author: Actor | null; replies: { totalCount: number; pageInfo: PageInfo; nodes: Array<{ author: Actor | null }> } }> } };
    };
    rateLimit: { cost: number };
  }
  const repliesQuery = `query Replies($id: ID!, $after: String) {
  node(id: $id) { ... on DiscussionComment { replies(first: 100, after: $after) { nodes { author { __typename login } } } } }
}`;

  it('serves discussions, their comments and replies (paged, by node id too), sharing numbers with issues', async () => {
    const { startFakeGitHub } = await import('./server.js');
    const github = await startFakeGitHub({ users, repos: [repo], tokens: [token] });
    try {
      const answer = await post<ForumData>(github, query, { owner: 'octo-org', name: 'forum', number: 2, after: null });
      expect(answer.body.errors).toBeUndefined();
      const data = answer.body.data as ForumData;
      expect(data.repository.hasDiscussionsEnabled).toBe(true);
      expect(data.repository.discussions.nodes.map((node) => [node.number, restLogin(node.author), node.comments.totalCount])).toEqual([
        [2, 'alice', 2],
        [3, 'ghost', 0],
      ]);
      const [first] = data.repository.discussion.comments.nodes;
      expect(restLogin(first?.author ?? null)).toBe('helper[bot]');
      expect(first?.replies).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      // 100 + 100 × 2 nodes possible; connections: discussions 1, comments 100 (totalCount), discussion comments 1, replies 100.
      expect(data.rateLimit.cost).toBe(2);

      const rest = await post<{ node: { replies: { nodes: Array<{ author: Actor | null }> } } }>(github, repliesQuery, { id: first?.id, after: first?.replies.pageInfo.endCursor });
      expect(rest.body.data?.node.replies.nodes.map((node) => restLogin(node.author))).toEqual(['ghost']);

      // A new reply moves the discussion's updatedAt.
      const before = data.repository.discussions.nodes[0]?.updatedAt;
      github.addActivity('octo-org/forum', { discussionReplies: [{ author: 'alice', discussionNumber: 2, commentIndex: 1 }] });
      const later = (await post<ForumData>(github, query, { owner: 'octo-org', name: 'forum', number: 2, after: null })).body.data as ForumData;
      expect(later.repository.discussions.nodes[0]?.updatedAt).not.toBe(before);

      const missing = await post<ForumData>(github, query, { owner: 'octo-org', name: 'forum', number: 1, after: null });
      expect(missing.body.errors?.map((error) => [error.type, error.message])).toEqual([['NOT_FOUND', 'Could not resolve to a Discussion with the number of 1.']]);
      const rendered = (await (await fetch(`${github.url}/repos/octo-org/forum`, { headers: { authorization: `token ${token}` } })).json()) as { has_discussions: boolean };
      expect(rendered.has_discussions).toBe(true);
    } finally {
      await github.close();
    }
  });
});
