import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../fake-github/server.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli } from './run-cli.js';
import { startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});


const dayMs = 24 * hourMs;

/** The logins the `Names` queries of a run asked for. */
function askedForNames(requests: readonly RequestLogEntry[]): string[] {
  return requests.filter((r) => r.operation === 'Names').flatMap((r) => Object.values(JSON.parse(r.variables ?? '{}') as Record<string, string>)).sort();
}

function namesOf(stdout: string): Map<string, string | null> {
  return new Map((JSON.parse(stdout) as JsonReport).contributors.flatMap((c) => (c.login === null ? [] : [[c.login, c.name] as const])));
}

describe('display names from the GraphQL answers that already carry them', () => {
  it('asks the Names query only for people no answer of the run named, and prints the names each person’s account has', async () => {
    world = await startWorld();
    const { facts } = world.fixture;
    const args = [facts.fullName, '--format', 'json', '--no-wiki'];
    const withToken = await runCli(args, world.env);
    expect(withToken.code).toBe(0);

    // Comments (threads) and reviews came with their authors' names: none of those people is asked
    // again; the rest (committers, review commenters, people in files…) are, as before.
    const describedByAnswers = new Set([...facts.loginsByKind.comment, ...facts.loginsByKind.review].map((login) => login.toLowerCase()));
    const named = facts.logins.filter((login) => login !== 'ghost' && !facts.bots.includes(login));
    const asked = askedForNames(world.github.requests);
    expect(asked).toEqual(named.filter((login) => !describedByAnswers.has(login.toLowerCase())).sort());
    expect(asked.length).toBeLessThan(named.length);
    expect(asked).not.toContain('commenter-only');
    expect(asked).not.toContain('approver-only');

    // The same names as a run that asks for every person's profile (without a token: GET /users/{login} each).
    const { GH_TOKEN: _token, ...anonymous } = world.env;
    const withoutToken = await runCli([...args, '--no-cache'], anonymous);
    expect(withoutToken.code).toBe(0);
    const tokenNames = namesOf(withToken.stdout);
    const restNames = namesOf(withoutToken.stdout);
    expect(restNames.size).toBeGreaterThan(10);
    for (const [login, name] of restNames) expect([login, tokenNames.get(login)]).toEqual([login, name]);
    // Those only a GraphQL answer saw (approvals without a comment: no token, no reviews) have theirs too.
    expect(tokenNames.get('approver-only')).toBe(facts.displayNames['approver-only']);
    expect(tokenNames.get('commenter-only')).toBe(facts.displayNames['commenter-only']);
  });

  it('keeps a name an answer carried as long as an asked one, and asks it again once older than that', async () => {
    world = await startWorld();
    const args = [world.fixture.facts.fullName, '--format', 'json', '--no-wiki', '--max-age', '1h'];
    const cold = await runCli(args, world.env);
    expect(cold.code).toBe(0);

    /** The same run, the cache made `ms` older: the same report, and no thread or review read again (nothing changed). */
    const rerunAged = async (aged: World, ms: number): Promise<void> => {
      ageCache(aged.cacheDir, ms, { checks: true });
      aged.github.clearLog();
      const again = await runCli(args, aged.env);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(cold.stdout);
      expect(aged.github.requests.filter((r) => r.operation === 'Comments' || r.operation === 'Reviews')).toEqual([]);
    };

    // Two days on: the answers are past --max-age but the names within their week. The threads and
    // reviews are kept as they were, so no answer carries a name: the kept ones are used.
    await rerunAged(world, 2 * dayMs);
    expect(askedForNames(world.github.requests)).toEqual([]);

    // Eight days on: every name is older than its week, and still no answer of this run carries one
    // (the kept threads and reviews are as old as the names were): everyone is asked, as before.
    await rerunAged(world, 6 * dayMs);
    const { facts } = world.fixture;
    expect(askedForNames(world.github.requests)).toEqual(facts.logins.filter((login) => login !== 'ghost' && !facts.bots.includes(login)).sort());
  });
});
