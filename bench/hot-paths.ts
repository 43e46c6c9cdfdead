/**
 * In-process timings that used to be thresholds in the tests, where a loaded machine made them
 * fail: building and serving the largest loopback GitHub, and reading a hostile CONTRIBUTORS file.
 * The tests keep what these do; the benchmark says how long they take against a budget, and
 * fails on nothing.
 */
import { performance } from 'node:perf_hooks';
import { parseContributorsFile } from '../src/collectors/contributors-file.js';
import { generateRepository } from '../test/fake-github/fixtures.js';
import { startFakeGitHub } from '../test/fake-github/server.js';

export interface HotPath {
  name: string;
  ms: number;
  budgetMs: number;
}

export async function measureHotPaths(): Promise<HotPath[]> {
  const results: HotPath[] = [];
  const built = performance.now();
  const { users, repo } = generateRepository({ issues: 45_000, pullRequests: 5000, comments: 250_000, people: 2500 });
  const github = await startFakeGitHub({ users, repos: [repo] });
  results.push({ name: 'loopback GitHub: build 50,000 issues and 250,000 comments', ms: performance.now() - built, budgetMs: 3000 });
  try {
    const served = performance.now();
    for (let page = 1; page <= 10; page++) {
      const response = await fetch(`${github.url}/repos/big-org/big-repo/issues/comments?sort=updated&direction=asc&per_page=100&page=${String(page)}`);
      await response.json();
    }
    results.push({ name: 'loopback GitHub: serve 10 pages of those comments', ms: performance.now() - served, budgetMs: 1500 });
  } finally {
    await github.close();
  }

  // Lines built to make the CONTRIBUTORS patterns backtrack, 1 MiB of each: the slowest counts.
  let slowestMs = 0;
  for (const filler of [' ', '<', '>', '@', ' <', '\t', ':']) {
    for (const end of ['x', '>', '<', '@', '']) {
      const text = hostileContributorsFile(filler, end);
      const started = performance.now();
      parseContributorsFile(text);
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
  }
  results.push({ name: 'CONTRIBUTORS: a hostile 1 MiB file, slowest of 35 shapes', ms: slowestMs, budgetMs: 2000 });
  return results;
}

/** 1 MiB of 1,000-character lines: `a`, the filler repeated, and an end (as test/hostile/properties.test.ts reads them). */
function hostileContributorsFile(filler: string, end: string): string {
  const line = `a${filler.repeat(Math.floor(998 / filler.length))}${end}`.slice(0, 1000);
  return Array.from({ length: Math.floor((1024 * 1024) / (line.length + 1)) }, () => line).join('\n');
}

export function renderHotPaths(results: readonly HotPath[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return [
    'In-process hot paths (a budget, not a test: over it is worth a look, not a failure):',
    ...results.map((r) => `  ${r.name.padEnd(width)}  ${r.ms.toFixed(0).padStart(6)} ms  (budget ${r.budgetMs} ms${r.ms > r.budgetMs ? ', OVER' : ''})`),
  ].join('\n');
}
