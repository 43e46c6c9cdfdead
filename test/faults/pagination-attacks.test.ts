/**
 * A server that pages without end: a `Link` loop, a `last` page of a billion, two dozen pages just
 * under the 32 MiB a response may hold. Each ends in a clear warning or error that names the listing,
 * never a V8 trace, and with the CLI's peak memory (read by a preload, `peak-rss.cjs`) under 500 MB.
 * `npm run test:faults` prints the peaks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import type { Fixture } from '../fake-github/fixtures.js';
import { makeTempDir, runCli } from '../e2e/run-cli.js';
import type { CliResult } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';
import { crashTrace } from './harness.js';

const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peak-rss.cjs');
const maxPeakBytes = 500 * 1024 * 1024;

const fixture: Fixture = generateRepository({ owner: 'page-org', name: 'pages', issues: 150, pullRequests: 0, comments: 0, reviewComments: 0, commitComments: 0, people: 150, reviews: 0, seed: 11 });

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** The run, anonymous and without names, for just the kinds given; with the CLI's peak RSS. */
async function attackedRun(current: World, kinds: string, ...extra: string[]): Promise<CliResult & { peakBytes: number }> {
  const dir = makeTempDir('octohatrack-rss-');
  const file = path.join(dir, 'peak');
  try {
    const env = { ...current.env, GH_TOKEN: undefined, NODE_OPTIONS: `--require ${preload}`, OCTOHATRACK_TEST_PEAK_RSS_FILE: file };
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', kinds, ...extra], env);
    const peakBytes = Number(fs.readFileSync(file, 'utf8'));
    console.log(`peak RSS ${(peakBytes / 1024 / 1024).toFixed(0)} MiB (exit ${result.code})`);
    return { ...result, peakBytes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const repoPath = `/repos/${fixture.facts.fullName}`;

describe('pagination that never ends', () => {
  it('a Link loop (page 2 leads back to page 1) ends the walk: a warning naming the listing, the report incomplete', async () => {
    world = await startWorld({ fixture, anonymous: true });
    const url = world.github.url;
    // Page 1 (150 issues, 100 a page) leads to page 2 as usual; page 2 leads back to page 1.
    world.github.addFault({ match: /\/issues\?.*[?&]page=2/, kind: 'headers', times: Infinity, headers: { link: `<${url}${repoPath}/issues?state=all&sort=created&direction=asc&per_page=100&page=1>; rel="next"` } });
    const result = await attackedRun(world, 'issue');
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.stderr).toMatch(/warning: .*\/issues.* leads back to page 1/);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { complete: boolean }).complete).toBe(false);
    // Page 1 is asked again once (as "page=1"), then the loop is seen: no more.
    expect(world.github.requests.filter((r) => r.path.includes('/issues?')).length).toBeLessThanOrEqual(4);
    expect(result.peakBytes).toBeLessThan(maxPeakBytes);
  });

  it('the same in a listing read whole (contributors): a clear error naming it, exit 1', async () => {
    world = await startWorld({ fixture, anonymous: true });
    const url = world.github.url;
    world.github.addFault({ match: /\/contributors\?(?!.*[?&]page=2)/, kind: 'headers', times: Infinity, headers: { link: `<${url}${repoPath}/contributors?anon=1&per_page=100&page=2>; rel="next"` } });
    world.github.addFault({ match: /\/contributors\?.*[?&]page=2/, kind: 'headers', times: Infinity, headers: { link: `<${url}${repoPath}/contributors?anon=1&per_page=100&page=1>; rel="next"` } });
    const result = await attackedRun(world, 'code');
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/octohatrack: .*\/contributors.* leads back to page 1/);
    expect(result.peakBytes).toBeLessThan(maxPeakBytes);
  });

  it('a first page whose last page is 999,999,999 is walked page by page, to where the pages end', async () => {
    world = await startWorld({ fixture, anonymous: true });
    const url = world.github.url;
    world.github.addFault({ match: /\/issues\?(?!.*[?&]page=)/, kind: 'headers', times: Infinity, headers: { link: `<${url}${repoPath}/issues?state=all&sort=created&direction=asc&per_page=100&page=2>; rel="next", <${url}${repoPath}/issues?state=all&sort=created&direction=asc&per_page=100&page=999999999>; rel="last"` } });
    const result = await attackedRun(world, 'issue');
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { complete: boolean; contributors: unknown[] };
    expect(report.contributors.length).toBe(new Set(fixture.repo.issues?.map((issue) => issue.author)).size);
    // Page 2 is the last that holds anything (50 issues): a few pages past it at most were asked.
    expect(world.github.requests.filter((r) => r.path.includes('/issues?')).length).toBeLessThanOrEqual(40);
    expect(result.peakBytes).toBeLessThan(maxPeakBytes);
  });

  it('24 pages of 31 MiB each (each under the 32 MiB a response may hold), 16 at a time, stay under 500 MB', async () => {
    world = await startWorld({ fixture, anonymous: true });
    const url = world.github.url;
    const first = `${url}${repoPath}/issues?state=all&sort=created&direction=asc&per_page=100`;
    world.github.addFault({ match: /\/issues\?(?!.*[?&]page=)/, kind: 'headers', times: Infinity, headers: { link: `<${first}&page=2>; rel="next", <${first}&page=24>; rel="last"` } });
    // 100 issues a page, each carrying 318 KiB that nobody reads.
    const padding = 'x'.repeat(318 * 1024);
    const big = JSON.stringify(
      Array.from({ length: 100 }, (_, index) => ({ id: 9_000_000 + index, number: 9_000 + index, user: { login: `big-${index}`, type: 'User' }, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', comments: 0, body: padding })),
    );
    expect(big.length).toBeGreaterThan(31 * 1024 * 1024);
    expect(big.length).toBeLessThan(32 * 1024 * 1024);
    world.github.addFault({ match: /\/issues\?.*[?&]page=(?:[2-9]|1\d|2[0-4])(?:&|$)/, kind: 'body', times: Infinity, body: big });
    const result = await attackedRun(world, 'issue', '--concurrency', '16');
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code, result.stderr).toBe(0);
    expect(result.peakBytes).toBeLessThan(maxPeakBytes);
  }, 120_000);
});
