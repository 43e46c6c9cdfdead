/**
 * What the user sees when something goes wrong: bad arguments, a missing repository, bad
 * credentials, a renamed repository, GitHub's faults and limits, and a damaged cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, listFiles, runCli, runCommand, startCli } from './run-cli.js';
import { everyone, requestKey, startWorld, token } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const noStackTrace = /\n\s+at [\w.<]+ \(|node:internal/;

describe('usage errors', () => {
  // Every bad command line is in test/hostile/arguments.test.ts, parsed in-process; these pin what
  // the real bin makes of the two kinds: exit 2 and the message on stderr, before any request.
  it('exits 2 with the message on stderr, before any request', async () => {
    world = await startWorld();
    const unknown = await runCli(['--evil', 'a/b'], world.env);
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: "octohatrack: unknown option '--evil'\n(run octohatrack --help for usage)\n" });
    const invalid = await runCli(['a\u001b[31m/b\u202e'], world.env);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe('');
    // JSON-escaped, and what JSON leaves (a bidi override) removed on the way to the terminal.
    expect(invalid.stderr).toBe('octohatrack: invalid repository "a\\u001b[31m/b ": "a\\u001b[31m" is not a GitHub owner (1-39 letters, digits and hyphens, not beginning with a hyphen); expected owner/repo, a GitHub URL to it, or an owner (acme, acme/*)\n(run octohatrack --help for usage)\n');
    expect(world.github.requests).toEqual([]);
  });

  it('pins --help', async () => {
    const result = await runCli(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
  });
});

describe('GitHub says no', () => {
  it('names a repository that does not exist', async () => {
    world = await startWorld();
    const result = await runCli(['nobody/nothing'], world.env);
    expect(result.code).toBe(1);
    // With a token, no token is suggested: the one given may not see it.
    expect(result.stderr).toMatch(/^octohatrack: nobody\/nothing not found \(or private, and this token cannot see it\): check the name$/m);
    expect(result.stderr).not.toMatch(/GH_TOKEN/);
    expect(result.stderr).not.toMatch(noStackTrace);
  });

  it('says Bad credentials for a wrong token', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName], { ...world.env, GH_TOKEN: 'wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Bad credentials: check GH_TOKEN\/GITHUB_TOKEN \(GitHub answered 401\); with the GitHub CLI: export GH_TOKEN=\$\(gh auth token\)/);
  });

  it('says so when access is blocked (451)', async () => {
    world = await startWorld();
    world.github.addFault({ match: /^\/repos\/octo-org\/hello-world$/, kind: 'status', status: 451 });
    const result = await runCli([world.fixture.facts.fullName], world.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/access to octo-org\/hello-world is blocked for legal reasons/);
  });

  it('follows a renamed repository and reports under its new name', async () => {
    world = await startWorld();
    const result = await runCli(['octo-org/hello-world-old'], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/octo-org\/hello-world-old has moved to octo-org\/hello-world; reporting under the new name/);
    expect(result.stdout).toMatch(/^Repo: octo-org\/hello-world$/m);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
  });

  it('reports a repository given under its old and its new name once', async () => {
    world = await startWorld();
    const result = await runCli(['octo-org/hello-world', 'octo-org/hello-world-old', '--no-names'], world.env);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^Repo: /gm)).toHaveLength(1);
    expect(result.stdout).not.toMatch(/All repositories/);
  });

  it('treats an empty repository and disabled issues as empty sources', async () => {
    world = await startWorld({
      repos: [
        { owner: 'octo-org', name: 'empty', contributors: [], issues: [], issueComments: [], reviewComments: [], commitComments: [] },
        { owner: 'octo-org', name: 'no-issues', hasIssues: false, contributors: [{ login: 'alice', contributions: 1 }], issues: [{ author: 'bob', pullRequest: true }], issueComments: [], reviewComments: [], commitComments: [] },
      ],
    });
    const result = await runCli(['octo-org/empty', 'octo-org/no-issues', '--format', 'json', '--no-names'], world.env);
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { repositories: unknown[]; contributors: Array<{ login: string; kinds: string[] }> };
    expect(report.repositories).toEqual([
      { fullName: 'octo-org/empty', githubContributors: 0, allContributors: 0 },
      { fullName: 'octo-org/no-issues', githubContributors: 1, allContributors: 2 },
    ]);
    expect(report.contributors.map((c) => [c.login, c.kinds])).toEqual([
      ['alice', ['code']],
      ['bob', ['pull-request']],
    ]);
    // Neither has a CONTRIBUTORS file: those 404s are remembered too, so a warm run asks nothing.
    expect(world.github.requests.filter((r) => r.status === 404).map((r) => r.path)).toHaveLength(4);
    world.github.clearLog();
    const warm = await runCli(['octo-org/empty', 'octo-org/no-issues', '--format', 'json', '--no-names'], world.env);
    expect(warm.stdout).toBe(result.stdout);
    expect(world.github.requests.map((r) => `${r.status} ${r.path}`)).toEqual([]);
  });
});

describe('GitHub falters', () => {
  it('waits out secondary rate limits and goes on', async () => {
    world = await startWorld();
    // A REST listing asked with a token (the issue comments are asked per thread through GraphQL).
    world.github.addFault({ match: /pulls\/comments/, kind: 'secondary', retryAfterSeconds: 1, times: 2 });
    const result = await runCli([world.fixture.facts.fullName], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/secondary rate limit: waiting 1 s/);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
  });

  it('retries 5xx, connection resets and a stalled body', async () => {
    world = await startWorld();
    world.github.addFault({ match: /contributors\?/, kind: 'status', status: 502, times: 2 });
    world.github.addFault({ match: /\/comments\?per_page/, kind: 'reset', times: 1 });
    world.github.addFault({ match: /contents\/CONTRIBUTORS/, kind: 'stall', times: 1 });
    const result = await runCli([world.fixture.facts.fullName, '--timeout', '1s'], world.env);
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
  });

  it('gives up on a lasting 5xx with the cache saved, and the rerun fetches only what is missing', async () => {
    world = await startWorld();
    world.github.addFault({ match: /pulls\/comments/, kind: 'status', status: 503, times: 3 });
    const failed = await runCli([world.fixture.facts.fullName], world.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/GitHub answered 503 for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/pulls\/comments\S* 3 times; progress is saved, rerun later/);
    const firstRun = new Set(world.answered());
    world.github.clearLog();
    const rerun = await runCli([world.fixture.facts.fullName], world.env);
    expect(rerun.code).toBe(0);
    expect(world.github.requests.filter((r) => firstRun.has(requestKey(r)))).toEqual([]);
  });

  it('stops with a clear error on a body that is not JSON, and caches nothing of it', async () => {
    world = await startWorld();
    world.github.addFault({ match: /\/issues\?/, kind: 'body', body: '[{"id": 1, "user": ' });
    const result = await runCli([world.fixture.facts.fullName], world.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/GitHub sent a response that is not JSON for http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world\/issues\?/);
    expect(result.stderr).not.toMatch(noStackTrace);
    const cached = listFiles(world.cacheDir).map((file) => fs.readFileSync(path.join(world?.cacheDir ?? '', file), 'utf8')).join('\n');
    expect(cached).not.toContain('/issues?state=all');
    // What other sources were answered is kept. (Not the comments: with a token, they wait for the
    // issues listing, which says which threads to ask.)
    expect(cached).toContain('/pulls/comments?');
  });
});

describe('the terminal', () => {
  it('goes on, and saves the cache, when nobody reads stderr any more', async () => {
    world = await startWorld();
    const current = world;
    // Stderr is closed at its first line, while the run waits for the server (from its first answer
    // on): what it has still to do, it does with nobody reading.
    let closed = false;
    let release = (): void => undefined;
    const stop = current.onAnswer(() => {
      stop();
      if (!closed) release = current.github.hold();
    });
    const run = startCli([current.fixture.facts.fullName, '--verbose'], current.env);
    run.child.stderr?.once('data', () => {
      closed = true;
      run.child.stderr?.destroy();
      release();
    });
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
    expect(listFiles(world.cacheDir).length).toBeGreaterThan(0);
  });

  it('prints plain lines, and finishes, on a terminal that reports zero columns', async () => {
    world = await startWorld();
    const env = Object.entries(world.env).map(([name, value]) => `${name}=${value}`).join(' ');
    // script(1) gives the CLI a real pseudo-terminal; stty makes it report no width.
    const result = await runCommand('script', ['-qfec', `stty cols 0 rows 0; ${env} ${process.execPath} ${bin} ${world.fixture.facts.fullName} --no-names`, '/dev/null'], 20_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
    expect(result.stdout).not.toMatch(/\u001b\[1A/); // no spinner redraws
  });
});

describe('the cache', () => {
  it('moves a corrupt file aside with one warning and goes on', async () => {
    world = await startWorld();
    const first = await runCli([world.fixture.facts.fullName], world.env);
    const [file] = listFiles(world.cacheDir).filter((name) => name.includes('hello-world'));
    fs.writeFileSync(path.join(world.cacheDir, file ?? ''), '{"format":"octohatrack-cache","vers');
    const second = await runCli([world.fixture.facts.fullName], world.env);
    expect(second.code).toBe(0);
    expect(second.stderr.match(/warning:/g)).toHaveLength(1);
    expect(second.stderr).toMatch(/is corrupt or of an unknown format; moved aside to .*\.corrupt-\d+, going on without it/);
    expect(second.stdout).toBe(first.stdout);
  });

  it('keeps the token out of the cache, the request log and --verbose output', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName, '--verbose'], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/GET \/repos\/octo-org\/hello-world 200 miss/);
    expect(world.github.requests.every((r) => r.token === token)).toBe(true);
    const files = listFiles(world.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const full = path.join(world.cacheDir, file);
      expect(fs.readFileSync(full, 'utf8')).not.toContain(token);
      expect(fs.statSync(full).mode & 0o777).toBe(0o600);
    }
    expect(result.stderr + result.stdout).not.toContain(token);
    expect(world.github.requests.some((r) => r.path.includes(token))).toBe(false);
  });
});
