/**
 * The cache policies of `sources.ts`, carried out in one place: how a source's cached answers are
 * used by the run, and counted by --dry-run, so that the two cannot drift apart.
 *
 * What is on a repository's branches — its contributors list, a file on its default branch — changes
 * only with a push, and every push moves the repository's `pushed_at`. So each such answer is kept
 * with the push it was checked at, and while the repository (asked for first, every run) still shows
 * that push and default branch, a refresh uses the cached answer without asking again.
 */
import type { Freshness, GitHubHelper, WalkOptions } from '../github/helper.js';
import { ShapeError, withPage } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';
import type { CachePolicy } from './sources.js';

/** What a policy needs to know of the run and the repository. */
export interface PolicyContext {
  github: GitHubHelper;
  /** `/repos/owner/repo`, URL-encoded. */
  repoPath: string;
  /**
   * How an answer older than --max-age is brought up to date: `incremental`, as its policy says;
   * `revalidate` (--refresh, --max-age 0), every page asked again with If-None-Match.
   */
  refresh: 'incremental' | 'revalidate';
  /** The repository's last push (`pushed_at`) and default branch, as it was asked for this run. */
  pushed: { at: string | null; branch: string | null };
}

export interface CachePlan {
  /** How the helper uses the cached pages. */
  walk: WalkOptions;
  /** The cached pages stand, and what changed since the newest item is asked with `since`. */
  incremental: boolean;
  /** The cached first page (or answer), as the plan found it. */
  base: Freshness;
  /** Call once the answer is had: a push-settled answer notes the push it was checked at. */
  settled(): void;
}

const nothing = (): void => undefined;

/** How the source at `uri`, of that policy, uses its cached answers in this run. */
export function planCache(context: PolicyContext, policy: CachePolicy, uri: string): CachePlan {
  const base = context.github.freshness(uri);
  const refreshing = context.refresh === 'incremental';
  switch (policy.kind) {
    case 'since-incremental': {
      // Oldest first, a full page never changes but for deletions.
      const incremental = refreshing && base !== 'absent';
      return { walk: { trustCached: incremental }, incremental, base, settled: nothing };
    }
    case 'append-only': {
      // Without `since`, only the last page can have changed.
      const stale = refreshing && base === 'stale';
      return { walk: { trustCached: stale, revalidateLast: stale }, incremental: false, base, settled: nothing };
    }
    case 'push-settled': {
      const trustCached = unchangedSincePush(context, uri, policy.settleMs);
      // An answer from the cache within --max-age checks nothing, and must not pass for a later check.
      const asks = !trustCached && base !== 'fresh';
      return { walk: { trustCached }, incremental: false, base, settled: asks ? () => checkedAtPush(context, uri) : nothing };
    }
    case 'immutable':
      // Keyed on a sha: what was had is what GitHub would answer, whatever its age (--refresh too).
      return { walk: { trustCached: true }, incremental: false, base, settled: nothing };
    default:
      return { walk: {}, incremental: false, base, settled: nothing };
  }
}

/**
 * `newest-first`: how far back what the run kept of such a listing goes. `reach`: every item made at
 * or after it was seen (null: the whole listing was); `limited`: GitHub stopped paging before that
 * (its pagination limit), so nothing older can be reached.
 */
export interface KeptReach {
  reach: string | null;
  limited: boolean;
}

/**
 * `newest-first`: what the run does with what it kept of the listing at `uri`. `kept`: uses it as it
 * is (within --max-age); `top`: asks for the top of the listing again, down to what it has seen;
 * `walk`: walks the listing from its top, as far back as --since (`since`) asks or to its end,
 * because nothing is kept or what is kept does not go back that far.
 *
 * A newest-first listing grows at its top: each new item pushes every other one a place down, so a
 * page's number names different items from one day to the next, and no page but the first can be
 * revalidated. The items seen are therefore kept whole, under a key of their own, and only the top
 * is asked again: page 1 with If-None-Match (a 304, free with a token, when nothing is new), then the
 * pages after it only while they hold nothing seen yet.
 */
export function planNewestFirst(context: PolicyContext, uri: string, kept: KeptReach | undefined, since: string | null): 'kept' | 'top' | 'walk' {
  if (kept === undefined || !reachesSince(kept, since)) return 'walk';
  return context.github.freshness(keptKey(context, uri)) === 'fresh' ? 'kept' : 'top';
}

/** Whether what is kept goes back as far as `since` asks (null: all time), or as far as GitHub lets anyone go. */
export function reachesSince(kept: KeptReach, since: string | null): boolean {
  return kept.limited || kept.reach === null || (since !== null && since >= kept.reach);
}

/** Where what the run has seen of the listing at `uri` (a path under the repository) is kept: beside it, in its partition. */
export function keptKey(context: Pick<PolicyContext, 'repoPath'>, uri: string): string {
  return `${context.repoPath}/kept${uri.slice(context.repoPath.length)}`;
}

/**
 * What the run does with one page's cached answer, as --dry-run counts it: uses it as it is, checks it
 * with a conditional request (free with a token when unchanged), or asks for it.
 */
export function pageUse(plan: CachePlan, freshness: Freshness, isLast: boolean): 'cached' | 'check' | 'ask' {
  if (freshness === 'absent') return 'ask';
  if (freshness === 'fresh') return 'cached';
  if (plan.walk.trustCached === true && !(isLast && plan.walk.revalidateLast === true)) return 'cached';
  return 'check';
}

/** Pages of the listing at `uri` (of `pages`) the cache answers, and of those, the ones checked with a conditional request. */
export function countCachedPages(github: GitHubHelper, plan: CachePlan, uri: string, pages: number): { cached: number; checks: number } {
  let cached = 0;
  let checks = 0;
  for (let page = 1; page <= pages; page += 1) {
    const use = pageUse(plan, github.freshness(page === 1 ? uri : withPage(uri, page)), page === pages);
    if (use !== 'ask') cached += 1;
    if (use === 'check') checks += 1;
  }
  return { cached, checks };
}

/**
 * `per-item` and `kept-a-week`: a batched answer kept in parts, each under a key of its own
 * (one pull request's reviews, one person's name), so that a later run asks only for the parts it
 * does not have yet. A part older than `maxAgeMs` is not recalled.
 */
export interface KeptParts<T> {
  recall(key: string): T | undefined;
  keep(key: string, part: T): void;
}

export function keptParts<T>(github: GitHubHelper, shape: (body: unknown) => T, maxAgeMs: number): KeptParts<T> {
  return { recall: (key) => github.recall(key, shape, maxAgeMs), keep: (key, part) => github.remember(key, part) };
}

/** How long a `kept-a-week` part is used: --max-age, but a week at least; not at all when everything is revalidated. */
export function keptFor(policy: Extract<CachePolicy, { kind: 'kept-a-week' }>, maxAgeMs: number): number {
  return maxAgeMs === 0 ? 0 : Math.max(maxAgeMs, policy.minimumMaxAgeMs);
}

interface PushCheck {
  pushedAt: string;
  branch: string | null;
  /** When the answer was last fetched or revalidated, by the helper's clock. */
  checkedAt: number;
}

function shapePushCheck(body: unknown): PushCheck {
  if (!isRecord(body) || typeof body.pushedAt !== 'string' || typeof body.checkedAt !== 'number' || !(typeof body.branch === 'string' || body.branch === null)) {
    throw new ShapeError('not a push check');
  }
  return { pushedAt: body.pushedAt, branch: body.branch, checkedAt: body.checkedAt };
}

/** Where the check of `uri` (a path under the repository) is kept: beside it, in its partition. */
function checkKey(context: PolicyContext, uri: string): string {
  return `${context.repoPath}/checked-at-push${uri.slice(context.repoPath.length)}`;
}

/** Whether the cached answer for `uri` was checked at the repository's current push (and `settleMs` or more after it). */
function unchangedSincePush(context: PolicyContext, uri: string, settleMs: number): boolean {
  const { at, branch } = context.pushed;
  if (context.refresh !== 'incremental' || at === null) return false;
  const check = context.github.recall(checkKey(context, uri), shapePushCheck, Number.POSITIVE_INFINITY);
  if (check === undefined || check.pushedAt !== at || check.branch !== branch) return false;
  const pushedMs = Date.parse(at);
  return !Number.isNaN(pushedMs) && check.checkedAt - pushedMs >= settleMs;
}

function checkedAtPush(context: PolicyContext, uri: string): void {
  const { at, branch } = context.pushed;
  if (at === null) return;
  const check: PushCheck = { pushedAt: at, branch, checkedAt: context.github.now() };
  context.github.remember(checkKey(context, uri), check);
}
