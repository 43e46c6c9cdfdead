/**
 * The CLI against a loopback GitHub as strict as GitHub: a concurrency ceiling below --concurrency,
 * cursor-paginated listings, GraphQL partial data (FORBIDDEN) and heavy queries that time out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { peopleOf, startWorld } from './world.js';
import type { JsonReport, World } from './world.js';

let worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.map((world) => world.close()));
  worlds = [];
});

async function open(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  const world = await startWorld(options);
  worlds.push(world);
  return world;
}


const noStackTrace = /\n\s+at [\w.<]+ \(|node:internal/;

/** The report is whole: everyone of the facts, every contribution counted. */
function expectWhole(world: World, report: JsonReport): void {
  const { facts } = world.fixture;
  expect(report.complete).toBe(true);
  expect(peopleOf(report)).toEqual({ logins: facts.logins, nameOnly: facts.nameOnly });
  const total = (kind: string): number => report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);
  expect(total('comment')).toBe(facts.counts.issueComments);
  expect(total('review-comment')).toBe(facts.counts.reviewComments);
  expect(total('commit-comment')).toBe(facts.counts.commitComments);
  expect(total('issue') + total('pull-request')).toBe(facts.counts.issues + facts.counts.pullRequests);
  expect(total('review')).toBe(facts.counts.reviews);
}

describe('more requests in flight than GitHub allows', () => {
  it('a ceiling below --concurrency: the secondary limits are waited out at halved concurrency; the report is whole', async () => {
    const world = await open({ maxConcurrentRequests: 2, concurrencyRetryAfterSeconds: 1 });
    // Once the repository is answered, the sources' first requests go out together: hold the two
    // that take a place until a third has arrived (and been refused), however loaded the machine is.
    let release = (): void => undefined;
    world.onRequest = (count) => {
      if (count === 1) release = world.github.hold();
    };
    const running = runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki', '--concurrency', '8'], world.env);
    await world.github.arrived(4);
    world.onRequest = null;
    release();
    const result = await running;
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(0);
    expectWhole(world, JSON.parse(result.stdout) as JsonReport);
    expect(world.github.requests.some((entry) => entry.status === 403)).toBe(true);
    expect(result.stderr).toMatch(/secondary rate limit: waiting 1 s/);
  });
});

describe('listings paginated by cursor', () => {
  const cursorPagination = ['issues', 'pulls', 'issues/comments', 'pulls/comments', 'comments'] as const;

  it('reports the same people and counts as with page numbers', async () => {
    const paged = await open();
    const reference = await runCli([paged.fixture.facts.fullName, '--format', 'json', '--no-wiki'], paged.env);
    expect(reference.code).toBe(0);
    const cursored = await open({ cursorPagination });
    const result = await runCli([cursored.fixture.facts.fullName, '--format', 'json', '--no-wiki'], cursored.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expectWhole(cursored, report);
    expect(report.contributors).toEqual((JSON.parse(reference.stdout) as JsonReport).contributors);
    // No page number was made up. (With a token, the comments are asked per thread through GraphQL,
    // and the sample's other listings fit one page: the cursors are followed without a token, below.)
    const listings = cursored.github.requests.filter((entry) => /\/(issues|comments)\?/.test(entry.path));
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.filter((entry) => /[?&]page=/.test(entry.path))).toEqual([]);
  });

  it('without a token, walks the comments listing by its cursors to the same people and counts as with page numbers', async () => {
    const args = ['--format', 'json', '--no-wiki', '--no-names'];
    const paged = await open({ anonymous: true });
    const reference = await runCli([paged.fixture.facts.fullName, ...args], paged.env);
    expect(reference.code).toBe(0);
    const cursored = await open({ anonymous: true, cursorPagination });
    const result = await runCli([cursored.fixture.facts.fullName, ...args], cursored.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.contributors).toEqual((JSON.parse(reference.stdout) as JsonReport).contributors);
    const total = (kind: string): number => report.contributors.reduce((sum, c) => sum + (c.counts[kind] ?? 0), 0);
    expect(total('comment')).toBe(cursored.fixture.facts.counts.issueComments);
    // It followed the cursors of the comments' listing (200 comments: two pages); no page number was made up.
    const comments = cursored.github.requests.filter((entry) => entry.path.includes('/issues/comments?'));
    expect(comments.some((entry) => entry.path.includes('after='))).toBe(true);
    const listings = cursored.github.requests.filter((entry) => /\/(issues|comments)\?/.test(entry.path));
    expect(listings.filter((entry) => /[?&]page=/.test(entry.path))).toEqual([]);
  });
});

describe('GraphQL partial data: FORBIDDEN', () => {
  it('a pull request the token may not see is not kept as "no reviews", nor the report called complete', async () => {
    const world = await open();
    world.github.addFault({ match: '/graphql', kind: 'forbidden', graphqlPath: ['repository', 'p0'], times: Number.POSITIVE_INFINITY });
    const result = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    if (result.code === 0) expect((JSON.parse(result.stdout) as JsonReport).complete).toBe(false);
    else expect(result.code).toBe(1);

    // Nothing wrong was kept: once GitHub shows it, the rerun has every review.
    const rerun = await openRerun(world);
    expectWhole(world, rerun);
  });

  it('a user the token may not see is not kept as "no display name"', async () => {
    const world = await open();
    world.github.addFault({ match: '/graphql', kind: 'forbidden', graphqlPath: ['u3'], times: Number.POSITIVE_INFINITY });
    const first = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(first.stderr).not.toMatch(noStackTrace);
    expect(first.code).toBe(0);
    // The batch of names holds only those no comment thread or review named (sorted): u3 is
    // reviewer-only (u1 and u2, file-only and rc-only, are named by the files too).
    expect(world.github.requests.find((r) => r.operation === 'Names')?.variables).toContain('"l3":"reviewer-only"');
    const nameOf = (report: JsonReport, login: string): string | null | undefined => report.contributors.find((c) => c.login === login)?.name;
    expect(nameOf(JSON.parse(first.stdout) as JsonReport, 'reviewer-only')).toBeNull();
    const rerun = await openRerun(world);
    expect(nameOf(rerun, 'reviewer-only')).toBe(world.fixture.facts.displayNames['reviewer-only']);
    expect(nameOf(rerun, 'bob')).toBeNull();
  });
});

/** The same run again, on the same cache, the faults gone. */
async function openRerun(world: World): Promise<JsonReport> {
  world.github.clearFaults();
  world.github.clearLog();
  const result = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

describe('a GraphQL query too heavy for GitHub', () => {
  it('is asked again in halves, the report is whole, and the size that worked is kept for the next run', async () => {
    // The Reviews query asks reviews(first: 100) of each pull request: 1,500 nodes for the sample's 15,
    // over the 1,000 this GitHub answers in time; 8 and 7 pull requests (800 and 700) are not.
    const world = await open({ graphqlTimeoutNodes: 1000 });
    const args = [world.fixture.facts.fullName, '--format', 'json', '--no-wiki'];
    const result = await runCli(args, world.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(0);
    expectWhole(world, JSON.parse(result.stdout) as JsonReport);
    const reviews = (): number[] => world.github.requests.filter((entry) => entry.operation === 'Reviews').map((entry) => entry.status);
    // Not asked again as it was (it would time out again): halved at once.
    expect(reviews()).toEqual([502, 200, 200]);

    // Every pull request changes: the next run asks for all their reviews again, 8 at most a query.
    world.github.addActivity(world.fixture.facts.fullName, { reviews: world.fixture.repo.issues?.flatMap((issue, index) => (issue.pullRequest ? [{ author: 'late-reviewer', pullNumber: index + 1 }] : [])) ?? [] });
    world.github.clearLog();
    const again = await runCli([...args, '--refresh'], world.env);
    expect(again.code).toBe(0);
    expect(reviews()).toEqual([200, 200]);
    expect((JSON.parse(again.stdout) as JsonReport).contributors.find((c) => c.login === 'late-reviewer')?.kinds).toEqual(['review']);
  });

  it('too heavy even for one pull request: tried again, then the run stops with a clear message, exit 1', async () => {
    const world = await open({ graphqlTimeoutNodes: 50 });
    const result = await runCli([world.fixture.facts.fullName, '--format', 'json', '--no-wiki'], world.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.stderr).toMatch(/GitHub answered 502 for http:\/\/127\.0\.0\.1:\d+\/graphql 3 times; progress is saved, rerun later/);
    // Halved down to single pull requests (15 → 8 + 7 → … → 1), each of which is tried 3 times.
    const sizes = world.github.requests.filter((entry) => entry.operation === 'Reviews').map((entry) => Object.keys(JSON.parse(entry.variables ?? '{}') as object).filter((name) => /^p\d+$/.test(name)).length);
    expect(sizes[0]).toBe(15);
    expect(sizes.filter((size) => size === 1).length).toBe(15 * 3);
  });
});
