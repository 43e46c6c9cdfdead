/**
 * `co-author` without --since: the default branch's whole history, read under its head's sha, so
 * that every page read is immutable (history-head.ts):
 * - with a token, across both budgets: the newest pages through GraphQL (by cursor, one after the
 *   other; the first comes with the head), the oldest through REST (`?sha=…&page=N`, side by side),
 *   as many of each as what is left of each budget says, or where both can spare it the time each
 *   takes (cost-plan.ts `graphqlPagesOf`). Both list
 *   the history in `git log` order; the union of what they read, by sha, must hold the history's
 *   `totalCount` commits, or more is read until it does — else the source is not counted whole;
 * - without one, REST alone;
 * - after a push, only what the new head has that the old one had not (history-compare.ts), the
 *   rest read from the cache; a force push (or anything but `ahead`) reads the history anew.
 * https://docs.github.com/rest/commits/commits#list-commits
 * https://docs.github.com/graphql/reference/objects#commit
 */
import { QueryTooHeavyError, withPage } from '../github/helper.js';
import type { PageProgress } from '../github/helper.js';
import type { CommitAuthor } from '../github/shapes.js';
import { settleAll } from '../github/settle.js';
import type { BudgetsLeft } from './cost-plan.js';
import { graphqlPagesOf } from './cost-plan.js';
import { commitsSince } from './history-compare.js';
import type { HistoryPage } from './history-graphql.js';
import { historyPageThroughGraphQL } from './history-graphql.js';
import type { Head, HistoryRecord } from './history-head.js';
import { findHead, headOf, keepRecord, keepSplit, recallRecord, recallSplit } from './history-head.js';
import { sources } from './sources.js';
import type { CollectorContext } from './types.js';

export interface HistoryRead {
  commits: CommitAuthor[];
  complete: boolean;
}

export interface HistoryWays {
  /** GraphQL needs a token. */
  hasToken: boolean;
  /** What is left of each budget (asked once a run, and only when a split is to be decided). */
  budgets: () => Promise<BudgetsLeft>;
  /** Requests in flight at once (--concurrency): how many REST pages are read side by side. */
  concurrency: number;
}

export async function readHistory(context: CollectorContext, ways: HistoryWays): Promise<HistoryRead> {
  const head = await findHead(context, ways.hasToken);
  if (head.head === null) return { commits: [], complete: true };
  const record = recallRecord(context);
  if (record !== undefined && headOf(record) === head.head) return readKept(context, record);
  if (record !== undefined) {
    // Pushed since: the new commits only, if the old history is still all there is below them.
    const added = await commitsSince(context, headOf(record), head.head);
    if (added !== null) {
      const kept = await readKept(context, record);
      if (kept.complete) {
        keepRecord(context, { ...record, later: [...record.later, head.head] });
        return { commits: unionBySha([kept.commits, added]), complete: true };
      }
    }
  }
  // GraphQL with a token, unless the head had to be asked of REST (GitHub found the query too heavy).
  const viaGraphQL = ways.hasToken && head.total !== null;
  const split = recallSplit(context, head.head) ?? (viaGraphQL && head.pages > 1 ? graphqlPagesOf(head.pages, await ways.budgets(), ways.concurrency) : viaGraphQL ? head.pages : 0);
  keepSplit(context, head.head, split);
  const read = await readWhole(context, { ...head, head: head.head }, split);
  if (read.complete) keepRecord(context, { head: head.head, total: head.total, pages: head.pages, graphqlPages: split, later: [] });
  return read;
}

/** The history the record names, from the cache (whatever is missing from it asked again). */
async function readKept(context: CollectorContext, record: HistoryRecord): Promise<HistoryRead> {
  const base = await readWhole(context, record, record.graphqlPages);
  const parts = [base.commits];
  let from = record.head;
  for (const head of record.later) {
    const added = await commitsSince(context, from, head);
    if (added === null) return { commits: [], complete: false };
    parts.push(added);
    from = head;
  }
  return { commits: unionBySha(parts), complete: base.complete };
}

/**
 * The history under `head`: its newest `graphqlPages` pages through GraphQL, the others through
 * REST; then, where the two did not meet (the union short of `total`), GraphQL on from where it
 * stopped and then REST's first pages, until the union holds every commit.
 */
export async function readWhole(context: CollectorContext, head: Head & { head: string }, graphqlPages: number): Promise<HistoryRead> {
  const progress = pageCounter(context, head.pages);
  const { first } = head;
  const graphql = graphqlPages > 0 ? walkGraphQL(context, head.head, graphqlPages, progress, null, undefined, first && 'graphql' in first ? first.graphql : undefined) : Promise.resolve({ commits: [], after: null, more: false, total: null, pages: 0 });
  const rest = restPages(context, head.head, range(graphqlPages + 1, head.pages), progress, first && 'rest' in first ? first.rest : undefined);
  const [newest, oldest] = await settleBoth(graphql, rest);
  const total = newest.total ?? head.total;
  let commits = unionBySha([newest.commits, ...oldest]);
  // GitHub found a page too heavy for GraphQL: the rest of GraphQL's share through REST.
  if (newest.tooHeavy) commits = unionBySha([commits, ...(await restPages(context, head.head, range(newest.pages + 1, graphqlPages), progress))]);
  if (total === null) return { commits, complete: true };
  if (commits.length < total && newest.more && !newest.tooHeavy) {
    const further = await walkGraphQL(context, head.head, Number.POSITIVE_INFINITY, progress, newest.after, (read) => unionBySha([commits, read]).length >= total);
    commits = unionBySha([commits, further.commits]);
  }
  if (commits.length < total && graphqlPages > 0) commits = unionBySha([commits, ...(await restPages(context, head.head, range(1, graphqlPages), progress))]);
  const complete = commits.length >= total;
  if (!complete) context.warn(`${context.fullName}: the default branch's history holds ${total} commits, but only ${commits.length} could be read: co-authors are not counted whole`);
  return { commits, complete };
}

interface GraphQLWalk {
  commits: CommitAuthor[];
  after: string | null;
  more: boolean;
  total: number | null;
  /** Pages read. */
  pages: number;
  /** GitHub found the next page too heavy to answer (QueryTooHeavyError): the walk stopped there. */
  tooHeavy?: boolean;
}

/** Up to `pages` pages of the history under `head` through GraphQL, by cursor from `after`, until `enough` says so. */
async function walkGraphQL(
  context: CollectorContext,
  head: string,
  pages: number,
  progress: () => void,
  after: string | null = null,
  enough: (read: CommitAuthor[]) => boolean = () => false,
  firstPage?: HistoryPage,
): Promise<GraphQLWalk> {
  const commits: CommitAuthor[] = [];
  let cursor = after;
  let total: number | null = null;
  let read = 0;
  while (read < pages) {
    let page: HistoryPage;
    try {
      page = read === 0 && firstPage !== undefined ? firstPage : await historyPageThroughGraphQL(context, head, cursor);
    } catch (error) {
      if (!(error instanceof QueryTooHeavyError)) throw error;
      context.warn(`${context.fullName}: GitHub finds a page of the history too heavy to answer through GraphQL: reading the rest through REST`);
      return { commits, after: cursor, more: true, total, pages: read, tooHeavy: true };
    }
    read += 1;
    progress();
    commits.push(...page.commits);
    total = page.total;
    cursor = page.after;
    if (!page.more || page.commits.length === 0) return { commits, after: cursor, more: false, total, pages: read };
    if (enough(commits)) break;
  }
  return { commits, after: cursor, more: true, total, pages: read };
}

/** REST pages of the history under `head`, side by side, each used from the cache whatever its age. */
async function restPages(context: CollectorContext, head: string, numbers: readonly number[], progress: () => void, firstPage?: CommitAuthor[]): Promise<CommitAuthor[][]> {
  const uri = sources.coAuthors.historyUri(context.repoPath, head);
  return settleAll(
    numbers.map(async (number) => {
      if (number === 1 && firstPage !== undefined) {
        progress();
        return firstPage;
      }
      const page = await context.github.firstPage(number === 1 ? uri : withPage(uri, number), sources.coAuthors.shape);
      progress();
      return page.items;
    }),
  );
}

/** The commits of every part, each once (by sha), in order. */
export function unionBySha(parts: readonly (readonly CommitAuthor[])[]): CommitAuthor[] {
  const seen = new Set<string>();
  const union: CommitAuthor[] = [];
  for (const part of parts) {
    for (const commit of part) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      union.push(commit);
    }
  }
  return union;
}

/** Both, each run to its end before either failure is thrown (what was fetched is cached). */
async function settleBoth<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await settleAll<unknown>([first, second]);
  return [a as A, b as B];
}

function range(from: number, to: number): number[] {
  return from > to ? [] : Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function pageCounter(context: CollectorContext, pages: number): () => void {
  const progress: PageProgress = { pagesDone: 0, pagesKnown: Math.max(1, pages) };
  return () => {
    progress.pagesDone += 1;
    context.progress(sources.coAuthors.label, { pagesDone: progress.pagesDone, pagesKnown: Math.max(progress.pagesKnown, progress.pagesDone) });
  };
}
