/**
 * Edges no other run reaches, each one a bug a user would notice: an item made exactly at --since,
 * a pull request with more than 100 reviews, more than 100 pull requests under --since, the wiki
 * under --since, GraphQL's limit met as a 200 with RATE_LIMITED, and a warm run over listings of
 * several pages. (A pass of hand-made mutations over src/ went unseen by the suite at each of them.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computeFacts, generateRepository } from '../fake-github/fixtures.js';
import type { Fixture } from '../fake-github/fixtures.js';
import type { FakeIssue, FakeRepo, FakeReview } from '../fake-github/types.js';
import { runCli } from './run-cli.js';
import { createWiki } from './wiki.js';
import { commentsQueries, peopleOf, startWorld, threadsOf, token } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** A repository of the given parts only (no users: every login is an unknown `User`). */
function fixtureOf(repo: Omit<FakeRepo, 'owner'>): Fixture {
  const whole: FakeRepo = { owner: 'edge-org', ...repo };
  return { users: [], repo: whole, facts: computeFacts([], whole) };
}

/** login (or name) → kinds, for every person in the report. */
function kindsByPerson(report: JsonReport): Record<string, string[]> {
  return Object.fromEntries(report.contributors.map((c) => [c.login ?? c.name ?? '', c.kinds]));
}

async function reportOf(current: World, args: readonly string[]): Promise<JsonReport> {
  const result = await runCli([current.fixture.facts.fullName, '--format', 'json', ...args], current.env);
  expect(result.stderr).not.toMatch(/warning|error/i);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** `count` pull requests by one author, an hour apart from 2020-01-01 (the fake's default dates). */
function pullRequests(count: number): FakeIssue[] {
  return Array.from({ length: count }, () => ({ author: 'pr-author', pullRequest: true }));
}

describe('--since', () => {
  it('counts what was made exactly at the date: it means on or after', async () => {
    const before = '2023-01-21T23:59:59Z';
    const at = '2023-01-22T00:00:00Z';
    world = await startWorld({
      fixture: fixtureOf({
        name: 'since',
        issues: [
          { author: 'early-issuer', createdAt: before },
          { author: 'early-author', pullRequest: true, createdAt: before },
          { author: 'boundary-issuer', createdAt: at },
          { author: 'boundary-author', pullRequest: true, createdAt: at },
        ],
        issueComments: [
          { author: 'early-commenter', issueNumber: 1, createdAt: before },
          { author: 'boundary-commenter', issueNumber: 3, createdAt: at },
        ],
        reviews: [
          { pullNumber: 2, author: 'early-reviewer', submittedAt: before },
          { pullNumber: 2, author: 'boundary-reviewer', submittedAt: at },
        ],
      }),
    });
    const report = await reportOf(world, ['--since', '2023-01-22', '--no-wiki', '--no-names']);
    expect(kindsByPerson(report)).toEqual({
      'boundary-author': ['pull-request'],
      'boundary-commenter': ['comment'],
      'boundary-issuer': ['issue'],
      'boundary-reviewer': ['review'],
    });
  });

  it("reads the wiki's history since the date too", async () => {
    world = await startWorld({ fixture: fixtureOf({ name: 'wiki', issues: [] }) });
    createWiki(world.serverDir, world.fixture.facts.fullName, [
      { name: 'Old Editor', email: 'old@example.org', date: '2023-01-01T12:00:00Z' },
      { name: 'Boundary Editor', email: 'boundary@example.org', date: '2023-01-22T00:00:00Z' },
      { name: 'New Editor', email: 'new@example.org', date: '2023-02-01T12:00:00Z' },
    ]);
    const report = await reportOf(world, ['--since', '2023-01-22', '--no-names']);
    expect(kindsByPerson(report)).toEqual({ 'Boundary Editor': ['wiki'], 'New Editor': ['wiki'] });
  });

  it('finds the reviews of pull requests past the first 100', async () => {
    world = await startWorld({
      fixture: fixtureOf({
        name: 'many-pulls',
        issues: pullRequests(150),
        reviews: [
          { pullNumber: 1, author: 'first-page-reviewer', submittedAt: '2020-01-01T06:00:00Z' },
          { pullNumber: 150, author: 'second-page-reviewer', submittedAt: '2020-01-08T06:00:00Z' },
        ],
      }),
    });
    const report = await reportOf(world, ['--since', '2019-12-31', '--no-wiki', '--no-names']);
    expect(kindsByPerson(report)).toEqual({ 'first-page-reviewer': ['review'], 'second-page-reviewer': ['review'], 'pr-author': ['pull-request'] });
    expect(report.contributors.find((c) => c.login === 'pr-author')?.counts['pull-request']).toBe(150);
  });
});

describe('reviews', () => {
  it('lists every reviewer of a pull request with more than 100 reviews', async () => {
    const reviewers = Array.from({ length: 130 }, (_, index) => `reviewer-${String(index + 1).padStart(3, '0')}`);
    const reviews: FakeReview[] = reviewers.map((author) => ({ pullNumber: 1, author, state: 'APPROVED' }));
    world = await startWorld({ fixture: fixtureOf({ name: 'busy-pull', issues: pullRequests(1), reviews }) });
    const report = await reportOf(world, ['--no-wiki', '--no-names']);
    expect(kindsByPerson(report)).toEqual({ 'pr-author': ['pull-request'], ...Object.fromEntries(reviewers.map((login) => [login, ['review']])) });
  });
});

describe("GraphQL's primary limit, met as a 200 with RATE_LIMITED", () => {
  /** Spends the token's GraphQL points elsewhere (another tool sharing it), one point a query. */
  async function spendGraphQLPoints(current: World, points: number): Promise<void> {
    for (let index = 0; index < points; index++) {
      const response = await fetch(`${current.github.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `bearer ${token}` },
        body: JSON.stringify({ query: '{ rateLimit { cost } }' }),
      });
      expect(response.status).toBe(200);
    }
  }

  it('stops with exit 75 and the GraphQL limit named, and the rerun after the reset finishes', async () => {
    // Points enough, once reset, for what the run asks of GraphQL with so few left: the history's head,
    // the reviews and the names (the comments and the rest of the history then go to REST).
    world = await startWorld({ rateLimit: { graphql: 3 } });
    const { facts } = world.fixture;
    await spendGraphQLPoints(world, 3);
    world.github.clearLog();
    const stopped = await runCli([facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(stopped.stderr).toMatch(/stopped by GitHub's GraphQL API rate limit/);
    expect(stopped.stderr).toMatch(/run the same command again then, and it resumes where it stopped/);
    expect(stopped.code).toBe(75);
    expect(stopped.stdout).toBe('');
    // The limit was met as GitHub answers a query it will not run: a 200 with RATE_LIMITED (the
    // history's head and the reviews may both have gone out before the run stopped).
    const queries = world.github.requests.filter((r) => r.operation).map((r) => `${r.status} ${String(r.countedAgainstLimit)}`);
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((query) => query === '200 false')).toBe(true);

    // (GET /rate_limit, free and never cached, is the cost planner's look at what is left now: a run
    // that weighs the comments' two ways asks it again, whatever was asked before.)
    const answered = new Set(world.github.requests.filter((r) => !r.operation && r.status === 200 && r.path !== '/rate_limit').map((r) => r.path));
    expect(answered.size).toBeGreaterThan(0);

    world.github.resetRateLimits();
    world.github.clearLog();
    const resumed = await runCli([facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(peopleOf(report)).toEqual({ logins: facts.logins, nameOnly: facts.nameOnly });
    expect(report.contributors.find((c) => c.login === 'approver-only')?.kinds).toEqual(['review']);
    // It resumed: what the stopped run was answered is not asked again.
    expect(world.github.requests.filter((r) => answered.has(r.path))).toEqual([]);
  });
});

describe('a warm run', () => {
  it('asks nothing and gives the same JSON report as the cold run, over listings of several pages', async () => {
    const fixture = generateRepository({ owner: 'warm', name: 'pages', issues: 150, pullRequests: 60, comments: 250, reviewComments: 250, commitComments: 10, people: 40, reviews: 80, seed: 23 });
    world = await startWorld({ fixture });
    const cold = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(cold.code).toBe(0);
    // The issues and the review comments take three pages or more, the history (for co-authors) more
    // still, through GraphQL and REST; the comments, asked per thread through GraphQL with a token,
    // two queries of 100 threads.
    const thirdPages = world.github.requests.filter((r) => /[?&]page=3\b/.test(r.path)).map((r) => r.path.replace(/\?.*/, ''));
    expect(thirdPages.filter((path) => !path.endsWith('/commits')).sort()).toEqual(['/repos/warm/pages/issues', '/repos/warm/pages/pulls/comments']);
    expect(world.github.requests.filter((r) => r.operation === 'History').length).toBeGreaterThan(0);
    expect(world.github.requests.filter((r) => r.path.includes('/commits?sha=')).length).toBeGreaterThan(0);
    const threads = threadsOf(fixture);
    expect(threads.size).toBeGreaterThan(100);
    expect(world.github.requests.filter((r) => r.operation === 'Comments')).toHaveLength(commentsQueries(threads.values()));
    expect(peopleOf(JSON.parse(cold.stdout) as JsonReport)).toEqual({ logins: fixture.facts.logins, nameOnly: fixture.facts.nameOnly });

    world.github.clearLog();
    const warm = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(warm.code).toBe(0);
    expect(JSON.parse(warm.stdout)).toEqual(JSON.parse(cold.stdout));
    expect(world.github.requests.map((r) => r.path)).toEqual([]);
  });
});
