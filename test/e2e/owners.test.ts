/**
 * `octohatrack acme` (or `acme/*`): every repository of an organisation or a user, listed, chosen
 * (forks and archived ones left out unless asked for, `--exclude-repo`), and merged into one report
 * as several repositories named on the command line are; a rate-limit stop in the middle resumes at
 * the same repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computeFacts } from '../fake-github/fixtures.js';
import type { Fixture } from '../fake-github/fixtures.js';
import { peopleOfRepositories, sampleOwners } from '../fake-github/owner-fixtures.js';
import type { FakeGitHubOptions, FakeRepo, FakeUser, RequestLogEntry } from '../fake-github/server.js';
import { runCli } from './run-cli.js';
import { requestKey, startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const owners = sampleOwners();
const organisationListing = '/orgs/acme/repos?type=all&sort=full_name&direction=asc&per_page=100';
const acmeByDefault = ['acme/app', 'acme/docs', 'acme/empty', 'acme/legacy-tool'];

/** A loopback GitHub serving the owners' repositories (and nothing else), with more if a test needs them. */
async function startOwnersWorld(options: Partial<FakeGitHubOptions> & { users?: FakeUser[]; repos?: FakeRepo[] } = {}): Promise<World> {
  const users = [...owners.users, ...(options.users ?? [])];
  const [first, ...rest] = owners.repos as [FakeRepo, ...FakeRepo[]];
  const fixture: Fixture = { users, repo: first, facts: computeFacts(users, first) };
  return startWorld({ ...options, fixture, repos: [...rest, ...(options.repos ?? [])] });
}

interface OwnersReport extends JsonReport {
  repositories: Array<{ fullName: string; githubContributors: number; allContributors: number }>;
  contributors: Array<JsonReport['contributors'][number] & { repositories: string[] }>;
}

function logins(report: OwnersReport): string[] {
  return report.contributors.map((person) => person.login ?? '');
}

/** Paths asked under a repository (`/repos/acme/app…`). */
function askedOf(current: World, fullName: string): string[] {
  return current.github.requests.map((r) => r.path).filter((path) => path === `/repos/${fullName}` || path.startsWith(`/repos/${fullName}/`));
}

describe('an organisation', () => {
  it('reports every repository but forks and archived ones, merged: one row per person, with their repositories', async () => {
    world = await startOwnersWorld();
    const result = await runCli(['acme', '--format', 'json'], world.env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as OwnersReport;
    expect(report.complete).toBe(true);
    // By name; the empty repository is there, with nobody.
    expect(report.repositories.map((r) => r.fullName)).toEqual(acmeByDefault);
    expect(report.repositories.find((r) => r.fullName === 'acme/empty')).toEqual({ fullName: 'acme/empty', githubContributors: 0, allContributors: 0 });
    expect(logins(report)).toEqual(peopleOfRepositories(owners, acmeByDefault));
    expect(report.contributors.filter((person) => person.login === 'ada')).toHaveLength(1);
    expect(report.contributors.find((person) => person.login === 'ada')?.repositories).toEqual(['acme/app', 'acme/docs', 'acme/legacy-tool']);
    // Who is only in the fork or the archived repository is not.
    expect(logins(report)).not.toContain('forker');
    expect(logins(report)).not.toContain('archivist');
    expect(result.stderr).toContain('acme: 4 repositories (an organisation); left out: 1 fork, 1 archived (--include-forks, --include-archived to count them)\n');

    // The organisation's listing once; nothing of the repositories left out.
    const paths = world.github.requests.map((r) => r.path);
    expect(paths.filter((path) => path.includes('/repos?'))).toEqual([organisationListing]);
    expect(askedOf(world, 'acme/upstream-fork')).toEqual([]);
    expect(askedOf(world, 'acme/attic')).toEqual([]);
    // An empty repository: 409 for its contributors, and nobody; not an error.
    expect(world.github.requests.find((r) => r.path.startsWith('/repos/acme/empty/contributors'))?.status).toBe(409);

    // Progress says which repository of how many, on plain lines too (stderr is not a terminal here).
    expect(result.stderr).toMatch(/^\[1\/4\] acme\/app: code contributors: 2 people$/m);
    expect(result.stderr).toMatch(/^\[2\/4\] acme\/docs: issues and pull requests: 2 people$/m);
    expect(result.stderr).toMatch(/^\[3\/4\] acme\/empty: code contributors: 0 people$/m);
    expect(result.stderr).toMatch(/^\[4\/4\] acme\/legacy-tool: /m);
    expect(result.stderr).not.toMatch(/^acme\/app: /m);
  });

  it('acme/* is the same; --include-forks, --include-archived and --exclude-repo choose among them', async () => {
    world = await startOwnersWorld();
    const result = await runCli(['acme/*', '--include-forks', '--include-archived', '--exclude-repo', 'legacy-*', '--format', 'json', '--no-names'], world.env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as OwnersReport;
    const chosen = ['acme/app', 'acme/attic', 'acme/docs', 'acme/empty', 'acme/upstream-fork'];
    expect(report.repositories.map((r) => r.fullName)).toEqual(chosen);
    expect(logins(report)).toEqual(peopleOfRepositories(owners, chosen));
    expect(logins(report)).toContain('forker');
    expect(logins(report)).toContain('archivist');
    expect(logins(report)).not.toContain('legacy-dev');
    expect(askedOf(world, 'acme/legacy-tool')).toEqual([]);
    expect(result.stderr).toContain('acme: 5 repositories (an organisation); left out: 1 matched by --exclude-repo\n');

    // Globs on the name, or with a slash on the full name; repeatable, and comma-separated.
    world.github.clearLog();
    const some = await runCli(['acme', '--exclude-repo', 'e?pty,acme/l*', '--exclude-repo', 'DOCS', '--format', 'json', '--no-names'], world.env);
    expect(some.code, some.stderr).toBe(0);
    expect((JSON.parse(some.stdout) as OwnersReport).repositories.map((r) => r.fullName)).toEqual(['acme/app']);
    expect(some.stderr).toContain('acme: 1 repository (an organisation); left out: 1 fork, 1 archived (--include-forks, --include-archived to count them), 3 matched by --exclude-repo\n');
    // Everything was cached by the first run (within --max-age): the listing is not asked again.
    expect(world.github.requests).toEqual([]);
  });

  it('pages through an organisation of more than 100 repositories', async () => {
    const many = Array.from({ length: 120 }, (_, index): FakeRepo => ({ owner: 'many', name: `mirror-${String(index).padStart(3, '0')}`, fork: true, hasWiki: false }));
    const own: FakeRepo = { owner: 'many', name: 'own', hasWiki: false, contributors: [{ login: 'ada', contributions: 1 }] };
    world = await startOwnersWorld({ users: [{ login: 'many', type: 'Organization' }], repos: [...many, own] });
    const result = await runCli(['many', '--format', 'json', '--no-names'], world.env);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as OwnersReport).repositories.map((r) => r.fullName)).toEqual(['many/own']);
    expect(result.stderr).toContain('many: 1 repository (an organisation); left out: 120 forks (--include-forks to count them)\n');
    // One request per 100 repositories, each page keyed from the first URI.
    expect(world.github.requests.map((r) => r.path).filter((path) => path.includes('/repos?'))).toEqual([
      '/orgs/many/repos?type=all&sort=full_name&direction=asc&per_page=100',
      '/orgs/many/repos?type=all&sort=full_name&direction=asc&per_page=100&page=2',
    ]);
    // A single repository: no [1/1] before its lines.
    expect(result.stderr).toMatch(/^many\/own: code contributors: 1 person$/m);
  });
});

describe('a user', () => {
  it("falls back to the user's repositories where there is no such organisation (404), and mixes with owner/repo", async () => {
    world = await startOwnersWorld();
    // acme/attic is archived, but named on the command line: reported.
    const result = await runCli(['solo', 'acme/attic', '--format', 'json', '--no-names'], world.env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as OwnersReport;
    expect(report.repositories.map((r) => r.fullName)).toEqual(['solo/dotfiles', 'solo/site', 'acme/attic']);
    expect(logins(report)).toEqual(peopleOfRepositories(owners, ['solo/dotfiles', 'solo/site', 'acme/attic']));
    expect(report.contributors.find((person) => person.login === 'solo')?.repositories).toEqual(['solo/dotfiles', 'solo/site']);
    expect(result.stderr).toContain('solo: 2 repositories (a user); left out: 1 fork (--include-forks to count it)\n');
    expect(result.stderr).toMatch(/^\[3\/3\] acme\/attic: code contributors: 1 person$/m);
    const listings = world.github.requests.filter((r) => r.path.includes('/repos?')).map((r) => `${r.status} ${r.path}`);
    expect(listings).toEqual(['404 /orgs/solo/repos?type=all&sort=full_name&direction=asc&per_page=100', '200 /users/solo/repos?type=owner&sort=full_name&direction=asc&per_page=100']);

    // The 404 is remembered with the listing: a rerun within --max-age asks neither.
    world.github.clearLog();
    const again = await runCli(['solo', 'acme/attic', '--format', 'json', '--no-names'], world.env);
    expect(again.stdout).toBe(result.stdout);
    expect(world.github.requests).toEqual([]);
  });
});

describe('an owner with nothing to report', () => {
  it('is an error (exit 1) naming the owner and what was left out, before any repository is asked for', async () => {
    world = await startOwnersWorld();
    const excluded = await runCli(['acme', 'solo', '--exclude-repo', '*'], world.env);
    expect(excluded.code).toBe(1);
    expect(excluded.stdout).toBe('');
    expect(excluded.stderr).toContain('octohatrack: acme (an organisation) has no repositories left to report: 1 fork, 1 archived (--include-forks, --include-archived to count them), 4 matched by --exclude-repo\n');
    expect(world.github.requests.map((r) => r.path)).toEqual([organisationListing]);

    const hollow = await runCli(['hollow'], world.env);
    expect(hollow.code).toBe(1);
    expect(hollow.stderr).toContain('octohatrack: hollow (an organisation) has no repositories that GitHub lists (its private ones need a token with access to them): nothing to report\n');

    world.github.clearLog();
    const nobody = await runCli(['acme/app', 'nobody'], world.env);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('octohatrack: nobody not found: there is no organisation or user of that name (check the spelling, or give owner/repo for one repository)\n');
    expect(nobody.stderr).not.toMatch(/\n\s+at /);
    expect(world.github.requests.map((r) => `${r.status} ${r.path.replace(/\?.*/, '')}`)).toEqual(['404 /orgs/nobody/repos', '404 /users/nobody/repos']);
  });
});

describe('usage errors', () => {
  it.each([
    [['acme/'], /^octohatrack: invalid repository "acme\/": no repository after the owner: give acme\/<repo>, or acme for all its repositories/],
    [['/*'], /^octohatrack: invalid owner "\/\*": an organisation or user is 1-39 letters, digits and hyphens, not beginning with a hyphen/],
    [['ac_me'], /^octohatrack: invalid owner "ac_me"/],
    [['acme', '--exclude-repo'], /^octohatrack: option '--exclude-repo <glob>' argument missing\n/],
    [['acme', '--exclude-repo', 'a b'], /^octohatrack: invalid --exclude-repo pattern "a b"/],
    [['acme/app', '--include-archived'], /^octohatrack: --include-archived chooses among an owner's repositories: give an owner \(acme or acme\/\*\), not only owner\/repo\n/],
    [['check', 'acme'], /^octohatrack: invalid repository "acme" for check: it compares one repository with its .all-contributorsrc; give owner\/repo, not an owner\n/],
  ])('%j: exit 2, and no request', async (args, message) => {
    world = await startOwnersWorld();
    const result = await runCli(args, world.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\(run octohatrack --help for usage\)\n$/);
    expect(world.github.requests).toEqual([]);
  });
});

describe('--dry-run with an owner', () => {
  it('estimates every repository chosen, and the run that follows asks neither the listing nor the first pages again', async () => {
    world = await startOwnersWorld();
    const dry = await runCli(['acme', '--dry-run', '--format', 'json'], world.env);
    expect(dry.code, dry.stderr).toBe(0);
    const estimate = JSON.parse(dry.stdout) as { repositories: Array<{ fullName: string }>; spent: { requests: number } };
    expect(estimate.repositories.map((r) => r.fullName)).toEqual(acmeByDefault);
    // What the dry run asked of REST, the owner's listing included (GET /rate_limit is free).
    const asked = world.github.requests.filter((r) => !r.operation && r.path !== '/rate_limit' && r.countedAgainstLimit);
    expect(asked.map((r) => r.path)).toContain(organisationListing);
    expect(estimate.spent.requests).toBe(asked.length);

    const dryRun = new Set(world.answered().filter((key) => key !== '/rate_limit'));
    world.github.clearLog();
    const run = await runCli(['acme', '--format', 'json'], world.env);
    expect(run.code, run.stderr).toBe(0);
    expect(world.github.requests.map(requestKey).filter((key) => dryRun.has(key))).toEqual([]);
  });
});

describe('a run over an organisation stopped by the primary rate limit', () => {
  /** The report an uninterrupted run gives: the same owners, served by a GitHub of their own, without limits. */
  async function uninterrupted(args: string[]): Promise<string> {
    const reference = await startOwnersWorld();
    try {
      const result = await runCli(args, reference.env);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    } finally {
      await reference.close();
    }
  }

  it('stops in the middle of the second repository; the rerun after the reset asks nothing answered and resumes there', async () => {
    // The listing, then acme/app's 8 REST requests (the repository, 5 listings, 2 files; its history
    // comes with its head, through GraphQL): the limit runs out 4 requests into acme/docs. What is left
    // (4 of acme/docs, 8 of acme/empty) fits in the next window.
    world = await startOwnersWorld({ rateLimit: { authenticated: 13 } });
    const args = ['acme', '--exclude-repo', 'legacy-*', '--format', 'json'];
    const stopped = await runCli(args, world.env);
    expect(stopped.code, stopped.stderr).toBe(75);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toMatch(/stopped by GitHub's REST API rate limit after \d+ answered requests/);
    // Answered (a 404 of a missing file is an answer too, remembered), not refused.
    const answered = (fullName: string) => world?.github.requests.filter((r) => askedOf(world as World, fullName).includes(r.path) && r.countedAgainstLimit) ?? [];
    expect(answered('acme/app')).toHaveLength(8);
    expect(answered('acme/docs')).toHaveLength(4);
    expect(world.github.requests.some((r) => r.path.startsWith('/repos/acme/docs') && r.status === 403)).toBe(true);
    expect(askedOf(world, 'acme/empty')).toEqual([]);
    expect(stopped.stderr).toMatch(/^\[1\/3\] acme\/app: code contributors: 2 people$/m);
    // GET /rate_limit is free and never cached: the cost planner asks it again, and that is all right.
    // A GraphQL query is told apart by its variables too: acme/docs' Reviews are not acme/app's.
    const keyOf = (r: RequestLogEntry): string => `${requestKey(r)} ${r.variables ?? ''}`;
    const firstRun = new Set(world.github.requests.filter((r) => (r.status >= 200 && r.status < 300) || r.status === 304).map(keyOf).filter((key) => !key.startsWith('/rate_limit')));

    world.github.resetRateLimits();
    world.github.clearLog();
    const resumed = await runCli(args, world.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rerun = world.github.requests.map(keyOf);
    expect(rerun.filter((key) => firstRun.has(key))).toEqual([]);
    // It resumes at acme/docs: nothing of the listing or of acme/app is asked again.
    expect(rerun.filter((key) => key.includes('/repos?') || key.startsWith('/repos/acme/app'))).toEqual([]);
    expect(rerun.filter((key) => key.startsWith('/repos/acme/docs')).length).toBeGreaterThan(0);
    expect(resumed.stdout).toBe(await uninterrupted(args));
  });
});
