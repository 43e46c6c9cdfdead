/**
 * The disk-backed JSON cache behind the memoised helper (SPEC §5).
 *
 * Layout: `<dir>/v1/<api host>/<partition>/<segment>.json`, one partition per repository
 * (`repos/owner/repo`) plus `users` and `misc`. A partition is a folder of segment files, each a
 * complete JSON document `{ format, version, entries }`; loading merges them, the newest `fetchedAt`
 * winning. A checkpoint writes only the entries fetched since the last one, as a new segment, so a run
 * never rewrites what it already saved (no quadratic checkpointing); one runs as soon as a response is
 * stored, so `kill -9` loses only the requests in flight. The final save compacts a partition's
 * segments into as few files as fit under `maxSegmentBytes`. Every file is written to a temp file in
 * the same folder and renamed (atomic), mode 0600 in 0700 folders. Files are named by time, pid and
 * a counter, so two runs sharing the folder never write the same file, and a compaction deletes only
 * the segments it read or wrote itself.
 * (Habits from npm's cacache: versioned format, write-then-rename, a corrupt file is a miss.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRecord } from './json.js';

export const cacheFormat = 'octohatrack-cache';
/** Bump when the entry shape or the trimmed bodies change: older folders are then simply not read. */
export const cacheVersion = 1;
/** Well below V8's string limit, and small enough that building one costs little memory. */
const maxSegmentBytes = 8 * 1024 * 1024;
const staleTempFileMs = 10 * 60_000;

export interface CacheEntry {
  /** Epoch milliseconds when the response was fetched or last revalidated. */
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  link?: string;
  /** For a remembered "nothing there" (body null): the status that said so (404, 410, 422). */
  status?: number;
  body: unknown;
}

export interface CacheKey {
  /** API host (and port), e.g. `api.github.com`. */
  host: string;
  /** Partition within the host: `repos/owner/repo`, `users` or `misc`. */
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

/** The partition a request path belongs to: one per repository, so each can be cleared alone. */
export function partitionOf(requestPath: string): string {
  const match = /^\/repos\/([^/?#]+)\/([^/?#]+)/.exec(requestPath);
  if (match?.[1] && match[2]) return `repos/${safeSegment(match[1])}/${safeSegment(match[2])}`;
  if (/^\/repositories\/\d+/.test(requestPath)) return `repositories/${/^\/repositories\/(\d+)/.exec(requestPath)?.[1]}`;
  if (requestPath.startsWith('/users/')) return 'users';
  return 'misc';
}

function safeSegment(text: string): string {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // A malformed escape stays as it is; the characters below make it safe either way.
  }
  return decoded.toLowerCase().replace(/[^a-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

export function hostFolder(host: string): string {
  return host.toLowerCase().replace(/[^a-z0-9.-]/g, '_');
}

/** A cache that holds nothing: `--no-cache`. */
export function createNullCache(): ResponseCache {
  return { get: () => undefined, set: () => undefined, checkpoint: () => undefined, save: () => undefined, dir: null };
}

interface Partition {
  folder: string;
  entries: Map<string, CacheEntry>;
  /** Keys stored since the last checkpoint. */
  unsaved: Set<string>;
  /** Segment files this process read or wrote: the only ones its compaction may delete. */
  knownFiles: Set<string>;
  changed: boolean;
}

export function createDiskCache(rootDir: string, warnings: CacheWarnings): ResponseCache {
  const dir = path.join(rootDir, `v${cacheVersion}`);
  const partitions = new Map<string, Partition>();
  let writable = true;
  let counter = 0;
  let writeQueued = false;

  function partitionFor(key: CacheKey): Partition {
    const id = `${key.host}\u0000${key.partition}`;
    let partition = partitions.get(id);
    if (!partition) {
      partition = loadPartition(path.join(dir, hostFolder(key.host), ...key.partition.split('/')), key.partition);
      partitions.set(id, partition);
    }
    return partition;
  }

  function loadPartition(folder: string, name: string): Partition {
    const partition: Partition = { folder, entries: new Map(), unsaved: new Set(), knownFiles: new Set(), changed: false };
    let files: string[];
    try {
      files = fs.readdirSync(folder);
    } catch (error) {
      // No folder yet (or a file where the folder would be: the first write will say so).
      if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') warnings.warn(`cache folder ${folder} cannot be read (${describe(error)}); going on without it`);
      return partition;
    }
    for (const file of files.sort()) {
      const filePath = path.join(folder, file);
      if (file.startsWith('.')) {
        removeStaleTempFile(filePath);
        continue;
      }
      if (!file.endsWith('.json')) continue;
      let text: string;
      try {
        // Only regular files are read: a FIFO would block the run forever, a folder cannot be parsed.
        if (!fs.statSync(filePath).isFile()) {
          warnings.warn(`cache file ${filePath} is not a regular file; ignoring it`);
          continue;
        }
        text = fs.readFileSync(filePath, 'utf8');
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') warnings.warn(`cache file ${filePath} cannot be read (${describe(error)}); ignoring it`);
        continue;
      }
      const entries = parseSegment(text);
      if (entries === null) {
        moveAside(filePath);
        continue;
      }
      partition.knownFiles.add(file);
      for (const [key, entry] of entries) {
        // An entry filed under another repository's partition is ignored: a key can only come back
        // from the partition its own path belongs to.
        if (partitionOf(key) !== name) continue;
        const current = partition.entries.get(key);
        if (!current || current.fetchedAt <= entry.fetchedAt) partition.entries.set(key, entry);
      }
    }
    return partition;
  }

  function moveAside(filePath: string): void {
    const aside = `${filePath}.corrupt-${Date.now()}`;
    try {
      fs.renameSync(filePath, aside);
      warnings.warn(`cache file ${filePath} is corrupt or of an unknown format; moved aside to ${path.basename(aside)}, going on without it`);
    } catch (error) {
      warnings.warn(`cache file ${filePath} is corrupt or of an unknown format and cannot be moved aside (${describe(error)}); ignoring it`);
    }
  }

  function removeStaleTempFile(filePath: string): void {
    try {
      if (Date.now() - fs.statSync(filePath).mtimeMs > staleTempFileMs) fs.unlinkSync(filePath);
    } catch {
      // Another run may be renaming it right now; leaving a temp file behind is harmless.
    }
  }

  function newSegmentName(): string {
    counter += 1;
    return `${Date.now().toString(36).padStart(9, '0')}-${process.pid}-${counter}.json`;
  }

  /** Writes the given keys as segment files (split by size); returns the names written. */
  function writeSegments(partition: Partition, keys: Iterable<string>): string[] {
    ensureFolder(partition.folder);
    const written: string[] = [];
    let parts: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (parts.length === 0) return;
      const name = newSegmentName();
      writeAtomic(path.join(partition.folder, name), `{"format":"${cacheFormat}","version":${cacheVersion},"entries":{${parts.join(',')}}}\n`);
      written.push(name);
      parts = [];
      size = 0;
    };
    for (const key of keys) {
      const entry = partition.entries.get(key);
      if (!entry) continue;
      let part: string;
      try {
        part = `${JSON.stringify(key)}:${JSON.stringify(entry)}`;
      } catch (error) {
        // One answer that cannot be written (nested too deep to serialise) is left out; the rest of
        // the cache, and of this run's progress, is still saved. A rerun asks for it again.
        partition.entries.delete(key);
        warnings.warn(`the response for ${key} cannot be cached (${describe(error)}); it will be asked for again next time`);
        continue;
      }
      if (size + part.length > maxSegmentBytes) flush();
      parts.push(part);
      size += part.length + 1;
    }
    flush();
    return written;
  }

  function ensureFolder(folder: string): void {
    // 0700 and 0600: the umask can only narrow these, and the cache may hold private repositories' data.
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  }

  function writeAtomic(filePath: string, text: string): void {
    const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      fs.writeFileSync(temp, text, { mode: 0o600 });
      fs.renameSync(temp, filePath);
    } catch (error) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // nothing to clean up
      }
      throw error;
    }
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
        for (const name of writeSegments(partition, keys)) partition.knownFiles.add(name);
      }
    });
  }

  function save(): void {
    checkpoint();
    guarded(() => {
      for (const partition of partitions.values()) {
        if (!partition.changed || partition.knownFiles.size <= 1) continue;
        const previous = [...partition.knownFiles];
        const written = writeSegments(partition, partition.entries.keys());
        partition.knownFiles = new Set(written);
        for (const name of previous) {
          try {
            fs.unlinkSync(path.join(partition.folder, name));
          } catch {
            // Already compacted away by another run sharing this folder.
          }
        }
        partition.changed = false;
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

/** Parses one segment file; null when it is not valid JSON of our format and version. */
export function parseSegment(text: string): Map<string, CacheEntry> | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(document) || document.format !== cacheFormat || document.version !== cacheVersion || !isRecord(document.entries)) {
    return null;
  }
  const entries = new Map<string, CacheEntry>();
  for (const [key, value] of Object.entries(document.entries)) {
    const entry = toEntry(value);
    if (entry && key.startsWith('/')) entries.set(key, entry);
  }
  return entries;
}

function toEntry(value: unknown): CacheEntry | null {
  if (!isRecord(value) || typeof value.fetchedAt !== 'number' || !Number.isFinite(value.fetchedAt) || !('body' in value)) return null;
  // A header of the wrong type makes the whole entry untrustworthy: kept without its `link`, a
  // listing's first page would pass for its last.
  if (['etag', 'lastModified', 'link'].some((name) => name in value && typeof value[name] !== 'string') || ('status' in value && typeof value.status !== 'number')) return null;
  const entry: CacheEntry = { fetchedAt: value.fetchedAt, body: value.body };
  if (typeof value.etag === 'string') entry.etag = value.etag;
  if (typeof value.lastModified === 'string') entry.lastModified = value.lastModified;
  if (typeof value.link === 'string') entry.link = value.link;
  if (typeof value.status === 'number') entry.status = value.status;
  return entry;
}

function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}

function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

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
