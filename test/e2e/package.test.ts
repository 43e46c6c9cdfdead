/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepack`) holds only what is
 * needed; installed into a temporary prefix, with its dependencies from the registry, its
 * `octohatrack` answers --help and --version and runs against the loopback GitHub.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.js';
import { cleanEnv, makeTempDir, repoRoot, spawnCollecting } from './run-cli.js';
import { everyone, startWorld } from './world.js';
import type { World } from './world.js';

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };

/** A command with a clean npm environment (no npm_* variables from the `npm test` running us) and a time limit. */
function run(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  const env = cleanEnv(Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))));
  return spawnCollecting(command, args, { cwd: options.cwd, env: { ...env, ...options.env }, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL' }).done;
}

let scratch = '';
let installed = '';
let packed: { filename: string; files: Array<{ path: string }> } | null = null;
let world: World | null = null;
let installWarnings = '';

beforeAll(async () => {
  scratch = makeTempDir('octohatrack-package-');
  // A copy of what a clone holds (not dist/), so that `npm pack` builds it as on a fresh machine,
  // without touching the dist/ the other tests run.
  const source = path.join(scratch, 'source');
  fs.mkdirSync(source);
  for (const entry of ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src']) {
    if (fs.existsSync(path.join(repoRoot, entry))) fs.cpSync(path.join(repoRoot, entry), path.join(source, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  // What an older build left behind must not ship: `prepack` starts dist/ afresh.
  fs.mkdirSync(path.join(source, 'dist', 'gone'), { recursive: true });
  fs.writeFileSync(path.join(source, 'dist', 'gone', 'stale.js'), 'export {};\n');
  const pack = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: source });
  expect(pack.code, pack.stderr).toBe(0);
  // npm prints the lifecycle scripts' output before the JSON, which starts on a line of its own.
  const json = pack.stdout.slice(Math.max(0, pack.stdout.search(/^\[$/m)));
  packed = (JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>)[0] ?? null;

  installed = path.join(scratch, 'prefix');
  const install = await run('npm', ['install', '--global', '--prefix', installed, '--prefer-offline', '--no-audit', '--no-fund', path.join(scratch, packed?.filename ?? '')], { cwd: scratch, timeoutMs: 90_000 });
  expect(install.code, install.stderr).toBe(0);
  installWarnings = install.stderr;
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the command, the built code, package.json and the README, and nothing else', () => {
    const files = (packed?.files ?? []).map((file) => file.path).sort();
    expect(files).toContain('bin/octohatrack');
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/commands/dry-run.js');
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files.filter((file) => !/^(bin\/octohatrack|dist\/.+\.js|package\.json|README\.md|LICENSE)$/.test(file))).toEqual([]);
    expect(files).not.toContain('dist/gone/stale.js');
  });

  it('installs without a warning: no install script to allow, no dependency asking for a newer Node.js', () => {
    expect(installWarnings).not.toMatch(/npm warn/i);
  });

  it('installs into a prefix and answers --help and --version', async () => {
    const command = path.join(installed, 'bin', 'octohatrack');
    const help = await run(command, ['--help'], { cwd: scratch });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: octohatrack \[options\] <owner\/repo\|owner\.\.\.>/);
    expect(help.stdout).toContain('--dry-run');
    const version = await run(command, ['--version'], { cwd: scratch });
    expect(version.stdout.trim()).toBe(packageJson.version);
  });

  it('runs against the loopback GitHub from there', async () => {
    world = await startWorld();
    const result = await run(path.join(installed, 'bin', 'octohatrack'), [world.fixture.facts.fullName], { cwd: scratch, env: world.env });
    expect(result.stderr).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`All Contributors: ${everyone(world)} 👏`);
  });
});
