/**
 * `discussion`: the authors of Discussions, their comments and replies, through GraphQL, as a user
 * sees them: counted exactly past 100 comments and 100 replies, deleted authors as `ghost`, bots as
 * bots; skipped without a token (incomplete only where there are discussions); a warm run asks
 * nothing, a refresh reads only what changed; the points charged stay within collectors/discussions.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeFacts } from '../fake-github/fixtures.js';
import type { Fixture } from '../fake-github/fixtures.js';
import type { FakeRepo, FakeUser } from '../fake-github/types.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import type { JsonReport } from './world.js';
import { worldsPerTest } from './world.js';

const worlds = worldsPerTest();
const args = ['octo-org/forum', '--format', 'json', '--no-names', '--no-wiki'];

/**
 * octo-org/forum: #1 by alice, with 130 comments, the first with 150 replies; #2 by a deleted
 * account, without comments; #3 by a bot, with two comments by someone who does nothing else.
 */
function forum(extra: Partial<FakeRepo> = {}): Fixture {
  const users: FakeUser[] = [{ login: 'alice' }, { login: 'bob' }, { login: 'carol' }, { login: 'only-talks' }, { login: 'helper-bot[bot]', type: 'Bot' }, { login: 'octo-org', type: 'Organization' }];
  const cycle = ['bob', 'carol', null, 'helper-bot[bot]'] as const;
  const repo: FakeRepo = {
    owner: 'octo-org',
    name: 'forum',
    contributors: [{ login: 'alice', contributions: 3 }],
    issues: [{ author: 'alice' }],
    issueComments: [],
    reviewComments: [],
    commitComments: [],
    discussions: [
      {
        author: 'alice',
        comments: Array.from({ length: 130 }, (_, index) => ({
          author: cycle[index % cycle.length] ?? null,
          replies: index === 0 ? Array.from({ length: 150 }, (__, reply) => ({ author: reply % 3 === 0 ? null : reply % 3 === 1 ? 'carol' : 'helper-bot[bot]' })) : [],
        })),
      },
      { author: null },
      { author: 'helper-bot[bot]', comments: [{ author: 'only-talks', replies: [{ author: 'bob' }] }, { author: 'only-talks' }] },
    ],
    ...extra,
  };
  return { users, repo, facts: computeFacts(users, repo) };
}

/** Discussions per login, as the fixture holds them. */
function expectedCounts(fixture: Fixture, since: string | null = null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind, login, at } of fixture.facts.contributions) {
    if (kind !== 'discussion' || login === null || (since !== null && (at ?? '') < since)) continue;
    counts[login] = (counts[login] ?? 0) + 1;
  }
  return counts;
}

function discussionCounts(report: JsonReport): Record<string, number> {
  return Object.fromEntries(report.contributors.flatMap((person) => (person.counts['discussion'] === undefined ? [] : [[person.login ?? '', person.counts['discussion']]])));
}

const discussionOperations = new Set(['Discussions', 'DiscussionsChanged', 'DiscussionComments', 'DiscussionReplies']);

describe('discussions', () => {
  it('counts every discussion, comment and reply past 100, ghosts and bots, and asks nothing on a warm run', async () => {
    const fixture = forum();
    const world = await worlds.open({ fixture });
    const result = await runCli(args, world.env);
    expect(result.stderr).not.toMatch(/discussions are skipped/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(discussionCounts(report)).toEqual(expectedCounts(fixture));
    // 150 replies and 130 comments: past the first page of each.
    expect(expectedCounts(fixture)['ghost']).toBe(1 + 32 + 50);
    const bot = report.contributors.find((person) => person.login === 'helper-bot[bot]');
    expect(bot?.type).toBe('Bot');
    const talker = report.contributors.find((person) => person.login === 'only-talks');
    expect(talker?.kinds).toEqual(['discussion']);

    // The points, as documented in collectors/discussions.ts: 1 page of discussions; #1's first 100
    // comments and #3's 2 in one query (101 + 3 requests); then #1's last 30 comments (31 requests)
    // and the last 50 replies of its first comment (1 request): 1 point each.
    const asked = world.github.requests.filter((request) => request.operation !== undefined && discussionOperations.has(request.operation));
    expect(asked.map((request) => [request.operation, request.cost])).toEqual(
      expect.arrayContaining([
        ['Discussions', 1],
        ['DiscussionComments', 1],
        ['DiscussionComments', 1],
        ['DiscussionReplies', 1],
      ]),
    );
    expect(asked).toHaveLength(4);

    world.github.clearLog();
    const warm = await runCli(args, world.env);
    expect(warm.stdout).toBe(result.stdout);
    expect(world.github.requests).toEqual([]);

    // --since: only what was made since.
    const since = '2020-01-01T00:30:00Z';
    const recent = await runCli([...args, '--since', since], world.env);
    expect(recent.code).toBe(0);
    expect(discussionCounts(JSON.parse(recent.stdout) as JsonReport)).toEqual(expectedCounts(fixture, since));
  });

  it('reads again only the discussions that changed, and finds their new replies as --no-cache does', async () => {
    const world = await worlds.open({ fixture: forum() });
    expect((await runCli(args, world.env)).code).toBe(0);
    world.github.addActivity('octo-org/forum', {
      discussionReplies: [
        { author: 'late-replier', discussionNumber: 4, commentIndex: 1 },
        { author: 'late-replier', discussionNumber: 4, commentIndex: 0 },
      ],
    });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.code).toBe(0);
    const counts = discussionCounts(JSON.parse(refreshed.stdout) as JsonReport);
    expect(counts['late-replier']).toBe(2);
    // Only #4 (the bot's discussion; #1 is an issue) changed: only it is read again.
    const comments = world.github.requests.filter((request) => request.operation === 'DiscussionComments');
    expect(comments.map((request) => JSON.parse(request.variables ?? '{}') as Record<string, unknown>)).toEqual([expect.objectContaining({ n0: 4 })]);
    expect(comments.map((request) => request.variables)).not.toContain(expect.stringContaining('"n1"'));
    expect(world.github.requests.filter((request) => request.operation === 'DiscussionReplies')).toEqual([]);

    const fresh = await runCli([...args, '--no-cache'], world.env);
    expect(fresh.code).toBe(0);
    expect(refreshed.stdout).toBe(fresh.stdout);
  });

  it('a refresh asks for the discussions updated since the newest it kept (a query per 100), not the whole listing, and finds what --no-cache finds', async () => {
    // 250 discussions: 3 pages of the listing, each discussion with a comment.
    const more = Array.from({ length: 247 }, (_, index) => ({ author: index % 2 === 0 ? 'bob' : 'carol', comments: [{ author: 'only-talks' }] }));
    const base = forum();
    const world = await worlds.open({ fixture: forum({ discussions: [...(base.repo.discussions ?? []), ...more] }) });
    // Discussions share numbers with issues: #1 is the issue, the discussions #2 to #251.
    const numbers = Array.from({ length: 250 }, (_, index) => index + 2);
    const listings = (): string[] => world.github.requests.flatMap((request) => (request.operation === 'Discussions' || request.operation === 'DiscussionsChanged' ? [request.operation] : []));
    expect((await runCli(args, world.env)).code).toBe(0);
    expect(listings()).toEqual(['Discussions', 'Discussions', 'Discussions']);

    // A comment on an old discussion, and a new discussion: one query of what changed.
    world.github.addActivity('octo-org/forum', { discussionComments: [{ author: 'newcomer', discussionNumber: numbers[100] ?? 0 }], discussions: [{ author: 'first-timer' }] });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const refreshed = await runCli([...args, '--max-age', '1h'], world.env);
    expect(refreshed.code).toBe(0);
    expect(listings()).toEqual(['DiscussionsChanged']);
    const counts = discussionCounts(JSON.parse(refreshed.stdout) as JsonReport);
    expect(counts).toMatchObject({ newcomer: 1, 'first-timer': 1 });
    expect(refreshed.stdout).toBe((await runCli([...args, '--no-cache'], world.env)).stdout);

    // 120 discussions changed: two pages of them, down to the first not updated since.
    world.github.setClockOffsetMs(2000);
    world.github.addActivity('octo-org/forum', { discussionComments: numbers.slice(0, 120).map((discussionNumber) => ({ author: 'regular', discussionNumber })) });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const again = await runCli([...args, '--max-age', '1h'], world.env);
    expect(again.code).toBe(0);
    expect(listings()).toEqual(['DiscussionsChanged', 'DiscussionsChanged']);
    expect(discussionCounts(JSON.parse(again.stdout) as JsonReport)['regular']).toBe(120);
    expect(again.stdout).toBe((await runCli([...args, '--no-cache'], world.env)).stdout);

    // --refresh reads the listing whole again.
    world.github.clearLog();
    expect((await runCli([...args, '--refresh'], world.env)).code).toBe(0);
    expect(listings()).toEqual(['Discussions', 'Discussions', 'Discussions']);
  });

  it('without a token: says so once and is incomplete where there are discussions, and only there', async () => {
    const withDiscussions = await worlds.open({ fixture: forum(), anonymous: true });
    const skipped = await runCli([...args, '--kinds', 'discussion'], withDiscussions.env);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr.match(/discussions are skipped: GitHub's GraphQL API needs a token/g)).toHaveLength(1);
    expect((JSON.parse(skipped.stdout) as JsonReport).complete).toBe(false);
    expect(withDiscussions.github.requests.filter((request) => request.path.includes('graphql'))).toEqual([]);

    const without = await worlds.open({ fixture: forum({ discussions: [] }), anonymous: true });
    const none = await runCli([...args, '--kinds', 'discussion'], without.env);
    expect(none.code).toBe(0);
    expect(none.stderr).not.toMatch(/skipped/);
    expect((JSON.parse(none.stdout) as JsonReport).complete).toBe(true);
  });

  it('with a token and discussions off: asks nothing and finds nobody', async () => {
    const world = await worlds.open({ fixture: forum({ hasDiscussions: false }) });
    const result = await runCli(args, world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(discussionCounts(report)).toEqual({});
    expect(world.github.requests.filter((request) => request.operation !== undefined && discussionOperations.has(request.operation))).toEqual([]);
  });

  it('--dry-run prices discussions from their count (1 point, kept for the run)', async () => {
    const world = await worlds.open({ fixture: forum() });
    const result = await runCli(['octo-org/forum', '--dry-run', '--no-wiki', '--kinds', 'discussion'], world.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/discussions.*3 discussions/);
    expect(world.github.requests.filter((request) => request.operation === 'DiscussionCounts')).toHaveLength(1);
  });
});
