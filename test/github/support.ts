/** What the helper's unit tests share: a cache in memory, and a helper with the settings a test does not care about. */
import type { CacheEntry, CacheKey, ResponseCache } from '../../src/github/cache.js';
import type { GitHubHelper, GitHubHelperOptions } from '../../src/github/helper.js';
import { createGitHubHelper } from '../../src/github/helper.js';

export function memoryCache(): ResponseCache & { entries: Map<string, CacheEntry> } {
  const entries = new Map<string, CacheEntry>();
  return {
    entries,
    dir: '/memory',
    get: (key: CacheKey) => entries.get(key.path),
    set: (key: CacheKey, entry: CacheEntry) => void entries.set(key.path, entry),
    checkpoint: () => undefined,
    save: () => undefined,
  };
}

export function testHelper(options: Pick<GitHubHelperOptions, 'apiUrl' | 'transport'> & Partial<GitHubHelperOptions>): GitHubHelper {
  return createGitHubHelper({
    cache: memoryCache(),
    cacheEnabled: true,
    maxAgeMs: 60_000,
    waitForReset: false,
    concurrency: 4,
    timeoutMs: 1000,
    ...options,
  });
}
