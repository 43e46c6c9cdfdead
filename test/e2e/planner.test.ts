/**
 * The cost planner, as a user sees it: comments read thread by thread through GraphQL where that
 * costs less, with the report the REST listing gives, and what only GraphQL can read.
 */
import { describe, expect, it } from 'vitest';
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
});
