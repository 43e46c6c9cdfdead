/**
 * The listing of a repository's discussions (collectors/discussions.ts reads their comments), kept
 * whole between runs with the `updatedAt` of the newest discussion when it was read.
 *
 * - Cold (or with --refresh): every discussion, 100 a query, oldest first (`CREATED_AT`, so that a
 *   discussion updated meanwhile does not move between pages); each page cached, so that a run
 *   stopped half-way goes on from the last page it had. Its first query also asks which discussion
 *   was updated last (a discussion more: still 1 point).
 * - Within --max-age: what was kept, without a request.
 * - A refresh: newest updated first (`UPDATED_AT`, `DESC`), down to the first discussion not updated
 *   since the newest kept, merged into what was kept: a query for up to 100 changed discussions,
 *   not one per 100 discussions. A discussion updated while this is read moves to the top, past the
 *   pages already read, and its `updatedAt` is after the newest this refresh keeps: the next finds it.
 *   A discussion deleted since stays in what is kept until --refresh (as its comments do).
 * https://docs.github.com/graphql/reference/objects#repository (`discussions`, `orderBy`)
 */
import { splitFullName } from '../domain/repository-name.js';
import { ShapeError } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';
import type { PolicyContext } from './cache-policy.js';
import { keptKey } from './cache-policy.js';
import type { ListedDiscussion } from './discussion-shapes.js';
import { shapeDiscussionsPage, shapeListedDiscussion } from './discussion-shapes.js';
import { authorWithName } from './inline-names.js';
import { sources } from './sources.js';
import type { CollectorContext } from './types.js';

const perPage = 100;
const nodes = `nodes { number updatedAt createdAt ${authorWithName} comments { totalCount } }`;

export const discussionsQuery = `query Discussions($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: ${perPage}, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      ${nodes}
    }
    newest: discussions(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { updatedAt } }
  }
  rateLimit { cost remaining resetAt }
}`;

export const changedDiscussionsQuery = `query DiscussionsChanged($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: ${perPage}, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      ${nodes}
    }
  }
  rateLimit { cost remaining resetAt }
}`;

/** What a run keeps of the listing: every discussion, and the `updatedAt` of the newest when it was read ('' if none). */
export interface KeptListing {
  newest: string;
  discussions: ListedDiscussion[];
}

/**
 * What a run does with the listing: uses what was kept as it is (within --max-age), asks what changed
 * since (a refresh: a query, as a rule), or walks it whole (cold, or --refresh). Asks nothing.
 */
export function listingUse(context: PolicyContext): { use: 'kept' | 'changed'; kept: KeptListing } | { use: 'walk' } {
  const { github } = context;
  const key = listingKey(context);
  const kept = context.refresh === 'incremental' ? github.recall(key, shapeKeptListing, Number.POSITIVE_INFINITY) : undefined;
  if (kept === undefined) return { use: 'walk' };
  return { use: github.freshness(key) === 'fresh' ? 'kept' : 'changed', kept };
}

export async function listDiscussions(context: CollectorContext): Promise<ListedDiscussion[]> {
  const plan = listingUse(context);
  if (plan.use === 'kept') return plan.kept.discussions;
  const listing = plan.use === 'changed' ? await walkChanged(context, plan.kept) : await walkAll(context);
  context.github.remember(listingKey(context), listing);
  return listing.discussions;
}

function listingKey(context: Pick<PolicyContext, 'repoPath'>): string {
  return keptKey(context, `${context.repoPath}/discussions`);
}

interface ListedPage {
  discussions: ListedDiscussion[];
  next: string | null;
}

/** Pages by cursor from the first, `ask(after)` each, while there is a next and `read(page)` says to go on. */
async function walkPages<P extends ListedPage>(context: CollectorContext, ask: (after: string | null) => Promise<P>, read: (page: P) => boolean): Promise<void> {
  let after: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const page = await ask(after);
    context.progress(sources.discussions.label, { pagesDone: pages, pagesKnown: pages + (page.next ? 1 : 0) });
    if (!read(page) || page.next === null) return;
    after = page.next;
  }
}

async function walkAll(context: CollectorContext): Promise<KeptListing> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const discussions: ListedDiscussion[] = [];
  const top: { newest?: string } = {};
  const ask = (after: string | null): Promise<ListedPage & { newest: string }> =>
    context.github.postGraphQL(
      { name: 'Discussions', query: discussionsQuery, variables: { owner, name, after }, cacheKey: `${context.repoPath}/graphql/discussions?after=${encodeURIComponent(after ?? '')}` },
      (json) => ({ ...shapeDiscussionsPage(json), newest: newestOf(json) }),
    );
  await walkPages(context, ask, (page) => {
    // The first page's: nothing updated after it was asked is older.
    top.newest ??= page.newest;
    discussions.push(...page.discussions);
    return true;
  });
  return { newest: top.newest ?? '', discussions };
}

async function walkChanged(context: CollectorContext, kept: KeptListing): Promise<KeptListing> {
  const { owner, repo: name } = splitFullName(context.fullName);
  const changed = new Map<number, ListedDiscussion>();
  const top: { newest?: string } = {};
  const ask = (after: string | null): Promise<ListedPage> =>
    context.github.postGraphQL({ name: 'DiscussionsChanged', query: changedDiscussionsQuery, variables: { owner, name, after }, cacheKey: null }, shapeDiscussionsPage);
  await walkPages(context, ask, (page) => {
    top.newest ??= page.discussions[0]?.updatedAt ?? kept.newest;
    for (const discussion of page.discussions) changed.set(discussion.number, discussion);
    // Down to the first not updated since the newest kept (one updated in that same second is read again).
    return !page.discussions.some((discussion) => discussion.updatedAt < kept.newest);
  });
  const discussions = kept.discussions.map((discussion) => changed.get(discussion.number) ?? discussion);
  const known = new Set(kept.discussions.map((discussion) => discussion.number));
  discussions.push(...[...changed.values()].filter((discussion) => !known.has(discussion.number)).sort((a, b) => a.number - b.number));
  return { newest: top.newest !== undefined && top.newest > kept.newest ? top.newest : kept.newest, discussions };
}

/** The `updatedAt` of the discussion updated last ('' when there is none). */
function newestOf(json: unknown): string {
  const data = isRecord(json) ? json.data : undefined;
  const repository = isRecord(data) ? data.repository : undefined;
  const newest = isRecord(repository) ? repository.newest : undefined;
  if (!isRecord(newest) || !Array.isArray(newest.nodes)) throw new ShapeError('repository.newest is not a connection');
  const first: unknown = newest.nodes[0];
  return isRecord(first) && typeof first.updatedAt === 'string' ? first.updatedAt : '';
}

function shapeKeptListing(body: unknown): KeptListing {
  if (!isRecord(body) || typeof body.newest !== 'string' || !Array.isArray(body.discussions)) throw new ShapeError('not a kept listing of discussions');
  return { newest: body.newest, discussions: body.discussions.map(shapeListedDiscussion) };
}
