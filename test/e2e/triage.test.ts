/**
 * `triage` (issue 12, part 2): the actors of the events that curate issues and pull requests, from
 * the repository-wide listing of issue events, counted exactly as the fixture's facts say, with a
 * token and without. The listing comes newest first and takes no `since`: what a run has seen is
 * kept, a warm run asks nothing, and a refresh asks only for the top of the listing — and never
 * misses what is new.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureFacts } from '../fake-github/fixtures.js';
import { computeFacts, generateRepository, triageRepository } from '../fake-github/fixtures.js';
import type { FakeActivity } from '../fake-github/types.js';
import { ageCache, hourMs } from './cache-age.js';
import { runCli, startCli } from './run-cli.js';
import { cleanReport, peopleOf, startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const fullName = 'octo-org/tracker';

const report = (current: World, extra: string[] = []): Promise<JsonReport> => cleanReport(current, fullName, extra);

/** Triage events per login, as the facts count them (made at or after `since`). */
function triageOf(facts: FixtureFacts, since: string | null = null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of facts.contributions) {
    if (c.kind !== 'triage' || c.login === null || (since !== null && (c.at === null || c.at < since))) continue;
    counts[c.login] = (counts[c.login] ?? 0) + 1;
  }
  return counts;
}

function triageIn(json: JsonReport): Record<string, number> {
  return Object.fromEntries(json.contributors.flatMap((c) => (c.counts.triage === undefined ? [] : [[c.login ?? c.name ?? '', c.counts.triage]])));
}

/** The requests for the listing of issue events: `page=N` (1 for the first page), and the status. */
function eventPages(current: World): string[] {
  return current.github.requests.filter((r) => r.path.includes('/issues/events')).map((r) => `${/[?&]page=(\d+)/.exec(r.path)?.[1] ?? '1'} ${r.status}`);
}

/** GraphQL's budget nearly spent: a token's run reads the listing, where the timelines would cost more of what is left. */
const listingCheaper = { rateLimit: { graphql: 100 } };

const ways = [
  ['with a token', listingCheaper],
  ['without a token', { anonymous: true, rateLimit: { anonymous: 5000 } }],
] as const;

/** The GraphQL queries of timelines in the request log. */
const timelineQueries = (current: World): number => current.github.requests.filter((r) => r.operation === 'Timelines').length;

describe('triage', () => {
  it.each(ways)('finds the people who only curate the tracker, and nobody for the events that are not triage, %s', async (_way, options) => {
    const fixture = triageRepository();
    world = await startWorld({ fixture, ...options });
    const { facts } = fixture;
    const json = await report(world);

    expect(peopleOf(json).logins).toEqual(facts.logins);
    const kindsOf = (login: string): string[] | undefined => json.contributors.find((c) => c.login === login)?.kinds;
    for (const login of ['triager-only', 'closer-only', 'merger-only', 'triage-bot[bot]', 'ghost']) expect(kindsOf(login), login).toEqual(['triage']);
    expect(kindsOf('maintainer')).toEqual(['code', 'issue', 'pull-request', 'triage']);
    // Subscribed, mentioned, renamed, a branch deleted, a reference, a review asked for: nobody's triage.
    expect(kindsOf('watcher-only')).toBeUndefined();
    expect(kindsOf('renamer-only')).toBeUndefined();
    expect(kindsOf('reporter')).toEqual(['issue', 'pull-request']);
    // One per event; the deleted actor (`actor: null`) and `ghost` are one entry; the bot is a bot.
    expect(triageIn(json)).toEqual(triageOf(facts));
    expect(Object.values(triageIn(json)).reduce((sum, n) => sum + n, 0)).toBe(facts.counts.triageEvents);
    expect(json.contributors.find((c) => c.login === 'triage-bot[bot]')?.type).toBe('Bot');
    expect(json.complete).toBe(world.env.GH_TOKEN !== undefined);
    // The listing's 250 events: a request per 100, the pages after the first side by side.
    expect(eventPages(world).sort()).toEqual(['1 200', '2 200', '3 200']);

    // --no-bots leaves the bot's triage out with the bot.
    const withoutBots = await report(world, ['--no-bots']);
    expect(withoutBots.contributors.some((c) => c.login === 'triage-bot[bot]')).toBe(false);
  });

  it('answers a second run within --max-age from what the first kept, without a request', async () => {
    world = await startWorld({ fixture: triageRepository() });
    const first = await report(world);
    world.github.clearLog();
    expect(await report(world)).toEqual(first);
    expect(world.github.requests).toEqual([]);
  });

  describe.each(ways)('new events after a cached run, %s', (_way, options) => {
    /** 150 new events: page 1 holds only new ones, page 2 some of them and the first it has seen. */
    const growth: FakeActivity = {
      events: Array.from({ length: 150 }, (_, index) => ({
        actor: index === 0 ? 'new-triager' : index === 1 ? 'new-watcher' : index === 149 ? 'newest-closer' : 'maintainer',
        event: index === 1 ? 'subscribed' : index === 149 ? 'closed' : 'labeled',
        issueNumber: (index % 12) + 1,
      })),
    };

    it.each([
      ['--refresh', ['--refresh']],
      ['--max-age 0', ['--max-age', '0']],
      ['--max-age passing', []],
    ] as const)('are found by %s, as --no-cache finds them, asking only the top of the listing', async (_label, refreshArgs) => {
      world = await startWorld({ fixture: triageRepository(), ...options });
      const before = await report(world);
      world.github.addActivity(fullName, growth);
      if (refreshArgs.length === 0) ageCache(world.cacheDir, 25 * hourMs, { checks: true });
      world.github.clearLog();
      const refreshed = await report(world, [...refreshArgs]);
      // Page 1 (all new) and page 2 (where what was seen begins); never page 3 or 4.
      expect(eventPages(world)).toEqual(['1 200', '2 200']);
      expect(refreshed).toEqual(await report(world, ['--no-cache']));
      const kindsOf = (login: string): string[] | undefined => refreshed.contributors.find((c) => c.login === login)?.kinds;
      expect(kindsOf('new-triager')).toEqual(['triage']);
      expect(kindsOf('newest-closer')).toEqual(['triage']);
      expect(kindsOf('new-watcher')).toBeUndefined();
      expect(triageIn(refreshed)['maintainer']).toBe((triageIn(before)['maintainer'] ?? 0) + 147);

      // Nothing new since: page 1 alone, a 304 (free with a token), and the same report.
      world.github.clearLog();
      expect(await report(world, ['--refresh'])).toEqual(refreshed);
      expect(eventPages(world)).toEqual(['1 304']);
      if (world.env.GH_TOKEN !== undefined) expect(world.github.requests.filter((r) => r.path.includes('/issues/events')).every((r) => !r.countedAgainstLimit)).toBe(true);
    });

    it('one new event: found by a refresh that asks page 1 alone', async () => {
      world = await startWorld({ fixture: triageRepository(), ...options });
      await report(world);
      world.github.addActivity(fullName, { events: [{ actor: 'late-locker', event: 'locked', issueNumber: 3 }] });
      world.github.clearLog();
      const refreshed = await report(world, ['--refresh']);
      expect(eventPages(world)).toEqual(['1 200']);
      expect(refreshed.contributors.find((c) => c.login === 'late-locker')?.kinds).toEqual(['triage']);
      expect(refreshed).toEqual(await report(world, ['--no-cache']));
    });
  });

  it('with --since, counts only the events made since, reading no further back than the date; all time then reads the rest', async () => {
    const fixture = triageRepository();
    world = await startWorld({ fixture, ...listingCheaper });
    // The 250 events are an hour apart from 2024-01-01T00:00Z, newest first: page 1 holds the 100
    // newest (from 2024-01-07T06:00Z on), page 2 the 100 before.
    const since = '2024-01-06T12:00:00Z';
    const recent = await report(world, ['--since', since]);
    expect(eventPages(world)).toEqual(['1 200', '2 200']);
    expect(triageIn(recent)).toEqual(triageOf(fixture.facts, since));
    expect(recent.complete).toBe(true);
    // Kept: the same again asks nothing.
    world.github.clearLog();
    expect(await report(world, ['--since', since])).toEqual(recent);
    expect(world.github.requests).toEqual([]);

    // All time: what was kept does not go back that far, so the listing is read to its end (the
    // pages already had come from the cache).
    world.github.clearLog();
    const all = await report(world);
    expect(eventPages(world)).toEqual(['3 200']);
    expect(triageIn(all)).toEqual(triageOf(fixture.facts));
    expect(all).toEqual(await report(world, ['--no-cache']));
  });

  it('past GitHub’s pagination limit without a token: counts what it can reach, warns, and says the report is incomplete, run after run', async () => {
    const fixture = triageRepository();
    world = await startWorld({ fixture, paginationLimit: 200, anonymous: true, rateLimit: { anonymous: 5000 } });
    const args = [fullName, '--format', 'json', '--no-wiki'];
    const first = await runCli(args, world.env);
    expect(first.code).toBe(0);
    const warning = /^warning: octo-org\/tracker: GitHub stops listing issue events before 2024-01-03T02:00:00Z; triage older than that could not be reached$/m;
    expect(first.stderr).toMatch(warning);
    expect(first.stderr).toMatch(/the report is incomplete/);
    const json = JSON.parse(first.stdout) as JsonReport;
    expect(json.complete).toBe(false);
    expect(eventPages(world).sort()).toEqual(['1 200', '2 200', '3 422']);
    // The 200 newest events are counted.
    expect(triageIn(json)).toEqual(triageOf(fixture.facts, '2024-01-03T02:00:00Z'));

    world.github.clearLog();
    const warm = await runCli(args, world.env);
    expect(world.github.requests).toEqual([]);
    expect(warm.stdout).toBe(first.stdout);
    expect(warm.stderr).toMatch(warning);
    // Since a date it can reach, the report is whole.
    const since = await runCli([...args, '--since', '2024-01-05'], world.env);
    // (Incomplete still: reviews need a token.)
    expect(since.stderr).not.toMatch(/GitHub stops listing/);
    expect(triageIn(JSON.parse(since.stdout) as JsonReport)).toEqual(triageOf(fixture.facts, '2024-01-05'));
  });

  describe('past GitHub’s pagination limit with a token', () => {
    // GitHub stops at about 40,000 events; here at 100, so that the listing reaches back to the 150th
    // of the 250 events (2024-01-07T06:00Z), and triager-only, closer-only and merger-only acted
    // only before that.
    const beyond = ['triager-only', 'closer-only', 'merger-only'];

    it('reads the events the listing cannot reach from the timelines of the items made before: complete, as with no limit', async () => {
      const fixture = triageRepository();
      const whole = await startWorld({ fixture, ...listingCheaper });
      const unlimited = await report(whole);
      await whole.close();
      world = await startWorld({ fixture, paginationLimit: 100, ...listingCheaper });
      const result = await runCli([fullName, '--format', 'json', '--no-wiki'], world.env);
      expect(result.code).toBe(0);
      expect(result.stderr).not.toMatch(/warning|incomplete/);
      const json = JSON.parse(result.stdout) as JsonReport;
      expect(json.complete).toBe(true);
      expect(eventPages(world)).toEqual(['1 200', '2 422']);
      // The 12 items were all made before the reach: one query of 12 timelines.
      expect(timelineQueries(world)).toBe(1);
      for (const login of beyond) expect(json.contributors.find((c) => c.login === login)?.kinds, login).toEqual(['triage']);
      expect(triageIn(json)).toEqual(triageOf(fixture.facts));
      expect(await report(world)).toEqual(unlimited);

      // A warm run asks nothing; a refresh asks the top of the listing alone, and no timeline again.
      world.github.clearLog();
      expect(await report(world)).toEqual(unlimited);
      expect(world.github.requests).toEqual([]);
      world.github.addActivity(fullName, { events: [{ actor: 'late-locker', event: 'locked', issueNumber: 3 }] });
      const refreshed = await report(world, ['--refresh']);
      expect(eventPages(world)).toEqual(['1 200']);
      expect(timelineQueries(world)).toBe(0);
      expect(refreshed.contributors.find((c) => c.login === 'late-locker')?.kinds).toEqual(['triage']);
      expect(refreshed).toEqual(await report(world, ['--no-cache']));
    });

    it('stopped by the rate limit half-way through the timelines, the rerun asks only the queries still to answer', async () => {
      // 300 items and 3,000 events; the listing reaches back to the 1,000th newest, and the GraphQL
      // budget (2 points) to 2 of the 3 queries the timelines of the items made before then take.
      const fixture = generateRepository({ owner: 'big', name: 'tracker', issues: 250, pullRequests: 50, comments: 0, reviewComments: 0, commitComments: 0, people: 40, events: 3000, seed: 11 });
      world = await startWorld({ fixture, paginationLimit: 1000, rateLimit: { graphql: 2 } });
      const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'triage'];
      const stopped = await runCli(args, world.env);
      expect(stopped.code).toBe(75);
      const answered = world.github.requests.filter((r) => r.operation === 'Timelines' && r.countedAgainstLimit).length;
      expect(answered).toBe(2);
      world.github.resetRateLimits();
      world.github.clearLog();
      const resumed = await runCli(args, world.env);
      expect(resumed.code).toBe(0);
      // Only the query the limit refused, and no page of the listing again.
      expect(timelineQueries(world)).toBe(1);
      expect(world.github.requests.filter((r) => r.path.includes('/issues/events'))).toEqual([]);
      const json = JSON.parse(resumed.stdout) as JsonReport;
      expect(json.complete).toBe(true);
      expect(triageIn(json)).toEqual(triageOf(fixture.facts));
    });
  });

  it('where issues are turned off, counts the triage of pull requests', async () => {
    const fixture = triageRepository();
    const repo = { ...fixture.repo, hasIssues: false };
    world = await startWorld({ fixture: { ...fixture, repo } });
    const json = await report(world);
    // The facts of the repository with issues off: the events of its pull requests.
    const facts = computeFacts(fixture.users, repo);
    expect(facts.counts.triageEvents).toBeLessThan(fixture.facts.counts.triageEvents);
    expect(triageIn(json)).toEqual(triageOf(facts));
    expect(json.contributors.find((c) => c.login === 'merger-only')?.kinds).toEqual(['triage']);
  });
});

describe('triage through the timelines, where they cost less than the listing', () => {
  it('counts the same people; a refresh reads on only the timelines of the items with new events', async () => {
    const fixture = triageRepository();
    world = await startWorld({ fixture });
    const json = await report(world);
    expect(json.complete).toBe(true);
    expect(triageIn(json)).toEqual(triageOf(fixture.facts));
    // The listing's first page says it has 3 pages; the 12 timelines take one query.
    expect(eventPages(world)).toEqual(['1 200']);
    expect(timelineQueries(world)).toBe(1);

    // A label and a close move their items' updated_at; a pin does not, but the top of the listing
    // names its item: those three timelines are read on, from where they got to, and no other. A
    // comment moves its item's updated_at too, but makes no event: that timeline is not read again.
    world.github.addActivity(fullName, {
      events: [
        { actor: 'new-labeller', event: 'labeled', issueNumber: 3 },
        { actor: 'new-closer', event: 'closed', issueNumber: 4 },
        { actor: 'new-pinner', event: 'pinned', issueNumber: 5 },
      ],
      issueComments: [
        { author: 'new-commenter', issueNumber: 6 },
        { author: 'new-commenter', issueNumber: 7 },
      ],
    });
    world.github.clearLog();
    const refreshed = await report(world, ['--refresh']);
    const asked = world.github.requests.filter((r) => r.operation === 'Timelines').map((r) => JSON.parse(r.variables ?? '{}') as Record<string, unknown>);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ n0: 3, n1: 4, n2: 5 });
    expect(asked[0]?.['c0']).toEqual(expect.any(String));
    expect(asked[0]?.['n3']).toBeUndefined();
    expect(eventPages(world)).toEqual(['1 200']);
    for (const login of ['new-labeller', 'new-closer', 'new-pinner']) expect(refreshed.contributors.find((c) => c.login === login)?.kinds, login).toEqual(['triage']);
    expect(refreshed).toEqual(await report(world, ['--no-cache']));
  });
});

describe('triage, side by side with the issues listing', () => {
  it('asks the top of the events listing while the issues listing is read, not after it', async () => {
    const fixture = generateRepository({ owner: 'busy', name: 'tracker', issues: 250, pullRequests: 20, comments: 100, reviewComments: 5, commitComments: 2, people: 30, reviews: 10, events: 600, triagers: 3, seed: 7 });
    world = await startWorld({ fixture });
    const current = world;
    // The issues listing's pages after the first are held: a run that waited for the whole listing
    // before pricing triage would never ask the events, and this test would time out.
    const laterPages = (path: string): boolean => path.includes('/issues?') && /[?&]page=\d/.test(path);
    const release = current.github.hold((request) => laterPages(request.path));
    const eventsAnswered = new Promise<void>((resolve) => {
      const stop = current.onAnswer((_, request) => {
        if (!request.path.includes('/issues/events')) return;
        stop();
        resolve();
      });
    });
    const run = runCli([fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names'], current.env);
    await eventsAnswered;
    expect(current.github.requests.filter((request) => laterPages(request.path) && request.status !== 0)).toEqual([]);
    release();
    const result = await run;
    expect(result.code).toBe(0);
    expect(triageIn(JSON.parse(result.stdout) as JsonReport)).toEqual(triageOf(fixture.facts));
  });
});

describe('triage through the timelines, interrupted', () => {
  it('killed (kill -9) while the second round of timelines is in flight, the rerun asks that round alone', async () => {
    // 25 items with about 320 events each, half of them curating: every timeline takes two pages.
    const fixture = generateRepository({ owner: 'busy', name: 'tracker', issues: 20, pullRequests: 5, comments: 0, reviewComments: 0, commitComments: 0, people: 30, events: 8000, seed: 13 });
    const curating = new Map<number, number>();
    for (const { event, issueNumber } of fixture.repo.events ?? []) if (!['mentioned', 'subscribed', 'referenced', 'renamed', 'head_ref_deleted', 'review_requested'].includes(event)) curating.set(issueNumber, (curating.get(issueNumber) ?? 0) + 1);
    expect(Math.min(...curating.values())).toBeGreaterThan(100);
    world = await startWorld({ fixture });
    const args = [fixture.facts.fullName, '--format', 'json', '--no-wiki', '--no-names', '--kinds', 'triage'];
    const cursorOf = (r: { variables?: string }): unknown => (JSON.parse(r.variables ?? '{}') as Record<string, unknown>)['c0'];
    const current = world;
    const run = startCli(args, current.env);
    // The moment GitHub has the answer to a query of the second round, before it is sent.
    current.onRequest = () => {
      if (current.github.requests.some((r) => r.operation === 'Timelines' && r.status !== 0 && cursorOf(r) !== null)) run.child.kill('SIGKILL');
    };
    const killed = await run.done;
    current.onRequest = null;
    expect(killed.signal).toBe('SIGKILL');
    expect(current.github.requests.filter((r) => r.operation === 'Timelines' && cursorOf(r) === null)).toHaveLength(1);

    current.github.clearLog();
    const rerun = await runCli(args, current.env);
    expect(rerun.code).toBe(0);
    const asked = current.github.requests.filter((r) => r.operation === 'Timelines');
    expect(asked).toHaveLength(1);
    expect(asked.every((r) => typeof cursorOf(r) === 'string')).toBe(true);
    const json = JSON.parse(rerun.stdout) as JsonReport;
    expect(json.complete).toBe(true);
    expect(triageIn(json)).toEqual(triageOf(fixture.facts));
  });
});

describe('--dry-run prices triage', () => {
  interface Estimate {
    repositories: Array<{ sources: Array<{ source: string; api: string; requests: number; cached: number; checks: number; accuracy: string; note?: string }> }>;
  }
  const triageRows = async (current: World, extra: string[] = []) => {
    const dry = await runCli([fullName, '--no-wiki', '--dry-run', '--format', 'json', ...extra], current.env);
    expect(dry.code).toBe(0);
    return (JSON.parse(dry.stdout) as Estimate).repositories[0]?.sources.filter((s) => s.source === 'triage');
  };
  const triageRow = async (current: World, extra: string[] = []) => (await triageRows(current, extra))?.[0];

  it('a request per 100 events from the first page’s Link, less what the cache holds, as the run then asks', async () => {
    world = await startWorld({ fixture: triageRepository(), ...listingCheaper });
    // Cold: 3 pages; the dry run fetched (and cached) the first.
    expect(await triageRow(world)).toEqual({ source: 'triage', api: 'rest', requests: 3, cached: 1, checks: 0, accuracy: 'exact', note: 'the timelines would take at least 1 point' });
    world.github.clearLog();
    await report(world);
    expect(eventPages(world).sort()).toEqual(['2 200', '3 200']);

    // Warm: nothing to ask, and nothing asked to find that out.
    world.github.clearLog();
    expect(await triageRow(world)).toMatchObject({ requests: 3, cached: 3, checks: 0 });
    expect(eventPages(world)).toEqual([]);

    // Older than --max-age: page 1 checked for what is new.
    ageCache(world.cacheDir, 25 * hourMs, { checks: true });
    expect(await triageRow(world)).toMatchObject({ requests: 3, cached: 3, checks: 1, note: 'page 1 checked for new events: +1 per 100 new; the timelines would take at least 1 point' });
    world.github.clearLog();
    await report(world);
    expect(eventPages(world)).toEqual(['1 304']);
  });

  it('with a token, every timeline where that costs less: a point per 100 items instead of the listing’s pages', async () => {
    world = await startWorld({ fixture: triageRepository() });
    expect(await triageRows(world)).toEqual([{ source: 'triage', api: 'graphql', requests: 1, cached: 0, checks: 0, accuracy: 'at least', note: '12 timelines; + a point per 100 further pages; instead of 2 REST requests' }]);
    await report(world);
    expect(await triageRows(world)).toMatchObject([{ api: 'graphql', requests: 1, cached: 1 }]);
  });

  it('past GitHub’s pagination limit, the listing as far back as it goes and the timelines for the rest', async () => {
    world = await startWorld({ fixture: triageRepository(), paginationLimit: 100, ...listingCheaper });
    await report(world);
    expect(await triageRows(world)).toEqual([
      { source: 'triage', api: 'rest', requests: 2, cached: 2, checks: 0, accuracy: 'exact', note: 'as far back as GitHub lists; the older events from the timelines' },
      { source: 'triage', api: 'graphql', requests: 1, cached: 1, checks: 0, accuracy: 'about', note: 'the events the listing cannot reach, from the timelines of the items made before' },
    ]);
  });

  it('with --since, as far back as the date, from how far back the first page goes', async () => {
    world = await startWorld({ fixture: triageRepository() });
    // Page 1 spans 99 hours back from 2024-01-11T09:00Z; 2024-01-06T12:00Z is 117 hours back: 2 pages.
    expect(await triageRow(world, ['--since', '2024-01-06T12:00:00Z'])).toMatchObject({ requests: 2, cached: 1, accuracy: 'about' });
    // A date page 1 reaches: 1 page, exactly.
    expect(await triageRow(world, ['--since', '2024-01-10'])).toMatchObject({ requests: 1, cached: 1, accuracy: 'exact' });
  });
});

describe('choosing triage', () => {
  it('--kinds triage asks for the repository and its issue events only (with a token, the items too, for their timelines); --skip-kinds triage never asks them', async () => {
    const fixture = triageRepository();
    world = await startWorld({ fixture, anonymous: true });
    const anonymous = await runCli([fullName, '--format', 'json', '--no-wiki', '--kinds', 'triage', '--no-names'], world.env);
    expect(anonymous.code).toBe(0);
    const only = JSON.parse(anonymous.stdout) as JsonReport;
    expect([...new Set(only.contributors.flatMap((c) => c.kinds))]).toEqual(['triage']);
    expect(triageIn(only)).toEqual(triageOf(fixture.facts));
    expect(world.github.requests.map((r) => r.path.replace(/\?.*$/, ''))).toEqual([`/repos/${fullName}`, ...Array<string>(3).fill(`/repos/${fullName}/issues/events`)]);
    await world.close();

    // With a token, the 12 timelines take a point, where the listing takes 3 requests: its first page says so.
    world = await startWorld({ fixture });
    const timelines = await report(world, ['--kinds', 'triage', '--no-names']);
    expect(triageIn(timelines)).toEqual(triageOf(fixture.facts));
    expect(world.github.requests.map((r) => r.operation ?? r.path.replace(/\?.*$/, '')).sort()).toEqual(['/rate_limit', `/repos/${fullName}`, `/repos/${fullName}/issues`, `/repos/${fullName}/issues/events`, 'Timelines']);

    world.github.clearLog();
    const dry = await runCli([fullName, '--no-wiki', '--skip-kinds', 'triage', '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toMatch(/triage/);
    const without = await report(world, ['--skip-kinds', 'triage']);
    expect(without.contributors.some((c) => c.kinds.includes('triage'))).toBe(false);
    expect(world.github.requests.filter((r) => r.path.includes('/issues/events'))).toEqual([]);
  });
});
