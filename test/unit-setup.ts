/**
 * The unit tier runs in-process: spawning the CLI, git or anything else makes a test an end-to-end
 * one, to be listed as such in vitest.config.ts (and `npm run test:unit` stays fast).
 */
import { vi } from 'vitest';

vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  const refuse = (name: string) => (): never => {
    throw new Error(`a unit test called child_process.${name}: list its file under endToEnd in vitest.config.ts`);
  };
  const refused = Object.fromEntries(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'].map((name) => [name, refuse(name)]));
  return { ...original, ...refused, default: { ...original, ...refused } };
});
