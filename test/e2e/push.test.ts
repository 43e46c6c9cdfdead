/**
 * What is on the repository's branches (its contributors list, its CONTRIBUTORS files) changes only
 * with a push: a refresh asks for it again only when `pushed_at` has moved, or while the contributors
 * list may still be catching up with the last push.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRepository } from '../fake-github/fixtures.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});


const codeRequests = (current: World): string[] =>
  current.github.requests.filter((r) => /\/(contributors|contents)\b/.test(r.path)).map((r) => r.path.replace(/\?.*/, ''));

/** Makes the cache two hours old, then runs a refresh with `--max-age 1h` and a clean log. */
async function refresh(current: World, args: string[]): Promise<JsonReport> {
  ageCache(current.cacheDir, 2 * hourMs);
  return refreshAsItIs(current, args);
}

/** A refresh with `--max-age 1h` and a clean log, of the cache as it is. */
async function refreshAsItIs(current: World, args: string[]): Promise<JsonReport> {
  current.github.clearLog();
  const result = await runCli([...args, '--max-age', '1h'], current.env);
  expect(result.stderr).not.toMatch(/warning|error/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

const kindsOf = (report: JsonReport, login: string): string[] | undefined => report.contributors.find((c) => c.login === login)?.kinds;

describe('refreshing what only a push changes', () => {
  it('keeps the contributors list and files while nothing is pushed, and asks again after a push', async () => {
    const fixture = sampleRepository();
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    expect((await runCli(args, world.env)).code).toBe(0);
    expect(codeRequests(world)).toEqual(['/repos/octo-org/hello-world/contributors', '/repos/octo-org/hello-world/contents/CONTRIBUTORS', '/repos/octo-org/hello-world/contents/.all-contributorsrc']);

    // New issues do not move pushed_at (last pushed in 2020): nothing on the branches is asked for.
    world.github.addActivity(fixture.facts.fullName, { issues: [{ author: 'newcomer' }] });
    const quiet = await refresh(world, args);
    expect(codeRequests(world)).toEqual([]);
    expect(world.github.requests.some((r) => r.path === '/repos/octo-org/hello-world')).toBe(true);
    expect(kindsOf(quiet, 'newcomer')).toEqual(['issue']);
    expect(kindsOf(quiet, 'alice')).toContain('contributors-file');

    // A push: a new committer and a new line in CONTRIBUTORS.
    const contributorsText = fixture.repo.files?.CONTRIBUTORS ?? '';
    world.github.addActivity(fixture.facts.fullName, {
      push: {
        contributors: [...(fixture.repo.contributors ?? []), { login: 'first-timer', contributions: 1 }],
        files: { CONTRIBUTORS: `${contributorsText}Credited Later <github:@credited-later>\n` },
      },
    });
    const pushed = await refresh(world, args);
    expect(codeRequests(world).sort()).toEqual(['/repos/octo-org/hello-world/contents/.all-contributorsrc', '/repos/octo-org/hello-world/contents/CONTRIBUTORS', '/repos/octo-org/hello-world/contributors']);
    expect(kindsOf(pushed, 'first-timer')).toEqual(['code']);
    expect(kindsOf(pushed, 'credited-later')).toEqual(['contributors-file']);
    world.github.clearLog();
    const fresh = await runCli([...args, '--no-cache'], world.env);
    expect(JSON.parse(fresh.stdout)).toEqual(pushed);

    // Within a day of the push GitHub's contributors list may lag behind it: it is asked again
    // (a 304 here), the files are not.
    await refresh(world, args);
    expect(codeRequests(world)).toEqual(['/repos/octo-org/hello-world/contributors']);
    expect(world.github.requests.find((r) => r.path.includes('/contributors'))?.status).toBe(304);
  });

  it('counts only a real check, not an answer from the cache, as checked a day after the push', async () => {
    const fixture = sampleRepository();
    // Pushed 25 hours ago; the first run, made two hours ago (the cache is aged so), checked the
    // list 23 hours after the push, when it may still have lagged behind it.
    const pushedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 25 * hourMs).toISOString();
    world = await startWorld({ fixture: { ...fixture, repo: { ...fixture.repo, pushedAt } } });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    expect((await runCli(args, world.env)).code).toBe(0);
    ageCache(world.cacheDir, 2 * hourMs, { checks: true });
    // More than a day after the push, a run within --max-age answers from the cache: that checks nothing.
    world.github.clearLog();
    expect((await runCli([...args, '--max-age', '3h'], world.env)).code).toBe(0);
    expect(world.github.requests).toEqual([]);
    // So the list still counts as checked 23 hours after the push: a refresh asks for it again.
    await refreshAsItIs(world, args);
    expect(codeRequests(world)).toEqual(['/repos/octo-org/hello-world/contributors']);
  });

  it('asks for everything again under --refresh', async () => {
    const fixture = sampleRepository();
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    expect((await runCli(args, world.env)).code).toBe(0);
    world.github.clearLog();
    expect((await runCli([...args, '--refresh'], world.env)).code).toBe(0);
    expect(codeRequests(world)).toHaveLength(3);
  });
});
