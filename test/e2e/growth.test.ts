/**
 * A refresh never misses growth. GitHub's ETag covers a page's body alone, so a listing whose last
 * page was full answers 304 for that page even after a new page has started behind it. Whatever
 * brings the cache up to date (--refresh, --max-age 0, or --max-age passing), the report must be
 * what a fresh run with --no-cache gives, and `complete` must be true only then.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeActivity, FakeRepo, FakeUser } from '../fake-github/types.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const fullName = 'grow/full-pages';

/** Every listing ends on a full page of 100: issues and pull requests, each kind of comment, the contributors. */
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
    },
  };
}

/** One newcomer in every listing: each lands on a new page 2. */
function growth(tag: string, contributors: number): FakeActivity {
  return {
    issues: [{ author: `${tag}-issuer` }],
    issueComments: [{ author: `${tag}-commenter`, issueNumber: 1 }],
    reviewComments: [{ author: `${tag}-reviewer`, pullNumber: 2 }],
    commitComments: [{ author: `${tag}-commit-commenter` }],
    push: { contributors: Array.from({ length: contributors }, (_, index) => ({ login: `committer-${String(index).padStart(3, '0')}`, contributions: 200 - index })) },
  };
}

interface JsonReport {
  complete: boolean;
  contributors: Array<{ login: string | null; kinds: string[] }>;
}

async function report(current: World, extra: string[]): Promise<JsonReport> {
  const result = await runCli([fullName, '--format', 'json', '--no-wiki', ...extra], current.env);
  expect(result.stderr).not.toMatch(/warning|error|incomplete/i);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Both kinds of 304 a client may get: with the page's current `Link`, and with none. */
const linkOn304 = [
  ['with', true],
  ['without', false],
] as const;

describe.each(linkOn304)('growth past a full last page, 304s %s a Link', (_with, withLink) => {
  it.each([
    ['--refresh', ['--refresh']],
    ['--max-age 0', ['--max-age', '0']],
    ['--max-age passing', []],
  ])('is found by %s in every listing, as --no-cache finds it', async (_label, refreshArgs) => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, linkOn304: withLink });
    const cold = await report(world, []);
    expect(cold.contributors.some((c) => c.login?.startsWith('new-'))).toBe(false);

    world.github.addActivity(fullName, growth('new', 101));
    if (refreshArgs.length === 0) ageCache(world.cacheDir, 25 * hourMs, { checks: true });
    world.github.clearLog();
    const refreshed = await report(world, refreshArgs);
    const fresh = await report(world, ['--no-cache']);

    expect(refreshed).toEqual(fresh);
    expect(refreshed.complete).toBe(true);
    const kindsOf = (login: string): string[] | undefined => refreshed.contributors.find((c) => c.login === login)?.kinds;
    expect(kindsOf('new-issuer')).toEqual(['issue']);
    expect(kindsOf('new-commenter')).toEqual(['comment']);
    expect(kindsOf('new-reviewer')).toEqual(['review-comment']);
    expect(kindsOf('new-commit-commenter')).toEqual(['commit-comment']);
    expect(kindsOf('committer-100')).toEqual(['code']);
  });

  it('is found again on the next refresh, and an unchanged refresh costs nothing with a token', async () => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, linkOn304: withLink });
    await report(world, []);
    world.github.addActivity(fullName, growth('new', 101));
    await report(world, ['--refresh']);
    // Nothing new: every page is a 304 (free with a token), the pages after the full ones included.
    // (A file that is not there answers 404, which has no ETag to revalidate.)
    world.github.clearLog();
    const again = await report(world, ['--refresh']);
    const rest = world.github.requests.filter((r) => r.operation === undefined && !r.path.includes('/contents/'));
    expect(rest.filter((r) => r.status !== 304).map((r) => `${r.status} ${r.path}`)).toEqual([]);
    expect(rest.filter((r) => r.path.includes('page=2')).length).toBe(5);
    expect(again.contributors.some((c) => c.login === 'new-issuer')).toBe(true);
  });
});

describe.each(linkOn304)('growth past a full last page in the other listings, 304s %s a Link', (_with, withLink) => {
  it('is found in cursor-paginated listings, whose page after cannot be named', async () => {
    const { users, repo } = fullPagesRepository();
    world = await startWorld({ fixture: { users, repo, facts: undefined as never }, cursorPagination: ['issues', 'issues/comments', 'pulls/comments', 'comments'], linkOn304: withLink });
    await report(world, []);
    world.github.addActivity(fullName, growth('new', 101));
    const refreshed = await report(world, ['--refresh']);
    expect(refreshed).toEqual(await report(world, ['--no-cache']));
    for (const login of ['new-issuer', 'new-commenter', 'new-reviewer', 'new-commit-commenter']) {
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
