/**
 * Spawns the real `bin/octohatrack` (the built CLI) as a user would, against the loopback GitHub,
 * and hands back what a user would see: stdout, stderr and the exit code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repoRoot, 'bin', 'octohatrack');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** This process's environment less what the test decides: no token, colour or cache directory leaks in from outside. */
export function cleanEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'GITHUB_SERVER_URL', 'OCTOHATRACK_CACHE_DIR', 'FORCE_COLOR', 'NO_COLOR']) {
    delete env[name];
  }
  return env;
}

/** Spawns a command with stdin closed and collects what it prints. */
export function spawnCollecting(command: string, args: readonly string[], options: SpawnOptions = {}): CliRun {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function startCli(args: readonly string[], env: Record<string, string | undefined>, cwd = os.tmpdir()): CliRun {
  return spawnCollecting(process.execPath, [bin, ...args], { cwd, env: { ...cleanEnv(), ...env } });
}

export function runCli(args: readonly string[], env: Record<string, string | undefined>, cwd?: string): Promise<CliResult> {
  return startCli(args, env, cwd).done;
}

/** Any command, with a time limit (it is killed past it, and the test then fails on its exit). */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<CliResult> {
  return startCommand(command, args, timeoutMs).done;
}

/** The same, started: a test can watch what it prints while it runs (`shows`). */
export function startCommand(command: string, args: readonly string[], timeoutMs: number): CliRun {
  return spawnCollecting(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' });
}

/** Resolves when the run has written `pattern` to that stream (stderr by default); fails if it ends first. */
export function shows(run: CliRun, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr'): Promise<void> {
  const readable = run.child[stream];
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += String(chunk);
      if (!pattern.test(text)) return;
      readable?.off('data', onData);
      resolve();
    };
    readable?.on('data', onData);
    void run.done.then(() => reject(new Error(`the run ended before its ${stream} showed ${String(pattern)}:\n${text}`)));
  });
}

export function makeTempDir(prefix = 'octohatrack-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under a folder, relative to it. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
