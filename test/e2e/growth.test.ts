/**
 * A refresh never misses growth. GitHub's ETag covers a page's body alone, so a listing whose last
 * page was full answers 304 for that page even after a new page has started behind it. Whatever
 * brings the cache up to date (--refresh, --max-age 0, or --max-age passing), the report must be
 * what a fresh run with --no-cache gives, and `complete` must be true only then.
 *
 * Comments on issues and pull requests come two ways: with a token (and without --since), each
 * thread through GraphQL, kept with its item's `updated_at` and the cursor it got to; without a
 * token (or with --since), the REST listing of every comment. Growth is found either way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeActivity, FakeRepo, FakeUser } from '../fake-github/types.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { cleanReport, commentsQueries, startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const fullName = 'grow/full-pages';

/**
 * Every listing ends on a full page of 100: issues and pull requests, each kind of comment, the
 * contributors, and the history (200 commits: its pages are keyed on its head, history.test.ts's).
 */
function fullPagesRepository(): { users: FakeUser[]; repo: FakeRepo } {
  const people = Array.from({ length: 10 }, (_, index) => `person-${index}`);
  const who = (index: number): string => people[index % people.length] ?? 'person-0';
  return {
    users: people.map((login) => ({ login, name: `Name of ${login}` })),
    repo: {
      owner: 'grow',
      name: 'full-pages',
      pushedAt: '2020-01-01T00:00:00Z',
      issues: Array.from({ length: 100 }, (_, index) => ({ author: who(index), pullRequest: index % 2 === 1 })),
      issueComments: Array.from({ length: 100 }, (_, index) => ({ author: who(index + 1) })),
      reviewComments: Array.from({ length: 100 }, (_, index) => ({ author: who(index + 2) })),
      commitComments: Array.from({ length: 100 }, (_, index) => ({ author: who(index + 3) })),
      contributors: Array.from({ length: 100 }, (_, index) => ({ login: `committer-${String(index).padStart(3, '0')}`, contributions: 200 - index })),
      commits: Array.from({ length: 200 }, (_, index) => ({ message: `Commit ${index}`, authorName: who(index), authorEmail: `${who(index)}@users.noreply.github.com` })),
    },
  };
}

/**
 * One newcomer in every listing: each lands on a new page 2. The comments: one on an old issue
 * (a thread that grew) and one on the new issue, #101 (a new thread).
 */
function growth(tag: string, contributors: number): FakeActivity {
  return {
    issues: [{ author: `${tag}-issuer` }],
    issueComments: [
      { author: `${tag}-commenter`, issueNumber: 1 },
      { author: `${tag}-first-commenter`, issueNumber: 101 },
    ],
    reviewComments: [{ author: `${tag}-reviewer`, pullNumber: 2 }],
    commitComments: [{ author: `${tag}-commit-commenter` }],
    push: { contributors: Array.from({ length: contributors }, (_, index) => ({ login: `committer-${String(index).padStart(3, '0')}`, contributions: 200 - index })) },
  };
}

const report = (current: World, extra: string[], repository = fullName): Promise<JsonReport> => cleanReport(current, repository, extra);

/**
 * The two ways comments come: per thread through GraphQL (with a token), or the REST listing
 * (without one: then 304s are counted, and the anonymous limit is raised for the runs a test makes).
 */
const ways = [
  ['with a token, comments per thread through GraphQL', {}],
  ['without a token, comments from the REST listing', { anonymous: true, rateLimit: { anonymous: 5000 } }],
] as const;

/** Requests that asked the REST listing of comments on issues and pull requests. */
function commentListing(current: World): string[] {
  return current.github.requests.filter((r) => r.path.includes('/issues/comments')).map((r) => r.path);
}

/** The variables (JSON text) of each `Comments` query asked. */
function commentsQueryVariables(current: World): string[] {
  return current.github.requests.filter((r) => r.operation === 'Comments').map((r) => r.variables ?? '');
}

/** Both kinds of 304 a client may get: with the page's current `Link`, and with none. */
const linkOn304 = [
  ['with', true],
  ['without', false],
] as const;

describe.each(linkOn304)('growth past a full last page, 304s %s a Link', (_with, withLink) => {
  it.each(ways.flatMap(([way, options]) => [
    ['--refresh', way, options, ['--refresh']],
    ['--max-age 0', way, options, ['--max-age', '0']],
    ['--max-age passing', way, options, []],
  ] as const))('is found by %s in every listing, %s, as --no-cache finds it', async (_label, _way, options, refreshArgs) => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, linkOn304: withLink, ...options });
    const anonymous = world.env.GH_TOKEN === undefined;
    const cold = await report(world, []);
    expect(cold.contributors.some((c) => c.login?.startsWith('new-'))).toBe(false);
    // The comments came the way this case is about.
    expect(commentListing(world).length > 0).toBe(anonymous);
    expect(commentsQueryVariables(world).length > 0).toBe(!anonymous);

    world.github.addActivity(fullName, growth('new', 101));
    if (refreshArgs.length === 0) ageCache(world.cacheDir, 25 * hourMs, { checks: true });
    world.github.clearLog();
    const refreshed = await report(world, [...refreshArgs]);
    if (anonymous) {
      // The listing is asked again: revalidated, its full last page and the page after it; once stale
      // (--max-age passing), what changed since.
      const again = commentListing(world);
      expect(again.some((path) => (refreshArgs.length > 0 ? /[?&]page=2\b/ : /[?&]since=/).test(path))).toBe(true);
    } else {
      // Only the threads whose item changed, in one query: the old issue that grew, the pull request
      // a review comment moved (#2), and the new issue.
      expect(commentsQueryVariables(world).map(threadNumbers)).toEqual([[1, 2, 101]]);
      expect(commentListing(world)).toEqual([]);
    }
    const fresh = await report(world, ['--no-cache']);

    expect(refreshed).toEqual(fresh);
    expect(refreshed.complete).toBe(!anonymous);
    const kindsOf = (login: string): string[] | undefined => refreshed.contributors.find((c) => c.login === login)?.kinds;
    expect(kindsOf('new-issuer')).toEqual(['issue']);
    expect(kindsOf('new-commenter')).toEqual(['comment']);
    expect(kindsOf('new-first-commenter')).toEqual(['comment']);
    expect(kindsOf('new-reviewer')).toEqual(['review-comment']);
    expect(kindsOf('new-commit-commenter')).toEqual(['commit-comment']);
    expect(kindsOf('committer-100')).toEqual(['code']);
  });

  it('is found again on the next refresh, and an unchanged refresh costs nothing with a token (comments through GraphQL)', async () => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, linkOn304: withLink });
    await report(world, []);
    world.github.addActivity(fullName, growth('new', 101));
    await report(world, ['--refresh']);
    // Nothing new: every page is a 304 (free with a token), the pages after the full ones included:
    // the issues, review comments, commit comments and contributors. The history (for co-authors)
    // is kept under its head's sha: only the head is asked again. No thread changed: no
    // comments are asked (nor GET /rate_limit: with nothing to read, neither way costs anything).
    // (A file that is not there answers 404, which has no ETag to revalidate.)
    world.github.clearLog();
    const again = await report(world, ['--refresh']);
    const rest = world.github.requests.filter((r) => r.operation === undefined && !r.path.includes('/contents/'));
    expect(rest.filter((r) => r.status !== 304).map((r) => `${r.status} ${r.path}`)).toEqual([]);
    expect(rest.filter((r) => /[?&]page=2$/.test(r.path)).map((r) => r.path.replace(/\?.*/, '')).sort()).toEqual(['/repos/grow/full-pages/comments', '/repos/grow/full-pages/contributors', '/repos/grow/full-pages/issues', '/repos/grow/full-pages/pulls/comments']);
    expect(rest.filter((r) => r.path.includes('/commits'))).toEqual([]);
    expect(world.github.requests.filter((r) => r.operation?.startsWith('History') === true).map((r) => r.operation)).toEqual(['HistoryHead']);
    expect(commentsQueryVariables(world)).toEqual([]);
    expect(again.contributors.some((c) => c.login === 'new-issuer')).toBe(true);
    expect(again.contributors.some((c) => c.login === 'new-first-commenter')).toBe(true);
  });

  it('is found again on the next refresh, and an unchanged refresh costs nothing with a token (comments from the REST listing, with --since)', async () => {
    // --since asks the REST listing of comments (since then) even with a token. Every item is dated
    // 2020 on (the fake's default); code then comes from the commits since the date.
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, linkOn304: withLink });
    const since = ['--since', '2019-06-01'];
    await report(world, since);
    world.github.addActivity(fullName, growth('new', 101));
    await report(world, [...since, '--refresh']);
    world.github.clearLog();
    const again = await report(world, [...since, '--refresh']);
    const rest = world.github.requests.filter((r) => r.operation === undefined && !r.path.includes('/contents/'));
    expect(rest.filter((r) => r.status !== 304).map((r) => `${r.status} ${r.path}`)).toEqual([]);
    // The issue comments' full page 1 and the page 2 after it, revalidated for free.
    expect(commentListing(world).filter((path) => path.includes('page=2'))).toHaveLength(1);
    expect(rest.every((r) => !r.countedAgainstLimit)).toBe(true);
    expect(commentsQueryVariables(world)).toEqual([]);
    expect(again.contributors.find((c) => c.login === 'new-commenter')?.kinds).toEqual(['comment']);
    expect(again.contributors.find((c) => c.login === 'new-first-commenter')?.kinds).toEqual(['comment']);
  });
});

/** The item numbers a `Comments` query asked (its `$n0`… variables), in order. */
function threadNumbers(variables: string): number[] {
  return Object.entries(JSON.parse(variables) as Record<string, unknown>)
    .filter(([key]) => /^n\d+$/.test(key))
    .map(([, value]) => Number(value))
    .sort((a, b) => a - b);
}

describe.each(linkOn304)('growth past a full last page in the other listings, 304s %s a Link', (_with, withLink) => {
  it.each(ways)('is found in cursor-paginated listings, whose page after cannot be named, %s', async (_way, options) => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, cursorPagination: ['issues', 'issues/comments', 'pulls/comments', 'comments'], linkOn304: withLink, ...options });
    await report(world, []);
    world.github.addActivity(fullName, growth('new', 101));
    world.github.clearLog();
    const refreshed = await report(world, ['--refresh']);
    // Without a token, the comments' listing was walked by its cursor to what is behind its full page.
    if (world.env.GH_TOKEN === undefined) expect(commentListing(world).some((path) => path.includes('after='))).toBe(true);
    expect(refreshed).toEqual(await report(world, ['--no-cache']));
    for (const login of ['new-issuer', 'new-commenter', 'new-first-commenter', 'new-reviewer', 'new-commit-commenter']) {
      expect(refreshed.contributors.some((c) => c.login === login)).toBe(true);
    }
  });

  it('is found with --since, and in the pull requests of a repository without issues', async () => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo: { ...repo, hasIssues: false, issues: (repo.issues ?? []).map((issue) => ({ ...issue, pullRequest: true })) }, facts: undefined as never }, linkOn304: withLink });
    const since = ['--since', '2019-06-01'];
    await report(world, since);
    world.github.addActivity(fullName, { ...growth('new', 101), issues: [{ author: 'new-opener', pullRequest: true }], issueComments: [] });
    const refreshed = await report(world, [...since, '--max-age', '0']);
    expect(refreshed).toEqual(await report(world, [...since, '--no-cache']));
    expect(refreshed.contributors.find((c) => c.login === 'new-opener')?.kinds).toEqual(['pull-request']);
    expect(refreshed.contributors.find((c) => c.login === 'new-reviewer')?.kinds).toEqual(['review-comment']);
  });
});

describe('growth of threads asked through GraphQL', () => {
  const threadsName = 'grow/threads';

  /** #1 holds a thread of 150 comments (two pages of 100); #2, a pull request, 3; #3 to #6, one each. */
  function threadsRepository(): { users: FakeUser[]; repo: FakeRepo } {
    const people = ['ann', 'ben', 'cat'];
    const who = (index: number): string => people[index % people.length] ?? 'ann';
    return {
      users: people.map((login) => ({ login, name: `Name of ${login}` })),
      repo: {
        owner: 'grow',
        name: 'threads',
        pushedAt: '2020-01-01T00:00:00Z',
        issues: Array.from({ length: 6 }, (_, index) => ({ author: who(index), pullRequest: index === 1 })),
        issueComments: [
          ...Array.from({ length: 150 }, (_, index) => ({ author: who(index), issueNumber: 1 })),
          ...Array.from({ length: 3 }, () => ({ author: 'ben', issueNumber: 2 })),
          ...[3, 4, 5, 6].map((issueNumber) => ({ author: 'cat', issueNumber })),
        ],
        contributors: [{ login: 'ann', contributions: 3 }],
      },
    };
  }

  /** Per `Comments` query: the threads asked, each `number:from` (`from`: a cursor, or `start`). */
  function threadsAsked(current: World): string[][] {
    return commentsQueryVariables(current).map((text) => {
      const variables = JSON.parse(text) as Record<string, unknown>;
      return Object.keys(variables)
        .filter((key) => /^n\d+$/.test(key))
        .map((key) => `${String(variables[key])}:${variables[`c${key.slice(1)}`] === null ? 'start' : 'cursor'}`)
        .sort();
    });
  }

  it.each([
    ['--refresh', ['--refresh']],
    ['--max-age 0', ['--max-age', '0']],
    ['--max-age passing', []],
  ])('is found by %s: new comments on old threads, long and short, and on new issues and pull requests, as --no-cache finds them', async (_label, refreshArgs) => {
    const { users, repo } = threadsRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never } });
    const cold = await report(world, [], threadsName);
    // The first page of every thread in one query, and the long thread's last 50 from its end.
    expect(threadsAsked(world)).toEqual([['1:start', '1:start', '2:start', '3:start', '4:start', '5:start', '6:start']]);
    expect(commentsQueries([150, 3, 1, 1, 1, 1])).toBe(1);
    const total = (json: JsonReport): number => json.contributors.reduce((sum, c) => sum + (c.counts.comment ?? 0), 0);
    expect(total(cold)).toBe(157);

    // A comment at the end of the long thread (on its second page) and on the pull request; a new
    // issue with two comments and a new pull request with one.
    world.github.addActivity(threadsName, {
      issues: [{ author: 'dan' }, { author: 'eve', pullRequest: true }],
      issueComments: [
        { author: 'long-talker', issueNumber: 1 },
        { author: 'pull-talker', issueNumber: 2 },
        { author: 'first-talker', issueNumber: 7 },
        { author: 'second-talker', issueNumber: 7 },
        { author: 'pull-opener-talker', issueNumber: 8 },
      ],
    });
    if (refreshArgs.length === 0) ageCache(world.cacheDir, 25 * hourMs, { checks: true });
    world.github.clearLog();
    const refreshed = await report(world, refreshArgs, threadsName);
    // Only the threads that changed, in one query: the old ones from where they got to, the new ones
    // from their start; the unchanged #3 to #6 are not asked.
    expect(threadsAsked(world)).toEqual([['1:cursor', '2:cursor', '7:start', '8:start']]);
    expect(commentListing(world)).toEqual([]);

    expect(refreshed).toEqual(await report(world, ['--no-cache'], threadsName));
    expect(refreshed.complete).toBe(true);
    expect(total(refreshed)).toBe(162);
    for (const login of ['long-talker', 'pull-talker', 'first-talker', 'second-talker', 'pull-opener-talker']) {
      expect(refreshed.contributors.find((c) => c.login === login)?.counts, login).toEqual({ comment: 1 });
    }
    expect(refreshed.contributors.find((c) => c.login === 'ann')?.counts.comment).toBe(50);

    // Nothing new since: a refresh asks no thread, and says the same.
    world.github.clearLog();
    expect(await report(world, ['--refresh'], threadsName)).toEqual(refreshed);
    expect(commentsQueryVariables(world)).toEqual([]);
  });
});

describe('an empty repository', () => {
  it.each([204, 409] as const)('whose contributors answer %i exits 0 with nobody, and a warm run asks nothing', async (status) => {
    world = await startWorld({
      fixture: { users: [], repo: { owner: 'grow', name: 'empty', hasWiki: false, emptyContributorsStatus: status }, facts: undefined as never },
    });
    for (const extra of [[], ['--since', '2021-01-01']]) {
      const result = await runCli(['grow/empty', '--format', 'json', '--no-wiki', ...extra], world.env);
      expect(result.stderr).not.toMatch(/warning|error/i);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ complete: true, contributors: [] });
    }
    world.github.clearLog();
    expect((await runCli(['grow/empty', '--format', 'json', '--no-wiki'], world.env)).code).toBe(0);
    expect(world.github.requests).toEqual([]);
  });
});
