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

describe('fake GitHub, GraphQL timelines of issues and pull requests', () => {
  const curating = ['ASSIGNED_EVENT', 'CLOSED_EVENT', 'DEMILESTONED_EVENT', 'LABELED_EVENT', 'LOCKED_EVENT', 'MARKED_AS_DUPLICATE_EVENT', 'MILESTONED_EVENT', 'PINNED_EVENT', 'REOPENED_EVENT', 'TRANSFERRED_EVENT', 'UNASSIGNED_EVENT', 'UNLABELED_EVENT', 'UNLOCKED_EVENT', 'UNMARKED_AS_DUPLICATE_EVENT', 'UNPINNED_EVENT'];
  const fields = ['LabeledEvent', 'UnlabeledEvent', 'AssignedEvent', 'UnassignedEvent', 'MilestonedEvent', 'DemilestonedEvent', 'ClosedEvent', 'ReopenedEvent', 'LockedEvent', 'UnlockedEvent', 'MarkedAsDuplicateEvent', 'UnmarkedAsDuplicateEvent', 'PinnedEvent', 'UnpinnedEvent', 'TransferredEvent']
    .map((type) => `... on ${type} { actor { __typename login } createdAt }`)
    .join(' ');
  interface TimelinePage {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ __typename: string; actor: { __typename: string; login: string } | null; createdAt: string }>;
  }
  type Answer = { data: { repository: Record<string, { timelineItems: TimelinePage }> }; errors?: unknown[] };

  async function ask(github: FakeGitHub, query: string, variables: Record<string, unknown> = {}): Promise<{ answer: Answer; cost: number | undefined }> {
    const response = await fetch(`${github.url}/graphql`, { method: 'POST', headers: { authorization: 'bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    return { answer, cost: github.requests.at(-1)?.cost };
  }

  /** The REST listing's events of issue `number`, oldest first, as `timelineItems` should serve them. */
  async function restEvents(github: FakeGitHub, number: number): Promise<Event[]> {
    const pages: Event[] = [];
    for (let page = 1; page <= 3; page++) pages.push(...((await (await fetch(`${github.url}${path}?per_page=100&page=${String(page)}`)).json()) as Event[]));
    return pages.filter((event) => event.issue.number === number).reverse();
  }

  it('serves the events REST lists, filtered by itemTypes, oldest first, paged by cursor, with actors (null for a deleted account)', async () => {
    const github = await start({ users: tracker.users, repos: [tracker.repo], tokens: ['t'] });
    // Issue 1, pull request 10 (closed by a deleted account; its other events are not curation) and 12.
    const pages: number[] = [];
    let deleted = 0;
    let left = 0;
    for (const [number, pull] of [[1, false], [10, true], [12, true]] as const) {
      const all = await restEvents(github, number);
      const counted = all.filter((event) => !['subscribed', 'mentioned', 'renamed', 'referenced', 'head_ref_deleted', 'review_requested', 'convert_to_draft'].includes(event.event));
      const types = pull ? [...curating, 'MERGED_EVENT'] : curating;
      const seen: TimelinePage['nodes'] = [];
      let after: string | null = null;
      let total = -1;
      do {
        const query = `query T($n: Int!, $after: String) { repository(owner: "octo-org", name: "tracker") { t: ${pull ? 'pullRequest' : 'issue'}(number: $n) { timelineItems(first: 7, after: $after, itemTypes: [${types.join(', ')}]) { totalCount pageInfo { hasNextPage endCursor } nodes { __typename ${fields}${pull ? ' ... on MergedEvent { actor { __typename login } createdAt }' : ''} } } } } }`;
        const { answer } = await ask(github, query, { n: number, after });
        expect(answer.errors).toBeUndefined();
        const page: TimelinePage = answer.data.repository['t']!.timelineItems;
        total = page.totalCount;
        seen.push(...page.nodes);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after !== null);
      expect(total).toBe(counted.length);
      pages.push(Math.ceil(seen.length / 7));
      deleted += seen.filter((node) => node.actor === null).length;
      left += all.length - counted.length;
      expect(seen.map((node) => [node.__typename, node.actor?.login ?? null, node.createdAt])).toEqual(
        counted.map((event) => [`${event.event.replace(/(^|_)([a-z])/g, (_m: string, _s: string, letter: string) => letter.toUpperCase())}Event`, event.actor?.login ?? null, event.created_at]),
      );
    }
    expect(Math.max(...pages)).toBeGreaterThan(1);
    expect(deleted).toBe(1);
    expect(left).toBeGreaterThan(0);
  });

  it('costs 1 point for the first 100 items of the timelines of 100 issues, as GitHub’s formula scores it', async () => {
    const github = await start({ users: tracker.users, repos: [tracker.repo], tokens: ['t'] });
    const aliases = Array.from({ length: 100 }, (_, index) => `t${index}: issue(number: 1) { timelineItems(first: 100, itemTypes: [LABELED_EVENT]) { totalCount nodes { ... on LabeledEvent { actor { login } } } } }`);
    const { answer, cost } = await ask(github, `query { repository(owner: "octo-org", name: "tracker") { ${aliases.join(' ')} } }`);
    expect(answer.errors).toBeUndefined();
    expect(cost).toBe(1);
  });

  it('a label or an assignment made later moves the item’s updated_at; a pin does not', async () => {
    const github = await start({ users: tracker.users, repos: [tracker.repo], tokens: ['t'] });
    const updatedAt = async (number: number): Promise<string | undefined> => {
      const items = (await (await fetch(`${github.url}/repos/octo-org/tracker/issues?state=all&per_page=100`)).json()) as Array<{ number: number; updated_at: string }>;
      return items.find((item) => item.number === number)?.updated_at;
    };
    const before = [await updatedAt(1), await updatedAt(3), await updatedAt(5)];
    github.addActivity('octo-org/tracker', { events: [{ actor: 'maintainer', event: 'labeled', issueNumber: 1 }, { actor: 'maintainer', event: 'assigned', issueNumber: 3 }, { actor: 'maintainer', event: 'pinned', issueNumber: 5 }] });
    expect(await updatedAt(1)).not.toBe(before[0]);
    expect(await updatedAt(3)).not.toBe(before[1]);
    expect(await updatedAt(5)).toBe(before[2]);
  });
});
