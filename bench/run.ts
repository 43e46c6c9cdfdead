/**
 * `npm run bench [-- --sizes small,medium|large|chatty|all] [--latency 30]`: octohatrack against the
 * loopback GitHub with injected latency, at several repository sizes. Prints a table and the issue's
 * targets on stdout, progress on stderr, and writes the figures as JSON to
 * `bench/results/<date>-<size>.json` and `bench/results/latest.json`.
 *
 * A benchmark reports figures; it does not fail on them. It exits 1 only when the CLI itself failed
 * unexpectedly (an exit other than 0 or 75), with the CLI's stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distFingerprint, gitHead, memoryMethod, repoRoot } from './cli-process.js';
import { measureHotPaths, renderHotPaths } from './hot-paths.js';
import { CliFailure, measureSize, removeTempDirs } from './measure.js';
import type { SizeResult } from './measure.js';
import { evaluateTargets, renderMethod, renderRequestLog, renderTable, renderTargets } from './report.js';
import type { SizeName } from './sizes.js';
import { sizeNames, sizes } from './sizes.js';

const usage = 'usage: npm run bench -- [--sizes small,medium|large|chatty|all] [--latency MS] [--repeat N]';

interface BenchOptions {
  sizes: SizeName[];
  latencyMs: number;
  /** null: each size's own (3 for small and medium, 1 for large and chatty). */
  repeats: number | null;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { sizes: ['small', 'medium'], latencyMs: 30, repeats: null };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined) fail(`${flag} needs a value`);
      return next;
    };
    if (flag === '--sizes') {
      const wanted = value()
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== '');
      const chosen = wanted.includes('all') ? [...sizeNames] : wanted;
      for (const name of chosen) if (!sizeNames.includes(name as SizeName)) fail(`unknown size ${name} (small, medium, large, chatty, all)`);
      options.sizes = sizeNames.filter((name) => chosen.includes(name));
      if (options.sizes.length === 0) fail('--sizes needs at least one size');
    } else if (flag === '--latency') {
      const latency = Number(value());
      if (!Number.isInteger(latency) || latency < 0) fail('--latency needs a whole number of milliseconds');
      options.latencyMs = latency;
    } else if (flag === '--repeat') {
      const repeats = Number(value());
      if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) fail('--repeat needs a whole number from 1 to 20');
      options.repeats = repeats;
    } else if (flag === '-h' || flag === '--help') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else {
      fail(`unknown argument ${arg}`);
    }
  }
  return options;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${usage}\n`);
  process.exit(2);
}

function progress(message: string): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`${time} ${message}\n`);
}

function localDate(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  // Ctrl-C reaches the CLI child too (same process group); leave no cache folders behind.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      removeTempDirs();
      process.stderr.write(`\nbench: interrupted by ${signal}; sizes not finished have no results\n`);
      process.exit(code);
    });
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'main.js'))) fail('dist/main.js is missing: run `npm run build` first (npm run bench does)');
  const method = memoryMethod();
  const build = { commit: gitHead(), dist: distFingerprint() };
  progress(`bench: sizes ${options.sizes.join(', ')}; ${options.latencyMs} ms latency per request; peak RSS by ${method}; load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const started = Date.now();
  const results: SizeResult[] = [];
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const date = localDate();

  for (const name of options.sizes) {
    const sizeStarted = Date.now();
    let result: SizeResult;
    try {
      result = await measureSize(sizes[name], { latencyMs: options.latencyMs, repeats: options.repeats ?? sizes[name].repeats, progress });
    } catch (error) {
      if (error instanceof CliFailure) {
        process.stderr.write(`bench: ${error.message}\n--- octohatrack's stderr ---\n${error.stderr}\n`);
        return 1;
      }
      throw error;
    }
    const elapsedMs = Date.now() - sizeStarted;
    progress(`[${name}] done in ${(elapsedMs / 1000).toFixed(0)} s`);
    results.push(result);
    fs.writeFileSync(path.join(resultsDir, `${date}-${name}.json`), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, build, benchElapsedMs: elapsedMs, result }, null, 2)}\n`);
  }

  progress('hot paths: the loopback GitHub at its largest, a hostile CONTRIBUTORS file');
  const hotPaths = await measureHotPaths();
  const targets = evaluateTargets(results);
  const totalMs = Date.now() - started;
  fs.writeFileSync(
    path.join(resultsDir, 'latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, build, latencyMs: options.latencyMs, sizes: options.sizes, benchElapsedMs: totalMs, memoryMethod: method, results, targets, hotPaths }, null, 2)}\n`,
  );

  const out = [
    `octohatrack benchmark: ${options.latencyMs} ms injected latency per request, node ${process.version}, ${os.cpus().length} CPUs, ${new Date().toISOString()}`,
    `built from ${build.commit ?? 'an unknown commit'} plus the working tree's changes (dist/ fingerprint ${build.dist})`,
    '',
    renderTable(results),
    '',
    renderTargets(targets),
    '',
    renderHotPaths(hotPaths),
    '',
    renderMethod(method),
    '',
    renderRequestLog(results),
    '',
    `Benchmark took ${(totalMs / 1000).toFixed(0)} s. Figures written to bench/results/${date}-<size>.json and bench/results/latest.json.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

process.exitCode = await main();
