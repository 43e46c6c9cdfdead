/**
 * The all-contributors bridge: `--format all-contributors` (an `.all-contributorsrc`) and
 * `octohatrack check [--rc FILE] owner/repo` (who is missing from one; exit 1 when someone is).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './run-cli.js';
import { createWiki } from './wiki.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
let folder: string | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
  folder = null;
});

interface RcFile {
  projectName?: string;
  projectOwner?: string;
  repoType?: string;
  repoHost?: string;
  commitConvention?: string;
  contributors: Array<{ login: string; name: string; avatar_url: string; profile: string; contributions: string[] }>;
}

describe('--format all-contributors', () => {
  it("prints an .all-contributorsrc: kinds mapped to types, the repository's own file kept", async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    createWiki(world.serverDir, facts.fullName, [{ name: 'Nick Noreply', email: '4242+wiki-editor@users.noreply.github.com' }]);
    const result = await runCli([facts.fullName, '--format', 'all-contributors'], world.env);
    expect(result.code).toBe(0);
    const rc = JSON.parse(result.stdout) as RcFile;
    // The repository's .all-contributorsrc has these settings (and no commitConvention): kept as they are.
    expect(rc).toMatchObject({ projectName: 'hello-world', projectOwner: 'octo-org', repoType: 'github', repoHost: 'https://github.com' });
    expect(rc.commitConvention).toBeUndefined();
    // Everyone with a login; its own entries first, in its order.
    expect(rc.contributors.map((c) => c.login).sort()).toEqual([...facts.logins, 'wiki-editor'].sort());
    expect(rc.contributors.slice(0, 2).map((c) => c.login)).toEqual(['alice', 'rc-only']);
    const entry = (login: string) => rc.contributors.find((c) => c.login === login);
    // Given types stay, found ones are added: code → code, issue → bug, review(-comment) → review, comment → question.
    expect(entry('alice')).toEqual({
      login: 'alice',
      name: 'Alice Liddell',
      avatar_url: 'https://avatars.githubusercontent.com/alice',
      profile: 'https://github.com/alice',
      contributions: ['code', 'doc', 'bug', 'review', 'question'],
    });
    expect(entry('rc-only')?.contributions).toEqual(['ideas']);
    expect(entry('approver-only')?.contributions).toEqual(['review']);
    expect(entry('commit-commenter-only')?.contributions).toEqual(['review']);
    expect(entry('commenter-only')?.contributions).toEqual(['question']);
    expect(entry('wiki-editor')?.contributions).toEqual(['doc']);
    expect(entry('erin')?.contributions).toEqual(['bug', 'review', 'question']);
    // Credited in CONTRIBUTORS only: no type to give.
    expect(entry('file-only')?.contributions).toEqual([]);
    expect(entry('approver-only')).toMatchObject({ name: 'April Prover', avatar_url: `${world.env.GITHUB_SERVER_URL}/approver-only.png`, profile: `${world.env.GITHUB_SERVER_URL}/approver-only` });
    expect(entry('dependabot[bot]')).toMatchObject({ profile: `${world.env.GITHUB_SERVER_URL}/apps/dependabot`, contributions: ['code', 'question'] });
    // all-contributors needs a login: the people known only by name are named on stderr.
    expect(result.stderr).toContain(`left out of the all-contributors file, which needs a GitHub login: ${facts.nameOnly.join(', ')}`);
    // The repository's .all-contributorsrc was read once, by the CONTRIBUTORS-files source.
    expect(world.github.requests.filter((r) => r.path.endsWith('/contents/.all-contributorsrc'))).toHaveLength(1);
  });

  it('makes a new one for a repository that has none, with all-contributors’ defaults', async () => {
    world = await startWorld({
      repos: [{ owner: 'octo-org', name: 'fresh', contributors: [{ login: 'alice', contributions: 3 }], issues: [{ author: 'bob' }, { author: 'carol', pullRequest: true }], issueComments: [], reviewComments: [], commitComments: [] }],
    });
    const result = await runCli(['octo-org/fresh', '--format', 'all-contributors', '--no-names'], world.env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      projectName: 'fresh',
      projectOwner: 'octo-org',
      repoType: 'github',
      repoHost: world.env.GITHUB_SERVER_URL,
      files: ['README.md'],
      imageSize: 100,
      commit: false,
      commitConvention: 'none',
      contributorsPerLine: 7,
      contributors: [
        { login: 'alice', name: 'alice', avatar_url: `${world.env.GITHUB_SERVER_URL}/alice.png`, profile: `${world.env.GITHUB_SERVER_URL}/alice`, contributions: ['code'] },
        { login: 'bob', name: 'bob', avatar_url: `${world.env.GITHUB_SERVER_URL}/bob.png`, profile: `${world.env.GITHUB_SERVER_URL}/bob`, contributions: ['bug'] },
        // A pull request is code offered, merged or not.
        { login: 'carol', name: 'carol', avatar_url: `${world.env.GITHUB_SERVER_URL}/carol.png`, profile: `${world.env.GITHUB_SERVER_URL}/carol`, contributions: ['code'] },
      ],
    });
  });
});

describe('--format all-contributors over several repositories', () => {
  it('says which projectOwner/projectName the one file carries', async () => {
    world = await startWorld({
      repos: [
        { owner: 'octo-org', name: 'first', contributors: [{ login: 'alice', contributions: 3 }], issues: [], issueComments: [], reviewComments: [], commitComments: [] },
        { owner: 'octo-org', name: 'second', contributors: [{ login: 'bob', contributions: 1 }], issues: [], issueComments: [], reviewComments: [], commitComments: [] },
      ],
    });
    const result = await runCli(['octo-org/first', 'octo-org/second', '--format', 'all-contributors', '--no-names', '--no-wiki'], world.env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ projectOwner: 'octo-org', projectName: 'first' });
    expect(result.stderr).toMatch(/one all-contributors file for 2 repositories: its projectOwner\/projectName is octo-org\/first/);
    // One repository: nothing to say.
    const one = await runCli(['octo-org/first', '--format', 'all-contributors', '--no-names', '--no-wiki'], world.env);
    expect(one.stderr).not.toMatch(/one all-contributors file for/);
  });
});

describe('octohatrack check', () => {
  it('passes on the file --format all-contributors made, and fails, naming them, when people are missing', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    folder = makeTempDir('octohatrack-check-');
    const made = await runCli([facts.fullName, '--no-bots', '--format', 'all-contributors'], world.env);
    expect(made.code).toBe(0);
    fs.writeFileSync(path.join(folder, '.all-contributorsrc'), made.stdout);

    const passing = await runCli(['check', facts.fullName, '--no-bots'], world.env, folder);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/^\.all-contributorsrc: 13 people listed; octo-org\/hello-world: 17 contributors found \(4 known only by name, who cannot be listed\)\.$/m);
    expect(passing.stdout).toMatch(/^Everyone found is in \.all-contributorsrc\.$/m);
    // rc-only is credited by the repository's own .all-contributorsrc alone.
    expect(passing.stdout).toContain('In .all-contributorsrc but not found in octo-org/hello-world\'s activity (1):\n  rc-only (Rory Config)\n');

    // Two people dropped, one added by hand, in a file elsewhere.
    const rc = JSON.parse(made.stdout) as RcFile;
    rc.contributors = [...rc.contributors.filter((c) => c.login !== 'erin' && c.login !== 'approver-only'), { login: 'someone-else', name: 'Some One', avatar_url: '', profile: '', contributions: ['ideas'] }];
    fs.writeFileSync(path.join(folder, 'team.json'), JSON.stringify(rc));
    const failing = await runCli(['check', '--rc', 'team.json', facts.fullName, '--no-bots'], world.env, folder);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      [
        'Missing from team.json (2):',
        '  approver-only: review  →  npx all-contributors add approver-only review',
        '  erin: comment, issue, review  →  npx all-contributors add erin bug,review,question',
      ].join('\n'),
    );
    expect(failing.stdout).toMatch(/^ {2}someone-else \(Some One\)$/m);
    expect(failing.stdout).toMatch(/^To add them all, rewrite it: octohatrack octo-org\/hello-world --no-bots --format all-contributors > team\.json$/m);
    expect(failing.stderr).toMatch(/octohatrack: 2 contributors are missing from team\.json$/m);
    // Only logins are compared: no display names asked, beyond the --format run's.
    expect(world.github.requests.filter((r) => r.operation === 'Names')).toHaveLength(1);
  });

  it('says how to make the file when there is none, and refuses one that is not an .all-contributorsrc', async () => {
    world = await startWorld();
    folder = makeTempDir('octohatrack-check-');
    const none = await runCli(['check', world.fixture.facts.fullName], world.env, folder);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`octohatrack: there is no .all-contributorsrc in ${folder}: give its path with --rc FILE, or make one with: octohatrack octo-org/hello-world --format all-contributors > .all-contributorsrc`);
    fs.writeFileSync(path.join(folder, 'broken.json'), '{"contributors": [');
    const broken = await runCli(['check', '--rc', 'broken.json', world.fixture.facts.fullName], world.env, folder);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^octohatrack: broken\.json is not an \.all-contributorsrc: it is not valid JSON/m);
    // Neither asked GitHub anything.
    expect(world.github.requests).toEqual([]);
    const usage = await runCli(['check', 'not a repo'], world.env, folder);
    expect(usage.code).toBe(2);
  });
});
