/**
 * Symbolic links planted inside the cache folder: a partition, a folder above partitions, or a segment
 * file that is a link to somewhere else. The run must never write, read, rename or delete anything
 * through one (the link itself is moved aside with a warning), nor rename a file it did not write;
 * `cache info` says what it found and `cache clear` removes the link, never its target. The cache
 * folder itself may be a link: that is the user's choice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheVersion } from '../../src/github/cache.js';
import { listFiles, makeTempDir, runCli } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

const crashTrace = /\n\s+at [\w.<]+ \(|node:internal|unexpected error/;
const other = { owner: 'other-org', name: 'other-repo', contributors: [{ login: 'mallory', contributions: 99 }], issues: [{ author: 'mallory' }], issueComments: [], reviewComments: [], commitComments: [] };
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function openWorld(): Promise<World> {
  const world = await startWorld({ repos: [other] });
  cleanup.push(() => world.close());
  return world;
}

/** A folder outside the cache holding a user's files, and a way to tell that nothing in it changed. */
function userFolder(): { dir: string; snapshot: () => Record<string, string> } {
  const dir = makeTempDir('octohatrack-elsewhere-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "my-project", "version": "1.0.0"}\n');
  fs.writeFileSync(path.join(dir, 'notes.json'), '[1, 2, 3]\n');
  fs.writeFileSync(path.join(dir, '.bashrc'), 'export PS1=x\n');
  fs.utimesSync(path.join(dir, '.bashrc'), new Date(0), new Date(0));
  // Every entry below it, folders included, with each file's text.
  const snapshot = (): Record<string, string> =>
    Object.fromEntries(
      fs
        .readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .sort()
        .map((name) => [name, fs.lstatSync(path.join(dir, name)).isFile() ? fs.readFileSync(path.join(dir, name), 'utf8') : '(folder)']),
    );
  return { dir, snapshot };
}

function hostFolder(world: World): string {
  return path.join(world.cacheDir, `v${cacheVersion}`, new URL(world.github.url).host.replace(/[^a-z0-9.-]/g, '_'));
}

async function report(world: World, repository: string, env: Record<string, string> = world.env): Promise<{ logins: string[]; stderr: string }> {
  const result = await runCli([repository, '--format', 'json', '--no-wiki'], env);
  expect(result.stderr).not.toMatch(crashTrace);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as { complete: boolean; contributors: Array<{ login: string }> };
  expect(json.complete).toBe(true);
  return { logins: json.contributors.map((c) => c.login), stderr: result.stderr };
}

/** A cache filled by a run of hello-world, in which other-org/other-repo's partition is a link to a user's folder. */
async function linkedPartition(): Promise<{ world: World; user: ReturnType<typeof userFolder>; before: Record<string, string>; owner: string; link: string }> {
  const world = await openWorld();
  await report(world, 'octo-org/hello-world');
  const user = userFolder();
  const before = user.snapshot();
  const owner = path.join(hostFolder(world), 'repos', 'other-org');
  fs.mkdirSync(owner, { recursive: true });
  const link = path.join(owner, 'other-repo');
  fs.symlinkSync(user.dir, link);
  return { world, user, before, owner, link };
}

describe('symbolic links inside the cache folder', () => {
  it('a partition that is a link elsewhere: nothing is written, read or renamed there; the link is moved aside and the run is whole', async () => {
    const { world, user, before, owner } = await linkedPartition();

    const first = await report(world, 'other-org/other-repo');
    expect(first.logins).toEqual(['mallory']);
    expect(first.stderr).toMatch(/^warning: cache folder .*other-repo is a symbolic link; moved aside to other-repo\.link-\d+ \(not followed\)/m);
    expect(first.stderr.match(/warning:/g)).toHaveLength(1);
    // The user's folder is as it was: no segments, no `.corrupt-` renames, no deleted dot file.
    expect(user.snapshot()).toEqual(before);
    // The partition is a real folder now, holding this run's answers, and a rerun uses them.
    expect(fs.lstatSync(path.join(owner, 'other-repo')).isDirectory()).toBe(true);
    expect(fs.readdirSync(path.join(owner, 'other-repo')).some((name) => name.endsWith('.json'))).toBe(true);
    world.github.clearLog();
    const second = await report(world, 'other-org/other-repo');
    expect(second.stderr).not.toMatch(/warning/);
    expect(world.github.requests.filter((r) => r.path.startsWith('/repos/other-org/other-repo/'))).toEqual([]);
    expect(user.snapshot()).toEqual(before);
  });

  it('a folder above the partitions that is a link (`repos`, the host, `v1`): not followed either', async () => {
    for (const level of ['repos', 'host', 'version'] as const) {
      const world = await openWorld();
      const user = userFolder();
      const host = hostFolder(world);
      const linkAt = level === 'repos' ? path.join(host, 'repos') : level === 'host' ? host : path.dirname(host);
      fs.mkdirSync(path.dirname(linkAt), { recursive: true });
      const before = user.snapshot();
      fs.symlinkSync(user.dir, linkAt);
      const run = await report(world, 'octo-org/hello-world');
      expect(run.stderr, level).toMatch(/is a symbolic link; moved aside to .*\.link-\d+ \(not followed\)/);
      expect(user.snapshot(), level).toEqual(before);
      expect(fs.lstatSync(linkAt).isDirectory(), level).toBe(true);
    }
  });

  it('a segment file that is a link to a user\u2019s file, and a file the cache did not write: neither read through, renamed nor deleted', async () => {
    const world = await openWorld();
    const reference = await report(world, 'octo-org/hello-world');
    const user = userFolder();
    const before = user.snapshot();
    const partition = path.join(hostFolder(world), 'repos', 'octo-org', 'hello-world');
    // Named as octohatrack names its segments, so only the link gives it away.
    fs.symlinkSync(path.join(user.dir, 'package.json'), path.join(partition, '00000000a-1-1.json'));
    // A file octohatrack did not write (not named as its files are): left exactly as it is.
    fs.writeFileSync(path.join(partition, 'package.json'), '{"name": "mine"}\n');
    fs.writeFileSync(path.join(partition, '.editorconfig'), 'root = true\n');
    fs.utimesSync(path.join(partition, '.editorconfig'), new Date(0), new Date(0));

    const run = await report(world, 'octo-org/hello-world');
    expect(run.logins).toEqual(reference.logins);
    expect(run.stderr).toMatch(/cache file .*00000000a-1-1\.json is a symbolic link; moved aside to 00000000a-1-1\.json\.link-\d+ \(not followed\)/);
    expect(user.snapshot()).toEqual(before);
    expect(fs.readFileSync(path.join(partition, 'package.json'), 'utf8')).toBe('{"name": "mine"}\n');
    expect(fs.readFileSync(path.join(partition, '.editorconfig'), 'utf8')).toBe('root = true\n');
    expect(fs.readdirSync(partition).filter((name) => name.startsWith('package.json.'))).toEqual([]);
  });

  it('`cache info` names the link without following it; `cache clear` removes the link, never what it points to', async () => {
    const { world, user, before, link } = await linkedPartition();

    const info = await runCli(['cache', 'info'], world.env);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`(a symbolic link, not followed: ${link})`);
    expect(info.stdout).toMatch(/octo-org\/hello-world/);

    const clearOne = await runCli(['cache', 'clear', 'other-org/other-repo'], world.env);
    expect(clearOne.code, clearOne.stderr).toBe(0);
    expect(fs.existsSync(link)).toBe(false);
    expect(user.snapshot()).toEqual(before);

    fs.symlinkSync(user.dir, link);
    const clearAll = await runCli(['cache', 'clear'], world.env);
    expect(clearAll.code, clearAll.stderr).toBe(0);
    expect(listFiles(world.cacheDir)).toEqual([]);
    expect(fs.existsSync(link)).toBe(false);
    expect(user.snapshot()).toEqual(before);
  });

  it('the cache folder itself may be a link (the user\u2019s choice): it is used as given', async () => {
    const world = await openWorld();
    const real = makeTempDir('octohatrack-real-cache-');
    const parent = makeTempDir('octohatrack-link-parent-');
    cleanup.push(() => {
      fs.rmSync(real, { recursive: true, force: true });
      fs.rmSync(parent, { recursive: true, force: true });
    });
    const linked = path.join(parent, 'cache');
    fs.symlinkSync(real, linked);
    const env = { ...world.env, OCTOHATRACK_CACHE_DIR: linked };
    const first = await report(world, 'octo-org/hello-world', env);
    expect(first.stderr).not.toMatch(/warning/);
    expect(listFiles(real).length).toBeGreaterThan(0);
    world.github.clearLog();
    await report(world, 'octo-org/hello-world', env);
    expect(world.github.requests).toEqual([]);
  });
});
