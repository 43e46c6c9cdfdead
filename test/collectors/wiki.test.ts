import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectWiki, parseGitLog, wikiTempPrefix } from '../../src/collectors/wiki.js';

const fullName = 'octo-org/hello-world';

let root: string;
let serverRoot: string;
let workRoot: string;
let savedTmpdir: string | undefined;
let serverUrl: string;

/** A real bare wiki repository at `<server>/<fullName>.wiki.git`, with one commit per author given (in order). */
function makeWiki(name: string, authors: readonly (readonly [string, string])[]): void {
  const bare = join(serverRoot, `${name}.wiki.git`);
  const work = join(workRoot, name.replace('/', '_'));
  const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): void => {
    execFileSync('git', args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
  };
  execFileSync('git', ['init', '--quiet', '--bare', bare], { stdio: 'pipe' });
  if (authors.length === 0) return;
  execFileSync('git', ['init', '--quiet', work], { stdio: 'pipe' });
  authors.forEach(([authorName, authorEmail], index) => {
    execFileSync('git', ['-C', work, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', `page ${index}`], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: authorName,
        GIT_AUTHOR_EMAIL: authorEmail,
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.com',
        // Strictly increasing dates, so "most recent" is well defined.
        GIT_AUTHOR_DATE: `2024-01-01T00:00:${String(index).padStart(2, '0')}Z`,
        GIT_COMMITTER_DATE: `2024-01-01T00:00:${String(index).padStart(2, '0')}Z`,
      },
      stdio: 'pipe',
    });
  });
  git(work, ['push', '--quiet', bare, 'HEAD:refs/heads/master']);
}

async function leftoverClones(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((entry) => entry.startsWith(wikiTempPrefix));
}

/** A stand-in git: a shell script with the body given. */
async function stubGit(name: string, body: string): Promise<string> {
  const path = join(root, `${name}.sh`);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan killed but not yet reaped (some containers' PID 1 never reaps) is a zombie: not running.
  try {
    return !/^\d+ \(.*\) Z/.test(execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8', stdio: 'pipe' }));
  } catch {
    return true;
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'octohatrack-test-wiki-'));
  serverRoot = join(root, 'server');
  workRoot = join(root, 'work');
  await mkdir(join(serverRoot, 'octo-org'), { recursive: true });
  await mkdir(workRoot);
  // The collector's clones go under os.tmpdir(): point it at a directory of our own, so that counting them is
  // not disturbed by anything else running on this machine.
  await mkdir(join(root, 'tmp'));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = join(root, 'tmp');
  serverUrl = `file://${serverRoot}`;
});

afterEach(async () => {
  expect(await leftoverClones()).toEqual([]);
});

afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(root, { recursive: true, force: true });
});

describe('collectWiki', () => {
  it('counts commits per author, reads no-reply logins, merges one email under its latest name', async () => {
    makeWiki(fullName, [
      ['Ada Lovelace', 'ada@example.org'],
      ['Katie', '12345+glasnt@users.noreply.github.com'],
      ['Old Login Form', 'octocat@users.noreply.github.com'],
      ['Ada L.', 'ADA@example.org'],
      ['Katie McLaughlin', '12345+GlasNT@users.noreply.github.com'],
      ['Zoë "Q" O\'Brien; $(rm -rf)', 'zoe@example.org'],
      ['Ada Lovelace (latest)', 'ada@Example.org'],
    ]);
    expect(await leftoverClones()).toEqual([]);
    const notes: string[] = [];
    const result = await collectWiki({ env: process.env, serverUrl, fullName }, (message) => notes.push(message));
    expect(notes).toEqual([]);
    expect(result.complete).toBe(true);
    // Newest first, as git log lists them.
    expect(result.contributions).toEqual([
      { who: { login: null, type: null, name: 'Ada Lovelace (latest)', email: 'ada@example.org' }, kind: 'wiki', count: 3 },
      { who: { login: null, type: null, name: 'Zoë "Q" O\'Brien; $(rm -rf)', email: 'zoe@example.org' }, kind: 'wiki', count: 1 },
      { who: { login: 'GlasNT', type: null, name: 'Katie McLaughlin' }, kind: 'wiki', count: 2 },
      { who: { login: 'octocat', type: null, name: 'Old Login Form' }, kind: 'wiki', count: 1 },
    ]);
  });

  it('finds nothing, and says nothing, in a wiki without commits', async () => {
    makeWiki('octo-org/empty', []);
    const notes: string[] = [];
    expect(await collectWiki({ env: process.env, serverUrl, fullName: 'octo-org/empty' }, (message) => notes.push(message))).toEqual({ contributions: [], complete: true });
    expect(notes).toEqual([]);
  });

  it('treats a missing wiki as an empty source, with one note', async () => {
    const notes: string[] = [];
    const result = await collectWiki({ env: process.env, serverUrl, fullName: 'octo-org/no-wiki' }, (message) => notes.push(message));
    expect(result).toEqual({ contributions: [], complete: true });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^octo-org\/no-wiki: no wiki found \(.*does not appear to be a git repository\)$/);
  });

  it('says so when git is not installed, and marks the source incomplete', async () => {
    const notes: string[] = [];
    const result = await collectWiki({ env: process.env, serverUrl, fullName, git: '/nonexistent/git' }, (message) => notes.push(message));
    expect(result).toEqual({ contributions: [], complete: false });
    expect(notes).toEqual([`${fullName}: git is not installed (/nonexistent/git not found): the wiki is skipped (give --no-wiki not to ask for it)`]);
  });

  it('kills a clone that takes too long, helpers included, and goes on at once', async () => {
    const pidFile = join(root, 'sleep.pid');
    // A child of the stub holds git's pipes open, as git-remote-https would, for ten minutes: were
    // the collector to wait for it, the test would time out.
    const git = await stubGit('slow-git', `sleep 600 &\necho $! > '${pidFile}.tmp'\nmv '${pidFile}.tmp' '${pidFile}'\nwait`);
    const notes: string[] = [];
    // The deadline is the collector's timer, faked: it expires once the helper is surely running,
    // however slowly the machine starts the stub.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let sleepPid: number;
    let result: Awaited<ReturnType<typeof collectWiki>>;
    try {
      const collected = collectWiki({ env: process.env, serverUrl, fullName, git, timeoutMs: 300 }, (message) => notes.push(message));
      while (!existsSync(pidFile)) await new Promise((resolve) => setImmediate(resolve));
      sleepPid = Number((await readFile(pidFile, 'utf8')).trim());
      expect(isRunning(sleepPid)).toBe(true);
      await vi.advanceTimersByTimeAsync(300);
      result = await collected;
    } finally {
      vi.useRealTimers();
    }
    expect(result).toEqual({ contributions: [], complete: false });
    expect(notes).toEqual([`${fullName}: wiki clone timed out after 300 ms; skipped (give --no-wiki not to ask for it)`]);
    // Killed with its process group; gone once the kernel has delivered SIGKILL and it is reaped.
    await expect.poll(() => isRunning(sleepPid), { timeout: 10_000 }).toBe(false);
  });

  it('marks any other clone failure incomplete, showing only the first fatal line', async () => {
    const git = await stubGit(
      'broken-git',
      [
        `echo 'Cloning into bare repository...' >&2`,
        `printf 'fatal: unable to access \\047https://user:secret@example.com/x/\\047: Could not resolve host: example.com\\033[31m\\n' >&2`,
        `echo 'fatal: Could not read from remote repository.' >&2`,
        `echo 'hint: some advice' >&2`,
        'exit 128',
      ].join('\n'),
    );
    const notes: string[] = [];
    const warnings: string[] = [];
    const result = await collectWiki({ env: process.env, serverUrl, fullName, git }, (message) => notes.push(message), (message) => warnings.push(message));
    expect(result).toEqual({ contributions: [], complete: false });
    // A warning, which says where the wiki was looked for and how not to look.
    expect(notes).toEqual([]);
    expect(warnings).toEqual([
      `${fullName}: wiki clone failed (unable to access 'https://example.com/x/': Could not resolve host: example.com); skipped (it is cloned from ${serverUrl}, $GITHUB_SERVER_URL: set that to your GitHub's address, or give --no-wiki)`,
    ]);
  });

  it('runs git without a shell, without prompts and without the token', async () => {
    const record = join(root, 'record');
    const git = await stubGit(
      'recording-git',
      [
        `for argument in "$@"; do printf '%s\\n' "$argument"; done > '${record}.args'`,
        `env > '${record}.env'`,
        `echo 'remote: Repository not found.' >&2`,
        `echo "fatal: repository 'https://github.com/octo-org/hello-world.wiki.git/' not found" >&2`,
        'exit 128',
      ].join('\n'),
    );
    const saved = { GH_TOKEN: process.env.GH_TOKEN, GITHUB_TOKEN: process.env.GITHUB_TOKEN };
    process.env.GH_TOKEN = 'gho_secret1';
    process.env.GITHUB_TOKEN = 'gho_secret2';
    const notes: string[] = [];
    let result;
    try {
      result = await collectWiki({ env: process.env, serverUrl: 'https://github.com', fullName, git }, (message) => notes.push(message));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(result).toEqual({ contributions: [], complete: true });
    expect(notes).toEqual([`${fullName}: no wiki found (repository 'https://github.com/octo-org/hello-world.wiki.git/' not found)`]);
    const args = (await readFile(`${record}.args`, 'utf8')).trimEnd().split('\n');
    expect(args.slice(0, 5)).toEqual(['clone', '--bare', '--quiet', '--', 'https://github.com/octo-org/hello-world.wiki.git']);
    expect(args[5]).toMatch(new RegExp(`${wikiTempPrefix}[^/]+/wiki\\.git$`));
    const env = await readFile(`${record}.env`, 'utf8');
    expect(env).toMatch(/^GIT_TERMINAL_PROMPT=0$/m);
    expect(env).toMatch(/^GCM_INTERACTIVE=never$/m);
    expect(env).not.toContain('gho_secret');
  });

  it('treats GitHub’s request for credentials as no wiki', async () => {
    const git = await stubGit('prompting-git', `echo "fatal: could not read Username for 'https://github.com': terminal prompts disabled" >&2\nexit 128`);
    const notes: string[] = [];
    expect(await collectWiki({ env: process.env, serverUrl: 'https://github.com', fullName, git }, (message) => notes.push(message))).toEqual({
      contributions: [],
      complete: true,
    });
    expect(notes).toEqual([`${fullName}: no wiki found (could not read Username for 'https://github.com': terminal prompts disabled)`]);
  });
});

describe('parseGitLog', () => {
  it('reads NUL-separated name and email pairs, newest first', () => {
    const output = ['B', 'b@example.org', 'A', 'a@example.org', 'b again', 'B@Example.org', ''].join('\0');
    expect(parseGitLog(output)).toEqual([
      { who: { login: null, type: null, name: 'B', email: 'b@example.org' }, kind: 'wiki', count: 2 },
      { who: { login: null, type: null, name: 'A', email: 'a@example.org' }, kind: 'wiki', count: 1 },
    ]);
  });

  it('turns no-reply emails of both forms into logins, merged case-insensitively', () => {
    const output = ['', '1+Octocat@users.noreply.github.com', 'The Octocat', 'octocat@users.noreply.github.com', 'Hubot', '2+hubot@users.noreply.github.com', ''].join('\0');
    expect(parseGitLog(output)).toEqual([
      { who: { login: 'Octocat', type: null, name: 'The Octocat' }, kind: 'wiki', count: 2 },
      { who: { login: 'hubot', type: null, name: 'Hubot' }, kind: 'wiki', count: 1 },
    ]);
  });

  it('keeps the most recent non-empty name for an email', () => {
    const output = ['', 'x@example.org', 'Newer', 'x@example.org', 'Older', 'x@example.org', ''].join('\0');
    expect(parseGitLog(output)).toEqual([{ who: { login: null, type: null, name: 'Newer', email: 'x@example.org' }, kind: 'wiki', count: 3 }]);
  });

  it('keeps any character a name may hold', () => {
    const name = 'Zoë "Q" <x> O\'Brien, 山田 \t$(x)';
    expect(parseGitLog(`${name}\0z@example.org\0`)).toEqual([
      { who: { login: null, type: null, name: name.trim(), email: 'z@example.org' }, kind: 'wiki', count: 1 },
    ]);
  });

  it('merges authors without an email by name, and leaves out authors with neither', () => {
    const output = ['Nameless Mail', '', 'Nameless Mail', '', '', '', ''].join('\0');
    expect(parseGitLog(output)).toEqual([{ who: { login: null, type: null, name: 'Nameless Mail' }, kind: 'wiki', count: 2 }]);
  });

  it('reads an empty log as no one', () => {
    expect(parseGitLog('')).toEqual([]);
  });
});
