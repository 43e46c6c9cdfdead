/**
 * Makes a cache folder look as if every answer in it was fetched `ms` earlier, so that a refresh
 * with a `--max-age` shorter than that finds it stale without the test sleeping (a sleep past a
 * one-second `--max-age` races the run itself on a loaded machine).
 *
 * With `checks`, the push checks kept beside the answers (`checkedAt`, by the same clock) move back
 * too: as if the runs that wrote the cache were made `ms` earlier. Without, they stay, as they must
 * when the loopback GitHub's push is more recent than `ms`: a check cannot predate the push it saw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRecord } from '../../src/github/json.js';
import { listFiles } from './run-cli.js';

export const hourMs = 3_600_000;

export function ageCache(cacheDir: string, ms: number, { checks = false } = {}): void {
  let aged = 0;
  for (const file of listFiles(cacheDir)) {
    if (!file.endsWith('.json') || path.basename(file).startsWith('.')) continue;
    const full = path.join(cacheDir, file);
    const document: unknown = JSON.parse(fs.readFileSync(full, 'utf8'));
    if (!isRecord(document) || !isRecord(document.entries)) throw new Error(`${file} is not a cache segment`);
    for (const entry of Object.values(document.entries)) {
      if (!isRecord(entry) || typeof entry.fetchedAt !== 'number') throw new Error(`${file} holds an entry without fetchedAt`);
      entry.fetchedAt -= ms;
      if (checks && isRecord(entry.body) && typeof entry.body.checkedAt === 'number') entry.body.checkedAt -= ms;
      aged += 1;
    }
    // Written in place: the file keeps its mode (0600), which other checks look at.
    fs.writeFileSync(full, `${JSON.stringify(document)}\n`);
  }
  if (aged === 0) throw new Error(`no cache entries to age in ${cacheDir}`);
}
