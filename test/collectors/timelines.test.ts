/**
 * `triage` past the REST listing's reach: the listing counts the events made after its reach, the
 * timelines of the items made before it (GraphQL) the events made at or before it, none twice; and
 * the cost planner's choice between the listing and the timelines.
 */
import { describe, expect, it } from 'vitest';
import { timelinesConnection } from '../../src/collectors/timelines.js';
import { sharedVariables, threadsQuery } from '../../src/collectors/thread-query.js';
import { collectTriage } from '../../src/collectors/triage.js';
import type { CollectorContext } from '../../src/collectors/types.js';
import type { ResponseCache } from '../../src/github/cache.js';
import type { ListingItem } from '../../src/github/shapes.js';
import type { TransportRequest, TransportResponse } from '../../src/github/transport.js';
import type { Answer } from '../github/support.js';
import { apiUrl, memoryCache, scripted, testHelper } from '../github/support.js';

const repoPath = '/repos/o/r';
const first = `${repoPath}/issues/events?per_page=100`;
const page = (n: number): string => `${first}&page=${n}`;
const at = (day: number): string => `2024-01-${String(day).padStart(2, '0')}T00:00:00Z`;

/** A REST issue event on issue `number`. */
function restEvent(id: number, actor: string, day: number, number = 1): Record<string, unknown> {
  return { id, event: 'labeled', actor: { login: actor, type: 'User' }, created_at: at(day), issue: { number } };
}

/** Timelines by item number: each event's actor ('' for a deleted account) and day. */
type Timelines = Map<number, Array<{ login: string; day: number }>>;

/**
 * REST answers from `rest`; GraphQL `query Timelines` answered from `timelines`, 2 items a page (a
 * cursor is the index of the next item), and each alias's number and cursor recorded in `asked`.
 */
function github(rest: Record<string, Answer>, timelines: Timelines) {
  const restTransport = scripted(rest);
  const asked: string[][] = [];
  const transport = async (request: TransportRequest): Promise<TransportResponse> => {
    if (!request.url.endsWith('/graphql')) return restTransport(request);
    const { query, variables } = request.body as { query: string; variables: Record<string, unknown> };
    const aliases = [...query.matchAll(/t(\d+): (?:issue|pullRequest)\(number: \$n\d+\) \{ timelineItems\(first: 100, after: \$c\d+, itemTypes: \$(?:issue|pullRequest)ItemTypes\)/g)].map((match) => Number(match[1]));
    const repository: Record<string, unknown> = {};
    asked.push(
      aliases.map((index) => {
        const number = variables[`n${index}`] as number;
        const start = Number((variables[`c${index}`] as string | null) ?? 0);
        const events = timelines.get(number) ?? [];
        const nodes = events.slice(start, start + 2).map(({ login, day }) => ({ __typename: 'LabeledEvent', actor: login === '' ? null : { __typename: 'User', login }, createdAt: at(day) }));
        repository[`t${index}`] = { timelineItems: { totalCount: events.length, pageInfo: { hasNextPage: start + 2 < events.length, endCursor: String(start + nodes.length) }, nodes } };
        return `${number}@${start}`;
      }),
    );
    return { status: 200, headers: {}, errorBody: null, text: JSON.stringify({ data: { repository } }) };
  };
  return { transport, asked, paths: () => restTransport.paths() };
}

function context(cache: ResponseCache, transport: (request: TransportRequest) => Promise<TransportResponse>): CollectorContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    github: testHelper({ apiUrl, transport, cache }),
    fullName: 'o/r',
    repoPath,
    since: null,
    refresh: 'incremental',
    pushed: { at: null, branch: null },
    progress: () => undefined,
    warn: (message) => warnings.push(message),
    warnings,
  };
}

const item = (number: number, createdDay: number, pull = false): ListingItem => ({ id: number, number, created_at: at(createdDay), updated_at: at(20), ...(pull ? { pull_request: {} } : {}) });
const counts = (found: Awaited<ReturnType<typeof collectTriage>>): Record<string, number> => Object.fromEntries(found.contributions.map((c) => [c.who.login ?? '', c.count]).sort());
const limitedAt = { status: 422, errorBody: { message: 'In order to keep the API fast for everyone, pagination is limited for this resource.' } };
/** GraphQL nearly spent: the listing is the cheaper way, as long as it can be had. */
const listingCheaper = async () => ({ rest: 5000, points: 10 });

describe('triage past the listing’s reach', () => {
  // The listing, newest first, stops after its first page: it reaches back to day 5.
  const rest = {
    [first]: { status: 200, json: [restEvent(9, 'dan', 7), restEvent(8, 'cat', 6), restEvent(7, 'bob', 5)], headers: { link: `<${apiUrl}${page(2)}>; rel="next"` } },
    [page(2)]: limitedAt,
  };
  // #1's whole timeline holds the listing's events of day 5 and 6 too; #2's, its event of day 7.
  const timelines: Timelines = new Map([
    [1, [{ login: 'ann', day: 1 }, { login: '', day: 2 }, { login: 'eve', day: 5 }, { login: 'bob', day: 5 }, { login: 'cat', day: 6 }]],
    [2, [{ login: 'dan', day: 7 }]],
  ]);
  const items = [item(1, 1), item(2, 6, true), item(3, 6)];

  it('counts the events made after the reach from the listing, and those made at or before it from the timelines, none twice', async () => {
    const server = github(rest, timelines);
    const found = await collectTriage(context(memoryCache(), server.transport), Promise.resolve(items), listingCheaper);
    expect(found.complete).toBe(true);
    // bob's event of day 5 is the listing's last and in #1's timeline: once. eve's, made in the same second, only in the timeline.
    expect(counts(found)).toEqual({ ann: 1, bob: 1, cat: 1, dan: 1, eve: 1, ghost: 1 });
    expect(server.paths()).toEqual([first, page(2)]);
    // Every timeline (#1's 5 events 2 a page); dan's event of day 7 in #2's is the listing's alone.
    expect(server.asked).toEqual([['1@0', '2@0', '3@0'], ['1@2'], ['1@4']]);
  });

  it('asks nothing again of what it read: the events before the reach change only by deletion', async () => {
    const cache = memoryCache();
    await collectTriage(context(cache, github(rest, timelines).transport), Promise.resolve(items), listingCheaper);
    const again = github(rest, timelines);
    const found = await collectTriage(context(cache, again.transport), Promise.resolve(items.map((i) => ({ ...i, updated_at: at(25) }))), listingCheaper);
    expect(again.asked).toEqual([]);
    expect(again.paths()).toEqual([]);
    expect(counts(found)).toEqual({ ann: 1, bob: 1, cat: 1, dan: 1, eve: 1, ghost: 1 });
  });

  it('without the items (no token, --since), counts what the listing reaches and says the rest could not be', async () => {
    const server = github(rest, timelines);
    const current = context(memoryCache(), server.transport);
    const found = await collectTriage(current, Promise.resolve(null), listingCheaper);
    expect(found.complete).toBe(false);
    expect(counts(found)).toEqual({ bob: 1, cat: 1, dan: 1 });
    expect(server.asked).toEqual([]);
    expect(current.warnings).toEqual(['o/r: GitHub stops listing issue events before 2024-01-05T00:00:00Z; triage older than that could not be reached']);
  });
});

describe('choosing between the listing and the timelines', () => {
  // 3 pages of events (most of them no triage) for 3 items: the timelines cost a point, the listing 3 requests.
  const link = (n: number): Record<string, string> => ({ link: `<${apiUrl}${page(n)}>; rel="next", <${apiUrl}${page(3)}>; rel="last"` });
  const rest = {
    [first]: { status: 200, json: [restEvent(9, 'dan', 7, 2)], headers: link(2) },
    [page(2)]: { status: 200, json: [{ ...restEvent(8, 'max', 4, 2), event: 'subscribed' }], headers: link(3) },
    [page(3)]: { status: 200, json: [restEvent(7, 'ann', 1)] },
  };
  const timelines: Timelines = new Map([
    [1, [{ login: 'ann', day: 1 }]],
    [2, [{ login: 'dan', day: 7 }]],
  ]);
  const items = [item(1, 1), item(2, 6, true), item(3, 6)];

  it('reads every timeline, and not the listing past its first page, where that spends the smaller share of what is left', async () => {
    const server = github(rest, timelines);
    const found = await collectTriage(context(memoryCache(), server.transport), Promise.resolve(items), async () => ({ rest: 5000, points: 5000 }));
    expect(found).toMatchObject({ complete: true });
    expect(counts(found)).toEqual({ ann: 1, dan: 1 });
    expect(server.asked).toEqual([['1@0', '2@0', '3@0']]);
    expect(server.paths()).toEqual([first]);
  });

  it('reads the listing where GraphQL’s budget is nearly spent', async () => {
    const server = github(rest, timelines);
    const found = await collectTriage(context(memoryCache(), server.transport), Promise.resolve(items), async () => ({ rest: 5000, points: 1 }));
    expect(counts(found)).toEqual({ ann: 1, dan: 1 });
    expect(server.asked).toEqual([]);
    expect(server.paths().sort()).toEqual([first, page(2), page(3)]);
  });

  it('asks the timelines of issues and pull requests for their own curating events, merges on pull requests alone', () => {
    const query = threadsQuery([{ pull: false }, { pull: true }], timelinesConnection);
    expect(query).toContain('query Timelines(');
    expect(query).toContain('$issueItemTypes: [IssueTimelineItemsItemType!], $pullRequestItemTypes: [PullRequestTimelineItemsItemType!]');
    expect(query).toContain('t0: issue(number: $n0) { timelineItems(first: 100, after: $c0, itemTypes: $issueItemTypes) { totalCount pageInfo { hasNextPage endCursor } nodes { ...TimelinesOfIssue } } }');
    expect(query).toContain('t1: pullRequest(number: $n1) { timelineItems(first: 100, after: $c1, itemTypes: $pullRequestItemTypes)');
    expect(query).toMatch(/fragment TimelinesOfIssue on IssueTimelineItems \{ __typename [^\n]*\.\.\. on MarkedAsDuplicateEvent \{ actor \{ __typename login \} createdAt \}/);
    expect(query).toMatch(/fragment TimelinesOfPullRequest on PullRequestTimelineItems \{[^\n]*\.\.\. on MergedEvent \{/);
    expect(query).not.toMatch(/fragment TimelinesOfIssue[^\n]*MergedEvent/);
    const variables = sharedVariables([{ pull: false }, { pull: true }], timelinesConnection);
    expect(variables['issueItemTypes']).toEqual(expect.arrayContaining(['LABELED_EVENT', 'UNLABELED_EVENT', 'ASSIGNED_EVENT', 'TRANSFERRED_EVENT']));
    expect(variables['issueItemTypes']).not.toContain('MERGED_EVENT');
    expect(variables['pullRequestItemTypes']).toContain('MERGED_EVENT');
    // A batch of issues alone declares nothing of pull requests: an unused variable or fragment is an error.
    const issuesOnly = threadsQuery([{ pull: false }], timelinesConnection);
    expect(issuesOnly).not.toContain('pullRequestItemTypes');
    expect(issuesOnly).not.toContain('TimelinesOfPullRequest');
    expect(Object.keys(sharedVariables([{ pull: false }], timelinesConnection))).toEqual(['issueItemTypes']);
  });
});
