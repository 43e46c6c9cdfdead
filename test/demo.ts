/**
 * `npm run demo`: an offline walk-through of octohatrack's cache and resume, against the loopback
 * GitHub on 127.0.0.1. It runs the real `bin/octohatrack` as a child process with the terminal
 * inherited, so what you see is what a user sees, and narrates each step on stdout:
 *
 *   1. a run stopped by the rate limit (exit 75, progress saved);
 *   2. the limit resets, the same command resumes and finishes, asking nothing twice;
 *   3. a third run answered entirely from the cache (0 requests);
 *   4. `--format json` through a pipe, and `--wait-for-reset` waiting out a short limit by itself.
 *
 * It checks every claim it makes against the server's request log and the exit codes: it exits 0 when
 * everything behaved as narrated, and 1 with the reason otherwise. Nothing is left behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chalk, { chalkStderr } from 'chalk';
import { sampleRepository } from './fake-github/fixtures.js';
import { startFakeGitHub } from './fake-github/server.js';
import type { FakeGitHub, RequestLogEntry } from './fake-github/server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repoRoot, 'bin', 'octohatrack');
const repository = 'octo-org/hello-world';
/** Small enough that the first run stops part-way (the sample repository needs about 21 requests). */
const demoRateLimit = 12;
/** The `--wait-for-reset` step: a window short enough to watch. */
const shortWindowSeconds = 3;
const jsonLinesShown = 12;
const summaryLinesShown = 3;
const rateLimitedExitCode = 75;
const interruptedExitCode = 130;
const runTimeoutMs = 60_000;
const killGraceMs = 2000;

/** A step did not behave as narrated. */
class DemoFailure extends Error {
  override name = 'DemoFailure';
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoFailure(message);
}

function heading(text: string): void {
  process.stdout.write(`\n${chalk.bold.cyan(`── ${text}`)}\n`);
}

function say(text: string): void {
  process.stdout.write(`${chalk.cyan('→')} ${text}\n`);
}

function command(args: readonly string[], suffix = ''): void {
  process.stdout.write(`${chalk.dim('$')} ${chalk.bold(['octohatrack', ...args].join(' '))}${suffix}\n`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

interface RunResult {
  code: number;
  /** Captured stdout, when it was piped instead of inherited. */
  stdout: string;
  elapsedMs: number;
}

let interrupted = false;

/** Runs the real CLI. stderr is always the terminal's; stdout too unless `captureStdout`. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, captureStdout = false): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env,
    stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'],
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  let timedOut = false;
  // A run of the sample repository takes well under a second; one that hangs must not hang the demo.
  const watchdog = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), killGraceMs).unref();
  }, runTimeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (timedOut) {
        reject(new DemoFailure(`octohatrack ${args.join(' ')} did not finish within ${runTimeoutMs / 1000} s and was stopped`));
        return;
      }
      // A child killed by a signal has no exit code: report it the way a shell would (128 + n).
      const signalCode = signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0);
      resolve({ code: code ?? signalCode, stdout, elapsedMs: Date.now() - started });
    });
  });
}

/** What an exit code means, as `octohatrack --help` says. */
function describeExit(code: number): string {
  const meanings: Record<number, string> = {
    0: 'finished',
    1: 'failed',
    2: 'usage error',
    [rateLimitedExitCode]: 'stopped by the rate limit, progress saved',
    [interruptedExitCode]: 'interrupted',
    143: 'terminated',
  };
  return `exit code ${code} (${meanings[code] ?? 'unexpected'}).`;
}

function checkExit(result: RunResult, expected: number, what: string): void {
  if (interrupted) throw new DemoFailure('interrupted');
  check(result.code === expected, `${what}: expected exit code ${expected}, got ${result.code}`);
}

/** The environment the CLI sees: the loopback server, the demo's cache, and no token of yours. */
function cliEnvironment(apiUrl: string, cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'GITHUB_SERVER_URL', 'OCTOHATRACK_CACHE_DIR']) {
    delete env[name];
  }
  // The wiki is cloned from GITHUB_SERVER_URL: a local folder here (the sample has no wiki), never github.com.
  return { ...env, GITHUB_API_URL: apiUrl, OCTOHATRACK_CACHE_DIR: cacheDir, GITHUB_SERVER_URL: `file://${path.dirname(cacheDir)}` };
}

function answeredOk(entries: readonly RequestLogEntry[]): string[] {
  return entries.filter((entry) => entry.status === 200).map((entry) => entry.path);
}

function describeAnswers(entries: readonly RequestLogEntry[]): string {
  const byStatus = new Map<number, number>();
  for (const entry of entries) byStatus.set(entry.status, (byStatus.get(entry.status) ?? 0) + 1);
  const parts = [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count} × ${status === 0 ? 'no answer' : status}${status === 403 ? ' (refused: limit reached)' : ''}`);
  return parts.join(', ');
}

async function demo(workDir: string, servers: FakeGitHub[]): Promise<void> {
  const { users, repo, facts } = sampleRepository();
  const github = await startFakeGitHub({
    users,
    repos: [repo],
    rateLimit: { anonymous: demoRateLimit, authenticated: demoRateLimit },
  });
  servers.push(github);
  const cacheDir = path.join(workDir, 'cache');
  const env = cliEnvironment(github.url, cacheDir);
  const args = [repository];

  process.stdout.write(
    [
      chalk.bold('octohatrack demo'),
      `A loopback GitHub on ${github.url} serves ${repository} (sample data), allowing ${demoRateLimit}`,
      'anonymous requests an hour. Nothing leaves this machine. The CLI runs with',
      `  GITHUB_API_URL=${github.url}`,
      `  OCTOHATRACK_CACHE_DIR=${cacheDir}`,
      'and no token. Progress and messages are on stderr; the report is on stdout.',
      '',
    ].join('\n'),
  );

  // 1. Stopped by the rate limit.
  heading(`1. A run that hits the rate limit (${demoRateLimit} requests allowed)`);
  command(args);
  const run1 = await runCli(args, env, workDir);
  const log1 = github.requests.slice();
  const ok1 = answeredOk(log1);
  say(describeExit(run1.code));
  say(`The server answered ${plural(log1.length, 'request')}: ${describeAnswers(log1)}.`);
  checkExit(run1, rateLimitedExitCode, 'run 1');
  check(ok1.length === demoRateLimit, `run 1: expected ${demoRateLimit} successful requests, the server answered ${ok1.length} with 200`);
  check(fs.existsSync(cacheDir), `run 1: no cache was written in ${cacheDir}`);

  // 2. The limit resets; the same command resumes and finishes.
  heading('2. The limit resets (the demo fast-forwards the clock) and the same command runs again');
  github.resetRateLimits();
  command(args);
  const run2 = await runCli(args, env, workDir);
  const log2 = github.requests.slice(log1.length);
  const asked2 = new Set(log2.map((entry) => entry.path));
  const repeated = [...new Set(ok1)].filter((requestPath) => asked2.has(requestPath));
  say(describeExit(run2.code));
  say(
    `This run made ${plural(log2.length, 'request')} (${describeAnswers(log2)}); ` +
      `${repeated.length === 0 ? 'none' : repeated.length} of them repeated one of the ${ok1.length} that run 1 already had answers for.`,
  );
  checkExit(run2, 0, 'run 2');
  check(log2.length > 0, 'run 2 made no request at all, but run 1 had not finished');
  check(
    repeated.length === 0,
    `run 2 asked again for what run 1 already had: ${repeated.slice(0, 5).join(', ')}${repeated.length > 5 ? ', …' : ''}`,
  );

  // 3. Everything from the cache.
  heading('3. The same command a third time: everything comes from the cache');
  command(args, ` | tail -n ${summaryLinesShown}`);
  const run3 = await runCli(args, env, workDir, true);
  const log3 = github.requests.slice(log1.length + log2.length);
  process.stdout.write(`${run3.stdout.trimEnd().split('\n').slice(-summaryLinesShown).join('\n')}\n`);
  say(`${describeExit(run3.code)} The server received ${plural(log3.length, 'request')}.`);
  checkExit(run3, 0, 'run 3');
  check(/All Contributors: \d+/.test(run3.stdout), 'run 3 printed no report summary on stdout');
  check(log3.length === 0, `run 3 should be answered from the cache, but it made ${plural(log3.length, 'request')}: ${log3.map((e) => e.path).join(', ')}`);
  say('The whole report came from the cache.');

  // 4a. JSON through a pipe.
  heading('4a. JSON for scripts (--quiet hides the progress; stdout holds only the JSON)');
  const jsonArgs = [repository, '--format', 'json', '--quiet'];
  command(jsonArgs, ` | head -n ${jsonLinesShown}`);
  const before4 = github.requests.length;
  const run4 = await runCli(jsonArgs, env, workDir, true);
  const jsonLines = run4.stdout.trimEnd().split('\n');
  process.stdout.write(`${jsonLines.slice(0, jsonLinesShown).join('\n')}\n`);
  checkExit(run4, 0, 'the --format json run');
  let parsed: unknown;
  try {
    parsed = JSON.parse(run4.stdout);
  } catch {
    throw new DemoFailure(`--format json did not print valid JSON on stdout (starts with ${JSON.stringify(run4.stdout.slice(0, 60))})`);
  }
  const contributors = typeof parsed === 'object' && parsed !== null && 'contributors' in parsed && Array.isArray(parsed.contributors) ? parsed.contributors : null;
  const complete = typeof parsed === 'object' && parsed !== null && 'complete' in parsed ? parsed.complete : undefined;
  // Without a token, GraphQL (reviews) is out of reach: people who only reviewed are not found, and
  // the report says it is not complete.
  const otherKinds = Object.entries(facts.loginsByKind).filter(([kind]) => kind !== 'review').flatMap(([, logins]) => logins);
  const expectedPeople = facts.logins.filter((login) => otherKinds.includes(login)).length + facts.nameOnly.length;
  say(`… ${plural(jsonLines.length, 'line')} in all: ${plural(contributors?.length ?? 0, 'contributor')}, "complete": ${String(complete)} (reviews need a token), ${plural(github.requests.length - before4, 'request')}.`);
  check(contributors !== null, 'the JSON has no "contributors" list');
  check(complete === false, `the JSON says "complete": ${String(complete)}, though reviews were skipped`);
  check(contributors.length === expectedPeople, `the JSON lists ${contributors.length} contributors; the sample repository has ${expectedPeople}`);

  // 4b. --wait-for-reset with a short window, on a fresh cache.
  const shortLimit = await startFakeGitHub({
    users,
    repos: [repo],
    rateLimit: { anonymous: demoRateLimit, authenticated: demoRateLimit, windowSeconds: shortWindowSeconds },
  });
  servers.push(shortLimit);
  const freshCacheDir = path.join(workDir, 'fresh-cache');
  heading(`4b. --wait-for-reset on a fresh cache, against a limit of ${demoRateLimit} requests every ${shortWindowSeconds} seconds`);
  process.stdout.write(`${chalk.dim(`(a second loopback server on ${shortLimit.url}, OCTOHATRACK_CACHE_DIR=${freshCacheDir})`)}\n`);
  const waitArgs = [repository, '--wait-for-reset'];
  command(waitArgs, ' > /dev/null');
  const run5 = await runCli(waitArgs, cliEnvironment(shortLimit.url, freshCacheDir), workDir, true);
  const log5 = shortLimit.requests;
  const refused = log5.filter((entry) => entry.status === 403).length;
  const ok5 = answeredOk(log5);
  const repeated5 = ok5.length - new Set(ok5).size;
  say(`${describeExit(run5.code)} The server answered ${plural(log5.length, 'request')}: ${describeAnswers(log5)}.`);
  checkExit(run5, 0, 'the --wait-for-reset run');
  check(refused > 0, `the --wait-for-reset run never met the rate limit (${describeAnswers(log5)}), so it had nothing to wait for`);
  check(repeated5 === 0, `the --wait-for-reset run fetched ${plural(repeated5, 'response')} twice`);
  check(run5.elapsedMs >= 1000, `the --wait-for-reset run finished in ${run5.elapsedMs} ms: it cannot have waited for the reset`);
  say(`It waited for the reset by itself and finished in ${(run5.elapsedMs / 1000).toFixed(1)} s, asking for nothing twice.`);
}

async function main(): Promise<number> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'octohatrack-demo-'));
  const servers: FakeGitHub[] = [];
  // Ctrl-C reaches the CLI too (same process group); let it save and exit, then clean up here.
  process.once('SIGINT', () => {
    interrupted = true;
  });
  try {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'main.js'))) {
      throw new DemoFailure('the CLI is not built: run `npm run build` first (npm run demo does it for you)');
    }
    await demo(workDir, servers);
    process.stdout.write(`\n${chalk.bold.green('Every step behaved as described.')}\n`);
    return 0;
  } catch (error) {
    if (interrupted) {
      process.stderr.write('\ndemo interrupted\n');
      return interruptedExitCode;
    }
    const reason = error instanceof Error ? (error instanceof DemoFailure ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`\n${chalkStderr.red.bold('demo failed:')} ${reason}\n`);
    return 1;
  } finally {
    await Promise.all(servers.map((server) => server.close()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
