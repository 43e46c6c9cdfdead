/**
 * The repositories the benchmark measures, and the fewest requests their listings allow
 * (SPEC §7: one request per 100 items of each listing, plus the fixed ones, plus GraphQL batches).
 */
import type { GenerateRepositoryOptions } from '../test/fake-github/fixtures.js';
import type { FixtureFacts } from '../test/fake-github/fixtures.js';

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

export const sizes: Record<SizeName, SizeDefinition> = {
  small: {
    name: 'small',
    // 200 issues and pull requests.
    repository: { owner: 'bench', name: 'small', issues: 150, pullRequests: 50, comments: 600, reviewComments: 120, commitComments: 20, reviews: 100, people: 100, seed: 1 },
    runCapMs: 2 * 60_000,
    repeats: 3,
  },
  medium: {
    name: 'medium',
    // 5,000 issues and pull requests, 25,000 comments, 6,000 review comments, 3,000 reviews, 2,500 people.
    repository: { owner: 'bench', name: 'medium', issues: 4000, pullRequests: 1000, comments: 25_000, reviewComments: 6000, commitComments: 500, reviews: 3000, people: 2500, seed: 2 },
    runCapMs: 4 * 60_000,
    repeats: 3,
  },
  large: {
    name: 'large',
    // 50,000 issues and pull requests (past GitHub's 40,000-item pagination depth: windows), 250,000
    // comments, 20,000 people; reviews kept modest (5,000 over 10,000 pull requests).
    repository: { owner: 'bench', name: 'large', issues: 40_000, pullRequests: 10_000, comments: 250_000, reviewComments: 20_000, commitComments: 1000, reviews: 5000, people: 20_000, seed: 3 },
    runCapMs: 6 * 60_000,
    // A --concurrency 1 run takes about two minutes here: once.
    repeats: 1,
  },
  chatty: {
    name: 'chatty',
    // Long threads: 5,000 issues and pull requests holding 100,000 comments, Zipf-spread (about 20 an
    // item; about a hundred items over 100, the busiest over 10,000), 20,000 review comments, 12,000
    // reviews. Where fetching comments per item (GraphQL, nested) pays, it pays here.
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
 * The minimum the listings allow, from the fixture's facts: a page per 100 items of each REST
 * listing (the commits, for co-authors, included; an empty listing still takes one request), the repository, the two content files
 * (CONTRIBUTORS and .all-contributorsrc), one GraphQL `Reviews` query per 100 pull requests and one
 * `Names` query per 100 people who can have a display name (not bots, not `ghost`).
 */
export function minimumRequests(facts: FixtureFacts): MinimumRequests {
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
    'names (GraphQL)': named === 0 ? 0 : Math.ceil(named / 100),
  };
  const graphql = (parts['reviews (GraphQL)'] ?? 0) + (parts['names (GraphQL)'] ?? 0);
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0);
  return { rest: total - graphql, graphql, total, parts };
}
