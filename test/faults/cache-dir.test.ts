/**
 * The cache directory under stress: several runs sharing it at once, and a directory that cannot be
 * written (read-only) or fills up mid-run (a file-size limit, `ulimit -f`, makes every write past
 * it fail with EFBIG, as a full disk fails with ENOSPC).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cleanEnv, listFiles, runCli, spawnCollecting, startCli } from '../e2e/run-cli.js';
import type { CliResult } from '../e2e/run-cli.js';
import type { RequestLogEntry } from '../fake-github/server.js';
import { arrivedWhen, startWorld, token } from '../e2e/world.js';
import { crashTrace, expectValidCache, faultSuite, listDirs, mediumRepository, reportArgs, requestId } from './harness.js';

const fixture = mediumRepository();
const suite = faultSuite(fixture, (world) => makeWritable(world.cacheDir));

function makeWritable(dir: string): void {
  if (!fs.existsSync(dir)) return;
  fs.chmodSync(dir, 0o700);
  for (const sub of listDirs(dir)) fs.chmodSync(sub, 0o700);
}

/** Read-only for the CLI: files 0444 and folders 0555 (see `readOnly` for root). */
function makeReadOnly(dir: string): void {
  for (const file of listFiles(dir)) fs.chmodSync(path.join(dir, file), 0o444);
  for (const sub of listDirs(dir)) fs.chmodSync(sub, 0o555);
  fs.chmodSync(dir, 0o555);
}

function spawnCli(command: string, args: string[], env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<CliResult> {
  return spawnCollecting(command, args, { cwd: os.tmpdir(), env: { ...cleanEnv(), ...env }, ...options }).done;
}

/**
 * How to run the CLI so that the cache directory cannot be written. As a user, its modes do it. Root
 * ignores modes: it runs as `nobody` instead, when `nobody` can run the CLI from where it is checked
 * out; failing that, under `ulimit -f 0`, where every write fails (EFBIG instead of EACCES).
 */
interface ReadOnlyRunner {
  run(env: Record<string, string>): Promise<CliResult>;
  errorCode: 'EACCES' | 'EFBIG';
}

let readOnlyRunner: ReadOnlyRunner | null = null;
async function readOnly(): Promise<ReadOnlyRunner> {
  if (readOnlyRunner) return readOnlyRunner;
  const args = [bin, ...reportArgs(fixture)];
  if (process.getuid?.() !== 0) {
    readOnlyRunner = { run: (env) => spawnCli(process.execPath, args, env), errorCode: 'EACCES' };
    return readOnlyRunner;
  }
  const nobody = { uid: 65534, gid: 65534 };
  const probe = await spawnCli(process.execPath, [bin, '--version'], {}, nobody).catch(() => null);
  readOnlyRunner =
    probe?.code === 0
      ? { run: (env) => spawnCli(process.execPath, args, env, nobody), errorCode: 'EACCES' }
      : { run: (env) => spawnCli('/bin/sh', ['-c', `ulimit -f 0 && exec "${process.execPath}" ${args.map((arg) => `'${arg}'`).join(' ')}`], env), errorCode: 'EFBIG' };
  return readOnlyRunner;
}

/**
 * Tokens of runs sharing a cache, one each only so that the request log tells their requests apart
 * (the cache is not the token's: every run reads what the others saved).
 */
const second = 'ghp_e2eSecondRunToken0000000000000000';
const third = 'ghp_e2eThirdRunToken00000000000000000';
const askedBy = (requests: readonly RequestLogEntry[], who: string): boolean => requests.some((request) => request.token === who);

describe('runs sharing a cache directory', () => {
  it('three runs of the same repository at once: all correct, the cache whole, and a fourth run asks nothing', async () => {
    suite.world = await startWorld({ fixture, tokens: [token, second, third] });
    const current = suite.world;
    // The second and third start while the first is under way: it has saved some answers, not all,
    // and waits for the server, which answers nobody until both have asked something too.
    const first = startCli(reportArgs(fixture), current.env);
    let firstEnded = false;
    void first.done.then(() => (firstEnded = true));
    const held = await new Promise<() => void>((resolve) => {
      const stop = current.onAnswer((answers) => {
        if (answers !== 5) return;
        stop();
        resolve(current.github.hold());
      });
    });
    const firstEndedBeforeOthers = firstEnded;
    const others = [runCli(reportArgs(fixture, '--concurrency', '1'), { ...current.env, GH_TOKEN: second }), runCli(reportArgs(fixture, '--concurrency', '8'), { ...current.env, GH_TOKEN: third })];
    await arrivedWhen(current, (requests) => askedBy(requests, second) && askedBy(requests, third));
    held();
    const runs = [await first.done, ...(await Promise.all(others))];
    expect(firstEndedBeforeOthers).toBe(false);
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/warning|crash|\n\s+at /);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(suite.reference.stdout);
    }
    expect(expectValidCache(current.cacheDir).length).toBeGreaterThanOrEqual(suite.reference.requests);

    current.github.clearLog();
    const warm = await runCli(reportArgs(fixture), current.env);
    expect(warm.stderr).not.toMatch(/warning/);
    expect(warm.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests.map(requestId)).toEqual([]);
  });

  it('a run killed -9 while another goes on: the survivor is correct, the cache whole, and a warm run asks nothing', async () => {
    suite.world = await startWorld({ fixture, tokens: [token, second] });
    const current = suite.world;
    // Both under way before either is answered; the victim (its own token) is killed at its tenth
    // answer, and the survivor, once it has three, waits for that: it cannot have ended before.
    const startedTogether = current.github.hold();
    const survivor = startCli(reportArgs(fixture, '--concurrency', '2'), current.env);
    const victim = startCli(reportArgs(fixture), { ...current.env, GH_TOKEN: second });
    await arrivedWhen(current, (requests) => askedBy(requests, token) && askedBy(requests, second));
    let survivorEnded = false;
    void survivor.done.then(() => (survivorEnded = true));
    let survivorEndedBeforeKill = true;
    let survivorWaits = (): void => undefined;
    const answersTo = (who: string): number => current.github.requests.filter((request) => request.token === who && request.status !== 0).length;
    const stop = current.onAnswer((_, request) => {
      if (request.token === second && answersTo(second) === 10) {
        survivorEndedBeforeKill = survivorEnded;
        victim.child.kill('SIGKILL');
      }
      if (request.token === token && answersTo(token) === 3) survivorWaits = current.github.hold((waiting) => waiting.token === token);
    });
    startedTogether();
    const killed = await victim.done;
    stop();
    survivorWaits();
    const survived = await survivor.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(survivorEndedBeforeKill).toBe(false);
    expect(survived.code).toBe(0);
    expect(survived.stdout).toBe(suite.reference.stdout);
    expectValidCache(current.cacheDir);
    current.github.clearLog();
    const warm = await runCli(reportArgs(fixture), current.env);
    expect(warm.stdout).toBe(suite.reference.stdout);
    expect(current.github.requests).toEqual([]);
  });
});

describe('a cache directory that cannot be written', () => {
  it('read-only from the start: one warning, and the run completes without caching', async () => {
    suite.world = await startWorld({ fixture });
    makeReadOnly(suite.world.cacheDir);
    const runner = await readOnly();
    const result = await runner.run(suite.world.env);
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr.match(/warning:/g)).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`warning: cache cannot be written in .* \\(${runner.errorCode}\\); this run goes on without saving its progress`));
    expect(listFiles(suite.world.cacheDir)).toEqual([]);
  });

  it('read-only with a cache in it: what is cached is used, what is new is fetched and not saved, one warning', async () => {
    suite.world = await startWorld({ fixture });
    // A first run without names leaves everything else in the cache.
    const first = await runCli(reportArgs(fixture, '--no-names'), suite.world.env);
    expect(first.code).toBe(0);
    const before = listFiles(suite.world.cacheDir);
    makeReadOnly(suite.world.cacheDir);
    suite.world.github.clearLog();
    const runner = await readOnly();
    const result = await runner.run(suite.world.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr.match(/warning:/g)).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`cache cannot be written .*\\(${runner.errorCode}\\)`));
    // Only the names were asked for: the rest came from the read-only cache. (The first run kept the
    // names its comment threads and reviews carried, as they came: the others fit one query.)
    expect(suite.world.github.requests.map((r) => r.operation ?? r.path)).toEqual(['Names']);
    expect(listFiles(suite.world.cacheDir)).toEqual(before);
  });

  it('a cache directory that is a file: one warning, the run completes', async () => {
    suite.world = await startWorld({ fixture });
    const file = path.join(suite.world.cacheDir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const result = await runCli(reportArgs(fixture), { ...suite.world.env, OCTOHATRACK_CACHE_DIR: file });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr.match(/warning:/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/cache cannot be written .*\((ENOTDIR|EEXIST)\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('fills up mid-run (EFBIG past a 16 KiB file-size limit): one warning, the run completes, what was written is whole', async () => {
    suite.world = await startWorld({ fixture });
    const command = `ulimit -f 16 && exec "${process.execPath}" "${bin}" ${reportArgs(fixture).map((arg) => `'${arg}'`).join(' ')}`;
    const result = await spawnCli('/bin/sh', ['-c', command], suite.world.env);
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(suite.reference.stdout);
    expect(result.stderr.match(/warning:/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/cache cannot be written .*\(EFBIG\); this run goes on without saving its progress/);
    // Some small answers made it to disk before the limit was met, each file whole, and no temp file left.
    const written = listFiles(suite.world.cacheDir);
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    // Answers saved (not the notes of the push each answer about the branches was checked at).
    const entries = expectValidCache(suite.world.cacheDir).filter((key) => !key.includes('/checked-at-push/')).length;
    expect(entries).toBeGreaterThan(0);
    expect(entries).toBeLessThan(suite.reference.requests);

    // Room again: the rerun uses what was saved, and asks only for the rest.
    suite.world.github.clearLog();
    const rerun = await runCli(reportArgs(fixture), suite.world.env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toBe(suite.reference.stdout);
    expect(suite.world.github.requests.length).toBe(suite.reference.requests - entries);
    expectValidCache(suite.world.cacheDir);
  });
});
