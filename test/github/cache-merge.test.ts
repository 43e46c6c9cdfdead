/**
 * Loading a partition merges its segment files, read in name order; the newest `fetchedAt` must win
 * whatever that order. A newer entry can sit in a file that sorts first: a slow run that compacts
 * its old entries names that file by the time it writes it, after a faster run saved newer ones.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheEntry, CacheKey } from '../../src/github/cache.js';
import { createDiskCache, partitionOf } from '../../src/github/cache.js';

const host = 'api.example.test';
const apiPath = '/repos/o/r/issues?per_page=100';
const key: CacheKey = { host, partition: partitionOf(apiPath), path: apiPath };

let root: string;
const warnings: string[] = [];
const warn = { warn: (message: string) => warnings.push(message) };

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'octohatrack-cache-merge-'));
  warnings.length = 0;
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** The one segment file a cache of its own writes for `entry`, as text. */
function segmentHolding(entry: CacheEntry): string {
  const own = fs.mkdtempSync(path.join(root, 'writer-'));
  const cache = createDiskCache(own, warn);
  cache.set(key, entry);
  cache.save();
  const folder = path.join(own, 'v1', host, ...key.partition.split('/'));
  const [file, ...others] = fs.readdirSync(folder);
  expect(others).toEqual([]);
  return fs.readFileSync(path.join(folder, file ?? ''), 'utf8');
}

/** A shared cache folder holding those segments under those names (`<time36>-<pid>-<counter>.json`). */
function sharedCache(segments: Record<string, string>): string {
  const shared = path.join(root, 'shared');
  const folder = path.join(shared, 'v1', host, ...key.partition.split('/'));
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(segments)) fs.writeFileSync(path.join(folder, name), text);
  return shared;
}

describe('merging the segments of a partition', () => {
  const newer = { fetchedAt: Date.UTC(2025, 5, 2), etag: 'W/"new"', body: [{ id: 2 }] } satisfies CacheEntry;
  const older = { fetchedAt: Date.UTC(2025, 5, 1), etag: 'W/"old"', body: [{ id: 1 }] } satisfies CacheEntry;

  it('answers the newer entry when its file sorts first', () => {
    const dir = sharedCache({ '00000mbd0-100-1.json': segmentHolding(newer), '00000mbd1-200-7.json': segmentHolding(older) });
    expect(createDiskCache(dir, warn).get(key)).toEqual(newer);
    expect(warnings).toEqual([]);
  });

  it('answers the newer entry when its file sorts last', () => {
    const dir = sharedCache({ '00000mbd0-100-1.json': segmentHolding(older), '00000mbd1-200-7.json': segmentHolding(newer) });
    expect(createDiskCache(dir, warn).get(key)).toEqual(newer);
    expect(warnings).toEqual([]);
  });
});
