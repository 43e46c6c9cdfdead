/**
 * The cache's files: a partition is a folder of segment files, each a complete JSON document
 * `{ format, version, entries }`, written to a temp file in the same folder and renamed (atomic), mode
 * 0600 in 0700 folders. Loading merges a partition's segments, the newest `fetchedAt` winning; a file
 * that is not ours is moved aside with a warning and counts as empty. (Habits from npm's cacache.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CacheEntry, CacheWarnings } from './cache.js';
import { checkFolders, errorCode, isSegmentName, isTempName, moveLinkAside, NotAFileError, readRegularFile } from './cache-files.js';
import { isRecord } from './json.js';

export const cacheFormat = 'octohatrack-cache';
/** Bump when the entry shape or the trimmed bodies change: older folders are then simply not read. */
export const cacheVersion = 1;
/** Well below V8's string limit, and small enough that building one costs little memory. */
const maxSegmentBytes = 8 * 1024 * 1024;
const staleTempFileMs = 10 * 60_000;
/** Segment files are named by time, pid and this counter, so two runs sharing a folder never write the same file. */
let segmentCounter = 0;

/** The partition a request path belongs to: one per repository, so each can be cleared alone. */
export function partitionOf(requestPath: string): string {
  const match = /^\/repos\/([^/?#]+)\/([^/?#]+)/.exec(requestPath);
  if (match?.[1] && match[2]) return `repos/${safeSegment(match[1])}/${safeSegment(match[2])}`;
  if (/^\/repositories\/\d+/.test(requestPath)) return `repositories/${/^\/repositories\/(\d+)/.exec(requestPath)?.[1]}`;
  // An owner's repositories (`/orgs/{org}/repos`, `/users/{user}/repos`, and their by-id forms), apart from names.
  if (/^\/(?:orgs|users|organizations|user)\/[^/?#]+\/repos(?:[?#]|$)/.test(requestPath)) return 'owners';
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

export interface Partition {
  /** The cache folder as the user gave it: links below it are never followed. */
  root: string;
  folder: string;
  entries: Map<string, CacheEntry>;
  /** Keys stored since the last checkpoint. */
  unsaved: Set<string>;
  /** Segment files this process read or wrote: the only ones its compaction may delete. */
  knownFiles: Set<string>;
  changed: boolean;
}

export function loadPartition(root: string, folder: string, name: string, warnings: CacheWarnings): Partition {
  const partition: Partition = { root, folder, entries: new Map(), unsaved: new Set(), knownFiles: new Set(), changed: false };
  // Never through a symbolic link planted inside the cache: it is moved aside, and the partition starts empty.
  if (!checkFolders(root, folder, warnings)) return partition;
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
    if (isTempName(file)) {
      removeStaleTempFile(filePath);
      continue;
    }
    if (file.startsWith('.') || !file.endsWith('.json')) continue;
    const text = readSegmentFile(filePath, warnings);
    if (text === null) continue;
    const entries = parseSegment(text);
    if (entries === null) {
      moveAside(filePath, warnings);
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

/** A segment file's text; null (with a warning) for a link (moved aside), anything but a regular file, or one that cannot be read. */
function readSegmentFile(filePath: string, warnings: CacheWarnings): string | null {
  try {
    // Only regular files are read, never through a link: a FIFO would block the run forever, a link
    // would read (and a rename would move) a file outside the cache, a folder cannot be parsed.
    return readRegularFile(filePath);
  } catch (error) {
    if (error instanceof NotAFileError && error.reason === 'link') moveLinkAside(filePath, 'file', warnings);
    else if (error instanceof NotAFileError) warnings.warn(`cache file ${filePath} is not a regular file; ignoring it`);
    else if (errorCode(error) !== 'ENOENT') warnings.warn(`cache file ${filePath} cannot be read (${describe(error)}); ignoring it`);
    return null;
  }
}

/** A damaged segment is renamed out of the way; a file octohatrack did not write (by its name) is left as it is. */
function moveAside(filePath: string, warnings: CacheWarnings): void {
  if (!isSegmentName(path.basename(filePath))) {
    warnings.warn(`cache file ${filePath} is not one octohatrack wrote, nor of its format; left as it is and ignored`);
    return;
  }
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
    const stats = fs.lstatSync(filePath);
    if (stats.isFile() && Date.now() - stats.mtimeMs > staleTempFileMs) fs.unlinkSync(filePath);
  } catch {
    // Another run may be renaming it right now; leaving a temp file behind is harmless.
  }
}

function newSegmentName(): string {
  segmentCounter += 1;
  return `${Date.now().toString(36).padStart(9, '0')}-${process.pid}-${segmentCounter}.json`;
}

/** Writes the given keys as segment files (split by size); returns the names written. */
export function writeSegments(partition: Partition, keys: Iterable<string>, warnings: CacheWarnings): string[] {
  ensureFolder(partition, warnings);
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

function ensureFolder(partition: Partition, warnings: CacheWarnings): void {
  // A link planted since the partition was read is moved aside before anything is written through it.
  if (checkFolders(partition.root, partition.folder, warnings)) return;
  // 0700 and 0600: the umask can only narrow these, and the cache may hold private repositories' data.
  fs.mkdirSync(partition.folder, { recursive: true, mode: 0o700 });
}

function writeAtomic(filePath: string, text: string): void {
  const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    // `wx`: a new file, never one (or a link) already there.
    fs.writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
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


/**
 * Writes a partition whole, in as few segments as fit, and deletes the segments it had read or
 * written before (only those: another run sharing the folder may have written others since).
 */
export function compactPartition(partition: Partition, warnings: CacheWarnings): void {
  const previous = [...partition.knownFiles];
  partition.knownFiles = new Set(writeSegments(partition, partition.entries.keys(), warnings));
  for (const name of previous) {
    try {
      fs.unlinkSync(path.join(partition.folder, name));
    } catch {
      // Already compacted away by another run sharing this folder.
    }
  }
  partition.changed = false;
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

export function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

