/**
 * What the cache may touch inside its folder, and how: never through a symbolic link, and never a
 * file it did not write. The folder the user gives (`--cache-dir`, OCTOHATRACK_CACHE_DIR) may itself
 * be a link, their choice; a link anywhere below it (a partition, a folder above one, a segment file)
 * was planted, and is moved aside (renamed, as a link: what it points to is never read, written,
 * renamed or deleted) with a warning. Files are opened with O_NOFOLLOW, so a link swapped in after
 * the check is refused too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CacheWarnings } from './cache.js';
import { isRecord } from './json.js';

/** How octohatrack names a segment: time (base 36), pid and a counter. Only such files are ever renamed. */
const segmentName = /^[0-9a-z]{9,}-\d+-\d+\.json$/;
/** How it names a segment being written: `.<segment>.<pid>.<random>.tmp`. Only such dot files are ever deleted. */
const tempName = /^\.[0-9a-z]{9,}-\d+-\d+\.json\.\d+\.[0-9a-z]+\.tmp$/;

export function isSegmentName(name: string): boolean {
  return segmentName.test(name);
}

export function isTempName(name: string): boolean {
  return tempName.test(name);
}

/**
 * Checks each folder from `root` (left as it is) down to `folder`: one that is a symbolic link is
 * moved aside with a warning, and what it points to left alone. Returns whether `folder` is there,
 * a real folder (false also when a link was just moved aside, or something else is in the way).
 */
export function checkFolders(root: string, folder: string, warnings: CacheWarnings): boolean {
  const parts = path.relative(root, folder).split(path.sep).filter((part) => part !== '');
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(current);
    } catch {
      // Not there yet (it will be made as a real folder), or not readable (the read will say so).
      return false;
    }
    if (stats.isSymbolicLink()) {
      moveLinkAside(current, 'folder', warnings);
      return false;
    }
    if (!stats.isDirectory()) return false;
  }
  return true;
}

/** Renames a planted link (the link itself) out of the way, so the run goes on with a real folder or file. */
export function moveLinkAside(linkPath: string, what: 'folder' | 'file', warnings: CacheWarnings): void {
  const aside = `${linkPath}.link-${Date.now()}`;
  try {
    fs.renameSync(linkPath, aside);
    warnings.warn(`cache ${what} ${linkPath} is a symbolic link; moved aside to ${path.basename(aside)} (not followed)`);
  } catch (error) {
    warnings.warn(`cache ${what} ${linkPath} is a symbolic link and cannot be moved aside (${errorCode(error) ?? String(error)}); not followed`);
  }
}

/** Why a file in a partition folder could not be read as one. */
export class NotAFileError extends Error {
  constructor(readonly reason: 'link' | 'not-regular') {
    super(reason === 'link' ? 'a symbolic link' : 'not a regular file');
  }
}

/**
 * A regular file's text, never through a link (O_NOFOLLOW) and never blocking on a FIFO (O_NONBLOCK,
 * then fstat): a link or anything else than a regular file throws a NotAFileError.
 */
export function readRegularFile(filePath: string): string {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(filePath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    // ELOOP: the last part of the path is a symbolic link (Linux, macOS; EMLINK on FreeBSD).
    if (errorCode(error) === 'ELOOP' || errorCode(error) === 'EMLINK') throw new NotAFileError('link');
    throw error;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new NotAFileError('not-regular');
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}
