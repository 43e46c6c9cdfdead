import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheKey } from '../../src/github/cache.js';
import { createDiskCache, partitionOf } from '../../src/github/cache.js';

let root: string;
const warnings: string[] = [];
const warn = { warn: (message: string) => warnings.push(message) };
const key = (apiPath: string): CacheKey => ({ host: 'api.example.test', partition: partitionOf(apiPath), path: apiPath });

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'octohatrack-cache-'));
  warnings.length = 0;
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('partitionOf', () => {
  it('gives each repository its own partition', () => {
    expect(partitionOf('/repos/LABHR/Octohatrack/issues?page=2')).toBe('repos/labhr/octohatrack');
    expect(partitionOf('/repos/a/b')).toBe('repos/a/b');
    expect(partitionOf('/repos/a/..%2F..')).toBe('repos/a/__..');
    expect(partitionOf('/repos/a/%E0%A4%A')).toBe('repos/a/_e0_a4_a');
    expect(partitionOf('/users/glasnt')).toBe('users');
    expect(partitionOf('/rate_limit')).toBe('misc');
  });

  it("keeps owners' repository listings together, apart from names", () => {
    for (const path of ['/orgs/acme/repos?per_page=100', '/users/solo/repos?type=owner&page=2', '/organizations/9919/repos?page=2', '/user/583231/repos']) {
      expect(partitionOf(path), path).toBe('owners');
    }
    expect(partitionOf('/users/repos')).toBe('users');
    expect(partitionOf('/users/solo/repositories')).toBe('users');
  });
});

describe('disk cache', () => {
  it('keeps what was stored across runs, in private files', () => {
    const first = createDiskCache(root, warn);
    first.set(key('/repos/o/r/issues'), { fetchedAt: 1, etag: 'W/"a"', link: '<x>; rel="next"', body: [{ id: 1 }] });
    first.set(key('/users/u'), { fetchedAt: 2, body: { login: 'u' } });
    first.save();

    const second = createDiskCache(root, warn);
    expect(second.get(key('/repos/o/r/issues'))).toEqual({ fetchedAt: 1, etag: 'W/"a"', link: '<x>; rel="next"', body: [{ id: 1 }] });
    expect(second.get(key('/users/u'))?.body).toEqual({ login: 'u' });
    const files = filesUnder(root);
    expect(files).toHaveLength(2);
    for (const file of files) expect(fs.statSync(path.join(root, file)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(root, 'v1')).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('checkpoints only what is new, and compacts on save', () => {
    const cache = createDiskCache(root, warn);
    cache.set(key('/repos/o/r/a'), { fetchedAt: 1, body: 1 });
    cache.checkpoint();
    cache.checkpoint(); // nothing new: no file
    cache.set(key('/repos/o/r/b'), { fetchedAt: 2, body: 2 });
    cache.checkpoint();
    const partition = path.join(root, 'v1', 'api.example.test', 'repos', 'o', 'r');
    expect(fs.readdirSync(partition)).toHaveLength(2);
    expect(fs.readFileSync(path.join(partition, fs.readdirSync(partition).sort()[1] as string), 'utf8')).not.toContain('"/repos/o/r/a"');
    cache.save();
    expect(fs.readdirSync(partition)).toHaveLength(1);
    expect(createDiskCache(root, warn).get(key('/repos/o/r/b'))?.body).toBe(2);
  });

  it('moves a corrupt file aside with a warning and goes on as if it were empty', () => {
    const cache = createDiskCache(root, warn);
    cache.set(key('/repos/o/r/a'), { fetchedAt: 1, body: 1 });
    cache.save();
    const partition = path.join(root, 'v1', 'api.example.test', 'repos', 'o', 'r');
    const [file] = fs.readdirSync(partition);
    fs.writeFileSync(path.join(partition, file as string), '{"format":"octohatrack-cache","version":1,"entries":{"/repos/o/r/a":');

    const reloaded = createDiskCache(root, warn);
    expect(reloaded.get(key('/repos/o/r/a'))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/corrupt or of an unknown format; moved aside/);
    expect(fs.readdirSync(partition).some((name) => name.includes('.corrupt-'))).toBe(true);
  });

  it('ignores an unknown version, entries of the wrong type and entries filed under another repository', () => {
    const partition = path.join(root, 'v1', 'api.example.test', 'repos', 'o', 'r');
    fs.mkdirSync(partition, { recursive: true });
    fs.writeFileSync(path.join(partition, 'a.json'), JSON.stringify({ format: 'octohatrack-cache', version: 99, entries: { '/repos/o/r/x': { fetchedAt: 1, body: 1 } } }));
    fs.writeFileSync(
      path.join(partition, 'b.json'),
      JSON.stringify({
        format: 'octohatrack-cache',
        version: 1,
        entries: { '/repos/o/r/ok': { fetchedAt: 1, body: 'ok' }, '/repos/o/r/bad': { fetchedAt: 'yesterday', body: 1 }, '/repos/other/repo/issues': { fetchedAt: 1, body: 'elsewhere' } },
      }),
    );
    const cache = createDiskCache(root, warn);
    expect(cache.get(key('/repos/o/r/x'))).toBeUndefined();
    expect(cache.get(key('/repos/o/r/ok'))?.body).toBe('ok');
    expect(cache.get(key('/repos/o/r/bad'))).toBeUndefined();
    expect(cache.get(key('/repos/other/repo/issues'))).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('keeps the newest of two runs that share the folder', () => {
    const a = createDiskCache(root, warn);
    const b = createDiskCache(root, warn);
    a.set(key('/repos/o/r/x'), { fetchedAt: 5, body: 'a' });
    b.set(key('/repos/o/r/x'), { fetchedAt: 9, body: 'b' });
    b.set(key('/repos/o/r/y'), { fetchedAt: 9, body: 'only b' });
    a.checkpoint();
    b.save();
    a.save();
    const merged = createDiskCache(root, warn);
    expect(merged.get(key('/repos/o/r/x'))?.body).toBe('b');
    expect(merged.get(key('/repos/o/r/y'))?.body).toBe('only b');
  });

  it('warns once and goes on when the folder cannot be written', () => {
    const file = path.join(root, 'not-a-folder');
    fs.writeFileSync(file, '');
    const cache = createDiskCache(file, warn);
    cache.set(key('/repos/o/r/x'), { fetchedAt: 1, body: 1 });
    cache.checkpoint();
    cache.save();
    expect(cache.get(key('/repos/o/r/x'))?.body).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot be written/);
  });
});
