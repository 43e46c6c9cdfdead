/**
 * `tsx bench/cache-timing.ts <cache dir>`: times the CLI's own cache module on a cache a benchmark
 * run left behind, in a process of its own (so the benchmark's fixture does not weigh on it), and
 * prints one JSON line on stdout.
 *
 * - load: `createDiskCache(dir)` and one `get` per partition, which is exactly how the CLI loads a
 *   partition (every segment read, parsed and merged).
 * - save: every entry written again into a fresh folder by one `checkpoint()`: the work of the final
 *   save's compaction, which rewrites each changed partition whole (a cold run always ends with it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheVersion, createDiskCache, parseSegment } from '../src/github/cache.js';
import { segmentFolders } from '../src/github/cache-inventory.js';
import type { CacheEntry, CacheKey } from '../src/github/cache.js';

export interface CacheTiming {
  partitions: number;
  entries: number;
  loadMs: number;
  saveMs: number;
  savedBytes: number;
  warnings: string[];
}

function main(rootDir: string): CacheTiming {
  const versionDir = path.join(rootDir, `v${cacheVersion}`);
  const keys: Array<Omit<CacheKey, 'path'>> = segmentFolders(versionDir).map((folder) => {
    const [host = '', ...partition] = path.relative(versionDir, folder).split(path.sep);
    return { host, partition: partition.join('/') };
  });
  const warnings: string[] = [];
  const warn = { warn: (message: string) => warnings.push(message) };

  const loadStarted = process.hrtime.bigint();
  const cache = createDiskCache(rootDir, warn);
  for (const key of keys) cache.get({ ...key, path: '/bench-probe' });
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;

  // The entries themselves (not timed): the module has no way to list them.
  const all: Array<[CacheKey, CacheEntry]> = [];
  for (const key of keys) {
    const folder = path.join(versionDir, key.host, ...key.partition.split('/'));
    const merged = new Map<string, CacheEntry>();
    for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort()) {
      for (const [entryPath, entry] of parseSegment(fs.readFileSync(path.join(folder, file), 'utf8')) ?? []) {
        const current = merged.get(entryPath);
        if (!current || current.fetchedAt <= entry.fetchedAt) merged.set(entryPath, entry);
      }
    }
    for (const [entryPath, entry] of merged) all.push([{ ...key, path: entryPath }, entry]);
  }

  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'octohatrack-bench-save-'));
  try {
    const fresh = createDiskCache(target, warn);
    for (const [key, entry] of all) fresh.set(key, entry);
    const saveStarted = process.hrtime.bigint();
    fresh.checkpoint();
    const saveMs = Number(process.hrtime.bigint() - saveStarted) / 1e6;
    let savedBytes = 0;
    for (const entry of fs.readdirSync(target, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) savedBytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    }
    return { partitions: keys.length, entries: all.length, loadMs, saveMs, savedBytes, warnings };
  } finally {
    fs.rmSync(target, { recursive: true, force: true });
  }
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: tsx bench/cache-timing.ts <cache dir>\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(main(dir))}\n`);
