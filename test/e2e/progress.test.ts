/**
 * Progress on stderr as a user sees it: a spinner on a terminal (a pseudo-terminal from script(1),
 * and a tmux pane read back with capture-pane), plain lines without one, nothing but warnings and
 * errors with --quiet.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { bin, makeTempDir, runCli, shows, startCommand } from './run-cli.js';
import type { CliRun } from './run-cli.js';
import { commentsQueries, everyone, startWorld, threadsOf, token } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
let scratch: string | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

const spinnerFrames = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const escape = /\u001b/;

/** `NAME='value' …` for a shell command line (values here never hold a quote). */
function shellEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `${name}='${value}'`)
    .join(' ');
}

/**
 * Runs the CLI on a pseudo-terminal of that size (script(1)); the report goes to a file, so the
 * terminal (the run's stdout) shows stderr only.
 */
function startOnTerminal(args: readonly string[], env: Record<string, string>, columns = 100, ci = false): { terminal: CliRun; finished: Promise<{ code: number | null; screen: string; report: string }> } {
  scratch ??= makeTempDir('octohatrack-tty-');
  const report = path.join(scratch, 'report.txt');
  // A user's terminal: not CI (CI runs these tests with CI set, which means plain lines).
  const command = `stty cols ${columns} rows 40; env ${ci ? 'CI=true' : '-u CI'} TERM=xterm-256color ${shellEnv(env)} ${process.execPath} ${bin} ${args.join(' ')} > ${report}`;
  const terminal = startCommand('script', ['-qfec', command, '/dev/null'], 30_000);
  return { terminal, finished: terminal.done.then((result) => ({ code: result.code, screen: result.stdout, report: fs.readFileSync(report, 'utf8') })) };
}

function runOnTerminal(args: readonly string[], env: Record<string, string>, columns = 100, ci = false): Promise<{ code: number | null; screen: string; report: string }> {
  return startOnTerminal(args, env, columns, ci).finished;
}

describe('on a terminal', () => {
  it('in CI (CI set, even on a pseudo-terminal), prints one plain line per source and no spinner', async () => {
    world = await startWorld();
    const { code, screen } = await runOnTerminal([world.fixture.facts.fullName, '--no-wiki'], world.env, 100, true);
    expect(code).toBe(0);
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|^- /m);
    expect(screen).toMatch(/^octo-org\/hello-world: comments: \d+ people\r?$/m);
  });

  it('counts the people found so far as the pages arrive, before any source ends', async () => {
    const fixture = generateRepository({ owner: 'octo-org', name: 'paged', issues: 250, pullRequests: 50, comments: 100, reviewComments: 10, commitComments: 5, people: 80, seed: 3 });
    world = await startWorld({ fixture });
    // Everything waits but the repository and the first page of the issues: no source can end.
    const release = world.github.hold((request) => !/^\/repos\/octo-org\/paged$/.test(request.path) && !(request.path.includes('/issues?') && !/[?&]page=/.test(request.path)));
    const { terminal, finished } = startOnTerminal([fixture.facts.fullName, '--no-wiki'], world.env);
    let screen = '';
    terminal.child.stdout?.on('data', (chunk: Buffer | string) => (screen += String(chunk)));
    // The first page's authors (100 issues), while every source is still going.
    await shows(terminal, / [1-9]\d* people so far/, 'stdout');
    expect(screen).not.toMatch(/✔/);
    release();
    expect((await finished).code).toBe(0);
  });

  it('spins with the sources, their pages, the people found so far and the requests left', async () => {
    const fixture = generateRepository({ owner: 'octo-org', name: 'pages', issues: 250, pullRequests: 50, comments: 600, reviewComments: 50, commitComments: 20, people: 80, seed: 9 });
    world = await startWorld({ fixture });
    // Queries done of queries known. With a token, the comments are asked per thread through GraphQL,
    // 100 threads a query: the issues listing tells how many before the first query (shown at 0). The
    // server holds those queries until the terminal has shown it.
    const queries = commentsQueries(threadsOf(fixture).values());
    const releaseComments = world.github.hold((_, operation) => operation === 'Comments');
    const { terminal, finished } = startOnTerminal([fixture.facts.fullName, '--no-wiki'], world.env);
    await shows(terminal, new RegExp(`comments 0/${queries} `), 'stdout');
    releaseComments();
    const { code, screen, report } = await finished;
    expect(code).toBe(0);
    expect(report).toContain('Repo: octo-org/pages');
    expect(screen).toMatch(spinnerFrames);
    expect(queries).toBeGreaterThan(1);
    expect(world.github.requests.filter((r) => r.operation === 'Comments')).toHaveLength(queries);
    expect(screen).toMatch(new RegExp(`comments [0-${queries - 1}]/${queries} `));
    expect(screen).toMatch(/\d+ people so far/);
    expect(screen).toMatch(/[\d,]+ requests left, reset \d{1,2}:\d\d/);
    expect(screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).toMatch(/✔ octo-org\/pages: comments: \d+ people/);
    // Every spinner line fits the terminal: a wrapped one could not be redrawn in place.
    const frames = screen.split(/\r|\n|\u001b\[\d*[GK]/).map((line) => line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''));
    const spinnerLines = frames.filter((line) => spinnerFrames.test(line.charAt(0)));
    expect(spinnerLines.length).toBeGreaterThan(3);
    expect(Math.max(...spinnerLines.map((line) => [...line].length))).toBeLessThanOrEqual(100);
  });

  it('counts down a rate-limit wait with --wait-for-reset', async () => {
    world = await startWorld({ rateLimit: { authenticated: 6, windowSeconds: 3 } });
    const { code, screen, report } = await runOnTerminal([world.fixture.facts.fullName, '--wait-for-reset', '--no-names'], world.env);
    expect(code).toBe(0);
    expect(report).toContain('All Contributors:');
    expect(screen).toMatch(/REST API primary rate limit: waiting \d s, until /);
    // The spinner's own countdown: `… waiting 2 s (until 3:04:05 PM)`.
    // On the spinner, the countdown with what is done so far beside it (the line above says until when).
    expect(screen).toMatch(new RegExp(`${spinnerFrames.source} REST API primary rate limit: waiting \\d s( · |$)`, 'm'));
  });

  it('looks right in a tmux pane, while it runs and when it is done', async () => {
    const tmux = spawnSync('tmux', ['-V']);
    if (tmux.error || tmux.status !== 0) return; // no tmux here: the script(1) tests above still ran
    world = await startWorld();
    scratch = makeTempDir('octohatrack-tmux-');
    const socket = `octohatrack-test-${process.pid}`;
    const tmuxArgs = ['-L', socket, '-f', '/dev/null'];
    const tmuxCommand = (...args: string[]) => execFileSync('tmux', [...tmuxArgs, ...args], { encoding: 'utf8' });
    const done = path.join(scratch, 'exit-code');
    // The names are asked last, once every source is done: the server holds them until the pane has
    // shown the run under way.
    const releaseNames = world.github.hold((_, operation) => operation === 'Names');
    try {
      tmuxCommand('new-session', '-d', '-s', 'user', '-x', '100', '-y', '30', 'sh');
      // A control-mode client is told of each output of the pane (`%output`): the screen is read back
      // then, never on a timer. The command in the pane signals `octohatrack-done` when it ends.
      const control = spawn('tmux', [...tmuxArgs, '-C', 'attach', '-t', 'user'], { stdio: ['pipe', 'pipe', 'ignore'] });
      const capture = () => tmuxCommand('capture-pane', '-p', '-t', 'user');
      const paneShows = (pattern: RegExp): Promise<string> =>
        new Promise((resolve) => {
          const look = (): void => {
            const screen = capture();
            if (!pattern.test(screen)) return;
            control.stdout.off('data', look);
            resolve(screen);
          };
          control.stdout.on('data', look);
        });
      const ended = new Promise((resolve, reject) => execFile('tmux', [...tmuxArgs, 'wait-for', 'octohatrack-done'], (error) => (error ? reject(error) : resolve(undefined))));
      const underWay = paneShows(new RegExp(`^${spinnerFrames.source} .*people so far`, 'm'));
      tmuxCommand('send-keys', '-t', 'user', `env -u CI TERM=xterm-256color ${shellEnv(world.env)} ${process.execPath} ${bin} ${world.fixture.facts.fullName} > ${scratch}/report.txt; echo $? > ${done}; tmux wait-for -S octohatrack-done`, 'Enter');
      const running = await underWay;
      releaseNames();
      await ended;
      control.kill();
      const finished = capture();
      expect(fs.readFileSync(done, 'utf8').trim()).toBe('0');
      // While it runs: done sources ticked, and one spinner line below them.
      const spinnerLine = running.split('\n').find((line) => spinnerFrames.test(line)) ?? '';
      expect(spinnerLine).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*\d+ people so far · [\d,]+ requests left, reset /);
      expect(running).toMatch(/^✔ octo-org\/hello-world: \S.*: \d+ people?$/m);
      // Done: every source ticked off, no spinner left behind.
      expect(finished).toMatch(/^✔ octo-org\/hello-world: CONTRIBUTORS files: 7 people$/m);
      expect(finished).toMatch(/^✔ names: \d+ people$/m);
      expect(finished).not.toMatch(spinnerFrames);
    } finally {
      releaseNames();
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    }
  });
});

describe('without a terminal', () => {
  it('prints one plain line per source: no spinner, no colour', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName], world.env);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(escape);
    expect(result.stderr).not.toMatch(spinnerFrames);
    expect(result.stderr).not.toMatch(/\r/);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toContain('octo-org/hello-world: issues and pull requests: 8 people');
    expect(lines).toContain('octo-org/hello-world: CONTRIBUTORS files: 7 people');
    // One line per source (and the note that there is no wiki to clone).
    expect(lines.filter((line) => /^octo-org\/hello-world: [^:]+: \d+ people?$/.test(line))).toHaveLength(10);
  });

  it('colours them only with FORCE_COLOR', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName, '--no-names'], { ...world.env, FORCE_COLOR: '1' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(escape);
    expect(result.stderr).not.toMatch(spinnerFrames);
    expect(result.stdout).not.toMatch(escape);
  });

  it('prints nothing but warnings and errors with --quiet', async () => {
    world = await startWorld({ anonymous: true });
    const result = await runCli([world.fixture.facts.fullName, '--quiet', '--no-names'], world.env);
    expect(result.code).toBe(0);
    // Without a token reviews are skipped: that warning (and the incomplete report's) stays.
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      "warning: octo-org/hello-world: reviews are skipped: GitHub's GraphQL API needs a token (export GH_TOKEN=$(gh auth token))",
      'warning: the report is incomplete: some sources could not be counted (see above)',
    ]);
    const withToken = await runCli([world.fixture.facts.fullName, '--quiet'], { ...world.env, GH_TOKEN: token });
    expect(withToken.code).toBe(0);
    expect(withToken.stderr).toBe('');
  });
});
