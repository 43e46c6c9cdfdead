/**
 * Larger repositories: listings beyond GitHub's pagination depth, walked in `since` windows; and
 * what GraphQL costs for reviews and names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { peopleOf, startWorld, threadsOf } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});


/** Requests, less GET /rate_limit (free: the cost planner's look at what is left, no page of anything). */
const counted = (requests: ReadonlyArray<{ path: string }>): number => requests.filter((r) => r.path !== '/rate_limit').length;

const total = (report: JsonReport, kind: string): number => report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);

describe('the largest repositories', () => {
  it('walks listings GitHub stops paginating in since-windows, and counts them whole', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'repo', issues: 450, pullRequests: 150, comments: 900, reviewComments: 320, commitComments: 50, people: 300, reviews: 200, seed: 7 });
    // GitHub stops at about 40,000 items; here at 250, so that the issues, the review comments and
    // (without a token, below) the comments listings need windows.
    world = await startWorld({ fixture, paginationLimit: 250, rateLimit: { anonymous: 5000 } });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.stderr).not.toMatch(/warning/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(peopleOf(report)).toEqual({ logins: fixture.facts.logins, nameOnly: fixture.facts.nameOnly });
    expect(total(report, 'issue')).toBe(fixture.facts.counts.issues);
    expect(total(report, 'pull-request')).toBe(fixture.facts.counts.pullRequests);
    expect(total(report, 'comment')).toBe(fixture.facts.counts.issueComments);
    expect(total(report, 'review')).toBe(fixture.facts.counts.reviews);
    const windows = world.github.requests.filter((r) => /[?&]since=/.test(r.path));
    expect(windows.length).toBeGreaterThan(0);
    expect(world.github.requests.filter((r) => r.status === 422).length).toBeGreaterThan(0);
    expect(windows.every((r) => r.path.includes('sort=updated') && r.path.includes('direction=asc'))).toBe(true);
    const windowed = (requests: ReadonlyArray<{ path: string }>): string[] => [...new Set(requests.filter((r) => /[?&]since=/.test(r.path)).map((r) => r.path.replace(/\?.*/, '')))].sort();
    expect(windowed(world.github.requests)).toEqual(['/repos/big/repo/issues', '/repos/big/repo/pulls/comments']);
    expect(total(report, 'review-comment')).toBe(fixture.facts.counts.reviewComments);

    // GitHub's 422 for a page past its depth is remembered like an answer: a warm run asks nothing.
    world.github.clearLog();
    const warm = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(warm.stdout).toBe(result.stdout);
    expect(world.github.requests).toEqual([]);

    // With a token, the comments were asked per thread through GraphQL; without one, from their REST
    // listing, which needs windows too, and counts them all the same.
    const { GH_TOKEN: _token, ...anonymousEnv } = world.env;
    const anonymous = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--no-cache'], anonymousEnv);
    expect(anonymous.code).toBe(0);
    expect(windowed(world.github.requests)).toEqual(['/repos/big/repo/issues', '/repos/big/repo/issues/comments', '/repos/big/repo/pulls/comments']);
    expect(total(JSON.parse(anonymous.stdout) as JsonReport, 'comment')).toBe(fixture.facts.counts.issueComments);
  });

  it('a refresh after more changed than GitHub pages through goes on in windows, counted whole, and stays whole', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'busy', issues: 500, pullRequests: 0, comments: 0, reviewComments: 0, commitComments: 0, people: 120, reviews: 0, seed: 17 });
    world = await startWorld({ fixture, paginationLimit: 250 });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'issue,comment'];
    expect((await runCli(args, world.env)).code).toBe(0);
    // 400 old issues commented on: more changed since the last run than GitHub pages through (here
    // 250). In four seconds, 100 a second: windows start at a second, and GitHub's items are not all
    // updated in the same one.
    for (const second of [0, 1, 2, 3]) {
      world.github.setClockOffsetMs(second * 1000);
      world.github.addActivity(fixture.facts.fullName, { issueComments: Array.from({ length: 100 }, (_, index) => ({ author: index % 2 ? 'late-commenter' : 'other-late', issueNumber: 1 + second * 100 + index })) });
    }
    ageCache(world.cacheDir, 2 * hourMs);
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.stderr).not.toMatch(/warning/);
    const report = JSON.parse(refreshed.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(refreshed.stdout).toBe((await runCli([...args, '--no-cache'], world.env)).stdout);
    // And the run after it, within --max-age, is whole too, asking nothing of the issues.
    world.github.clearLog();
    const again = await runCli(args, world.env);
    expect(again.stdout).toBe(refreshed.stdout);
    expect(world.github.requests.filter((r) => r.path.includes('/issues?'))).toEqual([]);
  });

  it('reports a listing it cannot window as incomplete, and goes on', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'repo', issues: 20, pullRequests: 5, comments: 20, reviewComments: 5, commitComments: 320, people: 40, seed: 3 });
    world = await startWorld({ fixture, paginationLimit: 250 });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    // 250 items reachable at 100 a page: 3 pages, 300 items.
    expect(result.stderr).toMatch(/warning: big\/repo: GitHub stops listing commit comments after 300 items; the rest could not be reached/);
    expect((JSON.parse(result.stdout) as JsonReport).complete).toBe(false);
  });

  it('goes on without code contributors when GitHub says the list is too large', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'history', issues: 30, pullRequests: 10, comments: 40, reviewComments: 0, commitComments: 0, people: 20, seed: 5 });
    world = await startWorld({ fixture: { ...fixture, repo: { ...fixture.repo, contributorsTooLarge: true } } });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: big\/history: GitHub says the contributor list is too large to list; code contributors are left out/);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.complete).toBe(false);
    expect(report.contributors.some((c) => c.kinds.includes('code'))).toBe(false);
    expect(total(report, 'issue')).toBe(fixture.facts.counts.issues);
  });

  it('with a token, 1,000 pull requests cost 10 GraphQL queries for reviews, which name their reviewers, and the rest of 250 people 1 for names', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'reviews', issues: 0, pullRequests: 1000, comments: 0, reviewComments: 0, commitComments: 0, people: 250, reviews: 2000, seed: 11 });
    world = await startWorld({ fixture });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(total(report, 'review')).toBe(fixture.facts.counts.reviews);
    const operations = world.github.requests.filter((r) => r.operation).map((r) => r.operation);
    // The reviews carry their authors' display names: only the others (the pull requests' authors and
    // committers who never reviewed) are asked for, 100 a query.
    const reviewers = new Set(fixture.facts.loginsByKind.review);
    const named = fixture.facts.logins.filter((login) => login !== 'ghost' && !login.endsWith('[bot]'));
    const unnamed = named.filter((login) => !reviewers.has(login)).length;
    expect(operations.filter((o) => o === 'Reviews')).toHaveLength(10);
    expect(operations.filter((o) => o === 'MoreReviews')).toHaveLength(0);
    expect(operations.filter((o) => o === 'Names')).toHaveLength(Math.ceil(unnamed / 100));
    expect([Math.ceil(named.length / 100), Math.ceil(unnamed / 100)]).toEqual([3, 1]);
    const namedReviewers = report.contributors.filter((c) => c.login !== null && c.login !== 'ghost' && reviewers.has(c.login));
    expect(namedReviewers.length).toBeGreaterThan(100);
    expect(namedReviewers.filter((c) => c.name !== fixture.facts.displayNames[c.login ?? ''])).toEqual([]);
    expect(world.github.requests.filter((r) => r.path.startsWith('/users/'))).toEqual([]);
  });
});

describe('refreshing an old cache', () => {
  it('asks for commit comments (no since) from their last page on', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'commits', issues: 10, pullRequests: 0, comments: 10, reviewComments: 0, commitComments: 250, people: 30, seed: 17 });
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names'];
    expect((await runCli(args, world.env)).code).toBe(0);
    world.github.addActivity(fixture.facts.fullName, { commitComments: [{ author: 'new-reviewer' }, { author: 'new-reviewer' }] });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.code).toBe(0);
    // 250 comments: pages 1 and 2 are full and kept; page 3 is asked again, and holds the new ones.
    expect(world.github.requests.filter((r) => r.path.includes('/comments?per_page=100')).map((r) => r.path)).toEqual(['/repos/busy/commits/comments?per_page=100&page=3']);
    const report = JSON.parse(refreshed.stdout) as JsonReport;
    expect(report.contributors.find((c) => c.login === 'new-reviewer')?.counts['commit-comment']).toBe(2);
    expect(total(report, 'commit-comment')).toBe(252);
  });

  it('asks for the reviews of the pull requests that changed, by number, in one query', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'reviews', issues: 100, pullRequests: 450, comments: 200, reviewComments: 0, commitComments: 0, people: 60, reviews: 900, seed: 19 });
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names'];
    expect((await runCli(args, world.env)).code).toBe(0);
    expect(world.github.requests.filter((r) => r.operation === 'Reviews')).toHaveLength(5);

    // A review on one old pull request, a comment on another (GitHub moves the updated_at of both), and a new pull request.
    const pulls = (fixture.repo.issues ?? []).flatMap((issue, index) => (issue.pullRequest ? [issue.number ?? index + 1] : []));
    const [reviewed = 0, commented = 0] = [pulls[3], pulls[400]];
    world.github.addActivity(fixture.facts.fullName, {
      reviews: [{ author: 'late-reviewer', pullNumber: reviewed }],
      issueComments: [{ author: 'late-commenter', issueNumber: commented }],
      issues: [{ author: 'newcomer', pullRequest: true }],
    });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.code).toBe(0);
    // One Reviews query, and (with a token, comments are asked per thread through GraphQL) one
    // Comments query: the threads of the items whose updated_at moved, the new pull request having none.
    const queries = world.github.requests.filter((r) => r.operation);
    expect(queries.map((r) => r.operation).sort()).toEqual(['Comments', 'Reviews']);
    const numbersIn = (operation: string, prefix: string): unknown[] => {
      const asked = JSON.parse(queries.find((r) => r.operation === operation)?.variables ?? '{}') as Record<string, unknown>;
      return Object.entries(asked).filter(([key]) => new RegExp(`^${prefix}\\d+$`).test(key)).map(([, number]) => number);
    };
    const newest = Math.max(...pulls, (fixture.repo.issues ?? []).length) + 1;
    expect(numbersIn('Reviews', 'p')).toEqual([reviewed, commented, newest]);
    // The reviewed pull request's thread is asked again only if it holds comments (its updated_at moved).
    const holdsComments = (threadsOf(fixture).get(reviewed) ?? 0) > 0;
    expect(numbersIn('Comments', 'n')).toEqual(holdsComments ? [reviewed, commented] : [commented]);

    const report = JSON.parse(refreshed.stdout) as JsonReport;
    expect(report.contributors.find((c) => c.login === 'late-reviewer')?.counts.review).toBe(1);
    expect(total(report, 'review')).toBe(fixture.facts.counts.reviews + 1);
    expect(refreshed.stdout).toBe((await runCli([...args, '--no-cache'], world.env)).stdout);
  });

  it('asks only for what changed since, not for every page again', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'repo', issues: 4000, pullRequests: 1000, comments: 20_000, reviewComments: 1000, commitComments: 10, people: 200, reviews: 1000, seed: 13 });
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    const cold = await runCli(args, world.env);
    expect(cold.code).toBe(0);
    const coldRequests = counted(world.github.requests);

    // About 1% new activity: new issues and pull requests, comments on old issues.
    world.github.addActivity(fixture.facts.fullName, {
      issues: [...Array.from({ length: 8 }, () => ({ author: 'newcomer' })), ...Array.from({ length: 4 }, () => ({ author: 'newcomer', pullRequest: true }))],
      issueComments: Array.from({ length: 30 }, (_, index) => ({ author: index % 2 ? 'late-commenter' : 'person-00001', issueNumber: 1 + index * 7 })),
    });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.code).toBe(0);
    // Each changed listing: one page of what changed since; the small ones revalidated (304s); the
    // reviews of the pull requests that changed; the comments of the threads that changed, from where
    // each got to; names (GraphQL cannot revalidate). (The cold run reads the 20,000 comments 100
    // threads a query through GraphQL, about 50 queries, not 200 pages of the REST listing.) The top
    // of the issue events is checked too: a 304 here, where there are none.
    const refreshRequests = counted(world.github.requests);
    expect(coldRequests).toBeGreaterThan(100);
    expect(refreshRequests / coldRequests).toBeLessThanOrEqual(0.065);
    const comments = world.github.requests.filter((r) => r.operation === 'Comments');
    expect(comments).toHaveLength(1);
    const asked = JSON.parse(comments[0]?.variables ?? '{}') as Record<string, unknown>;
    const commentedOn = Array.from({ length: 30 }, (_, index) => 1 + index * 7);
    expect(Object.entries(asked).filter(([key]) => /^n\d+$/.test(key)).map(([, number]) => number)).toEqual(commentedOn);
    // Each old thread is continued from its cursor: only its new comment is read.
    expect(Object.entries(asked).filter(([key, value]) => /^c\d+$/.test(key) && typeof value === 'string')).toHaveLength(30);
    // Names are kept per person: only the new people are asked for, and of those only the one no
    // answer named (late-commenter's name came with the comments read).
    const names = world.github.requests.filter((r) => r.operation === 'Names');
    expect(names).toHaveLength(1);
    expect(Object.values(JSON.parse(names[0]?.variables ?? '{}') as Record<string, string>).sort()).toEqual(['newcomer']);

    const report = JSON.parse(refreshed.stdout) as JsonReport;
    const fresh = await runCli([...args, '--no-cache'], world.env);
    expect(refreshed.stdout).toBe(fresh.stdout);
    expect(report.contributors.find((c) => c.login === 'newcomer')?.counts).toMatchObject({ issue: 8, 'pull-request': 4 });
    expect(report.contributors.find((c) => c.login === 'late-commenter')?.counts.comment).toBe(15);

    // Within --max-age, the refreshed state is used as it is: no request.
    world.github.clearLog();
    const warm = await runCli(args, world.env);
    expect(warm.stdout).toBe(refreshed.stdout);
    expect(world.github.requests).toEqual([]);
  });
});
