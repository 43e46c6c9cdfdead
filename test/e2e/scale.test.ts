/**
 * Larger repositories: listings beyond GitHub's pagination depth, walked in `since` windows; and
 * what GraphQL costs for reviews and names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { runCli } from './run-cli.js';
import { peopleOf, startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

interface JsonReport {
  complete: boolean;
  contributors: Array<{ login: string | null; name: string | null; kinds: string[]; counts: Record<string, number> }>;
}

const total = (report: JsonReport, kind: string): number => report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);

describe('the largest repositories', () => {
  it('walks listings GitHub stops paginating in since-windows, and counts them whole', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'repo', issues: 450, pullRequests: 150, comments: 900, reviewComments: 120, commitComments: 50, people: 300, reviews: 200, seed: 7 });
    // GitHub stops at about 40,000 items; here at 250, so that both listings need windows.
    world = await startWorld({ fixture, paginationLimit: 250 });
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

  it('with a token, 1,000 pull requests cost 10 GraphQL queries for reviews and 250 people 3 for names', async () => {
    const fixture = generateRepository({ owner: 'big', name: 'reviews', issues: 0, pullRequests: 1000, comments: 0, reviewComments: 0, commitComments: 0, people: 250, reviews: 2000, seed: 11 });
    world = await startWorld({ fixture });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(total(report, 'review')).toBe(fixture.facts.counts.reviews);
    const operations = world.github.requests.filter((r) => r.operation).map((r) => r.operation);
    const named = fixture.facts.logins.filter((login) => login !== 'ghost' && !login.endsWith('[bot]')).length;
    expect(operations.filter((o) => o === 'Reviews')).toHaveLength(10);
    expect(operations.filter((o) => o === 'MoreReviews')).toHaveLength(0);
    expect(operations.filter((o) => o === 'Names')).toHaveLength(Math.ceil(named / 100));
    expect(Math.ceil(named / 100)).toBe(3);
    expect(world.github.requests.filter((r) => r.path.startsWith('/users/'))).toEqual([]);
  });
});
