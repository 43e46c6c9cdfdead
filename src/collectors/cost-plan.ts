/**
 * The cost planner: a token has two budgets an hour, spent side by side — REST requests and GraphQL
 * points (scored by GitHub's formula: each connection costs as many requests as its parents can hold,
 * assuming every connection is full; the sum divided by 100 and rounded, at least 1).
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 *
 * A source that can be asked either way is asked the way that spends the smaller share of what is left
 * of its own budget. The run (commands/report.ts) and --dry-run (commands/dry-run.ts) both choose here.
 */

import type { Plan } from '../options.js';

/** What is left of each budget; a budget GitHub has not spoken of yet counts as a full hour's. */
export interface BudgetsLeft {
  rest: number;
  points: number;
}

/** A token's hourly budgets, for a budget not seen yet. */
export const fullHour: BudgetsLeft = { rest: 5000, points: 5000 };

export type Way = 'rest' | 'graphql';

/**
 * What a plan lets the planner spend: under `rest-listings` (the plan before the cost planner, the
 * benchmark's baseline), no GraphQL points for a source that has a REST listing, so each is asked
 * through its listing.
 */
export function budgetsUnder(plan: Plan, left: BudgetsLeft): BudgetsLeft {
  return plan === 'rest-listings' ? { rest: left.rest, points: 0 } : left;
}

/** The way whose cost is the smaller share of its own budget's remainder (REST on a tie: it is the plan without a token too). */
export function cheaperWay(cost: { rest: number; points: number }, left: BudgetsLeft): Way {
  return share(cost.points, left.points) < share(cost.rest, left.rest) ? 'graphql' : 'rest';
}

/** A way that spends both budgets (`cost.rest` requests and `cost.points` points): the sum of its shares of what is left of each. */
export function shareOf(cost: { rest: number; points: number }, left: BudgetsLeft): number {
  return share(cost.rest, left.rest) + share(cost.points, left.points);
}

function share(cost: number, left: number): number {
  if (cost <= 0) return 0;
  return left <= 0 ? Number.POSITIVE_INFINITY : cost / left;
}

/**
 * Points to walk threads (one item's comments) that need `pages[i]` more pages each, one page of a
 * thread at a time (a page's cursor names the next), the pages of up to `perQuery` threads in one
 * query under aliases: 1 point a query (`perQuery` connections of 100 = `perQuery` requests). Round
 * r asks every thread that still needs an r-th page. With `bothEnds` (threads whose length is known:
 * thread-ends.ts), a round asks two pages of a thread, one from each end.
 */
export function threadPoints(pages: readonly number[], perQuery = 100, bothEnds = false): number {
  if (bothEnds) return bothEndsPoints(pages, perQuery);
  const longest = pages.reduce((most, count) => Math.max(most, count), 0);
  // Threads needing exactly p pages, then, from the longest down, how many need at least r.
  const needing = new Array<number>(longest + 2).fill(0);
  for (const count of pages) if (count > 0) needing[count] = (needing[count] ?? 0) + 1;
  let points = 0;
  let open = 0;
  for (let round = longest; round >= 1; round -= 1) {
    open += needing[round] ?? 0;
    points += Math.ceil(open / perQuery);
  }
  return points;
}

/** threadPoints read from both ends: round r asks 2 pages of each thread of 2r pages or more, 1 of each of 2r − 1. */
function bothEndsPoints(pages: readonly number[], perQuery: number): number {
  const longest = pages.reduce((most, count) => Math.max(most, count), 0);
  const exactly = new Array<number>(longest + 2).fill(0);
  for (const count of pages) if (count > 0) exactly[count] = (exactly[count] ?? 0) + 1;
  // atLeast[p]: threads of p pages or more.
  const atLeast = new Array<number>(longest + 2).fill(0);
  for (let count = longest; count >= 1; count -= 1) atLeast[count] = (atLeast[count + 1] ?? 0) + (exactly[count] ?? 0);
  let points = 0;
  for (let round = 1; 2 * round - 1 <= longest; round += 1) {
    const asks = 2 * (atLeast[2 * round] ?? 0) + (exactly[2 * round - 1] ?? 0);
    points += Math.ceil(asks / perQuery);
  }
  return points;
}

/** Pages of 100 a thread of `comments` comments takes, past the `seen` already read (0 pages when none are left). */
export function pagesFor(comments: number, seen = 0): number {
  return Math.max(0, Math.ceil((comments - seen) / 100));
}

/**
 * Of a history of `pages` pages of 100 commits, how many of the newest are read through GraphQL (a
 * point each, by cursor, one after the other) and the rest through REST (a request each, by page
 * number, `concurrency` side by side): in proportion to what is left of each budget, the first page
 * (which the GraphQL query for the head brings) at least. Where the history is a small part of what
 * is left (at most a tenth of each budget), the budgets can spare it either way, and the time it
 * takes decides: the GraphQL pages no more than keep pace with the REST pages read meanwhile
 * (`pages / (concurrency + 1)`), so that the run does not wait on a chain of cursors.
 */
export function graphqlPagesOf(pages: number, left: BudgetsLeft, concurrency: number): number {
  if (pages <= 1) return pages;
  const total = Math.max(0, left.rest) + Math.max(0, left.points);
  const share = total === 0 ? 0.5 : Math.max(0, left.points) / total;
  const byBudget = Math.min(pages, Math.max(1, Math.round(pages * share)));
  const spared = pages <= Math.min(left.rest, left.points) / 10;
  return spared ? Math.min(byBudget, Math.max(1, Math.ceil(pages / (concurrency + 1)))) : byBudget;
}
