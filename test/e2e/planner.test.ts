/**
 * The cost planner, as a user sees it: comments read thread by thread through GraphQL where that
 * costs less, with the report the REST listing gives, and what only GraphQL can read.
 */
import { describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { runCli } from './run-cli.js';
import { worldsPerTest } from './world.js';
import type { JsonReport } from './world.js';

const worlds = worldsPerTest();


describe('the cost planner', () => {
  it('reads the conversations of pull requests where issues are off, which the REST listing cannot', async () => {
    const world = await worlds.open({
      repos: [
        {
          owner: 'octo-org',
          name: 'no-issues',
          hasIssues: false,
          contributors: [{ login: 'alice', contributions: 1 }],
          issues: [
            { author: 'bob', pullRequest: true },
            { author: 'alice', pullRequest: true },
          ],
          issueComments: [
            { author: 'carol', issueNumber: 1 },
            { author: 'carol', issueNumber: 2 },
            { author: null, issueNumber: 2 },
          ],
          reviewComments: [],
          commitComments: [],
        },
      ],
    });
    const args = ['octo-org/no-issues', '--format', 'json', '--no-names', '--no-wiki'];
    const result = await runCli(args, world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    const comments = Object.fromEntries(report.contributors.filter((c) => c.kinds.includes('comment')).map((c) => [c.login, c.counts['comment']]));
    expect(comments).toEqual({ carol: 2, ghost: 1 });
    // The REST listing of comments answers 410 where issues are off: it is not asked.
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments'))).toEqual([]);
    expect(world.github.requests.filter((r) => r.operation === 'Comments')).toHaveLength(1);

    // A warm run asks nothing, and reports the same.
    world.github.clearLog();
    const warm = await runCli(args, world.env);
    expect(warm.stdout).toBe(result.stdout);
    expect(world.github.requests).toEqual([]);
  });

  it('under OCTOHATRACK_PLAN=rest-listings, the benchmark\'s baseline, reads every source that has a REST listing through it, and finds the same people', async () => {
    // Long threads, issue events, and a history of more than a page: each can go either way.
    const fixture = generateRepository({ owner: 'both', name: 'plans', issues: 300, pullRequests: 100, comments: 3000, commentSpread: 'zipf', reviewComments: 50, commitComments: 10, people: 150, reviews: 100, events: 2000, triagers: 3, seed: 41 });
    const world = await worlds.open({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-names', '--no-wiki'];
    const operations = (): string[] => [...new Set(world.github.requests.flatMap((r) => (r.operation === undefined ? [] : [r.operation])))].sort();
    const paths = (part: string): number => world.github.requests.filter((r) => r.path.includes(part)).length;

    const planned = await runCli(args, world.env);
    expect(planned.code).toBe(0);
    expect(operations()).toEqual(expect.arrayContaining(['Comments', 'History', 'Timelines']));
    expect(paths('/issues/comments')).toBe(0);
    expect(paths('/issues/events')).toBe(1);

    world.github.clearLog();
    const listings = await runCli([...args, '--no-cache'], { ...world.env, OCTOHATRACK_PLAN: 'rest-listings' });
    expect(listings.code).toBe(0);
    expect(operations().filter((name) => ['Comments', 'History', 'Timelines'].includes(name))).toEqual([]);
    expect(paths('/issues/comments')).toBe(Math.ceil(3000 / 100));
    expect(paths('/issues/events')).toBe(Math.ceil(2000 / 100));
    expect(paths('/commits')).toBeGreaterThan(1);

    const people = (stdout: string) => (JSON.parse(stdout) as JsonReport).contributors.map((c) => [c.login, c.counts]);
    expect(people(listings.stdout)).toEqual(people(planned.stdout));
  });
});
