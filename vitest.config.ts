import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two tiers, both run by `npm test`:
 * - `e2e`: tests that spawn the built CLI (bin/octohatrack runs dist/, so `npm test` builds first)
 *   or git. A new file under test/e2e or test/faults is one; elsewhere, list it here.
 * - `unit`: every other test, in-process (`npm run test:unit`, no build needed). A unit test that
 *   spawns a process fails (test/unit-setup.ts): list its file here instead.
 */
const endToEnd = [
  'test/e2e/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/collectors/wiki.test.ts',
  'test/domain/co-authors-git.test.ts',
  'test/hostile/cache-files.test.ts',
  'test/hostile/cache-links.test.ts',
  'test/hostile/private-repositories.test.ts',
  'test/hostile/other-host.test.ts',
  'test/hostile/secrets.test.ts',
  'test/hostile/server-text.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two files at a time on a 2-core machine (vitest's default would be one): an e2e file mostly
    // waits for the CLI it spawned, which is a process of its own.
    maxWorkers: 2,
    // In CI, also write the results as JSON so .ci/run can print a plain closing line (both tiers).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.cache/test-results.json' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...endToEnd], setupFiles: ['test/unit-setup.ts'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: endToEnd },
      },
    ],
  },
});
