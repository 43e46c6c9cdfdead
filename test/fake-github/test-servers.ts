/** For the fake's own tests: servers of the sample repository, all closed after the file's tests. */
import { afterAll } from 'vitest';
import { sampleRepository } from './fixtures.js';
import { startFakeGitHub } from './server.js';
import type { FakeGitHub, FakeGitHubOptions } from './server.js';

export const sample = sampleRepository();
export const token = 'ghp_valid';

export function sampleServers(): (overrides?: Partial<FakeGitHubOptions>) => Promise<FakeGitHub> {
  const running: FakeGitHub[] = [];
  afterAll(async () => {
    await Promise.all(running.map((github) => github.close()));
  });
  return async (overrides = {}) => {
    const github = await startFakeGitHub({ users: sample.users, repos: [sample.repo], tokens: [token], ...overrides });
    running.push(github);
    return github;
  };
}

/** The rel → URL map of a `link` header. */
export function links(header: string | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) result[match[2]] = match[1];
  }
  return result;
}
