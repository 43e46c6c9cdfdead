/**
 * The repositories the benchmark measures, and the fewest requests their listings allow
 * (SPEC §7: one request per 100 items of each listing, plus the fixed ones, plus GraphQL batches and
 * the discussions' points).
 */
import type { GenerateRepositoryOptions } from '../test/fake-github/fixtures.js';
import type { FixtureFacts } from '../test/fake-github/fixtures.js';
import type { FakeDiscussion } from '../test/fake-github/types.js';

export type SizeName = 'small' | 'medium' | 'large' | 'chatty';
export const sizeNames: readonly SizeName[] = ['small', 'medium', 'large', 'chatty'];

export interface SizeDefinition {
  name: SizeName;
  repository: GenerateRepositoryOptions & { owner: string; name: string };
  /** A CLI run is stopped past this (the measurement is then reported as capped). */
  runCapMs: number;
  /** Cold and warm runs, each this many times (medians reported), unless --repeat says otherwise. */
  repeats: number;
}

/**
 * Issue events and discussions for a repository of `items` issues and pull requests: about 5 events an
 * item (curation and noise alike, as the listing returns both), a discussion per 10 items with about 5
 * comments each (Zipf-spread over the discussions) and 3 replies per 5 comments (Zipf-spread over the
 * comments); and people who do nothing else but triage (`triagers`) or discuss (`discussers`).
 */
function talk(items: number, triagers: number, discussers: number): Partial<GenerateRepositoryOptions> {
  const discussions = Math.round(items / 10);
  return { events: 5 * items, triagers, discussions, discussionComments: 5 * discussions, discussionReplies: 3 * discussions, discussers };
}

export const sizes: Record<SizeName, SizeDefinition> = {
  small: {
    name: 'small',
    // 200 issues and pull requests, 1,000 issue events, 20 discussions.
    repository: { owner: 'bench', name: 'small', issues: 150, pullRequests: 50, comments: 600, reviewComments: 120, commitComments: 20, reviews: 100, people: 100, ...talk(200, 3, 5), seed: 1 },
    runCapMs: 2 * 60_000,
    repeats: 3,
  },
  medium: {
    name: 'medium',
    // 5,000 issues and pull requests, 25,000 comments, 6,000 review comments, 3,000 reviews, 2,500 people,
    // 25,000 issue events, 500 discussions (2,500 comments, 1,500 replies).
    repository: { owner: 'bench', name: 'medium', issues: 4000, pullRequests: 1000, comments: 25_000, reviewComments: 6000, commitComments: 500, reviews: 3000, people: 2500, ...talk(5000, 20, 50), seed: 2 },
    runCapMs: 4 * 60_000,
    repeats: 3,
  },
  large: {
    name: 'large',
    // 50,000 issues and pull requests (past GitHub's 40,000-item pagination depth: windows), 250,000
    // comments, 20,000 people; reviews kept modest (5,000 over 10,000 pull requests); 250,000 issue
    // events (past the same depth, which the events listing cannot be walked around), 5,000 discussions.
    repository: { owner: 'bench', name: 'large', issues: 40_000, pullRequests: 10_000, comments: 250_000, reviewComments: 20_000, commitComments: 1000, reviews: 5000, people: 20_000, ...talk(50_000, 100, 300), seed: 3 },
    runCapMs: 6 * 60_000,
    // A --concurrency 1 run takes about two minutes here: once.
    repeats: 1,
  },
  chatty: {
    name: 'chatty',
    // Long threads: 5,000 issues and pull requests holding 100,000 comments, Zipf-spread (about 20 an
    // item; about a hundred items over 100, the busiest over 10,000), 20,000 review comments, 12,000
    // reviews. Where fetching comments per item (GraphQL, nested) pays, it pays here. 25,000 issue
    // events; 500 discussions holding 6,000 comments (Zipf: a few over 100) and 2,500 replies (the
    // busiest comment over 100 too).
    repository: {
      owner: 'bench',
      name: 'chatty',
      issues: 3000,
      pullRequests: 2000,
      comments: 100_000,
      commentSpread: 'zipf',
      reviewComments: 20_000,
      commitComments: 200,
      reviews: 12_000,
      people: 5000,
      ...talk(5000, 30, 80),
      discussionComments: 6000,
      discussionReplies: 2500,
      seed: 4,
    },
    runCapMs: 6 * 60_000,
    repeats: 1,
  },
};

export interface MinimumRequests {
  rest: number;
  graphql: number;
  total: number;
  /** How the minimum was computed, for the output. */
  parts: Record<string, number>;
}

const pagesOf = (items: number): number => Math.max(1, Math.ceil(items / 100));

/**
 * The GraphQL points reading every discussion costs by GitHub's formula (each connection costs as
 * many requests as its parents can hold, full pages assumed; the sum / 100, rounded, at least 1 a
 * query): https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * - the listing, 100 discussions a query with each one's count of comments: 1 + 100 requests, 1 point;
 * - each page of a discussion's comments, asked for just as many as are left (f ≤ 100), with the first
 *   100 replies of each: 1 + f requests;
 * - each further page of a comment's replies: 1 request.
 * The pages of comments and replies of many discussions are bundled (aliases), so together they cost
 * their requests / 100. An empty repository still answers one listing query.
 */
export function discussionPoints(discussions: readonly FakeDiscussion[]): number {
  let requests = 0;
  for (const discussion of discussions) {
    const comments = discussion.comments ?? [];
    for (let left = comments.length; left > 0; left -= 100) requests += 1 + Math.min(100, left);
    for (const comment of comments) requests += Math.max(0, Math.ceil(((comment.replies ?? []).length - 100) / 100));
  }
  return pagesOf(discussions.length) + Math.ceil(requests / 100);
}

/**
 * The minimum the listings allow, from the fixture's facts: a page per 100 items of each REST
 * listing (the commits, for co-authors, and the issue events, for triage, included; an empty listing
 * still takes one request), the repository, the two content files (CONTRIBUTORS and
 * .all-contributorsrc), one GraphQL `Reviews` query per 100 pull requests, the discussions' points
 * (`discussionPoints`, when the repository has any) and one `Names` query per 100 people who can have
 * a display name (not bots, not `ghost`).
 */
export function minimumRequests(facts: FixtureFacts, discussions: readonly FakeDiscussion[]): MinimumRequests {
  const { counts } = facts;
  const named = facts.logins.filter((login) => login.toLowerCase() !== 'ghost' && !login.toLowerCase().endsWith('[bot]') && !facts.bots.includes(login)).length;
  const parts: Record<string, number> = {
    repository: 1,
    'content files': 2,
    contributors: pagesOf(counts.contributors),
    'issues and pull requests': pagesOf(counts.issues + counts.pullRequests),
    comments: pagesOf(counts.issueComments),
    'review comments': pagesOf(counts.reviewComments),
    'commit comments': pagesOf(counts.commitComments),
    'commits (co-authors)': pagesOf(counts.commits),
    'issue events': pagesOf(counts.events),
    'reviews (GraphQL)': pagesOf(counts.pullRequests),
    'discussions (GraphQL points)': discussions.length === 0 ? 0 : discussionPoints(discussions),
    'names (GraphQL)': named === 0 ? 0 : Math.ceil(named / 100),
  };
  const graphql = (parts['reviews (GraphQL)'] ?? 0) + (parts['discussions (GraphQL points)'] ?? 0) + (parts['names (GraphQL)'] ?? 0);
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0);
  return { rest: total - graphql, graphql, total, parts };
}
