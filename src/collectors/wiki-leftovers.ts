/**
 * The wiki is cloned into `os.tmpdir()/octohatrack-wiki-<pid>-XXXXXX`, removed when the collector
 * returns. A `kill -9` cannot be cleaned up after, so the next run removes the clones whose process
 * is gone: only folders of that name (not links), of this user, whose pid no longer runs. A live
 * run's clone is never touched; a folder named without a pid (made by an older octohatrack) cannot
 * be told apart from a live one, and is left alone.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Every temporary clone lives in `os.tmpdir()/octohatrack-wiki-<pid>-XXXXXX`. */
export const wikiTempPrefix = 'octohatrack-wiki-';

/** The prefix mkdtemp is given in this process: the pid tells a later run whose clone it is. */
export function cloneFolderPrefix(dir = tmpdir()): string {
  return path.join(dir, `${wikiTempPrefix}${process.pid}-`);
}

const cloneName = /^octohatrack-wiki-(\d+)-[A-Za-z0-9]{6}$/;

/** Whether a process of that pid runs (another user's included: EPERM says it exists). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes the clones left in `dir` by processes that are gone; returns how many. Never throws. */
export function removeStaleClones(dir = tmpdir(), isAlive: (pid: number) => boolean = processIsAlive): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let removed = 0;
  const uid = process.getuid?.();
  for (const entry of entries) {
    // A Dirent says what the entry itself is: a link to a folder is not a folder here.
    const pid = Number(cloneName.exec(entry.name)?.[1] ?? Number.NaN);
    if (!entry.isDirectory() || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    const folder = path.join(dir, entry.name);
    try {
      const stats = fs.lstatSync(folder);
      if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
      fs.rmSync(folder, { recursive: true, force: true });
      removed += 1;
    } catch {
      // Removed by another run at the same moment, or not ours to remove: left as it is.
    }
  }
  return removed;
}
