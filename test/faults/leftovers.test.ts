/**
 * What runs killed with `kill -9` leave behind, and the next run clears: the wiki's temporary clone
 * (named with the pid of the run that made it; removed once that process is gone, never a live
 * run's), and the small cache segments written as answers arrived (compacted once they pile up, even
 * by a run that changes nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFormat, cacheVersion, compactAtSegments } from '../../src/github/cache.js';
import { wikiTempPrefix } from '../../src/collectors/wiki.js';
import { makeTempDir, runCli, spawnCollecting, startCli } from '../e2e/run-cli.js';
import { createWiki } from '../e2e/wiki.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';
import { crashTrace } from './harness.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function openWorld(): Promise<World> {
  const world = await startWorld();
  cleanup.push(() => world.close());
  return world;
}

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const run = spawnCollecting(process.execPath, ['-e', '']);
  const pid = run.child.pid;
  await run.done;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

describe('wiki clones left by a kill -9', () => {
  it('are removed by the next run once their process is gone; a live run\u2019s, an older unnamed one and a link are left alone', async () => {
    const world = await openWorld();
    const { fullName } = world.fixture.facts;
    createWiki(world.serverDir, fullName, [{ name: 'Wiki Writer', email: 'wiki@example.org' }]);
    const tmp = tempDir('octohatrack-tmp-');
    // A git that kills the run that started it, as a kill -9 in the middle of the clone would.
    const killer = tempDir('octohatrack-killer-git-');
    fs.writeFileSync(path.join(killer, 'git'), '#!/bin/sh\nkill -9 $PPID\nexit 1\n', { mode: 0o755 });
    const killed = startCli([fullName, '--format', 'json'], { ...world.env, TMPDIR: tmp, PATH: `${killer}:${process.env.PATH ?? ''}` });
    const killedResult = await killed.done;
    expect(killedResult.signal).toBe('SIGKILL');
    const left = fs.readdirSync(tmp);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^${wikiTempPrefix}${killed.child.pid}-`))]);

    // Beside it: a live process's clone (this test's own pid), one named as older versions named them
    // (no pid: whose it is cannot be told), a link named like a dead run's clone, and someone else's folder.
    const dead = await deadPid();
    const live = `${wikiTempPrefix}${process.pid}-Live01`;
    const older = `${wikiTempPrefix}Old123`;
    const link = `${wikiTempPrefix}${dead}-Link01`;
    const foreign = `other-tool-${dead}-Abc123`;
    const target = tempDir('octohatrack-link-target-');
    fs.writeFileSync(path.join(target, 'keep.txt'), 'keep');
    for (const name of [live, older, foreign]) {
      fs.mkdirSync(path.join(tmp, name, 'wiki.git'), { recursive: true });
      fs.writeFileSync(path.join(tmp, name, 'wiki.git', 'HEAD'), 'ref: refs/heads/master\n');
    }
    fs.symlinkSync(target, path.join(tmp, link));

    const next = await runCli([fullName, '--format', 'json'], { ...world.env, TMPDIR: tmp });
    expect(next.stderr).not.toMatch(crashTrace);
    expect(next.code, next.stderr).toBe(0);
    const report = JSON.parse(next.stdout) as { contributors: Array<{ name: string | null; kinds: string[] }> };
    expect(report.contributors.some((c) => c.name === 'Wiki Writer' && c.kinds.includes('wiki'))).toBe(true);
    expect(fs.readdirSync(tmp).sort()).toEqual([foreign, link, live, older].sort());
    expect(fs.readFileSync(path.join(tmp, live, 'wiki.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/master\n');
    expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('keep');
  });
});

describe('cache segments piling up', () => {
  /** Splits hello-world's cached partition into `count` segment files, named as runs killed before their final save would have left them. */
  function splitPartition(world: World, count: number): string {
    const host = new URL(world.github.url).host.replace(/[^a-z0-9.-]/g, '_');
    const partition = path.join(world.cacheDir, `v${cacheVersion}`, host, 'repos', 'octo-org', 'hello-world');
    const files = fs.readdirSync(partition).filter((name) => name.endsWith('.json'));
    const entries = files.flatMap((name) => Object.entries((JSON.parse(fs.readFileSync(path.join(partition, name), 'utf8')) as { entries: Record<string, unknown> }).entries));
    expect(entries.length).toBeGreaterThanOrEqual(count);
    for (const name of files) fs.rmSync(path.join(partition, name));
    for (let index = 0; index < count; index += 1) {
      const part = entries.filter((_, at) => at % count === index);
      const name = `${(1_700_000_000_000 + index).toString(36).padStart(9, '0')}-4242-${index + 1}.json`;
      fs.writeFileSync(path.join(partition, name), JSON.stringify({ format: cacheFormat, version: cacheVersion, entries: Object.fromEntries(part) }), { mode: 0o600 });
    }
    return partition;
  }

  it(`a warm run that asks nothing merges ${compactAtSegments} or more segments into one, and leaves fewer as they are`, async () => {
    const world = await openWorld();
    const args = [world.fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    const first = await runCli(args, world.env);
    expect(first.code, first.stderr).toBe(0);

    for (const [count, expected] of [[compactAtSegments - 1, compactAtSegments - 1], [compactAtSegments, 1], [64, 1]] as const) {
      const partition = splitPartition(world, count);
      world.github.clearLog();
      const warm = await runCli(args, world.env);
      expect(warm.code, warm.stderr).toBe(0);
      expect(warm.stdout, `${count} segments`).toBe(first.stdout);
      expect(world.github.requests, `${count} segments`).toEqual([]);
      expect(fs.readdirSync(partition).filter((name) => name.endsWith('.json')), `${count} segments`).toHaveLength(expected);
      expect(fs.readdirSync(partition).filter((name) => !name.endsWith('.json')), `${count} segments`).toEqual([]);
    }
  });
});
