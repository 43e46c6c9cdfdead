/**
 * Cache files edited by hand (or by something else): an unknown format or version, entries of the
 * wrong types, bodies of the wrong shape, another repository's entries filed under this one, things
 * that are not files at all. The run must ignore what it cannot trust, say so at most once a file,
 * and give the report a clean cache gives. Then the same, fuzzed in-process with fast-check.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cacheFormat, cacheVersion, createDiskCache, parseSegment, partitionOf } from '../../src/github/cache.js';
import type { CacheKey } from '../../src/github/cache.js';
import { generateRepository } from '../fake-github/fixtures.js';
import { listFiles, runCli } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';
import { createCounter, hostileString } from './arbitraries.js';

const counter = createCounter();
const crashTrace = /\n\s+at [\w.<]+ \(|node:internal|unexpected error/;
const args = ['octo-org/hello-world', '--format', 'json', '--no-wiki'];
let world: World | null = null;
let reference = '';

beforeAll(async () => {
  const clean = await startWorld();
  reference = (await runCli(args, clean.env)).stdout;
  await clean.close();
});
afterEach(async () => {
  await world?.close();
  world = null;
});
afterAll(() => {
  console.log(`cache-files.test.ts: ${counter.total().toLocaleString('en-US')} generated inputs tried`);
});

/** A world whose cache a first run filled; the segment files of hello-world's partition. */
async function filledWorld(): Promise<{ current: World; partition: string; segments: string[] }> {
  world = await startWorld({ repos: [{ owner: 'other-org', name: 'other-repo', contributors: [{ login: 'mallory', contributions: 99 }], issues: [{ author: 'mallory' }], issueComments: [], reviewComments: [], commitComments: [] }] });
  const first = await runCli(args, world.env);
  expect(first.stdout).toBe(reference);
  const host = new URL(world.github.url).host.replace(/[^a-z0-9.-]/g, '_');
  const partition = path.join(world.cacheDir, `v${cacheVersion}`, host, 'repos', 'octo-org', 'hello-world');
  const segments = fs.readdirSync(partition).filter((file) => file.endsWith('.json'));
  expect(segments.length).toBeGreaterThan(0);
  return { current: world, partition, segments };
}

function editSegments(partition: string, segments: readonly string[], edit: (document: { format: unknown; version: unknown; entries: Record<string, unknown> }) => unknown): void {
  for (const file of segments) {
    const full = path.join(partition, file);
    const document = JSON.parse(fs.readFileSync(full, 'utf8')) as { format: unknown; version: unknown; entries: Record<string, unknown> };
    fs.writeFileSync(full, JSON.stringify(edit(document)));
  }
}

/** The run after the edit: the clean report, no trace, a bounded number of warnings. */
async function expectCleanRun(current: World, maxWarnings: number): Promise<string> {
  const result = await runCli(args, current.env);
  expect(result.stderr).not.toMatch(crashTrace);
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(reference);
  expect(result.stderr.match(/warning:/g)?.length ?? 0).toBeLessThanOrEqual(maxWarnings);
  return result.stderr;
}

describe('cache files edited by hand', () => {
  it('an unknown version or format: moved aside with one warning a file, and fetched again', async () => {
    const { current, partition, segments } = await filledWorld();
    editSegments(partition, segments, (document) => ({ ...document, version: cacheVersion + 1 }));
    current.github.clearLog();
    const stderr = await expectCleanRun(current, segments.length);
    expect(stderr).toMatch(/is corrupt or of an unknown format; moved aside/);
    expect(current.github.requests.some((r) => r.path.includes('/issues?'))).toBe(true);
    expect(fs.readdirSync(partition).filter((file) => file.includes('.corrupt-')).length).toBe(segments.length);
  });

  it('entries of the wrong types (dates as text, bodies of the wrong shape, headers of the wrong type): ignored, fetched again', async () => {
    const { current, partition } = await filledWorld();
    const variants: Array<[string, (entry: Record<string, unknown>) => unknown]> = [
      ['a date as text', (entry) => ({ ...entry, fetchedAt: 'yesterday' })],
      ['a date in the far future', (entry) => ({ ...entry, fetchedAt: Number.MAX_VALUE })],
      ['a body of the wrong shape', (entry) => ({ ...entry, body: { hacked: true } })],
      ['a body that is a string', (entry) => ({ ...entry, body: 'a string' })],
      ['items without ids', (entry) => ({ ...entry, body: [{ id: 'not a number' }] })],
      ['a Link that is not text', (entry) => ({ ...entry, link: ['<http://evil.example/x>; rel="next"'] })],
      ['an ETag that is not text', (entry) => ({ ...entry, etag: { $ne: null } })],
      ['an entry that is null', () => null],
      ['an entry that is a list', (entry) => [entry]],
    ];
    // Each damage done to every entry in turn: the run must ignore them all, and refill the cache.
    for (const [label, damage] of variants) {
      const segments = fs.readdirSync(partition).filter((file) => file.endsWith('.json'));
      editSegments(partition, segments, (document) => ({ ...document, entries: Object.fromEntries(Object.entries(document.entries).map(([key, entry]) => [key, damage(entry as Record<string, unknown>)])) }));
      current.github.clearLog();
      const result = await runCli(args, current.env);
      expect(result.stderr, label).not.toMatch(crashTrace);
      expect(result.code, label).toBe(0);
      expect(result.stdout, label).toBe(reference);
      expect(current.github.requests.length, label).toBeGreaterThan(0);
    }
  });

  it('another repository\u2019s entries filed under this one (and this one\u2019s under it): never used for the wrong repository', async () => {
    const { current, partition, segments } = await filledWorld();
    // Fill other-org/other-repo's partition too, then swap their files.
    expect((await runCli(['other-org/other-repo', '--format', 'json', '--no-wiki'], current.env)).code).toBe(0);
    const otherPartition = path.join(path.dirname(path.dirname(partition)), 'other-org', 'other-repo');
    const otherSegments = fs.readdirSync(otherPartition).filter((file) => file.endsWith('.json'));
    for (const file of segments) fs.renameSync(path.join(partition, file), path.join(otherPartition, `swapped-${file}`));
    for (const file of otherSegments) fs.renameSync(path.join(otherPartition, file), path.join(partition, `swapped-${file}`));
    // And, in what is left here, an entry that names another repository's path outright.
    fs.writeFileSync(
      path.join(partition, 'planted.json'),
      JSON.stringify({ format: cacheFormat, version: cacheVersion, entries: { '/repos/other-org/other-repo': { fetchedAt: Date.now(), body: { full_name: 'other-org/other-repo' } }, '/users/graphql/names?batch=x': { fetchedAt: Date.now(), body: {} } } }),
    );
    current.github.clearLog();
    await expectCleanRun(current, 0);
    const other = await runCli(['other-org/other-repo', '--format', 'json', '--no-wiki'], current.env);
    expect(other.code).toBe(0);
    const report = JSON.parse(other.stdout) as { contributors: Array<{ login: string }> };
    expect(report.contributors.map((c) => c.login)).toEqual(['mallory']);
  });

  it('things that are not cache files where one is expected: a folder, a FIFO, a symlink to a secret, a BOM, an empty file', async () => {
    const { current, partition, segments } = await filledWorld();
    const secret = path.join(os.tmpdir(), `octohatrack-secret-${process.pid}.txt`);
    fs.writeFileSync(secret, 'SECRET-CONTENT-0123456789');
    try {
      fs.mkdirSync(path.join(partition, 'a-folder.json'));
      execFileSync('mkfifo', [path.join(partition, 'a-fifo.json')]);
      fs.symlinkSync(secret, path.join(partition, 'a-link.json'));
      fs.writeFileSync(path.join(partition, 'bom.json'), `\ufeff${fs.readFileSync(path.join(partition, segments[0] ?? ''), 'utf8')}`);
      fs.writeFileSync(path.join(partition, 'empty.json'), '');
      const stderr = await expectCleanRun(current, 5);
      expect(stderr).not.toContain('SECRET-CONTENT');
      // `cache info` reads the same folder, and does not block on the FIFO either.
      const info = await runCli(['cache', 'info'], current.env);
      expect(info.code).toBe(0);
      expect(info.stdout).toMatch(/unreadable or corrupt: .*a-fifo\.json/);
      // The secret itself is left as it was: only the link was moved aside.
      expect(fs.readFileSync(secret, 'utf8')).toBe('SECRET-CONTENT-0123456789');
    } finally {
      fs.rmSync(secret, { force: true });
    }
  });

  it('a folder of a newer format version next to ours: left alone and not read', async () => {
    const { current } = await filledWorld();
    const newer = path.join(current.cacheDir, `v${cacheVersion + 1}`, 'x');
    fs.mkdirSync(newer, { recursive: true });
    fs.writeFileSync(path.join(newer, 'a.json'), '{"anything": "goes"}');
    await expectCleanRun(current, 0);
    expect(fs.readFileSync(path.join(newer, 'a.json'), 'utf8')).toBe('{"anything": "goes"}');
  });
});

describe('entries that do not fit the listing they are part of', () => {
  // Five pages of issues: what a tampered page hides is seen in the report.
  const fixture = generateRepository({ owner: 'paged-org', name: 'paged', issues: 450, pullRequests: 0, comments: 0, reviewComments: 0, commitComments: 0, people: 545, reviews: 0, seed: 21 });
  const pagedArgs = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'issue'];

  async function tampered(edit: (path: string, entry: Record<string, unknown>) => void): Promise<{ cold: string; after: string; issuesAsked: string[] }> {
    world = await startWorld({ fixture });
    const cold = await runCli(pagedArgs, world.env);
    expect(cold.code, cold.stderr).toBe(0);
    const host = new URL(world.github.url).host.replace(/[^a-z0-9.-]/g, '_');
    const partition = path.join(world.cacheDir, `v${cacheVersion}`, host, 'repos', 'paged-org', 'paged');
    const segments = fs.readdirSync(partition).filter((file) => file.endsWith('.json'));
    editSegments(partition, segments, (document) => {
      for (const [key, entry] of Object.entries(document.entries)) edit(key, entry as Record<string, unknown>);
      return document;
    });
    world.github.clearLog();
    const after = await runCli(pagedArgs, world.env);
    expect(after.stderr).not.toMatch(crashTrace);
    expect(after.code, after.stderr).toBe(0);
    return { cold: cold.stdout, after: after.stdout, issuesAsked: world.github.requests.filter((r) => r.path.includes('/issues?')).map((r) => r.path) };
  }

  it('a page of a listing whose body became null is not an empty page: it is asked again', async () => {
    const { cold, after, issuesAsked } = await tampered((key, entry) => {
      if (/\/issues\?.*[?&]page=3(?:&|$)/.test(key)) entry.body = null;
    });
    expect(JSON.parse(after)).toMatchObject({ complete: true });
    expect(after).toBe(cold);
    expect(issuesAsked.filter((asked) => /[?&]page=3(?:&|$)/.test(asked))).toHaveLength(1);
  });

  it('a first page whose Link was taken out is not a listing of one page: it is asked again', async () => {
    const { cold, after, issuesAsked } = await tampered((key, entry) => {
      if (/\/issues\?/.test(key) && !/[?&]page=/.test(key)) delete entry.link;
    });
    expect(after).toBe(cold);
    expect(issuesAsked.filter((asked) => !/[?&]page=/.test(asked))).toHaveLength(1);
  });

  it('a later page whose Link was taken out is asked again too (GitHub links every page of a listing of several)', async () => {
    const { cold, after, issuesAsked } = await tampered((key, entry) => {
      if (/\/issues\?.*[?&]page=2(?:&|$)/.test(key)) delete entry.link;
    });
    expect(after).toBe(cold);
    expect(issuesAsked.filter((asked) => /[?&]page=2(?:&|$)/.test(asked))).toHaveLength(1);
  });
});

describe('cache segments, fuzzed', () => {
  const key = (apiPath: string): CacheKey => ({ host: 'api.example.test', partition: partitionOf(apiPath), path: apiPath });
  const validSegment = JSON.stringify({
    format: cacheFormat,
    version: cacheVersion,
    entries: { '/repos/o/r/issues?page=1': { fetchedAt: 1, etag: 'W/"x"', link: '<https://api.example.test/x?page=2>; rel="next"', body: [{ id: 1 }] }, '/repos/o/r': { fetchedAt: 2, body: { full_name: 'o/r' } } },
  });
  /** A valid segment with a few characters replaced, removed or inserted. */
  const mutatedSegment = fc.array(fc.tuple(fc.nat(validSegment.length), fc.nat(3), hostileString(2)), { minLength: 1, maxLength: 4 }).map((edits) => {
    let text = validSegment;
    for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
    return text;
  });
  const jsonSegment = fc.record({
    format: fc.oneof(fc.constant(cacheFormat), fc.jsonValue()),
    version: fc.oneof(fc.constant(cacheVersion), fc.jsonValue()),
    entries: fc.oneof(fc.dictionary(fc.oneof(hostileString(6), fc.constantFrom('/repos/o/r', '/repos/o/r/issues', '__proto__', 'constructor', '/users/x')), fc.oneof(fc.jsonValue(), fc.record({ fetchedAt: fc.oneof(fc.double(), fc.integer(), fc.string()), body: fc.jsonValue(), etag: fc.jsonValue(), link: fc.jsonValue() }, { requiredKeys: [] }))), fc.jsonValue()),
  }).map((document) => JSON.stringify(document));
  const segmentText = fc.oneof(mutatedSegment, jsonSegment, fc.string({ unit: 'binary', maxLength: 300 }));

  it('parseSegment never throws: a segment is whole, or it is null', () => {
    fc.assert(
      fc.property(segmentText, (text) => {
        const entries = parseSegment(text);
        if (entries === null) return;
        for (const [entryKey, entry] of entries) {
          expect(entryKey.startsWith('/')).toBe(true);
          expect(Number.isFinite(entry.fetchedAt)).toBe(true);
          expect('body' in entry).toBe(true);
          if (entry.etag !== undefined) expect(typeof entry.etag).toBe('string');
          if (entry.link !== undefined) expect(typeof entry.link).toBe('string');
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      counter.tried(4000),
    );
  });

  it('a partition folder of damaged files loads without throwing, warns at most once a file, and keeps what is whole', () => {
    fc.assert(
      fc.property(fc.array(segmentText, { minLength: 1, maxLength: 5 }), (texts) => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'octohatrack-fuzz-'));
        try {
          const folder = path.join(root, `v${cacheVersion}`, 'api.example.test', 'repos', 'o', 'r');
          fs.mkdirSync(folder, { recursive: true });
          // Named as octohatrack names its segments: only such files are moved aside when damaged.
          texts.forEach((text, index) => fs.writeFileSync(path.join(folder, `00000000${index}-1-${index}.json`), text));
          const warnings: string[] = [];
          const cache = createDiskCache(root, { warn: (message) => warnings.push(message) });
          for (const apiPath of ['/repos/o/r', '/repos/o/r/issues?page=1', '/repos/o/r/other']) {
            const entry = cache.get(key(apiPath));
            if (entry) expect(Number.isFinite(entry.fetchedAt)).toBe(true);
          }
          expect(warnings.length).toBeLessThanOrEqual(texts.length);
          const whole = texts.filter((text) => parseSegment(text) !== null).length;
          expect(fs.readdirSync(folder).filter((file) => file.endsWith('.json')).length).toBe(whole);
          // And it can still be written.
          cache.set(key('/repos/o/r/new'), { fetchedAt: 3, body: [] });
          cache.save();
          expect(createDiskCache(root, { warn: () => undefined }).get(key('/repos/o/r/new'))?.body).toEqual([]);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      counter.tried(200),
    );
  });
});

// The fuzzed folders above hold only regular files; the folder listing is checked once more here.
it('leaves no temporary files behind after a save', async () => {
  const { current } = await filledWorld();
  expect(listFiles(current.cacheDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
});
