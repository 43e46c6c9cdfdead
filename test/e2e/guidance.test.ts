/** What the CLI tells a user who is stuck: each error says what to do next, and --version is right. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';
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
    expect(result.stderr).toMatch(/^octohatrack: octo-org\/secret not found \(or private: set a token with access\): check the name, or export GH_TOKEN=\$\(gh auth token\)$/m);
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
