/**
 * The disk-backed JSON cache behind the memoised helper (SPEC §5).
 *
 * Layout: `<dir>/v1/<api host>/<partition>/<segment>.json`, one partition per repository
 * (`repos/owner/repo`) plus `owners`, `users` and `misc` (cache-segments.ts has the files). A checkpoint writes
 * only the entries stored since the last one, as a new segment, so a run never rewrites what it
 * already saved (no quadratic checkpointing); one runs as soon as a response is stored, so `kill -9`
 * loses only the requests in flight. The final save compacts a partition's segments into as few
 * files as fit.
 */
import path from 'node:path';
import type { Partition } from './cache-segments.js';
import { cacheVersion, compactPartition, describe, hostFolder, loadPartition, writeSegments } from './cache-segments.js';

export { cacheFormat, cacheVersion, hostFolder, parseSegment, partitionOf } from './cache-segments.js';

export interface CacheEntry {
  /** Epoch milliseconds when the response was fetched or last revalidated. */
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  link?: string;
  /** For a remembered "nothing there" (body null): the status that said so (404, 410, 422; 204 No Content). */
  status?: number;
  body: unknown;
}

export interface CacheKey {
  /** API host (and port), e.g. `api.github.com`. */
  host: string;
  /** Partition within the host: `repos/owner/repo`, `owners`, `users` or `misc`. */
  partition: string;
  /** The request path and query relative to the API base. */
  path: string;
}

export interface ResponseCache {
  get(key: CacheKey): CacheEntry | undefined;
  set(key: CacheKey, entry: CacheEntry): void;
  /** Write what was fetched since the last checkpoint. Never throws. */
  checkpoint(): void;
  /** Final save: checkpoint, then compact the partitions this run changed. Never throws. */
  save(): void;
  readonly dir: string | null;
}

export interface CacheWarnings {
  warn(message: string): void;
}

/** A cache that holds nothing: `--no-cache`. */
export function createNullCache(): ResponseCache {
  return { get: () => undefined, set: () => undefined, checkpoint: () => undefined, save: () => undefined, dir: null };
}

/**
 * Segments a partition may hold before a run that changed nothing in it compacts it anyway. A run
 * killed mid-way leaves a segment per turn of answers; below this a warm run reads them (a few
 * milliseconds) rather than rewrite the partition, and from here on it merges them into one.
 */
export const compactAtSegments = 32;

export function createDiskCache(rootDir: string, warnings: CacheWarnings): ResponseCache {
  const dir = path.join(rootDir, `v${cacheVersion}`);
  const partitions = new Map<string, Partition>();
  let writable = true;
  let writeQueued = false;

  function partitionFor(key: CacheKey): Partition {
    const id = `${key.host}\u0000${key.partition}`;
    let partition = partitions.get(id);
    if (!partition) {
      partition = loadPartition(rootDir, path.join(dir, hostFolder(key.host), ...key.partition.split('/')), key.partition, warnings);
      partitions.set(id, partition);
    }
    return partition;
  }

  function guarded(action: () => void): void {
    if (!writable) return;
    try {
      action();
    } catch (error) {
      writable = false;
      warnings.warn(`cache cannot be written in ${dir} (${describe(error)}); this run goes on without saving its progress`);
    }
  }

  function checkpoint(): void {
    guarded(() => {
      for (const partition of partitions.values()) {
        if (partition.unsaved.size === 0) continue;
        const keys = [...partition.unsaved];
        partition.unsaved.clear();
        for (const name of writeSegments(partition, keys, warnings)) partition.knownFiles.add(name);
      }
    });
  }

  function save(): void {
    checkpoint();
    guarded(() => {
      for (const partition of partitions.values()) {
        // Runs killed before their final save leave their small segments behind; a run that changed
        // nothing compacts them too once they pile up, so the next runs do not open hundreds of files.
        const piledUp = partition.knownFiles.size >= compactAtSegments;
        if ((partition.changed && partition.knownFiles.size > 1) || piledUp) compactPartition(partition, warnings);
      }
    });
  }

  return {
    dir: rootDir,
    get(key) {
      return partitionFor(key).entries.get(key.path);
    },
    set(key, entry) {
      const partition = partitionFor(key);
      partition.entries.set(key.path, entry);
      partition.unsaved.add(key.path);
      partition.changed = true;
      // Written through, before the next answer is even read: a `kill -9` loses only what was in
      // flight. Answers stored in the same turn share one segment.
      if (!writeQueued) {
        writeQueued = true;
        queueMicrotask(() => {
          writeQueued = false;
          checkpoint();
        });
      }
    },
    checkpoint,
    save,
  };
}

