/**
 * The loopback GitHub is never kinder than GitHub: the 500-email link of `/contributors`, the
 * concurrency ceiling, cursor pagination, partial GraphQL data, GitHub's cost formula, heavy
 * queries that time out, and listings that end on a full page.
 */
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFacts } from './fixtures.js';
import { analyseQuery } from './graphql-cost.js';
import { loadGitHubSchema } from './graphql.js';
import { startFakeGitHub } from './server.js';
import type { FakeContributor, FakeGitHub, FakeGitHubOptions, FakeRepo } from './server.js';
import { links, sample, sampleServers, token } from './test-servers.js';

const repoPath = '/repos/octo-org/hello-world';
const start = sampleServers();
const auth = { authorization: `token ${token}` };

/** Every item of a listing, following `rel="next"` as a client must. */
async function walk<T>(url: string, headers: Record<string, string> = auth): Promise<{ items: T[]; urls: string[] }> {
  const items: T[] = [];
  const urls: string[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    urls.push(next);
    const response: Response = await fetch(next, { headers });
    expect(response.status).toBe(200);
    items.push(...((await response.json()) as T[]));
    next = links(response.headers.get('link'))['next'];
  }
  return { items, urls };
}

async function postGraphQL<T = unknown>(
  github: FakeGitHub,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; headers: Headers; body: { data?: T | null; errors?: Array<Record<string, unknown>> } }> {
  const response = await fetch(`${github.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: T | null; errors?: Array<Record<string, unknown>> } };
}

beforeAll(() => {
  loadGitHubSchema();
});

describe('/contributors links only the first 500 author emails', () => {
  // 499 accounts, an email-only committer (the 500th email), then two accounts past it.
  const contributors: FakeContributor[] = [
    ...Array.from({ length: 499 }, (_, index) => ({ login: `dev-${String(index)}`, contributions: 1000 - index })),
    { anonymous: true, name: 'No Account', email: 'none@example.com', contributions: 3 },
    { login: 'late-one', contributions: 700 },
    { login: 'late-two', contributions: 2, email: 'two@example.org', authorName: 'Late Two' },
  ];
  const repo: FakeRepo = { owner: 'o', name: 'many', contributors };

  it('serves accounts past the 500th email as Anonymous with anon=1, and not at all without', async () => {
    const github = await start({ users: [], repos: [repo] });
    const base = `${github.url}/repos/o/many/contributors?per_page=100`;
    const withAnonymous = (await walk<Record<string, unknown>>(`${base}&anon=1`)).items;
    expect(withAnonymous).toHaveLength(502);
    // Still sorted by contributions: late-one (700) is among the accounts, but anonymous.
    expect(withAnonymous.find((entry) => entry['name'] === 'late-one')).toEqual({
      email: 'late-one@users.noreply.github.com',
      name: 'late-one',
      type: 'Anonymous',
      contributions: 700,
    });
    expect(withAnonymous.filter((entry) => entry['type'] === 'Anonymous').map((entry) => entry['email'])).toEqual([
      'late-one@users.noreply.github.com',
      'none@example.com',
      'two@example.org',
    ]);
    expect(withAnonymous.some((entry) => entry['login'] === 'late-one' || entry['login'] === 'late-two')).toBe(false);

    const accounts = (await walk<Record<string, unknown>>(base)).items;
    expect(accounts).toHaveLength(499);
    expect(accounts.every((entry) => entry['type'] === 'User')).toBe(true);
  });

  it('computeFacts agrees: past the 500th email an account is known by its no-reply email, else by name only', () => {
    const facts = computeFacts([], repo);
    expect(facts.counts).toMatchObject({ contributors: 502, anonymousContributors: 3 });
    expect(facts.loginsByKind.code).toHaveLength(500);
    expect(facts.loginsByKind.code).toContain('late-one');
    expect(facts.nameOnly).toEqual(['Late Two', 'No Account']);
  });
});

describe('secondary rate limit: requests in flight at once', () => {
  it('refuses the requests past the ceiling with 403, GitHub’s message and retry-after, then lets them in', async () => {
    const github = await start({ maxConcurrentRequests: 2, concurrencyRetryAfterSeconds: 7 });
    const release = github.hold();
    const pending = Array.from({ length: 5 }, () => fetch(`${github.url}${repoPath}`, { headers: auth }));
    await github.arrived(5);
    release();
    const answers = await Promise.all(pending);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 403, 403, 403]);
    const refused = answers.find((answer) => answer.status === 403);
    expect(refused?.headers.get('retry-after')).toBe('7');
    // A secondary limit, not the primary one: budget left, and the refusals cost nothing.
    expect(Number(refused?.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ message: expect.stringMatching(/You have exceeded a secondary rate limit/) as unknown });
    expect(github.requests.filter((entry) => entry.status === 403).every((entry) => !entry.countedAgainstLimit)).toBe(true);
    // Once they are answered, there is room again; another token has room of its own.
    expect((await fetch(`${github.url}${repoPath}`, { headers: auth })).status).toBe(200);
  });

  it('counts REST and GraphQL together, per token', async () => {
    const github = await start({ maxConcurrentRequests: 1, concurrencyRetryAfterSeconds: null, tokens: [token, 'ghp_other'] });
    const release = github.hold();
    const slow = fetch(`${github.url}${repoPath}`, { headers: auth });
    await github.arrived(1);
    const graphql = await postGraphQL(github, '{ rateLimit { cost } }');
    const otherAnswer = fetch(`${github.url}${repoPath}`, { headers: { authorization: 'token ghp_other' } });
    await github.arrived(3);
    release();
    const other = await otherAnswer;
    expect(graphql.status).toBe(403);
    expect(graphql.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(graphql.headers.get('retry-after')).toBeNull();
    expect(other.status).toBe(200);
    expect((await slow).status).toBe(200);
  });

  it('lets 100 through at once by default, as GitHub, and refuses the 101st', async () => {
    const github = await start({});
    const release = github.hold();
    const pending = Array.from({ length: 101 }, () => fetch(`${github.url}${repoPath}`, { headers: auth }));
    await github.arrived(101);
    release();
    const answers = await Promise.all(pending);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(100);
    expect(answers.filter((answer) => answer.status === 403)).toHaveLength(1);
    expect(answers.find((answer) => answer.status === 403)?.headers.get('retry-after')).toBe('60');
  });
});

describe('cursor pagination', () => {
  const options: Partial<FakeGitHubOptions> = { cursorPagination: ['issues/comments', 'comments'] };

  it('pages by opaque after= cursors, with only next and prev links, to the same items as page numbers', async () => {
    const paged = await start();
    const cursored = await start(options);
    const byPage = await walk<{ id: number }>(`${paged.url}${repoPath}/issues/comments?per_page=30`);
    const byCursor = await walk<{ id: number }>(`${cursored.url}${repoPath}/issues/comments?per_page=30`);
    expect(byCursor.items.map((item) => item.id)).toEqual(byPage.items.map((item) => item.id));
    expect(byCursor.items).toHaveLength(sample.facts.counts.issueComments);
    for (const url of byCursor.urls.slice(1)) {
      expect(url).toMatch(/[?&]after=[A-Za-z0-9%]+/);
      expect(url).not.toMatch(/[?&]page=/);
    }

    const second = await fetch(byCursor.urls[1] ?? '', { headers: auth });
    const rels = links(second.headers.get('link'));
    expect(Object.keys(rels).sort()).toEqual(['next', 'prev']);
    // prev (?before=) leads back to the first page.
    const back = (await (await fetch(rels['prev'] ?? '', { headers: auth })).json()) as Array<{ id: number }>;
    expect(back.map((item) => item.id)).toEqual(byPage.items.slice(0, 30).map((item) => item.id));
  });

  it('keeps sort, direction and since, ignores page, and refuses a cursor it did not make', async () => {
    const github = await start(options);
    const query = 'sort=updated&direction=desc&since=2023-02-01T00:00:00Z&per_page=25';
    const walked = await walk<{ id: number; updated_at: string }>(`${github.url}${repoPath}/issues/comments?${query}`);
    const dates = walked.items.map((item) => item.updated_at);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates.every((date) => date >= '2023-02-01T00:00:00Z')).toBe(true);
    expect(new Set(walked.items.map((item) => item.id)).size).toBe(walked.items.length);
    expect(walked.urls[1]).toContain('since=2023-02-01');

    const pageOne = await (await fetch(`${github.url}${repoPath}/issues/comments?per_page=10`, { headers: auth })).json();
    const pageTwo = await (await fetch(`${github.url}${repoPath}/issues/comments?per_page=10&page=2`, { headers: auth })).json();
    expect(pageTwo).toEqual(pageOne);
    const bad = await fetch(`${github.url}${repoPath}/issues/comments?after=bm90LWEtY3Vyc29y`, { headers: auth });
    expect(bad.status).toBe(422);
    // Listings not named keep page numbers.
    const issues = await fetch(`${github.url}${repoPath}/issues?state=all`, { headers: auth });
    expect(links(issues.headers.get('link'))['last']).toContain('page=2');
  });

  it('finds activity added behind the last cursor', async () => {
    const github = await start(options);
    const before = await walk<{ id: number }>(`${github.url}${repoPath}/comments?per_page=100`);
    expect(links((await fetch(before.urls.at(-1) ?? '', { headers: auth })).headers.get('link'))['next']).toBeUndefined();
    github.addActivity('octo-org/hello-world', { commitComments: [{ author: 'late' }] });
    const after = await walk<{ id: number; user: { login: string } }>(`${github.url}${repoPath}/comments?per_page=2`);
    expect(after.items).toHaveLength(before.items.length + 1);
    expect(after.items.at(-1)?.user.login).toBe('late');
  });
});

describe('GraphQL partial data: a field the token may not see', () => {
  it('answers that field null with a FORBIDDEN error, and the rest of the data', async () => {
    const github = await start();
    github.addFault({ match: '/graphql', kind: 'forbidden', graphqlPath: ['u1'] });
    const query = 'query Names($a: String!, $b: String!, $c: String!) { u0: user(login: $a) { login } u1: user(login: $b) { login } u2: user(login: $c) { login } }';
    const answer = await postGraphQL<Record<string, unknown>>(github, query, { a: 'alice', b: 'bob', c: 'carol' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ u0: { login: 'alice' }, u1: null, u2: { login: 'carol' } });
    expect(answer.body.errors).toEqual([
      { type: 'FORBIDDEN', path: ['u1'], locations: [expect.any(Object) as unknown], message: 'Resource not accessible by personal access token' },
    ]);
    // Once (times: 1): the next answer is whole.
    expect((await postGraphQL(github, query, { a: 'alice', b: 'bob', c: 'carol' })).body.errors).toBeUndefined();
  });

  it('matches nested paths, `*` for any list index', async () => {
    const github = await start();
    github.addFault({ match: '/graphql', kind: 'forbidden', graphqlPath: ['repository', 'pullRequests', 'nodes', '*', 'reviews'], message: 'Resource not accessible by integration' });
    const answer = await postGraphQL<{ repository: { pullRequests: { nodes: Array<{ number: number; reviews: unknown }> } } }>(
      github,
      '{ repository(owner: "octo-org", name: "hello-world") { pullRequests(first: 3) { nodes { number reviews(first: 5) { totalCount } } } } }',
    );
    expect(answer.body.data?.repository.pullRequests.nodes.map((pull) => pull.reviews)).toEqual([null, null, null]);
    expect(answer.body.errors?.map((error) => [error['type'], error['path']])).toEqual([0, 1, 2].map((index) => ['FORBIDDEN', ['repository', 'pullRequests', 'nodes', index, 'reviews']]));
  });
});

describe('GraphQL cost, as GitHub documents it', () => {
  const { schema } = loadGitHubSchema();
  const analyse = (query: string): ReturnType<typeof analyseQuery> => {
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    return analyseQuery(schema, document, operation, {});
  };

  it('scores the documentation’s example 51 points (5,101 requests)', () => {
    // https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#calculating-a-rate-limit-score-before-running-the-call
    const cost = analyse(`query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`);
    expect(cost).toMatchObject({ requests: 5101, cost: 51, errors: [] });
  });

  it('counts the documentation’s 22,060 nodes', () => {
    // https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#node-limit
    const cost = analyse(`query { viewer { repositories(first: 50) { edges { repository:node { name
      pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
      issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } }
      followers(first: 10) { edges { follower:node { login } } } } }`);
    expect(cost.nodeCount).toBe(22_060);
  });

  it('counts each unique connection once, however many fragments select it; aliases are other connections', () => {
    const merged = analyse(`query { repository(owner: "o", name: "r") { pullRequests(first: 100) { nodes { ...A ...B } } } }
      fragment A on PullRequest { reviews(first: 100) { totalCount } }
      fragment B on PullRequest { reviews(first: 100) { nodes { state } } }`);
    expect(merged).toMatchObject({ requests: 101, cost: 1, nodeCount: 10_100 });
    const aliased = analyse(`query { repository(owner: "o", name: "r") { pullRequests(first: 100) { nodes {
      a: reviews(first: 100) { totalCount } b: reviews(first: 100) { totalCount } } } } }`);
    expect(aliased).toMatchObject({ requests: 201, cost: 2 });
    // Rounded to the nearest whole number, at least 1.
    expect(analyse('query { repository(owner: "o", name: "r") { pullRequests(first: 1) { totalCount } } }').cost).toBe(1);
  });
});

describe('GraphQL queries that would return too many nodes time out', () => {
  const heavy = `query Heavy { repository(owner: "octo-org", name: "hello-world") {
    pullRequests(first: 100) { nodes { reviews(first: 100) { totalCount } } } } }`;

  it('answers 502 with GitHub’s timeout body, every time, and charges the query', async () => {
    const github = await start({ graphqlTimeoutNodes: 10_000 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await postGraphQL(github, heavy);
      expect(answer.status).toBe(502);
      expect(answer.body.data).toBeNull();
      const requestId = answer.headers.get('x-github-request-id') ?? '';
      expect(answer.body.errors).toEqual([
        {
          message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${requestId}\` when reporting this issue.`,
        },
      ]);
      expect(answer.headers.get('x-ratelimit-used')).toBe(String(attempt + 1));
    }
    // 100 + 10,000 nodes is past the threshold; a lighter query is answered.
    const light = await postGraphQL(github, heavy.replace('reviews(first: 100)', 'reviews(first: 99)'));
    expect(light.status).toBe(200);
  });
});

describe('listings that end on a full page', () => {
  it('the sample’s issue comments fill their last page of 100, which has no next', async () => {
    expect(sample.facts.counts.issueComments % 100).toBe(0);
    const github = await start();
    const last = await fetch(`${github.url}${repoPath}/issues/comments?per_page=100&page=${String(sample.facts.counts.issueComments / 100)}`, { headers: auth });
    expect(await last.json()).toHaveLength(100);
    expect(Object.keys(links(last.headers.get('link'))).sort()).toEqual(['first', 'prev']);
  });

  it('addActivity adds items mid-test: one more comment opens a page of one', async () => {
    const github = await start();
    const pages = sample.facts.counts.issueComments / 100;
    github.addActivity('octo-org/hello-world', {
      issueComments: [{ author: 'newcomer', issueNumber: 1 }],
      reviewComments: [{ author: 'new-reviewer', pullNumber: 2 }],
    });
    const full = await fetch(`${github.url}${repoPath}/issues/comments?per_page=100&page=${String(pages)}`, { headers: auth });
    expect(links(full.headers.get('link'))['next']).toContain(`page=${String(pages + 1)}`);
    const extra = (await (await fetch(`${github.url}${repoPath}/issues/comments?per_page=100&page=${String(pages + 1)}`, { headers: auth })).json()) as Array<{ user: { login: string } }>;
    expect(extra.map((comment) => comment.user.login)).toEqual(['newcomer']);
    const reviewComments = (await walk<{ user: { login: string } | null; pull_request_url: string }>(`${github.url}${repoPath}/pulls/comments?per_page=100`)).items;
    expect(reviewComments).toHaveLength(sample.facts.counts.reviewComments + 1);
    expect(reviewComments.at(-1)).toMatchObject({ user: { login: 'new-reviewer' }, pull_request_url: expect.stringMatching(/\/pulls\/2$/) as unknown });
  });
});
