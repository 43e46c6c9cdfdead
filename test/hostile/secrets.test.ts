/**
 * The token goes to the API in the Authorization header, and nowhere else. After full runs in every
 * output format, verbose, with a wiki clone, with failures, the token is searched for everywhere it
 * could have leaked: the cache directory (names and contents), stdout and stderr, the files the
 * reports were written to, the loopback server's request log (paths, GraphQL variables), and what
 * `git` was given (its arguments and environment, recorded by a wrapper first on the PATH).
 * And the cache is private: files 0600 in folders 0700, whatever the umask.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFormats } from '../../src/options.js';
import { bin, listFiles, makeTempDir, runCli } from '../e2e/run-cli.js';
import type { CliResult } from '../e2e/run-cli.js';
import { createWiki } from '../e2e/wiki.js';
import { startWorld, token } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

/** Also searched for: the token's tail, in case something printed it cut, or base64-encoded it. */
const needles = [token, token.slice(-12), Buffer.from(token).toString('base64'), Buffer.from(`x-access-token:${token}`).toString('base64')];

let world: World;
let outputDir: string;
let gitLogDir: string;
const runs: CliResult[] = [];

function expectNoToken(text: string, where: string): void {
  for (const needle of needles) expect(text.includes(needle), `the token is in ${where}`).toBe(false);
}

function everyFileUnder(dir: string): Array<{ name: string; text: string }> {
  return listFiles(dir).map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'latin1') }));
}

beforeAll(async () => {
  world = await startWorld();
  outputDir = makeTempDir('octohatrack-out-');
  gitLogDir = makeTempDir('octohatrack-git-');
  // A `git` that writes down what it was given, then runs the real one.
  const realGit = ['/usr/bin/git', '/usr/local/bin/git', '/bin/git'].find((candidate) => fs.existsSync(candidate)) ?? 'git';
  fs.writeFileSync(path.join(gitLogDir, 'git'), `#!/bin/sh\nenv > "${gitLogDir}/env-$$.txt"\nprintf '%s\\n' "$@" > "${gitLogDir}/args-$$.txt"\nexec ${realGit} "$@"\n`, { mode: 0o755 });
  createWiki(world.serverDir, world.fixture.facts.fullName, [{ name: 'Wiki Writer', email: 'wiki@example.org' }]);
  const env = { ...world.env, PATH: `${gitLogDir}:${process.env.PATH ?? ''}` };
  for (const format of outputFormats) {
    const result = await runCli([world.fixture.facts.fullName, '--format', format, '--verbose', '--max-age', format === 'text' ? '24h' : '0'], env);
    expect(result.code, result.stderr).toBe(0);
    fs.writeFileSync(path.join(outputDir, `report.${format}`), result.stdout);
    runs.push(result);
  }
  // The same through GITHUB_TOKEN, and runs that fail: bad credentials, a server error, a rate limit.
  runs.push(await runCli([world.fixture.facts.fullName, '--verbose', '--no-cache'], { ...env, GH_TOKEN: undefined, GITHUB_TOKEN: token }));
  world.github.addFault({ match: /\/issues\?/, kind: 'status', status: 502, times: 3 });
  runs.push(await runCli([world.fixture.facts.fullName, '--verbose', '--no-cache'], env));
  world.github.addFault({ match: /\/pulls\/comments/, kind: 'primary', resetInSeconds: 60 });
  runs.push(await runCli([world.fixture.facts.fullName, '--verbose', '--no-cache'], env));
  runs.push(await runCli([world.fixture.facts.fullName, '--verbose', '--no-cache'], { ...env, GH_TOKEN: `${token}-revoked` }));
}, 60_000);

afterAll(async () => {
  await world.close();
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.rmSync(gitLogDir, { recursive: true, force: true });
});

describe('the token after full runs', () => {
  it('was sent, in the Authorization header, with every request', () => {
    expect(world.github.requests.length).toBeGreaterThan(30);
    expect(world.github.requests.filter((r) => r.token !== token && r.token !== `${token}-revoked`)).toEqual([]);
  });

  it('is in no cache file, by name or content', () => {
    const files = everyFileUnder(world.cacheDir);
    // Compacted on exit: the repository's partition and the names'.
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const { name, text } of files) {
      expectNoToken(name, `the cache file name ${name}`);
      expectNoToken(text, `the cache file ${name}`);
    }
  });

  it('is in no output: stdout, stderr (--verbose), the report files of every format', () => {
    expect(runs.map((r) => r.code)).toEqual([...outputFormats.map(() => 0), 0, 1, 75, 1]);
    runs.forEach((result, index) => {
      expectNoToken(result.stdout, `stdout of run ${index}`);
      expectNoToken(result.stderr, `stderr of run ${index}`);
    });
    expect(runs[0]?.stderr).toMatch(/GET \/repos\/octo-org\/hello-world 200 miss/);
    for (const { name, text } of everyFileUnder(outputDir)) expectNoToken(text, name);
  });

  it('is in no URL or GraphQL variable the server received', () => {
    for (const request of world.github.requests) {
      expectNoToken(request.path, `the request ${request.path}`);
      expectNoToken(request.variables ?? '', `the variables of ${request.path}`);
    }
  });

  it('is not handed to git, in its arguments or its environment', () => {
    const files = everyFileUnder(gitLogDir).filter(({ name }) => name !== 'git');
    // git was run (clone and log, for each run with a wiki).
    expect(files.filter(({ name }) => name.startsWith('args-')).length).toBeGreaterThanOrEqual(2);
    for (const { name, text } of files) expectNoToken(text, `git's ${name}`);
  });

  it('typed into a repository URL by mistake, is refused and not echoed', async () => {
    const result = await runCli([`https://x-access-token:${token}@github.com/octo-org/hello-world`], world.env);
    expect(result.code).toBe(2);
    expectNoToken(result.stderr, 'the usage error');
    expect(result.stderr).toMatch(/invalid repository/);
  });
});

describe('a token or a URL that would be printed', () => {
  it.each([
    ['a line break', `${token}\nline2`, /GH_TOKEN contains a line break/],
    ['a tab', `${token}\tx`, /GH_TOKEN contains a space or a control character/],
    ['a space', `${token} x`, /GH_TOKEN contains a space or a control character/],
  ])('a pasted GH_TOKEN with %s is refused up front (exit 2), without asking GitHub or echoing it', async (_what, pasted, message) => {
    const before = world.github.requests.length;
    const result = await runCli([world.fixture.facts.fullName, '--no-cache', '--verbose'], { ...world.env, GH_TOKEN: pasted });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expectNoToken(result.stderr, 'the refusal');
    expectNoToken(result.stdout, 'stdout');
    expect(world.github.requests.length).toBe(before);
  });

  it('the same in GITHUB_TOKEN names GITHUB_TOKEN', async () => {
    const result = await runCli([world.fixture.facts.fullName, '--no-cache'], { ...world.env, GH_TOKEN: undefined, GITHUB_TOKEN: `${token}\r\n` + 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GITHUB_TOKEN contains a line break/);
    expectNoToken(result.stderr, 'the refusal');
  });

  it.each(['GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'GITHUB_SERVER_URL'])('credentials inside %s are refused and never printed', async (name) => {
    const url = `http://someone:hunter2secret@${new URL(world.github.url).host}/`;
    const result = await runCli([world.fixture.facts.fullName, '--no-cache'], { ...world.env, [name]: url });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${name} must not hold a user name or password`));
    expect(result.stderr).not.toMatch(/hunter2secret|someone/);
  });

  it('quoted back by a server in its error message, it is blanked out', async () => {
    world.github.addFault({ match: /^\/repos\/[^/]+\/[^/?]+$/, kind: 'status', status: 403, message: `token ${token} may not read this` });
    const result = await runCli([world.fixture.facts.fullName, '--no-cache'], world.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/token \*\*\* may not read this/);
    expectNoToken(result.stderr, 'the error');
  });

  it('a URL that is not one is not echoed whole either', async () => {
    const result = await runCli([world.fixture.facts.fullName, '--no-cache'], { ...world.env, GITHUB_API_URL: 'http://someone:hunter2secret@[bad' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GITHUB_API_URL is not a URL/);
    expect(result.stderr).not.toMatch(/hunter2secret/);
  });
});

describe('a private cache', () => {
  it.each(['000', '022', '077'])('with umask %s: files 0600, folders 0700, the cache folder itself included', async (umask) => {
    const parent = makeTempDir('octohatrack-umask-');
    const cacheDir = path.join(parent, 'nested', 'cache');
    try {
      // Asynchronously: the loopback GitHub answers from this very process.
      const child = spawn('/bin/sh', ['-c', `umask ${umask} && exec "${process.execPath}" "${bin}" octo-org/hello-world --no-wiki --quiet`], {
        env: { ...process.env, ...world.env, OCTOHATRACK_CACHE_DIR: cacheDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status, stderr).toBe(0);
      const files = listFiles(cacheDir);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) expect((fs.statSync(path.join(cacheDir, file)).mode & 0o777).toString(8), file).toBe('600');
      const folders = [cacheDir, ...fs.readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name))];
      for (const folder of folders) expect((fs.statSync(folder).mode & 0o777).toString(8), folder).toBe('700');
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
