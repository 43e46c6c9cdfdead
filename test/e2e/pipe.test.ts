/** The report reaches whoever reads it whole, however long it is. */
import { afterEach, describe, expect, it } from 'vitest';
import { generateRepository } from '../fake-github/fixtures.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('a large report through a pipe', () => {
  it('is written whole before the process exits', async () => {
    const fixture = generateRepository({ owner: 'many', name: 'people', issues: 1500, pullRequests: 0, comments: 1500, reviewComments: 0, commitComments: 0, people: 3000, seed: 29 });
    world = await startWorld({ fixture });
    const result = await runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names'], world.env);
    expect(result.code).toBe(0);
    // Far more than a pipe holds (64 KiB): what is still queued for the pipe at exit must not be lost.
    expect(result.stdout.length).toBeGreaterThan(256 * 1024);
    const report = JSON.parse(result.stdout) as { contributors: unknown[] };
    expect(report.contributors).toHaveLength(fixture.facts.logins.length + fixture.facts.nameOnly.length);
  });
});
