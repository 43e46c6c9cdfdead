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
