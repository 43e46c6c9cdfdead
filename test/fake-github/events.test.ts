/**
 * The loopback GitHub's `GET /repos/{o}/{r}/issues/events`, as GitHub documents it
 * (https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository) and serves it:
 * newest first, `per_page`/`page` with `link` headers, ETags, the pagination limit, and the events
 * of pull requests where issues are turned off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triageRepository } from './fixtures.js';
import { startFakeGitHub } from './server.js';
import type { FakeGitHub } from './server.js';
import { links } from './test-servers.js';

interface Event {
  id: number;
  node_id: string;
  url: string;
  actor: { login: string; type: string } | null;
  event: string;
  commit_id: string | null;
  created_at: string;
  issue: { number: number; pull_request?: unknown };
  label?: { name: string };
}

const tracker = triageRepository();
const path = '/repos/octo-org/tracker/issues/events';
const running: FakeGitHub[] = [];

async function start(options: Parameters<typeof startFakeGitHub>[0]): Promise<FakeGitHub> {
  const github = await startFakeGitHub(options);
  running.push(github);
  return github;
}

afterAll(async () => {
  await Promise.all(running.map((github) => github.close()));
});

describe('fake GitHub, issue events of a repository', () => {
  let github: FakeGitHub;
  let repoId: number;
  const get = (query: string, init: RequestInit = {}): Promise<Response> => fetch(`${github.url}${path}${query}`, init);

  beforeAll(async () => {
    github = await start({ users: tracker.users, repos: [tracker.repo] });
    repoId = ((await (await fetch(`${github.url}/repos/octo-org/tracker`)).json()) as { id: number }).id;
  });

  it('lists every event newest first, 100 a page at most, with absolute links', async () => {
    const first = await get('?per_page=100');
    expect(first.status).toBe(200);
    const firstLinks = links(first.headers.get('link'));
    expect(firstLinks).toEqual({
      next: `${github.url}/repositories/${String(repoId)}/issues/events?per_page=100&page=2`,
      last: `${github.url}/repositories/${String(repoId)}/issues/events?per_page=100&page=3`,
    });
    const pages = [(await first.json()) as Event[]];
    for (const page of [2, 3]) pages.push((await (await get(`?per_page=100&page=${String(page)}`)).json()) as Event[]);
    expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
    const events = pages.flat();
    expect(events).toHaveLength(tracker.facts.counts.events);
    const times = events.map((event) => event.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(events.map((event) => event.id)).toEqual([...events.map((event) => event.id)].sort((a, b) => b - a));
    // The default page is 30, as everywhere.
    expect((await (await get('')).json()) as Event[]).toHaveLength(30);
  });

  it('renders an event as GitHub does: its actor (null when deleted), name, time, issue and details', async () => {
    const events = ((await (await get('?per_page=100&page=3')).json()) as Event[]).concat((await (await get('?per_page=100&page=2')).json()) as Event[], (await (await get('?per_page=100')).json()) as Event[]);
    const first = events.find((event) => event.actor?.login === 'triager-only' && event.event === 'labeled');
    expect(first).toMatchObject({ event: 'labeled', label: { name: 'bug' }, issue: { number: 1 } });
    expect(first?.url).toBe(`${github.url}/repos/octo-org/tracker/issues/events/${String(first?.id)}`);
    expect(first?.node_id).toEqual(expect.any(String));
    expect(events.find((event) => event.event === 'closed' && event.actor === null)).toBeDefined();
    expect(events.find((event) => event.actor?.login === 'triage-bot[bot]')?.actor?.type).toBe('Bot');
    expect(events.find((event) => event.event === 'merged')?.issue.pull_request).toBeDefined();
    expect(events.find((event) => event.event === 'merged')?.commit_id).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers 304 to its ETag, and a new event changes page 1 (and every page after it)', async () => {
    const own = await start({ users: tracker.users, repos: [tracker.repo], tokens: ['t'] });
    const auth = { authorization: 'token t' };
    const first = await fetch(`${own.url}${path}?per_page=100`, { headers: auth });
    const etag = first.headers.get('etag') ?? '';
    const newest = ((await first.json()) as Event[])[0];
    expect((await fetch(`${own.url}${path}?per_page=100`, { headers: { ...auth, 'if-none-match': etag } })).status).toBe(304);
    own.addActivity('octo-org/tracker', { events: [{ actor: 'late-labeller', event: 'labeled', issueNumber: 2 }] });
    const again = await fetch(`${own.url}${path}?per_page=100`, { headers: { ...auth, 'if-none-match': etag } });
    expect(again.status).toBe(200);
    const [top, second] = (await again.json()) as Event[];
    expect(top).toMatchObject({ actor: { login: 'late-labeller' }, event: 'labeled', issue: { number: 2 } });
    expect(top?.id).toBeGreaterThan(newest?.id ?? 0);
    expect(second?.id).toBe(newest?.id);
    expect(() => own.addActivity('octo-org/tracker', { events: [{ actor: 'x', event: 'labeled', issueNumber: 99 }] })).toThrow(/no issue #99/);
  });

  it('refuses to page past the pagination limit with 422, its `next` leading there', async () => {
    const limited = await start({ users: tracker.users, repos: [tracker.repo], paginationLimit: 200 });
    const second = await fetch(`${limited.url}${path}?per_page=100&page=2`);
    expect(second.status).toBe(200);
    expect(links(second.headers.get('link'))['next']).toContain('page=3');
    const third = await fetch(`${limited.url}${path}?per_page=100&page=3`);
    expect(third.status).toBe(422);
    expect(((await third.json()) as { message: string }).message).toMatch(/pagination is limited/);
  });

  it('where issues are turned off, lists the events of pull requests (no 410)', async () => {
    const off = await start({ users: tracker.users, repos: [{ ...tracker.repo, hasIssues: false }] });
    const response = await fetch(`${off.url}${path}?per_page=100`);
    expect(response.status).toBe(200);
    const events = (await response.json()) as Event[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.issue.pull_request !== undefined)).toBe(true);
    expect((await fetch(`${off.url}/repos/octo-org/tracker/issues?per_page=100`)).status).toBe(410);
  });

  it('refuses an event on something that is not an issue of the repository', async () => {
    const repo = { owner: 'o', name: 'r', issues: [{ author: 'a' }], events: [{ actor: 'a', event: 'closed', issueNumber: 2 }] };
    await expect(startFakeGitHub({ users: [], repos: [repo] })).rejects.toThrow(/not an issue of that repository/);
  });
});

describe('triageRepository', () => {
  it('has triagers who do nothing else, and actors of events that are not triage who are nobody', () => {
    const { facts } = tracker;
    const kindsOf = (login: string): string[] => Object.entries(facts.loginsByKind).flatMap(([kind, logins]) => (logins.includes(login) ? [kind] : []));
    for (const login of ['triager-only', 'closer-only', 'merger-only', 'triage-bot[bot]', 'ghost']) expect(kindsOf(login), login).toEqual(['triage']);
    expect(facts.logins).not.toContain('watcher-only');
    expect(facts.logins).not.toContain('renamer-only');
    expect(facts.bots).toEqual(['triage-bot[bot]']);
    expect(facts.counts.events).toBe(250);
    expect(facts.counts.triageEvents).toBeLessThan(facts.counts.events);
    const events = new Set(tracker.repo.events?.map((event) => event.event));
    for (const name of ['labeled', 'unlabeled', 'assigned', 'unassigned', 'milestoned', 'demilestoned', 'closed', 'reopened', 'locked', 'unlocked', 'marked_as_duplicate', 'unmarked_as_duplicate', 'pinned', 'unpinned', 'transferred', 'merged']) {
      expect(events.has(name), name).toBe(true);
    }
  });
});
