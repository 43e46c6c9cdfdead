/**
 * What the cache holds, partition by partition (`octohatrack cache info`), and clearing it
 * (`octohatrack cache clear`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheVersion, parseSegment, partitionOf } from './cache-segments.js';

export interface PartitionSummary {
  host: string;
  partition: string;
  entries: number;
  bytes: number;
  files: number;
  oldest: number | null;
  newest: number | null;
}

export interface CacheInventory {
  dir: string;
  partitions: PartitionSummary[];
  /** Folders of other format versions (left alone: a newer octohatrack may be using them). */
  otherVersions: string[];
  unreadable: string[];
}

/** What the cache holds, partition by partition (`octohatrack cache info`). Reads only. */
export function inspectCache(rootDir: string): CacheInventory {
  const inventory: CacheInventory = { dir: rootDir, partitions: [], otherVersions: [], unreadable: [] };
  let top: string[];
  try {
    top = fs.readdirSync(rootDir);
  } catch {
    return inventory;
  }
  inventory.otherVersions = top.filter((name) => /^v\d+$/.test(name) && name !== `v${cacheVersion}`).sort();
  const versionDir = path.join(rootDir, `v${cacheVersion}`);
  for (const folder of segmentFolders(versionDir)) {
    const relative = path.relative(versionDir, folder).split(path.sep);
    const [host = '', ...rest] = relative;
    const summary: PartitionSummary = { host, partition: rest.join('/'), entries: 0, bytes: 0, files: 0, oldest: null, newest: null };
    const keys = new Set<string>();
    let files: string[];
    try {
      files = fs.readdirSync(folder);
    } catch {
      // Cleared by another run since it was listed.
      continue;
    }
    for (const file of files.filter((name) => name.endsWith('.json') && !name.startsWith('.'))) {
      const filePath = path.join(folder, file);
      try {
        if (!fs.statSync(filePath).isFile()) throw new Error('not a regular file');
        const text = fs.readFileSync(filePath, 'utf8');
        summary.bytes += Buffer.byteLength(text);
        summary.files += 1;
        const entries = parseSegment(text);
        if (entries === null) {
          inventory.unreadable.push(filePath);
          continue;
        }
        for (const [key, entry] of entries) {
          keys.add(key);
          summary.oldest = Math.min(summary.oldest ?? entry.fetchedAt, entry.fetchedAt);
          summary.newest = Math.max(summary.newest ?? entry.fetchedAt, entry.fetchedAt);
        }
      } catch {
        inventory.unreadable.push(filePath);
      }
    }
    summary.entries = keys.size;
    if (summary.files > 0) inventory.partitions.push(summary);
  }
  inventory.partitions.sort((a, b) => `${a.host}/${a.partition}`.localeCompare(`${b.host}/${b.partition}`));
  return inventory;
}

/** Folders below `dir` that hold segment files. */
export function segmentFolders(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const here = entries.some((entry) => entry.isFile() && entry.name.endsWith('.json')) ? [dir] : [];
  return [...here, ...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => segmentFolders(path.join(dir, entry.name)))];
}

/**
 * Removes cached responses (`octohatrack cache clear`): all of this format's, or one repository's
 * partition on every API host. Returns what was removed.
 */
export function clearCache(rootDir: string, repository: { owner: string; repo: string } | null): PartitionSummary[] {
  const wanted = repository ? partitionOf(`/repos/${repository.owner}/${repository.repo}`) : null;
  const removed = inspectCache(rootDir).partitions.filter((summary) => wanted === null || summary.partition === wanted);
  for (const summary of removed) {
    fs.rmSync(path.join(rootDir, `v${cacheVersion}`, summary.host, ...summary.partition.split('/')), { recursive: true, force: true });
  }
  return removed;
}
