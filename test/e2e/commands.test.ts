/** Formats, selection, --refresh, several repositories, and the cache subcommands, end to end. */
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles, runCli } from './run-cli.js';
import { sideBySide, startWorld, threadsOf } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('formats', () => {
  it('prints csv with a header and markdown as a table, neutralised', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    const csv = await runCli([facts.fullName, '--format', 'csv'], world.env);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('login,name,type,kinds,repositories,counts');
    expect(rows).toHaveLength(1 + facts.logins.length + facts.nameOnly.length);
    expect(rows.find((row) => row.startsWith('dependabot[bot],'))).toMatch(/^dependabot\[bot\],,Bot,code;comment;pull-request,octo-org\/hello-world,code=\d+;comment=\d+;pull-request=\d+$/);
    expect(csv.stdout).not.toMatch(/\u001b/);

    const markdown = await runCli([facts.fullName, '--format', 'markdown'], world.env);
    expect(markdown.code).toBe(0);
    const table = markdown.stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(table.slice(0, 2)).toEqual(['| Contributor | Contributions |', '| --- | --- |']);
    expect(table).toHaveLength(2 + facts.logins.length + facts.nameOnly.length);
    expect(markdown.stdout).toContain(`| Alice Liddell ([@alice](${world.env.GITHUB_SERVER_URL}/alice)) |`);
  });
});

describe('selection', () => {
  it('leaves out bots and excluded people, and asks no names for them', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    const result = await runCli([facts.fullName, '--format', 'json', '--no-bots', '--exclude', 'commit-*', 'ERIN'], world.env);
    expect(result.code).toBe(0);
    const logins = (JSON.parse(result.stdout) as { contributors: Array<{ login: string | null }> }).contributors.map((c) => c.login);
    expect(logins).not.toContain('dependabot[bot]');
    expect(logins).not.toContain('commit-commenter-only');
    expect(logins).not.toContain('erin');
    expect(logins).toContain('alice');
    expect(logins.length).toBe(facts.logins.length + facts.nameOnly.length - 3);
    expect(world.github.requests.map((r) => r.path)).not.toContain('/users/erin');
  });

  it('merges several repositories: one person, one row, with their repositories', async () => {
    world = await startWorld({
      repos: [{ owner: 'octo-org', name: 'second', contributors: [{ login: 'alice', contributions: 1 }, { login: 'newcomer', contributions: 2 }], issues: [], issueComments: [], reviewComments: [], commitComments: [] }],
    });
    const result = await runCli(['octo-org/hello-world', 'octo-org/second', '--format', 'json', '--no-names'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { repositories: Array<{ fullName: string }>; contributors: Array<{ login: string | null; repositories: string[] }> };
    expect(report.repositories.map((r) => r.fullName)).toEqual(['octo-org/hello-world', 'octo-org/second']);
    expect(report.contributors.filter((c) => c.login === 'alice')).toHaveLength(1);
    expect(report.contributors.find((c) => c.login === 'alice')?.repositories).toEqual(['octo-org/hello-world', 'octo-org/second']);
    expect(report.contributors.find((c) => c.login === 'newcomer')?.repositories).toEqual(['octo-org/second']);
  });
});

describe('--refresh', () => {
  it('revalidates every cached response; unchanged, it costs no rate limit with a token', async () => {
    world = await startWorld();
    const first = await runCli([world.fixture.facts.fullName], world.env);
    // What the first run asked of REST (GET /rate_limit, free, only weighed the comments' two ways).
    const fetched = world.github.requests.filter((r) => !r.operation && r.path !== '/rate_limit').map((r) => r.path).sort();
    expect(fetched.length).toBeGreaterThan(5);
    world.github.clearLog();
    const refreshed = await runCli([world.fixture.facts.fullName, '--refresh'], world.env);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toBe(first.stdout);
    // Every cached REST response is revalidated: a 304, free with a token. (None of the sample's REST
    // listings asked with a token ends on a full page: the page after one is growth.test.ts's.) The
    // history's pages, keyed on their head's sha, cannot change: not asked; the head is (1 point).
    const rest = world.github.requests.filter((r) => !r.operation);
    expect(rest.map((r) => r.path).sort()).toEqual(fetched.filter((path) => !path.includes('/commits?sha=')));
    expect(rest.every((r) => r.status === 304 && !r.countedAgainstLimit)).toBe(true);
    // The reviews of unchanged pull requests and the comments of unchanged threads are not asked
    // again (each is kept with its item's updated_at); the names query is (1 GraphQL point).
    expect(world.github.requests.filter((r) => r.operation).map((r) => `${r.operation} ${r.cost}`).sort()).toEqual(['HistoryHead 1', 'Names 1']);

    // From then on, a refresh of the unchanged repository costs no REST request at all.
    world.github.clearLog();
    expect((await runCli([world.fixture.facts.fullName, '--refresh'], world.env)).stdout).toBe(first.stdout);
    const again = world.github.requests.filter((r) => !r.operation);
    expect(again.map((r) => r.path).sort()).toEqual(fetched.filter((path) => !path.includes('/commits?sha=')));
    expect(again.every((r) => r.status === 304 && !r.countedAgainstLimit)).toBe(true);
  });
});

describe('octohatrack cache', () => {
  it('shows what is cached per repository and clears one repository or all', async () => {
    world = await startWorld();
    await runCli([world.fixture.facts.fullName], world.env);
    const info = await runCli(['cache', 'info', '--cache-dir', world.cacheDir], {});
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`Cache: ${world.cacheDir}`);
    // For the repository: 9 REST responses (1 of them the history's second page under its head, 1 of
    // issue events), the push each of the 3 answers about its branches was checked at, and kept on
    // their own the reviews of each of its 15 pull requests, the comments of each of its 45 threads
    // (issues and pull requests with comments, through GraphQL), what was seen of its issue events,
    // and of the history its head, how its pages were split, what was read and its first page
    // (through GraphQL); for names, 1 GraphQL answer and each of the 12 names kept on its own.
    const { facts } = world.fixture;
    expect([facts.counts.pullRequests, threadsOf(world.fixture).size]).toEqual([15, 45]);
    expect(info.stdout).toMatch(/^90 entries, [\d.]+ KiB in \d+ files?; oldest \d{4}-\d\d-\d\d \d\d:\d\d, newest/m);
    expect(info.stdout).toMatch(/^ {2}octo-org\/hello-world +77 entries/m);
    expect(info.stdout).toMatch(/^ {2}\(users\) +13 entries/m);

    const clearOne = await runCli(['cache', 'clear', 'octo-org/hello-world'], { OCTOHATRACK_CACHE_DIR: world.cacheDir });
    expect(clearOne.stdout).toMatch(/^Removed 77 cached entries of octo-org\/hello-world \([\d.]+ KiB\) from /);
    expect(listFiles(world.cacheDir).every((file) => !file.includes('hello-world'))).toBe(true);
    world.github.clearLog();
    await runCli([world.fixture.facts.fullName], world.env);
    // The repository again (9 REST requests, GET /rate_limit for the cost planner, a Reviews, a
    // Comments and a HistoryHead query), but not the names.
    expect(world.github.requests.filter((r) => r.operation === 'Names')).toEqual([]);
    expect(world.github.requests.map((r) => r.operation ?? (r.path === '/rate_limit' ? 'rate_limit' : 'REST')).sort()).toEqual(['Comments', 'HistoryHead', ...Array<string>(9).fill('REST'), 'Reviews', 'rate_limit']);

    const clearAll = await runCli(['cache', 'clear', '--cache-dir', world.cacheDir], {});
    expect(clearAll.stdout).toMatch(/^Removed 90 cached entries/);
    expect(listFiles(world.cacheDir)).toEqual([]);
    expect((await runCli(['cache', 'info', '--cache-dir', world.cacheDir], {})).stdout).toBe(`Cache: ${world.cacheDir}\nEmpty.\n`);
  });
});

describe('--since', () => {
  it('counts only what was made on or after the date, using the listings since', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    const since = '2023-01-22T00:00:00Z';
    const result = await runCli([facts.fullName, '--format', 'json', '--since', '2023-01-22', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { contributors: Array<{ login: string | null; counts: Record<string, number> }> };
    const dated = facts.contributions.filter((c) => c.at !== null && c.at >= since);
    const expected = [...new Set(dated.map((c) => c.login ?? c.name))].sort();
    expect(report.contributors.map((c) => c.login).sort()).toEqual(expected);
    for (const kind of ['issue', 'pull-request', 'comment', 'review-comment', 'commit-comment', 'review']) {
      const count = report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);
      expect(count, kind).toBe(dated.filter((c) => c.kind === kind).length);
    }
    // GitHub filters by update time: the listings that take `since` were asked with it.
    const listings = world.github.requests.filter((r) => /\/(issues|issues\/comments|pulls\/comments)\?/.test(r.path));
    expect(listings.every((r) => r.path.includes(`since=${encodeURIComponent(since)}`))).toBe(true);
    // No commits since then; the CONTRIBUTORS files have no dates and are left out.
    expect(report.contributors.some((c) => c.counts.code !== undefined || c.counts['contributors-file'] !== undefined)).toBe(false);
  });

  it('counts code from the commits made since the date', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName, '--format', 'json', '--since', '2020-07-01', '--no-wiki', '--no-names'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { contributors: Array<{ login: string | null; name: string | null; counts: Record<string, number> }> };
    const code = Object.fromEntries(report.contributors.filter((c) => c.counts.code).map((c) => [c.login ?? c.name, c.counts.code]));
    // The loopback GitHub makes one commit a day from 2020-01-01, contributor after contributor.
    expect(code).toEqual({ DaveTheDev: 5, 'Anon Committer': 3, 'dependabot[bot]': 8 });
    expect(world.github.requests.some((r) => r.path.startsWith('/repos/octo-org/hello-world/commits?since=2020-07-01T00%3A00%3A00Z'))).toBe(true);
  });
});

describe('--concurrency', () => {
  it('gives the same report one request at a time as four at once', async () => {
    world = await startWorld();
    // Four at once indeed: the server holds the sources' first requests until four have arrived.
    void sideBySide(world, 4);
    const fourAtOnce = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-cache'], world.env);
    const oneAtATime = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-cache', '--concurrency', '1'], world.env);
    expect(fourAtOnce.code).toBe(0);
    expect(oneAtATime.stdout).toBe(fourAtOnce.stdout);
  });
});
