/**
 * Runs the real CLI (`node bin/octohatrack …`) as a child process and measures it: wall time (from
 * spawn to exit, as the bench process sees it) and peak resident memory.
 *
 * Peak RSS: under GNU time (`/usr/bin/time -v -o FILE`, "Maximum resident set size"), which reads
 * the child's rusage at exit, so nothing is missed. Where GNU time is not there, the child's
 * `/proc/<pid>/status` `VmHWM` (the kernel's own high-water mark) is polled every 20 ms and the last
 * value read before exit is kept (it can only miss growth in the final 20 ms).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = path.join(repoRoot, 'bin', 'octohatrack');

const gnuTime = '/usr/bin/time';

export type MemoryMethod = 'GNU time -v (Maximum resident set size)' | '/proc/<pid>/status VmHWM, polled every 20 ms';

let memoryMethodCache: MemoryMethod | null = null;

/** GNU time if it is there and understands `-v -o`, else polling /proc. */
export function memoryMethod(): MemoryMethod {
  if (memoryMethodCache) return memoryMethodCache;
  let usable = false;
  if (fs.existsSync(gnuTime)) {
    const out = path.join(os.tmpdir(), `octohatrack-bench-time-probe-${process.pid}.txt`);
    const probe = spawnSync(gnuTime, ['-v', '-o', out, process.execPath, '-e', '0'], { stdio: 'ignore' });
    usable = probe.status === 0 && parseMaxRss(readText(out)) !== null;
    fs.rmSync(out, { force: true });
  }
  memoryMethodCache = usable ? 'GNU time -v (Maximum resident set size)' : '/proc/<pid>/status VmHWM, polled every 20 ms';
  return memoryMethodCache;
}

export interface CliRunResult {
  /** Exit code; null when stopped (capped) or killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Stopped because it ran past the cap. */
  capped: boolean;
  wallMs: number;
  /** Peak resident set size in bytes, when known. */
  peakRssBytes: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env: Record<string, string>;
  cwd: string;
  capMs: number;
}

/** The environment the CLI sees: ours without anything GitHub- or cache-related, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'GITHUB_SERVER_URL', 'OCTOHATRACK_CACHE_DIR', 'FORCE_COLOR', 'NO_COLOR']) {
    delete base[name];
  }
  return { ...base, NO_COLOR: '1', ...env };
}

export function runCli(args: readonly string[], options: CliRunOptions): Promise<CliRunResult> {
  const useTime = memoryMethod().startsWith('GNU');
  const timeFile = path.join(os.tmpdir(), `octohatrack-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const command = useTime ? gnuTime : process.execPath;
  const commandArgs = useTime ? ['-v', '-o', timeFile, process.execPath, bin, ...args] : [bin, ...args];
  const started = process.hrtime.bigint();
  const child = spawn(command, commandArgs, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  let polledPeak: number | null = null;
  const poller = useTime
    ? null
    : setInterval(() => {
        const status = child.pid === undefined ? '' : readText(`/proc/${child.pid}/status`);
        const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
        if (match?.[1]) polledPeak = Math.max(polledPeak ?? 0, Number(match[1]) * 1024);
      }, 20);

  let capped = false;
  const cap = setTimeout(() => {
    capped = true;
    // GNU time does not pass a SIGKILL on: stop its node child by pid first, then GNU time.
    killTree(child.pid);
  }, options.capMs);

  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(cap);
      if (poller) clearInterval(poller);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(cap);
      if (poller) clearInterval(poller);
      const peakRssBytes = useTime ? parseMaxRss(readText(timeFile)) : polledPeak;
      fs.rmSync(timeFile, { force: true });
      resolve({ code: capped ? null : code, signal, capped, wallMs, peakRssBytes, stdout, stderr });
    });
  });
}

/** Stops a child we started, and its own children (GNU time's node), by pid. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const childPid of childrenOf(pid)) {
    try {
      process.kill(childPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function childrenOf(pid: number): number[] {
  const text = readText(`/proc/${pid}/task/${pid}/children`);
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

function parseMaxRss(text: string): number | null {
  const match = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
  return match?.[1] ? Number(match[1]) * 1024 : null;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Sum of file sizes under a folder (what the cache takes on disk, before block rounding). */
export function folderBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return { bytes, files };
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

/**
 * A fingerprint of the built CLI (every file under dist/: path, size, modification time). Others may
 * rebuild it while a benchmark runs; figures taken across two builds are then flagged.
 */
export function distFingerprint(): string {
  const dist = path.join(repoRoot, 'dist');
  const hash = createHash('sha256');
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dist, { recursive: true, withFileTypes: true });
  } catch {
    return 'missing';
  }
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    hash.update(`${path.relative(dist, file)}\0${stat?.size ?? -1}\0${stat?.mtimeMs ?? -1}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The commit checked out (read-only `git rev-parse`), or null outside a git checkout. */
export function gitHead(): string | null {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}
