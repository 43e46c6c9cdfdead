/**
 * The head of the default branch, and what the run keeps of the history read under it.
 *
 * The head is the one answer of the history that can change: it is asked first (with a token, the
 * GraphQL query that brings the first page too; without one, the REST listing's first page, whose
 * first commit is the head) and kept with the push it was asked at. While the repository shows that
 * push and default branch (or within --max-age), it stands without a request; --refresh asks again.
 * Everything under a head's sha is immutable.
 */
import { QueryTooHeavyError, ShapeError } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';
import type { CommitAuthor } from '../github/shapes.js';
import type { HistoryPage } from './history-graphql.js';
import { askHeadThroughGraphQL } from './history-graphql.js';
import { perPage, sources } from './sources.js';
import type { CollectorContext } from './types.js';

/** What asking for the head needs of a run (--dry-run asks it too). */
export type HeadContext = Pick<CollectorContext, 'github' | 'repoPath' | 'refresh' | 'pushed' | 'fullName' | 'warn'>;

export interface Head {
  /** Null: an empty repository. */
  head: string | null;
  /** Commits in the history (GraphQL's `totalCount`); null when REST alone was asked (it does not say). */
  total: number | null;
  pages: number;
  /** When the head was just asked: the first page that came with it (kept too, but --no-cache keeps nothing). */
  first?: { graphql: HistoryPage } | { rest: CommitAuthor[] };
}

interface KeptHead extends Omit<Head, 'first'> {
  pushedAt: string | null;
  branch: string | null;
}

/**
 * The last head whose whole history was read (`graphqlPages` of its newest pages through GraphQL,
 * the rest through REST), and the heads after it whose new commits were each read by comparing them
 * with the one before (`later`, oldest first): together, what a run can read from the cache alone.
 */
export interface HistoryRecord {
  head: string;
  total: number | null;
  pages: number;
  graphqlPages: number;
  later: string[];
}

const headKey = (repoPath: string): string => `${repoPath}/kept/history-head`;
const recordKey = (repoPath: string): string => `${repoPath}/kept/history-read`;
/** How a head's pages were split between the two budgets, once decided: a resumed run splits them the same. */
const splitKey = (repoPath: string, head: string): string => `${repoPath}/kept/history/${head}/split`;

/** The head as kept, when it still stands: within --max-age, or nothing pushed since it was asked. */
export function knownHead(context: HeadContext): Head | undefined {
  const kept = context.github.recall(headKey(context.repoPath), shapeKeptHead, Number.POSITIVE_INFINITY);
  if (kept === undefined) return undefined;
  if (context.github.freshness(headKey(context.repoPath)) === 'fresh') return kept;
  const { at, branch } = context.pushed;
  const unpushed = context.refresh === 'incremental' && at !== null && kept.pushedAt === at && kept.branch === branch;
  return unpushed ? kept : undefined;
}

/** The head: as kept while it stands, else asked (and kept). Pages of the first page asked are kept under the head. */
export async function findHead(context: HeadContext, hasToken: boolean): Promise<Head> {
  const known = knownHead(context);
  if (known !== undefined) return known;
  const head = hasToken ? await askGraphQLHead(context).catch((error: unknown) => restInstead(context, error)) : await askRestHead(context);
  const kept: KeptHead = { head: head.head, total: head.total, pages: head.pages, pushedAt: context.pushed.at, branch: context.pushed.branch };
  context.github.remember(headKey(context.repoPath), kept);
  return head;
}

async function askGraphQLHead(context: HeadContext): Promise<Head> {
  const found = await askHeadThroughGraphQL(context);
  if (found === null) return { head: null, total: 0, pages: 0 };
  return { head: found.head, total: found.page.total, pages: Math.ceil(found.page.total / perPage), first: { graphql: found.page } };
}

/** Where GitHub finds even the head's query too heavy (a timeout), the history is read through REST alone. */
function restInstead(context: HeadContext, error: unknown): Promise<Head> {
  if (!(error instanceof QueryTooHeavyError)) throw error;
  context.warn(`${context.fullName}: GitHub finds the history too heavy to answer through GraphQL: reading it through REST instead`);
  return askRestHead(context);
}

/** The listing's first page (a 409: an empty repository), kept as the first page under its head too. */
async function askRestHead(context: HeadContext): Promise<Head> {
  const { coAuthors } = sources;
  const first = await context.github.firstPage(coAuthors.uri(context.repoPath), coAuthors.shape, false);
  const head = first.items[0]?.sha;
  if (head === undefined) return { head: null, total: 0, pages: 0 };
  const underHead = coAuthors.historyUri(context.repoPath, head);
  if (context.github.freshness(underHead) === 'absent') context.github.remember(underHead, first.items);
  return { head, total: null, pages: Math.max(1, first.pages), first: { rest: first.items } };
}

export function recallRecord(context: Pick<CollectorContext, 'github' | 'repoPath'>): HistoryRecord | undefined {
  return context.github.recall(recordKey(context.repoPath), shapeRecord, Number.POSITIVE_INFINITY);
}

export function keepRecord(context: Pick<CollectorContext, 'github' | 'repoPath'>, record: HistoryRecord): void {
  context.github.remember(recordKey(context.repoPath), record);
}

/** The head the record's history reaches. */
export function headOf(record: HistoryRecord): string {
  return record.later[record.later.length - 1] ?? record.head;
}

export function recallSplit(context: Pick<CollectorContext, 'github' | 'repoPath'>, head: string): number | undefined {
  return context.github.recall(splitKey(context.repoPath, head), shapeCount, Number.POSITIVE_INFINITY);
}

export function keepSplit(context: Pick<CollectorContext, 'github' | 'repoPath'>, head: string, graphqlPages: number): void {
  context.github.remember(splitKey(context.repoPath, head), graphqlPages);
}

function shapeCount(body: unknown): number {
  if (typeof body !== 'number' || !Number.isInteger(body) || body < 0) throw new ShapeError('not a count');
  return body;
}

function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40,64}$/i.test(value);
}

function shapeKeptHead(body: unknown): KeptHead {
  if (!isRecord(body) || !(isSha(body.head) || body.head === null) || !(typeof body.total === 'number' || body.total === null) || typeof body.pages !== 'number') throw new ShapeError('not a kept head');
  const { pushedAt, branch } = body;
  if (!(typeof pushedAt === 'string' || pushedAt === null) || !(typeof branch === 'string' || branch === null)) throw new ShapeError('not a kept head');
  return { head: body.head, total: body.total, pages: body.pages, pushedAt, branch };
}

function shapeRecord(body: unknown): HistoryRecord {
  if (!isRecord(body) || !isSha(body.head) || !(typeof body.total === 'number' || body.total === null) || typeof body.pages !== 'number' || typeof body.graphqlPages !== 'number') throw new ShapeError('not a kept history');
  if (!Array.isArray(body.later) || !body.later.every(isSha)) throw new ShapeError('not a kept history');
  return { head: body.head, total: body.total, pages: body.pages, graphqlPages: body.graphqlPages, later: body.later };
}
