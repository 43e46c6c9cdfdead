/**
 * What the cache holds, partition by partition (`octohatrack cache info`), and clearing it
 * (`octohatrack cache clear`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotAFileError, readRegularFile } from './cache-files.js';
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
  /** Symbolic links found inside the cache folder: never followed (a run moves them aside, `cache clear` removes them). */
  links: string[];
}

/** What the cache holds, partition by partition (`octohatrack cache info`). Reads only. */
export function inspectCache(rootDir: string): CacheInventory {
  const inventory: CacheInventory = { dir: rootDir, partitions: [], otherVersions: [], unreadable: [], links: [] };
  let top: string[];
  try {
    top = fs.readdirSync(rootDir);
  } catch {
    return inventory;
  }
  inventory.otherVersions = top.filter((name) => /^v\d+$/.test(name) && name !== `v${cacheVersion}`).sort();
  const versionDir = path.join(rootDir, `v${cacheVersion}`);
  for (const folder of segmentFolders(versionDir, inventory.links)) {
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
        const text = readRegularFile(filePath);
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
      } catch (error) {
        if (error instanceof NotAFileError && error.reason === 'link') inventory.links.push(filePath);
        else inventory.unreadable.push(filePath);
      }
    }
    summary.entries = keys.size;
    if (summary.files > 0) inventory.partitions.push(summary);
  }
  inventory.partitions.sort((a, b) => `${a.host}/${a.partition}`.localeCompare(`${b.host}/${b.partition}`));
  return inventory;
}

/** Folders below `dir` that hold segment files; symbolic links met on the way are listed in `links`, not followed. */
export function segmentFolders(dir: string, links: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    if (fs.lstatSync(dir).isSymbolicLink()) {
      links.push(dir);
      return [];
    }
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const here = entries.some((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.json')) ? [dir] : [];
  for (const entry of entries) if (entry.isSymbolicLink() && !entry.name.endsWith('.json')) links.push(path.join(dir, entry.name));
  return [...here, ...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => segmentFolders(path.join(dir, entry.name), links))];
}

/**
 * Removes cached responses (`octohatrack cache clear`): all of this format's, or one repository's
 * partition on every API host. Returns what was removed.
 */
export function clearCache(rootDir: string, repository: { owner: string; repo: string } | null): { removed: PartitionSummary[]; links: number } {
  const wanted = repository ? partitionOf(`/repos/${repository.owner}/${repository.repo}`) : null;
  const inventory = inspectCache(rootDir);
  const removed = inventory.partitions.filter((summary) => wanted === null || summary.partition === wanted);
  for (const summary of removed) {
    // rmSync removes a link it meets as a link: it never goes through one.
    fs.rmSync(path.join(rootDir, `v${cacheVersion}`, summary.host, ...summary.partition.split('/')), { recursive: true, force: true });
  }
  // A link planted inside the cache (all of them, or those of that repository's partition) goes too, as a link.
  const versionDir = path.join(rootDir, `v${cacheVersion}`);
  const links = inventory.links.filter((link) => {
    if (wanted === null) return true;
    const [, ...partition] = path.relative(versionDir, link).split(path.sep);
    const name = partition.join('/');
    return name === wanted || name.startsWith(`${wanted}/`) || name.startsWith(`${wanted}.link-`);
  });
  for (const link of links) fs.rmSync(link, { force: true });
  return { removed, links: links.length };
}
