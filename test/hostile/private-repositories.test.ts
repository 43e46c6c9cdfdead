/**
 * A private repository's cached answers are served only to a run that GitHub lets see the repository
 * now: its answer (`GET /repos/{owner}/{repo}`) is asked again every run, with If-None-Match (a free
 * 304 for a caller who still sees it), and a run that gets 404 (no token, another account's token) or
 * 401 (a bad one) is told so and given nothing from the cache. Public repositories stay shared. Owner
 * listings holding private repositories are asked again the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles, runCli } from '../e2e/run-cli.js';
import { startWorld, token } from '../e2e/world.js';
import type { JsonReport, World } from '../e2e/world.js';

const crashTrace = /\n\s+at [\w.<]+ \(|node:internal|unexpected error/;
const otherAccount = 'ghp_anotherAccountWithoutAccess00000000';
const secret = {
  owner: 'octo-org',
  name: 'secret',
  privateTo: [token],
  contributors: [{ login: 'insider', contributions: 7 }],
  issues: [{ author: 'insider-issue-author' }],
  issueComments: [],
  reviewComments: [],
  commitComments: [],
  files: { CONTRIBUTORS: 'Confidential Person <confidential@example.org>\n' },
};
/** Anything of the private repository's that a report could print. */
const secretText = /insider|Confidential Person|confidential@example\.org/;

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function openWorld(): Promise<World> {
  world = await startWorld({ repos: [secret], tokens: [token, otherAccount] });
  return world;
}

function as(current: World, who: 'owner' | 'anonymous' | 'other' | 'bad'): Record<string, string | undefined> {
  const tokens = { owner: token, anonymous: undefined, other: otherAccount, bad: 'ghp_revokedOrMistyped000000000000000000' };
  return { ...current.env, GH_TOKEN: tokens[who] };
}

describe('a private repository cached under a token', () => {
  it('is not served to a run without a token, with another account\u2019s token or a bad one; the same account is served from the cache', async () => {
    const current = await openWorld();
    const args = ['octo-org/secret', '--format', 'json', '--no-wiki'];
    const first = await runCli(args, as(current, 'owner'));
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as JsonReport;
    expect(report.contributors.map((c) => c.login ?? c.name)).toEqual(expect.arrayContaining(['insider', 'insider-issue-author', 'Confidential Person']));

    for (const [who, said] of [['anonymous', /octo-org\/secret not found \(or private: set a token with access/], ['other', /octo-org\/secret not found \(or private, and this token cannot see it\)/], ['bad', /Bad credentials/]] as const) {
      current.github.clearLog();
      for (const format of ['json', 'text', 'csv']) {
        const run = await runCli(['octo-org/secret', '--format', format, '--no-wiki'], as(current, who));
        expect(run.stderr, `${who} ${format}`).not.toMatch(crashTrace);
        expect(run.code, `${who} ${format}`).toBe(1);
        expect(run.stderr, `${who} ${format}`).toMatch(said);
        expect(run.stdout, `${who} ${format}`).toBe('');
        expect(run.stderr, `${who} ${format}`).not.toMatch(secretText);
      }
      // GitHub was asked, and said no: nothing else was read from the cache in its place.
      expect(current.github.requests.map((r) => `${r.path} ${r.status}`), who).toEqual(Array(3).fill(`/repos/octo-org/secret ${who === 'bad' ? 401 : 404}`));
    }

    // The account that fetched it: served from the cache as before, for one free conditional request.
    current.github.clearLog();
    const again = await runCli(args, as(current, 'owner'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(current.github.requests.map((r) => `${r.path} ${r.status} ${r.countedAgainstLimit ? 'counted' : 'free'}`)).toEqual(['/repos/octo-org/secret 304 free']);
  });

  it('kept by an older octohatrack, which did not keep whether a repository is private: asked again in full, and not served to a run that cannot see it', async () => {
    const current = await openWorld();
    const args = ['octo-org/secret', '--format', 'json', '--no-wiki'];
    const first = await runCli(args, as(current, 'owner'));
    expect(first.code, first.stderr).toBe(0);
    // The repository's answer as an older version kept it: without `private`.
    let edited = 0;
    for (const file of listFiles(current.cacheDir).filter((name) => name.endsWith('.json'))) {
      const full = path.join(current.cacheDir, file);
      const document = JSON.parse(fs.readFileSync(full, 'utf8')) as { entries: Record<string, { body: Record<string, unknown> }> };
      const entry = document.entries['/repos/octo-org/secret'];
      if (entry === undefined) continue;
      delete entry.body.private;
      edited += 1;
      fs.writeFileSync(full, JSON.stringify(document));
    }
    expect(edited).toBe(1);
    current.github.clearLog();
    const anonymous = await runCli(args, as(current, 'anonymous'));
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toBe('');
    expect(current.github.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/repos/octo-org/secret 404']);
    // The account that sees it: asked in full once (the answer kept now says it is private), then a free 304.
    for (const expected of ['/repos/octo-org/secret 200', '/repos/octo-org/secret 304']) {
      current.github.clearLog();
      const owner = await runCli(args, as(current, 'owner'));
      expect(owner.stdout).toBe(first.stdout);
      expect(current.github.requests.map((r) => `${r.path} ${r.status}`)).toEqual([expected]);
    }
  });

  it('public repositories stay shared: a run without a token is served what a run with one cached', async () => {
    const current = await openWorld();
    // Kinds both runs read the same way (with a token, comments and reviews go through GraphQL).
    const args = ['octo-org/hello-world', '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'code,issue,pull-request,contributors-file'];
    const first = await runCli(args, as(current, 'owner'));
    expect(first.code, first.stderr).toBe(0);
    current.github.clearLog();
    const anonymous = await runCli(args, as(current, 'anonymous'));
    expect(anonymous.code, anonymous.stderr).toBe(0);
    expect(anonymous.stdout).toBe(first.stdout);
    expect(current.github.requests).toEqual([]);
  });

  it('an owner\u2019s listing that names a private repository is not served to a run that cannot see it', async () => {
    const current = await openWorld();
    const owner = await runCli(['octo-org', '--format', 'json', '--no-wiki'], as(current, 'owner'));
    expect(owner.code, owner.stderr).toBe(0);
    expect(owner.stderr).toMatch(/octo-org: 2 repositories/);
    expect(owner.stdout).toMatch(/insider/);
    for (const who of ['anonymous', 'other'] as const) {
      const run = await runCli(['octo-org', '--format', 'json', '--no-wiki', '--no-names'], as(current, who));
      expect(run.stderr, who).not.toMatch(crashTrace);
      expect(run.stderr, who).toMatch(/octo-org: 1 repository/);
      expect(run.stderr, who).not.toMatch(/secret/);
      expect(run.stdout, who).not.toMatch(secretText);
      expect(run.stdout, who).not.toMatch(/octo-org\/secret/);
    }
    // And the owner still sees both.
    const again = await runCli(['octo-org', '--format', 'json', '--no-wiki'], as(current, 'owner'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(owner.stdout);
  });
});
