/**
 * Every way people paste a repository, as a user would: each form gives the report `owner/repo`
 * gives; a GitHub Enterprise Server named by its host is reached at its /api/v3 with its own token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { startWorld, token } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const args = ['--format', 'json', '--no-wiki'];

describe('a repository, however it is pasted', () => {
  it.each([
    'github.com/octo-org/hello-world',
    'https://github.com/octo-org/hello-world/issues/3',
    'https://github.com/octo-org/hello-world/tree/main',
    'https://github.com/octo-org/hello-world/pull/7/files',
    'git@github.com:octo-org/hello-world.git',
    'ssh://git@github.com/octo-org/hello-world.git',
    'octo-org/hello-world/',
    'octo-org/hello-world.git',
  ])('%s is octo-org/hello-world', async (form) => {
    world = await startWorld();
    const plain = await runCli(['octo-org/hello-world', ...args], world.env);
    expect(plain.code, plain.stderr).toBe(0);
    const pasted = await runCli([form, ...args], world.env);
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(pasted.stdout).toBe(plain.stdout);
  });

  it('a form that is not understood says which part is wrong, before any request', async () => {
    world = await startWorld();
    const result = await runCli(['octo-org/hello world'], world.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid repository "octo-org\/hello world": "hello world" is not a repository name/);
    expect(world.github.requests).toEqual([]);
  });

  it('a GitHub Enterprise Server named by its host is asked at its /api/v3, with GH_ENTERPRISE_TOKEN and never GH_TOKEN', async () => {
    const reference = await startWorld();
    const expected = (await runCli(['octo-org/hello-world', ...args], reference.env)).stdout;
    await reference.close();
    world = await startWorld({ enterprise: true });
    const host = new URL(world.github.url).host;
    const { GITHUB_API_URL: _api, GITHUB_SERVER_URL: _server, GH_TOKEN: _token, ...rest } = world.env;
    const env = { ...rest, GH_TOKEN: 'ghp_githubComTokenNeverSentElsewhere', GH_ENTERPRISE_TOKEN: token };
    const result = await runCli([`http://${host}/octo-org/hello-world/issues/1`, ...args], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(expected);
    expect(world.github.requests.length).toBeGreaterThan(3);
    expect(world.github.requests.every((request) => request.token === token)).toBe(true);
    expect(world.github.requests.filter((request) => request.status === 404)).toEqual([]);
    // Without GH_ENTERPRISE_TOKEN, anonymous, and said so (GH_TOKEN is github.com's).
    const { GH_ENTERPRISE_TOKEN: _enterprise, ...withoutIt } = env;
    world.github.clearLog();
    const anonymous = await runCli([`http://${host}/octo-org/hello-world`, ...args, '--no-names', '--kinds', 'issue', '--no-cache'], withoutIt);
    expect(anonymous.stderr).toMatch(/^No GH_ENTERPRISE_TOKEN or GITHUB_ENTERPRISE_TOKEN for this GitHub Enterprise Server: requests are anonymous \(GH_TOKEN is for github.com only\)$/m);
    expect(world.github.requests.length).toBeGreaterThan(0);
    expect(world.github.requests.filter((request) => request.token !== null)).toEqual([]);
  });
});
