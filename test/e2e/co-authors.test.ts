/**
 * `co-author`: the people named in `Co-authored-by` trailers of the default branch's commits, end to
 * end against the loopback GitHub: who counts (git's trailer rules), who they are (a no-reply email,
 * an email GitHub links on another commit, else a name and an email), one row per person, every
 * format, and what it costs (the history, 100 commits a page or query; nothing more with --since;
 * nothing at all while nothing is pushed). How the history is read — both budgets, after a push, a
 * force push, a kill — is history.test.ts's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../fake-github/fixtures.js';
import type { FakeCommit, FakeRepo, FakeUser } from '../fake-github/types.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});


const fullName = 'pair/programming';
const longName = `Lo${'o'.repeat(900)}ng Name`;

const users: FakeUser[] = [
  { login: 'ada', name: 'Ada Lovelace' },
  { login: 'bo', name: 'Bo Builder' },
  { login: 'carol', name: null },
  { login: 'pair-only', name: 'Paige Pair' },
  { login: 'dependabot[bot]', id: 49699333, type: 'Bot' },
  { login: 'vera', name: 'Vera Verified', emails: ['vera@work.example'] },
];

const ada = { authorName: 'Ada Lovelace', authorEmail: 'ada@example.org', login: 'ada' };
const bo = { authorName: 'Bo Builder', authorEmail: 'bo@example.org', login: 'bo' };
const carol = { authorName: 'Carol', authorEmail: 'carol@example.org', login: 'carol' };

/** Commits, oldest first, each with what it credits. */
const commits: FakeCommit[] = [
  // A no-reply email is that account; an unknown email is a person known by name and email.
  { ...ada, message: 'Add the parser\n\nCo-authored-by: Bo B. <7+bo@users.noreply.github.com>\nCo-authored-by: Pat Pair <pat@example.com>' },
  // An email GitHub links to an account on another commit is that account, in any case.
  { ...bo, message: 'Fix the parser\n\nco-authored-by: Ada L. <ADA@example.org>' },
  // Crediting yourself adds nothing; an app's bot is a co-author like anyone.
  { ...ada, message: 'Bump\n\nCo-authored-by: Ada <ada@example.org>\nCO-AUTHORED-BY: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>' },
  // Not in the last paragraph: not a trailer.
  { ...carol, message: 'Refactor\n\nCo-authored-by: Early Bird <early@example.com>\n\nAnd more words after it.' },
  // Sign-offs, reviews, and malformed co-author lines credit nobody.
  { ...carol, message: 'Docs\n\nSigned-off-by: Sid Signer <sid@example.com>\nReviewed-by: Rae <rae@example.com>\nCo-authored-by: No Email\nCo-authored-by: <>' },
  // Hostile names: escapes and control characters, a very long name, unicode, an overlong trailer.
  {
    ...carol,
    message: `Hostile\n\nCo-authored-by: Evil \u001b[31mRed\u001b[0m\u0007 Name <evil@example.com>\nCo-authored-by: ${longName} <long@example.com>\nCo-authored-by: Zoë 李 🎉 <zoe@example.com>\nCo-authored-by: ${'x'.repeat(2000)} <overlong@example.com>`,
  },
  // CRLF line breaks, and an account that only ever co-authored.
  { ...bo, message: 'Windows\r\n\r\nCo-authored-by: Paige <4242+pair-only@users.noreply.github.com>\r\nCo-authored-by: Pat Pair <PAT@example.com>\r\n' },
  // An email only GitHub knows is Vera's (no commit of hers says so): GraphQL's `Commit.authors` tells.
  { ...carol, message: 'Review fixes\n\nCo-authored-by: Vera <vera@work.example>' },
];

function pairRepository(extra: Partial<FakeRepo> = {}): Fixture {
  const repo: FakeRepo = {
    owner: 'pair',
    name: 'programming',
    pushedAt: '2020-02-01T00:00:00Z',
    contributors: [
      { login: 'ada', contributions: 2, email: 'ada@example.org' },
      { login: 'bo', contributions: 2, email: 'bo@example.org' },
      { login: 'carol', contributions: 4, email: 'carol@example.org' },
    ],
    commits,
    // Pat is credited here too, by the same email: one person, one row.
    files: { CONTRIBUTORS: 'Pat Pair <pat@example.com>\n' },
    ...extra,
  };
  return { users, repo, facts: undefined as never };
}

async function report(current: World, extra: string[] = []): Promise<JsonReport> {
  const result = await runCli([fullName, '--format', 'json', '--no-wiki', ...extra], current.env);
  expect(result.stderr).not.toMatch(/error|\bat \S+ \(/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

const coAuthors = (json: JsonReport): Record<string, number> =>
  Object.fromEntries(json.contributors.flatMap((c) => (c.counts['co-author'] === undefined ? [] : [[c.login ?? c.name ?? '', c.counts['co-author']]])));
const commitPages = (current: World): string[] => current.github.requests.filter((r) => r.path.includes('/commits') || r.path.includes('/compare/')).map((r) => r.path);
const historyQueries = (current: World): string[] => current.github.requests.flatMap((r) => (r.operation?.startsWith('History') === true ? [r.operation] : []));

describe('co-authors', () => {
  it('are everyone a commit credits in its trailers, one row per person, found as git and GitHub read them', async () => {
    world = await startWorld({ fixture: pairRepository() });
    const json = await report(world);
    expect(coAuthors(json)).toEqual({
      bo: 1,
      ada: 1,
      'Pat Pair': 2,
      'dependabot[bot]': 1,
      'Evil Red Name': 1,
      [`${longName.slice(0, 199)}…`]: 1,
      'Zoë 李 🎉': 1,
      'pair-only': 1,
      vera: 1,
    });
    const row = (who: string) => json.contributors.filter((c) => (c.login ?? c.name) === who);
    // A co-author who is also a committer is one row; so is one credited in CONTRIBUTORS by the same email.
    expect(row('ada')).toEqual([{ login: 'ada', name: 'Ada Lovelace', type: 'User', kinds: ['co-author', 'code'], counts: { code: 2, 'co-author': 1 }, repositories: [fullName] }]);
    expect(row('Pat Pair')).toEqual([{ login: null, name: 'Pat Pair', type: null, kinds: ['co-author', 'contributors-file'], counts: { 'co-author': 2, 'contributors-file': 1 }, repositories: [fullName] }]);
    expect(row('dependabot[bot]')).toMatchObject([{ type: 'Bot', kinds: ['co-author'] }]);
    expect(row('pair-only')).toMatchObject([{ name: 'Paige Pair', type: 'User', kinds: ['co-author'] }]);
    // carol co-authored nothing; the people outside the last paragraph, and those who signed off, are nobody.
    expect(row('carol')).toMatchObject([{ kinds: ['code'] }]);
    const everyone = json.contributors.map((c) => `${c.login ?? ''} ${c.name ?? ''}`).join('\n');
    expect(everyone).not.toMatch(/Early|Sid|Rae|No Email|overlong|xxxxx/);
    expect(JSON.stringify(json)).not.toMatch(/\\u001b|\\u0007/);
    expect(row('vera')).toMatchObject([{ name: 'Vera Verified', type: 'User', kinds: ['co-author'] }]);
    expect(json.complete).toBe(true);
    // With a token, the history comes with its head: one GraphQL query of 100 commits, no REST page.
    expect(historyQueries(world)).toEqual(['HistoryHead']);
    expect(commitPages(world)).toEqual([]);
  });

  it('show in every format: csv and markdown list the kind, all-contributors credits it as code', async () => {
    world = await startWorld({ fixture: pairRepository() });
    const csv = await runCli([fullName, '--format', 'csv', '--no-wiki'], world.env);
    expect(csv.stdout.split('\r\n')).toContain(`pair-only,Paige Pair,User,co-author,${fullName},co-author=1`);
    expect(csv.stdout.split('\r\n')).toContain(`,Pat Pair,,co-author;contributors-file,${fullName},co-author=2;contributors-file=1`);
    const markdown = await runCli([fullName, '--format', 'markdown', '--no-wiki'], world.env);
    expect(markdown.stdout).toContain(`| Paige Pair ([@pair\\-only](${world.env.GITHUB_SERVER_URL}/pair-only)) | co-author (1) |`);
    expect(markdown.stdout).toContain('| Pat Pair | co-author (2), contributors-file (1) |');
    const rc = await runCli([fullName, '--format', 'all-contributors', '--no-wiki'], world.env);
    const { contributors } = JSON.parse(rc.stdout) as { contributors: Array<{ login: string; contributions: string[] }> };
    expect(contributors.find((c) => c.login === 'pair-only')?.contributions).toEqual(['code']);
    expect(contributors.find((c) => c.login === 'bo')?.contributions).toEqual(['code']);
  });

  it('leave out bots with --no-bots, and are found without a token too, through REST', async () => {
    world = await startWorld({ fixture: pairRepository(), anonymous: true });
    const json = await report(world, ['--no-bots', '--no-names']);
    // Through REST, an email is known to be an account's only when a commit's author has it: Vera is a name.
    expect(coAuthors(json)).toMatchObject({ bo: 1, ada: 1, 'Pat Pair': 2, 'pair-only': 1, Vera: 1 });
    expect(json.contributors.some((c) => c.login === 'dependabot[bot]')).toBe(false);
    expect(world.github.requests.every((r) => r.token === null && r.operation === undefined)).toBe(true);
    expect(commitPages(world)).toEqual(['/repos/pair/programming/commits?per_page=100']);
  });

  it('are the commits made since the date with --since, read from the listing code reads: no request more', async () => {
    const dated = commits.map((commit, index) => ({ ...commit, date: `2021-0${index + 1}-15T12:00:00Z` }));
    world = await startWorld({ fixture: pairRepository({ commits: dated }) });
    const json = await report(world, ['--since', '2021-06-01']);
    // June, July and August: the hostile names' commit, the CRLF one and Vera's (read through REST: a name).
    expect(Object.keys(coAuthors(json)).sort()).toEqual([`${longName.slice(0, 199)}…`, 'Evil Red Name', 'pair-only', 'Pat Pair', 'Vera', 'Zoë 李 🎉'].sort());
    expect(commitPages(world)).toEqual(['/repos/pair/programming/commits?since=2021-06-01T00%3A00%3A00Z&per_page=100']);
    expect(json.contributors.find((c) => c.login === 'bo')?.kinds).toEqual(['code']);
  });

  it('of an empty repository are nobody (no default branch; without a token, 409 "Git Repository is empty."), and a warm run asks nothing', async () => {
    world = await startWorld({ fixture: pairRepository({ contributors: [], commits: [], files: {} }) });
    const json = await report(world);
    expect(json.contributors).toEqual([]);
    expect(json.complete).toBe(true);
    expect(historyQueries(world)).toEqual(['HistoryHead']);
    world.github.clearLog();
    await report(world);
    expect(world.github.requests).toEqual([]);
    const { GH_TOKEN: _token, ...anonymous } = world.env;
    const result = await runCli([fullName, '--format', 'json', '--no-wiki', '--no-names'], { ...anonymous, OCTOHATRACK_CACHE_DIR: `${world.cacheDir}/anonymous` });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as JsonReport).contributors).toEqual([]);
    expect(world.github.requests.find((r) => r.path.includes('/commits'))?.status).toBe(409);
  });

  it('are priced by --dry-run from the head and the history it counts, split as the run splits it, and with --since at no request more', async () => {
    // 250 commits, each crediting a pair: 3 pages, 2 of them (the newest) through GraphQL, as what is
    // left of each budget says (one request at a time: at 4, GraphQL would read only the first, to
    // keep pace with REST's 2 side by side).
    const many = Array.from({ length: 250 }, (_, index): FakeCommit => ({ ...ada, message: `Step ${index}\n\nCo-authored-by: Pair ${index % 7} <pair${index % 7}@example.com>` }));
    world = await startWorld({ fixture: pairRepository({ commits: many }) });
    const dry = await runCli([fullName, '--no-wiki', '--dry-run', '--format', 'json', '--concurrency', '1'], world.env);
    expect(dry.code).toBe(0);
    type Estimate = { repositories: Array<{ sources: Array<{ source: string; api: string; requests: number; cached: number; accuracy: string; note?: string }> }> };
    const rows = (json: string) => (JSON.parse(json) as Estimate).repositories[0]?.sources.filter((s) => s.source === 'co-authors');
    expect(rows(dry.stdout)).toEqual([
      { source: 'co-authors', api: 'graphql', requests: 2, cached: 1, checks: 0, accuracy: 'exact', note: '250 commits: 2 pages through GraphQL, 1 through REST' },
      { source: 'co-authors', api: 'rest', requests: 1, cached: 0, checks: 0, accuracy: 'exact' },
    ]);
    expect(historyQueries(world)).toEqual(['HistoryHead']);
    expect(commitPages(world)).toEqual([]);
    world.github.clearLog();
    const json = await report(world, ['--concurrency', '1']);
    // The dry run's head (and first page) is the run's: the second page through GraphQL, the third through REST.
    expect(historyQueries(world)).toEqual(['History']);
    expect(commitPages(world)).toEqual([expect.stringMatching(/^\/repos\/pair\/programming\/commits\?sha=[0-9a-f]{40}&per_page=100&page=3$/)]);
    expect(Object.values(coAuthors(json)).reduce((sum, count) => sum + count, 0)).toBe(250);
    // Read whole: the next dry run finds every page kept.
    const again = await runCli([fullName, '--no-wiki', '--dry-run', '--format', 'json'], world.env);
    expect(rows(again.stdout)?.map((row) => [row.api, row.requests, row.cached])).toEqual([['graphql', 2, 2], ['rest', 1, 1]]);

    const since = await runCli([fullName, '--no-wiki', '--dry-run', '--format', 'json', '--since', '2020-01-01'], world.env);
    expect(rows(since.stdout)).toMatchObject([{ requests: 0, cached: 0, note: expect.stringContaining('no request more') as unknown }]);
  });

  it('are not asked again while nothing is pushed, and a refresh after a push reads only what was pushed', async () => {
    world = await startWorld({ fixture: pairRepository() });
    await report(world);
    // Warm, within --max-age: nothing at all.
    world.github.clearLog();
    await report(world);
    expect(world.github.requests).toEqual([]);
    // Past --max-age with nothing pushed: the repository is asked (it says when the last push was),
    // the history is not, nor its head.
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    await report(world, ['--max-age', '1h']);
    expect(world.github.requests.some((r) => r.path === `/repos/${fullName}`)).toBe(true);
    expect(commitPages(world)).toEqual([]);
    expect(historyQueries(world)).toEqual([]);

    // A push of a commit that credits someone new: its head, then what it added to the old one.
    world.github.addActivity(fullName, { push: { commits: [{ ...carol, message: 'Pair up\n\nCo-authored-by: Newt New <newt@example.com>' }] } });
    ageCache(world.cacheDir, 2 * hourMs);
    world.github.clearLog();
    const pushed = await report(world, ['--max-age', '1h']);
    expect(historyQueries(world)).toEqual(['HistoryHead']);
    expect(commitPages(world)).toEqual([expect.stringMatching(/^\/repos\/pair\/programming\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}\?per_page=100$/)]);
    expect(coAuthors(pushed)['Newt New']).toBe(1);
    expect(pushed).toEqual(await report(world, ['--no-cache']));
  });
});
