/** What the CLI tells a user who is stuck: each error says what to do next, and --version is right. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('errors suggest the fix', () => {
  it('a rate-limit stop without a token: rerun, --wait-for-reset, or a token', async () => {
    world = await startWorld({ anonymous: true, rateLimit: { anonymous: 3 } });
    const result = await runCli([world.fixture.facts.fullName], world.env);
    expect(result.code).toBe(75);
    expect(result.stderr).toMatch(/^No GH_TOKEN or GITHUB_TOKEN: requests are anonymous \(60 an hour\)\. For 5,000 an hour: export GH_TOKEN=\$\(gh auth token\)$/m);
    expect(result.stderr).toMatch(/run the same command again then, and it resumes where it stopped\.\nOr add --wait-for-reset to wait for it and go on\.\nWithout a token the limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=\$\(gh auth token\)\n$/);
  });

  it('a repository that is not there, or private', async () => {
    world = await startWorld({ anonymous: true });
    const result = await runCli(['octo-org/secret', '--no-names'], world.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^octohatrack: octo-org\/secret not found \(or private: set a token with access, export GH_TOKEN=\$\(gh auth token\)\): check the name$/m);
  });
});

describe('"progress is saved" only when something was', () => {
  it('GitHub failing from the first request: no progress to speak of; after some answers: saved', async () => {
    world = await startWorld();
    world.github.addFault({ match: /^\/repos\/[^/]+\/[^/?]+$/, kind: 'status', status: 502, times: 3 });
    const first = await runCli([world.fixture.facts.fullName, '--no-wiki'], world.env);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^octohatrack: GitHub answered 502 for .* 3 times; rerun later$/m);
    // Later, with answers kept: they are what the rerun will not ask again.
    world.github.addFault({ match: /\/issues\?/, kind: 'status', status: 502, times: 3 });
    const second = await runCli([world.fixture.facts.fullName, '--no-wiki'], world.env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^octohatrack: GitHub answered 502 for .*\/issues\?.* 3 times; progress is saved, rerun later$/m);
    // And with --no-cache, never.
    world.github.addFault({ match: /\/issues\?/, kind: 'status', status: 502, times: 3 });
    const uncached = await runCli([world.fixture.facts.fullName, '--no-wiki', '--no-cache'], world.env);
    expect(uncached.stderr).toMatch(/3 times; rerun later$/m);
  });
});

describe('a CONTRIBUTORS line it cannot read', () => {
  it('is warned of once for the file as it is, not on every run; a new version of the file is told of again', async () => {
    const repo = { owner: 'octo-org', name: 'credits', contributors: [{ login: 'alice', contributions: 1 }], issues: [], issueComments: [], reviewComments: [], commitComments: [] };
    world = await startWorld({ repos: [{ ...repo, files: { CONTRIBUTORS: 'Ada <github:@ada>\nBroken <nowhere:x>\n' } }] });
    const args = ['octo-org/credits', '--no-wiki', '--no-names'];
    const first = await runCli(args, world.env);
    expect(first.stderr).toMatch(/warning: octo-org\/credits CONTRIBUTORS: line 2 has an unknown </);
    const again = await runCli([...args, '--max-age', '0'], world.env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/warning: .*CONTRIBUTORS/);
    world.github.addActivity('octo-org/credits', { push: { files: { CONTRIBUTORS: 'Ada <github:@ada>\nStill Broken <elsewhere:y>\n' } } });
    const pushed = await runCli([...args, '--max-age', '0'], world.env);
    expect(pushed.stderr).toMatch(/warning: octo-org\/credits CONTRIBUTORS: line 2 has an unknown </);
  });
});

describe('numbers that agree', () => {
  it('a cold and a warm run of the same data print the same count for each source', async () => {
    world = await startWorld();
    const args = [world.fixture.facts.fullName, '--no-wiki'];
    const lines = (stderr: string): string[] => stderr.split('\n').filter((line) => /: \d[\d,]* (person|people)$/.test(line)).sort();
    const cold = await runCli(args, world.env);
    const warm = await runCli(args, world.env);
    expect(lines(cold.stderr).length).toBeGreaterThan(5);
    expect(lines(warm.stderr)).toEqual(lines(cold.stderr));
  });
});

describe('where the cache is', () => {
  it('a cold run in a folder with no cache says first where it makes one, and how to keep one for every folder', async () => {
    world = await startWorld();
    const folder = makeTempDir('octohatrack-cwd-');
    try {
      const { OCTOHATRACK_CACHE_DIR: _dir, ...env } = world.env;
      const cold = await runCli([world.fixture.facts.fullName, '--no-wiki'], env, folder);
      expect(cold.code, cold.stderr).toBe(0);
      expect(cold.stderr.split('\n')[0]).toBe(`New cache in ${path.join(fs.realpathSync(folder), '.cache', 'octohatrack')}: the same command from another folder starts over (set OCTOHATRACK_CACHE_DIR to keep one cache wherever you run)`);
      const warm = await runCli([world.fixture.facts.fullName, '--no-wiki'], env, folder);
      expect(warm.stderr).not.toMatch(/New cache/);
      // `cache info` says where first.
      const info = await runCli(['cache', 'info'], env, folder);
      expect(info.stdout.split('\n')[0]).toBe(`Cache: ${path.join(fs.realpathSync(folder), '.cache', 'octohatrack')}`);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('conventions of gh', () => {
  it('`octohatrack help` and `octohatrack help check` print the help --help prints', async () => {
    const help = await runCli(['help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['--help'], {})).stdout);
    expect(help.stdout).toMatch(/help \[command\]\s+show help for a command/);
    const check = await runCli(['help', 'check'], {});
    expect(check.code).toBe(0);
    expect(check.stdout).toBe((await runCli(['check', '--help'], {})).stdout);
  });

  it('--token is refused, pointing to GH_TOKEN, without repeating the token', async () => {
    const result = await runCli(['octo-org/hello-world', '--token', 'ghp_typedOnTheCommandLine0000'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^octohatrack: use GH_TOKEN or GITHUB_TOKEN for the token \(a token on the command line ends up in your shell history\)/);
    expect(result.stderr).not.toContain('ghp_typedOnTheCommandLine0000');
  });

  it('one error prefix everywhere: commander\u2019s errors say octohatrack: too', async () => {
    const result = await runCli(['octo-org/hello-world', '--evil'], {});
    expect(result.stderr).toBe("octohatrack: unknown option '--evil'\n(run octohatrack --help for usage)\n");
  });
});

describe('--version', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });
});
