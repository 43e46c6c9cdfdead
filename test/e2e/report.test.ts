import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { runCli } from './run-cli.js';
import { createWiki } from './wiki.js';
import { commentsQueries, peopleOf, startWorld, threadsOf } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});


describe('octohatrack owner/repo', () => {
  it('finds every kind of contributor of the sample repository, the wiki included', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    createWiki(world.serverDir, facts.fullName, [
      { name: 'Wendy Wiki', email: 'wendy@example.org' },
      { name: 'W. Wiki', email: 'Wendy@Example.org' },
      { name: 'Nick Noreply', email: '4242+wiki-editor@users.noreply.github.com' },
      { name: 'Alice L.', email: 'alice@users.noreply.github.com' },
    ]);
    const result = await runCli([facts.fullName, '--format', 'json'], world.env);
    expect(result.stderr).not.toMatch(/warning|error|wiki found/i);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;

    // The wiki adds a login (from a no-reply email) and a name-only editor (merged by email, under the
    // name of their latest edit).
    const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en');
    expect(peopleOf(report)).toEqual({ logins: [...facts.logins, 'wiki-editor'].sort(byName), nameOnly: [...facts.nameOnly, 'W. Wiki'].sort(byName) });
    for (const [kind, logins] of Object.entries(facts.loginsByKind)) {
      const found = report.contributors.filter((c) => c.login !== null && c.kinds.includes(kind)).map((c) => c.login);
      expect(found.sort(), kind).toEqual([...logins].sort());
    }
    expect(Object.fromEntries(report.contributors.filter((c) => c.kinds.includes('wiki')).map((c) => [c.login ?? c.name, c.counts.wiki]))).toEqual({
      alice: 1,
      'W. Wiki': 2,
      'wiki-editor': 1,
    });
    // People who contributed in one way only: an approval without a comment, a wiki edit, a credit
    // in CONTRIBUTORS, a commit comment.
    const kindsOf = (login: string) => report.contributors.find((c) => c.login === login)?.kinds;
    expect(kindsOf('approver-only')).toEqual(['review']);
    expect(kindsOf('wiki-editor')).toEqual(['wiki']);
    expect(kindsOf('file-only')).toEqual(['contributors-file']);
    expect(kindsOf('commit-commenter-only')).toEqual(['commit-comment']);
    expect(kindsOf('commenter-only')).toEqual(['comment']);
    expect(report.contributors.filter((c) => c.type === 'Bot').map((c) => c.login)).toEqual(facts.bots);
    expect(report.repositories).toEqual([{ fullName: facts.fullName, githubContributors: facts.counts.contributors, allContributors: facts.logins.length + facts.nameOnly.length + 2 }]);
    expect(report.complete).toBe(true);
    // Counts: every issue and pull request is counted once, on its author.
    const total = (kind: string) => report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);
    expect(total('issue')).toBe(facts.counts.issues);
    expect(total('pull-request')).toBe(facts.counts.pullRequests);
    expect(total('comment')).toBe(facts.counts.issueComments);
    expect(total('review-comment')).toBe(facts.counts.reviewComments);
    expect(total('commit-comment')).toBe(facts.counts.commitComments);
    expect(total('review')).toBe(facts.counts.reviews);
    // The display name with terminal escapes arrives clean.
    expect(result.stdout).not.toMatch(/\u001b|\\u001b|\u0007|\\u0007/);
    expect(report.contributors.find((c) => c.login === 'evil-name')?.name).toBe('Evil Red link');
  });

  it('without a token, skips reviews with a note and marks the report incomplete', async () => {
    world = await startWorld({ anonymous: true });
    const result = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/reviews are skipped: GitHub's GraphQL API needs a token \(export GH_TOKEN=\$\(gh auth token\)\)/);
    expect(result.stderr).toMatch(/the report is incomplete/);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.complete).toBe(false);
    expect(report.contributors.some((c) => c.login === 'approver-only')).toBe(false);
    expect(world.github.requests.filter((r) => r.path.includes('graphql'))).toEqual([]);
    expect(world.github.requests.every((r) => r.token === null)).toBe(true);
  });

  it('prints the original text shape, sorted by display name, and one request per page', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    const result = await runCli([facts.fullName], world.env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('All Contributors:');
    const people = lines.slice(1, lines.indexOf(''));
    expect(people).toHaveLength(facts.logins.length + facts.nameOnly.length);
    expect(people).toContain('Alice Liddell (alice)');
    expect(people).toContain('Evil Red link (evil-name)');
    expect(people).toContain('Anon Committer');
    expect(people).toContain('ghost');
    expect([...people].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'))).toEqual(people);
    expect(lines.slice(lines.indexOf('') + 1)).toEqual([
      `Repo: ${facts.fullName}`,
      `GitHub Contributors: ${facts.counts.contributors}`,
      `All Contributors: ${people.length} 👏`,
      '',
    ]);

    // Requests: the repository, one per 100 items of each REST listing (the issue events too: the
    // sample has none, which is one request), two files; with a token, one GraphQL query per 100 pull
    // requests for reviews, one per 100 people no GraphQL answer named for names (the commenters' and
    // reviewers' come with the comments and reviews), and the issues' and pull requests' comments
    // 100 threads a query (the issues listing says which threads hold any), not the REST listing of
    // every comment; the history (for co-authors) 100 commits a page, the newest half through GraphQL
    // (both budgets are as full), the first with its head, the rest through REST; and GET /rate_limit
    // once, free, for the cost planner to weigh each way against what is left of each budget.
    const pages = (items: number) => Math.max(1, Math.ceil(items / 100));
    const historyPages = pages(facts.counts.commits);
    const throughGraphQL = Math.round(historyPages / 2);
    const listings = pages(facts.counts.contributors) + pages(facts.counts.issues + facts.counts.pullRequests) + pages(facts.counts.reviewComments) + pages(facts.counts.commitComments) + historyPages - throughGraphQL + pages(facts.counts.events);
    const rest = world.github.requests.filter((r) => !r.operation && r.path !== '/rate_limit');
    expect(rest).toHaveLength(1 + listings + 2);
    expect(rest.filter((r) => /\/issues\/\d+|\/pulls\/\d+|\/issues\/comments/.test(r.path))).toEqual([]);
    expect(world.github.requests.filter((r) => r.path === '/rate_limit').map((r) => r.countedAgainstLimit)).toEqual([false]);
    const named = facts.logins.filter((login) => login !== 'ghost' && !login.endsWith('[bot]')).length;
    // Reviews and comments are asked side by side: their order is not the point.
    const comments = commentsQueries(threadsOf(world.fixture).values());
    expect(world.github.requests.filter((r) => r.operation).map((r) => r.operation ?? '').sort()).toEqual(
      [...Array<string>(comments).fill('Comments'), 'HistoryHead', ...Array<string>(throughGraphQL - 1).fill('History'), ...Array<string>(pages(named)).fill('Names'), 'Reviews'].sort(),
    );
  });

  it('answers a second run within --max-age from the cache, without a request', async () => {
    world = await startWorld();
    const first = await runCli([world.fixture.facts.fullName], world.env);
    expect(first.code).toBe(0);
    world.github.clearLog();
    const second = await runCli([world.fixture.facts.fullName], world.env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(world.github.requests).toEqual([]);
  });

  it('revalidates with --max-age 0: 304s that cost no rate limit with a token', async () => {
    world = await startWorld();
    await runCli([world.fixture.facts.fullName], world.env);
    const firstRest = world.github.requests.filter((r) => !r.operation && r.path !== '/rate_limit').map((r) => r.path);
    world.github.clearLog();
    const again = await runCli([world.fixture.facts.fullName, '--max-age', '0'], world.env);
    expect(again.code).toBe(0);
    // REST: every cached response revalidated, free. (None of these listings ends on a full page: the
    // page after a full one is growth.test.ts's.) The history's pages, under their head's sha, cannot
    // change: they are not asked at all, but the head is, again. GraphQL cannot be revalidated: the
    // reviews of unchanged pull requests and the comments of unchanged threads are not asked again
    // (each is kept with its item's updated_at); names are. With no thread to read and the head
    // unchanged, nothing costs anything either way: GET /rate_limit is not asked.
    const rest = world.github.requests.filter((r) => !r.operation);
    expect(rest.map((r) => r.path).sort()).toEqual(firstRest.filter((path) => !path.includes('/commits?sha=')).sort());
    expect(rest.every((r) => r.status === 304 && r.ifNoneMatch !== null && !r.countedAgainstLimit)).toBe(true);
    expect(world.github.requests.filter((r) => r.operation).map((r) => r.operation).sort()).toEqual(['HistoryHead', 'Names']);
  });

  it('fetches everything and writes nothing with --no-cache', async () => {
    world = await startWorld();
    await runCli([world.fixture.facts.fullName], world.env);
    const cached = world.github.requests.length;
    world.github.clearLog();
    const fresh = await runCli([world.fixture.facts.fullName, '--no-cache', '--cache-dir', `${world.cacheDir}/elsewhere`], world.env);
    expect(fresh.code).toBe(0);
    expect(world.github.requests).toHaveLength(cached);
    expect(world.github.requests.every((r) => r.ifNoneMatch === null)).toBe(true);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${world.cacheDir}/elsewhere`)).toBe(false);
  });
});

describe('threads longer than 100 comments', () => {
  it('are counted through GraphQL exactly as the REST listing counts them without a token, and a warm rerun asks nothing', async () => {
    // A few items hold hundreds of comments, most a handful (as real repositories' threads do).
    const fixture = generateRepository({ owner: 'octo-org', name: 'long-threads', issues: 300, pullRequests: 100, comments: 3000, commentSpread: 'zipf', reviewComments: 20, commitComments: 5, people: 60, seed: 31 });
    const threads = threadsOf(fixture);
    expect(Math.max(...threads.values())).toBeGreaterThan(300);
    expect(threads.size).toBeGreaterThan(200);
    // Without a token, the REST listing: 30 pages of comments alone, past the anonymous 60 an hour.
    world = await startWorld({ fixture, rateLimit: { anonymous: 5000 } });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names'];

    const withToken = await runCli(args, world.env);
    expect(withToken.stderr).not.toMatch(/warning|error/i);
    expect(withToken.code).toBe(0);
    // Through GraphQL: the first 100 comments of 100 threads a query (and the last of each thread
    // longer than that), then the longer threads continued from their cursors at both ends, two
    // pages a round; never the REST listing. Every page but the first from each end has a cursor.
    const queries = world.github.requests.filter((r) => r.operation === 'Comments');
    expect(queries).toHaveLength(commentsQueries(threads.values()));
    const cursors = queries.flatMap((r) => Object.entries(JSON.parse(r.variables ?? '{}') as Record<string, unknown>).filter(([key, value]) => /^c\d+$/.test(key) && value !== null));
    expect(cursors.length).toBe([...threads.values()].reduce((sum, length) => sum + Math.max(0, Math.ceil(length / 100) - 2), 0));
    expect(world.github.requests.filter((r) => r.path.includes('/issues/comments'))).toEqual([]);

    const { GH_TOKEN: _token, ...anonymousEnv } = world.env;
    const withoutToken = await runCli([...args, '--no-cache'], anonymousEnv);
    expect(withoutToken.code).toBe(0);
    expect(world.github.requests.filter((r) => r.token === null && r.path.includes('/issues/comments')).length).toBe(Math.ceil(fixture.facts.counts.issueComments / 100));

    // Everyone's comments, one by one: as the facts say, and the same both ways.
    const expected: Record<string, number> = {};
    for (const c of fixture.facts.contributions) if (c.kind === 'comment' && c.login !== null) expected[c.login] = (expected[c.login] ?? 0) + 1;
    const commentsOf = (report: JsonReport): Record<string, number> => Object.fromEntries(report.contributors.flatMap((c) => (c.counts.comment === undefined ? [] : [[c.login ?? c.name ?? '', c.counts.comment]])));
    const tokenReport = JSON.parse(withToken.stdout) as JsonReport;
    const anonymousReport = JSON.parse(withoutToken.stdout) as JsonReport;
    expect(commentsOf(tokenReport)).toEqual(expected);
    expect(commentsOf(anonymousReport)).toEqual(expected);
    // The fixture has no reviews: nothing else tells the two reports apart (but `complete`).
    expect(anonymousReport.contributors).toEqual(tokenReport.contributors);
    expect(tokenReport.complete).toBe(true);

    // Each thread is kept: the warm rerun asks nothing and says the same.
    world.github.clearLog();
    const warm = await runCli(args, world.env);
    expect(warm.code).toBe(0);
    expect(warm.stdout).toBe(withToken.stdout);
    expect(world.github.requests).toEqual([]);
  });
});
