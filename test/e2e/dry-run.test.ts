/**
 * `--dry-run`: the estimate of what a run asks GitHub, per source and minus what the cache holds,
 * against the rate limits left — checked against what the run then actually asks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import type { RequestLogEntry } from '../fake-github/server.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

interface SourceEstimate {
  source: string;
  api: string;
  requests: number;
  cached: number;
  checks: number;
  note?: string;
}

interface Bucket {
  toAsk: number;
  cost: number;
  remaining: number | null;
  limit: number | null;
  finishesInOneGo: boolean | null;
  resets: number;
}

interface JsonEstimate {
  repositories: Array<{ fullName: string; sources: SourceEstimate[] }>;
  names: SourceEstimate | null;
  rest: Bucket;
  graphql: Bucket | null;
  finishesInOneGo: boolean;
  budget: { value: number; of: string; perHour: number; hours: number };
  spent: { requests: number; graphqlPoints: number };
}

/** Within 10% of the actual count (SPEC §2, issue 6). */
function expectWithinTenPercent(estimated: number, actual: number, what: string): void {
  expect(Math.abs(estimated - actual), `${what}: estimated ${estimated}, actual ${actual}`).toBeLessThanOrEqual(Math.ceil(actual * 0.1));
}

const counted = (requests: readonly RequestLogEntry[]) => requests.filter((r) => r.path !== '/rate_limit');

describe('--dry-run', () => {
  it('estimates what a run asks within 10%, fetching only the first page of each listing', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'estimate', issues: 2000, pullRequests: 800, comments: 6000, reviewComments: 700, commitComments: 120, people: 400, reviews: 900, seed: 21 });
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--no-wiki'];

    // Cold: what a run costs from nothing, against a run that caches nothing.
    const dry = await runCli([...args, '--dry-run', '--format', 'json'], world.env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const estimate = JSON.parse(dry.stdout) as JsonEstimate;
    const looked = counted(world.github.requests);
    // The repository, the first page of each of the 6 REST listings (the issue events too), the 100
    // busiest threads (how long the longest are, for the cost planner), the pull requests' count and
    // the history's head with its first page (GraphQL).
    expect(looked.map((r) => r.path).filter((p) => /[?&]page=/.test(p))).toEqual([]);
    expect(looked.map((r) => r.path)).toContainEqual(expect.stringMatching(/\/issues\?state=all&sort=comments&direction=desc&per_page=100$/));
    expect(looked).toHaveLength(10);
    expect(estimate.spent).toEqual({ requests: 8, graphqlPoints: 2 });
    const sources = [...(estimate.repositories[0]?.sources ?? []), ...(estimate.names ? [estimate.names] : [])];
    // With a token, comments are read thread by thread through GraphQL: fewer points than REST pages.
    const comments = sources.find((s) => s.source === 'comments');
    expect(comments?.api).toBe('graphql');
    const coldEstimate = sources.reduce((sum, s) => sum + s.requests, 0);
    world.github.clearLog();
    const uncached = await runCli([...args, '--no-cache'], world.env);
    expect(uncached.code).toBe(0);
    const coldActual = counted(world.github.requests).length;
    expectWithinTenPercent(coldEstimate, coldActual, 'a run from an empty cache');
    const commentQueries = world.github.requests.filter((r) => r.operation === 'Comments').length;
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments'))).toEqual([]);
    expectWithinTenPercent(comments?.requests ?? 0, commentQueries, 'comments through GraphQL');

    // What is left to ask after the dry run (its first pages are cached), against the run that follows.
    world.github.clearLog();
    const run = await runCli(args, world.env);
    expect(run.code).toBe(0);
    const restActual = counted(world.github.requests).filter((r) => !r.operation).length;
    const graphqlActual = world.github.requests.filter((r) => r.operation).length;
    expectWithinTenPercent(estimate.rest.toAsk, restActual, 'REST requests after the dry run');
    expectWithinTenPercent(estimate.rest.toAsk + (estimate.graphql?.toAsk ?? 0), restActual + graphqlActual, 'all requests after the dry run');
    expect(estimate.finishesInOneGo).toBe(true);
    // Both budgets are spent side by side: the run costs the larger. The history (for co-authors, 100
    // pages) is a small part of what is left of either: GraphQL's pages, one after the other, keep
    // pace with REST's, 4 at a time (20 and 80).
    expect(sources.find((s) => s.source === 'co-authors')?.note).toMatch(/: 20 pages through GraphQL, 80 through REST$/);
    const points = estimate.graphql?.cost ?? 0;
    const rest = estimate.rest.cost;
    const larger = Math.max(rest, points);
    expect(estimate.budget).toEqual({ value: larger, of: points > rest ? 'GraphQL points' : 'REST requests', perHour: 5000, hours: larger / 5000 });

    // Warm: nothing left to ask of REST, and nothing asked to find that out.
    world.github.clearLog();
    const warm = await runCli([...args, '--dry-run'], world.env);
    expect(warm.code).toBe(0);
    expect(counted(world.github.requests)).toEqual([]);
    expect(warm.stdout).toMatch(/^REST API: 0 requests to ask; [\d,]+ of 5,000 left, resets at .+ \(in .+\)\.$/m);
    expect(warm.stdout).toMatch(/^ {2}issues and pull requests +28 +28 +0$/m);
    expect(warm.stdout).toContain('This dry run asked GitHub nothing: what it needed was in the cache.');
    expect(warm.stdout).toMatch(/^It finishes in one go\.$/m);
    // Nothing of GraphQL either: the threads, reviews, history and names are all kept.
    expect(warm.stdout).toMatch(/^GraphQL API: 0 points to ask; /m);
    expect(warm.stdout).toMatch(/^Budget: 0 REST requests, the larger of the two: about 0 s of one token's 5,000 an hour\.$/m);
  });

  it('with --since, asks for the first pages the run asks for, dates included, and the run does not ask again', async () => {
    world = await startWorld();
    const args = [world.fixture.facts.fullName, '--no-wiki', '--since', '2020-01-01'];
    const dry = await runCli([...args, '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    const looked = counted(world.github.requests).map((r) => r.path);
    expect(looked).toContainEqual(expect.stringMatching(/\/commits\?since=2020-01-01T00%3A00%3A00Z&per_page=100$/));
    expect(looked).toContainEqual(expect.stringMatching(/\/issues\/comments\?.*since=2020-01-01T00%3A00%3A00Z/));
    world.github.clearLog();
    expect((await runCli(args, world.env)).code).toBe(0);
    const asked = world.github.requests.map((r) => r.path);
    // (GraphQL's count of pull requests and /rate_limit are the dry run's own questions.)
    for (const path of looked.filter((p) => p.startsWith('/repos/'))) expect(asked).not.toContain(path);
  });

  it('counts no check of an old contributors list or CONTRIBUTORS file when nothing was pushed since', async () => {
    const fixture = generateRepository({ owner: 'quiet', name: 'estimate', issues: 300, pullRequests: 100, comments: 600, reviewComments: 50, commitComments: 20, people: 150, reviews: 100, seed: 23 });
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--no-wiki'];
    expect((await runCli(args, world.env)).code).toBe(0);
    // Answers two hours old: stale for --max-age 1h. Those the dry run asks again are then fresh
    // for the run, however long the dry run takes.
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const dry = await runCli([...args, '--dry-run', '--format', 'json', '--max-age', '1h'], world.env);
    expect(dry.code).toBe(0);
    const sources = JSON.parse(dry.stdout) as JsonEstimate;
    const of = (source: string) => sources.repositories[0]?.sources.find((s) => s.source === source);
    expect(of('code contributors')).toMatchObject({ requests: 1, cached: 1, checks: 0 });
    expect(of('CONTRIBUTORS files')).toMatchObject({ requests: 2, cached: 2, checks: 0 });
    expect(of('repository')).toMatchObject({ checks: 0 });

    world.github.clearLog();
    const run = await runCli([...args, '--max-age', '1h'], world.env);
    expect(run.code).toBe(0);
    expect(world.github.requests.filter((r) => /\/(contributors|contents)\b/.test(r.path))).toEqual([]);
    expect(world.github.requests.filter((r) => !r.operation)).toHaveLength(sources.rest.toAsk);
  });

  it('without a token, where names cost a request each, estimates within 10% too', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'anonymous', issues: 2000, pullRequests: 800, comments: 6000, reviewComments: 700, commitComments: 120, people: 400, seed: 22 });
    world = await startWorld({ fixture, anonymous: true, rateLimit: { anonymous: 5000 } });
    const args = [fixture.facts.fullName, '--no-wiki'];
    const dry = await runCli([...args, '--dry-run', '--format', 'json'], world.env);
    expect(dry.code).toBe(0);
    const estimate = JSON.parse(dry.stdout) as JsonEstimate;
    expect(estimate.graphql).toBeNull();
    world.github.clearLog();
    const run = await runCli(args, world.env);
    expect(run.code).toBe(0);
    const names = world.github.requests.filter((r) => r.path.startsWith('/users/')).length;
    expect(names).toBeGreaterThan(250);
    expectWithinTenPercent((estimate.names?.requests ?? 0) - (estimate.names?.cached ?? 0), names, 'names, one request each');
    expectWithinTenPercent(estimate.rest.toAsk, world.github.requests.length, 'REST requests after the dry run');
  });

  it('says how many resets a run waits through when the limit is too small, as the run then does', async () => {
    // Comments are read through GraphQL here (a separate budget): the REST listings left must outrun the limit.
    const generated = generateRepository({ owner: 'busy', name: 'limited', issues: 1800, pullRequests: 200, comments: 1000, reviewComments: 100, commitComments: 50, people: 100, seed: 5 });
    // One commit: a history of thousands (73 pages, for co-authors) would be most of what is asked.
    const fixture = { ...generated, repo: { ...generated.repo, commits: [{ message: 'Initial commit', authorName: 'person-00001', authorEmail: 'person-00001@users.noreply.github.com' }] } };
    // Windows of 5 s (real time: the run sleeps through one): long enough that the dry run and the
    // run's first requests fit in one on a loaded machine, where a 1 s window reset by itself.
    world = await startWorld({ fixture, rateLimit: { authenticated: 16, windowSeconds: 5 } });
    const args = [fixture.facts.fullName, '--no-wiki', '--no-names'];
    const dry = await runCli([...args, '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    // 8 left and 21 to ask, 16 a window: one reset (GitHub's windows are an hour: `about 1 h` is the wait there).
    expect(dry.stdout).toMatch(/^It does not finish in one go: it waits through about 1 reset of the REST API limit \(about .+\)\.$/m);
    expect(dry.stdout).toContain('With --wait-for-reset it waits them out by itself. Without it, it stops (exit code 75) when the');
    expect(dry.stdout).toMatch(/^REST API: 21 requests to ask; 8 of 16 left, resets at /m);

    const run = await runCli([...args, '--wait-for-reset'], world.env);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/REST API primary rate limit: waiting/g), run.stderr).toHaveLength(1);
  });

  it('weighs comments through GraphQL against the REST listing by what is left of each budget, as the run does', async () => {
    // Long threads (Zipf): a few hold over 100 comments, the busiest far more.
    const fixture = generateRepository({ owner: 'chatty', name: 'threads', issues: 300, pullRequests: 100, comments: 8000, commentSpread: 'zipf', reviewComments: 50, commitComments: 10, people: 200, reviews: 100, seed: 31 });
    const perIssue = new Map<number, number>();
    for (const comment of fixture.repo.issueComments ?? []) perIssue.set(comment.issueNumber ?? 0, (perIssue.get(comment.issueNumber ?? 0) ?? 0) + 1);
    const busiest = Math.max(...perIssue.values());
    expect(busiest).toBeGreaterThan(300);
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--no-wiki', '--no-names'];
    const dry = await runCli([...args, '--dry-run', '--format', 'json'], world.env);
    expect(dry.code).toBe(0);
    const comments = (JSON.parse(dry.stdout) as JsonEstimate).repositories[0]?.sources.find((s) => s.source === 'comments');
    // 80 pages of the REST listing, the first already fetched (and cached) by the dry run.
    expect(comments).toMatchObject({ api: 'graphql', note: expect.stringContaining(`the longest ${busiest.toLocaleString('en-US')} comments; instead of 79 REST requests`) as unknown });
    world.github.clearLog();
    expect((await runCli(args, world.env)).code).toBe(0);
    const queries = world.github.requests.filter((r) => r.operation === 'Comments').length;
    // A round per two pages of the busiest thread (one from each end): the rounds are what the estimate must get right.
    expect(queries).toBeGreaterThanOrEqual(Math.ceil(busiest / 200));
    expectWithinTenPercent(comments?.requests ?? 0, queries, 'comments through GraphQL');
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments'))).toEqual([]);
  });

  it('keeps comments on the REST listing where what is left of the GraphQL budget is too little for them', async () => {
    const fixture = generateRepository({ owner: 'chatty', name: 'spent', issues: 300, pullRequests: 100, comments: 8000, commentSpread: 'zipf', reviewComments: 50, commitComments: 10, people: 200, reviews: 100, seed: 31 });
    // 40 points an hour: the reviews' 1 and the dry run's count fit; the threads' rounds would not.
    world = await startWorld({ fixture, rateLimit: { graphql: 40 } });
    const args = [fixture.facts.fullName, '--no-wiki', '--no-names'];
    const dry = await runCli([...args, '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}comments +80 +1 +79 +GraphQL would take about \d+ points$/m);
    world.github.clearLog();
    const run = await runCli([...args, '--format', 'json'], world.env);
    expect(run.code).toBe(0);
    expect(world.github.requests.filter((r) => r.operation === 'Comments')).toEqual([]);
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments?'))).toHaveLength(80 - 1);
    const report = JSON.parse(run.stdout) as { contributors: Array<{ counts: Record<string, number> }> };
    expect(report.contributors.reduce((sum, c) => sum + (c.counts['comment'] ?? 0), 0)).toBe(8000);
  });

  it('on a warm cache estimates nothing to ask, names included, as the run then asks nothing', async () => {
    world = await startWorld();
    const args = [world.fixture.facts.fullName, '--no-wiki'];
    expect((await runCli(args, world.env)).code).toBe(0);
    const dry = await runCli([...args, '--dry-run', '--format', 'json'], world.env);
    expect(dry.code, dry.stderr).toBe(0);
    const estimate = JSON.parse(dry.stdout) as JsonEstimate;
    expect(estimate.names?.requests).toBeGreaterThan(0);
    expect(estimate.names?.cached).toBe(estimate.names?.requests);
    expect(estimate.rest.cost).toBe(0);
    expect(estimate.graphql?.cost).toBe(0);
    world.github.clearLog();
    expect((await runCli(args, world.env)).code).toBe(0);
    expect(counted(world.github.requests)).toEqual([]);
  });

  it('without a token, says when names alone take more than an hour, with the range, and how to do without', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'named', issues: 2000, pullRequests: 800, comments: 6000, reviewComments: 700, commitComments: 120, people: 400, seed: 22 });
    world = await startWorld({ fixture, anonymous: true, rateLimit: { anonymous: 100 } });
    const dry = await runCli([fixture.facts.fullName, '--no-wiki', '--dry-run'], world.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^names +~[\d,]+ +0 +~[\d,]+ +about [\d,]+ people( \(up to [\d,]+\))?, 1 request each$/m);
    expect(dry.stdout).toMatch(/Display names alone take about [\d,]+ requests \(up to [\d,]+\), 1 a person: more than an hour of the\n100 an hour without a token\. Add --no-names to go without them, or set a token \(then 100 names a query\)\./);
    // With --no-names, nothing to say.
    expect((await runCli([fixture.facts.fullName, '--no-wiki', '--no-names', '--dry-run'], world.env)).stdout).not.toMatch(/Display names alone/);
  });

  it('without a token: reviews skipped, names one request each, and how to get a token', async () => {
    world = await startWorld({ anonymous: true, rateLimit: { anonymous: 13 } });
    const dry = await runCli([world.fixture.facts.fullName, '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}reviews \(GraphQL\) +0 +0 +0 +skipped: GraphQL needs a token$/m);
    expect(dry.stdout).toMatch(/^names +~\d+ +0 +~\d+ +about \d+ people( \(up to \d+\))?, 1 request each$/m);
    expect(dry.stdout).toMatch(/^It does not finish in one go: it waits through about 1 reset of the REST API limit/m);
    expect(dry.stdout).toContain('Without a token the REST limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=$(gh auth token)');
    // Nothing of GraphQL was asked without a token.
    expect(world.github.requests.filter((r) => r.operation)).toEqual([]);
  });
});
