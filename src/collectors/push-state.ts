/**
 * What is on a repository's branches — its contributors list, a file on its default branch — changes
 * only with a push, and every push moves the repository's `pushed_at`. So each such answer is kept
 * with the push it was checked at, and while the repository (asked for first, every run) still shows
 * that push and default branch, a refresh uses the cached answer without asking again. --refresh and
 * --max-age 0 ask again all the same.
 */
import { ShapeError } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';
import type { CollectorContext } from './types.js';

/**
 * GitHub's contributors list "may return information that is a few hours old" (it is computed in
 * the background: https://docs.github.com/rest/repos/repos#list-repository-contributors), so it is
 * trusted only when it was checked at least this long after the push.
 */
export const contributorsSettleMs = 24 * 60 * 60 * 1000;

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

/** What the checks need of a collector's context (a dry run makes one of its own). */
export type PushContext = Pick<CollectorContext, 'github' | 'repoPath' | 'refresh' | 'pushed'>;

/** Where the check of `uri` (a path under the repository) is kept: beside it, in its partition. */
function checkKey(context: PushContext, uri: string): string {
  return `${context.repoPath}/checked-at-push${uri.slice(context.repoPath.length)}`;
}

/** Whether the cached answer for `uri` was checked at the repository's current push (and `settleMs` or more after it). */
export function unchangedSincePush(context: PushContext, uri: string, settleMs = 0): boolean {
  const { at, branch } = context.pushed;
  if (context.refresh !== 'incremental' || at === null) return false;
  const check = context.github.recall(checkKey(context, uri), shapePushCheck, Number.POSITIVE_INFINITY);
  if (check === undefined || check.pushedAt !== at || check.branch !== branch) return false;
  const pushedMs = Date.parse(at);
  return !Number.isNaN(pushedMs) && check.checkedAt - pushedMs >= settleMs;
}

/**
 * How a collector fetches `uri`: `trustCached` when it was checked at the repository's current push;
 * `fetched()` once it has it, which notes the push it was checked at, if it was asked for now (an
 * answer from the cache within --max-age checks nothing, and must not pass for a later check).
 */
export function pushCheck(context: PushContext, uri: string, settleMs = 0): { trustCached: boolean; fetched(): void } {
  const trustCached = unchangedSincePush(context, uri, settleMs);
  const asks = !trustCached && context.github.freshness(uri) !== 'fresh';
  return { trustCached, fetched: () => (asks ? checkedAtPush(context, uri) : undefined) };
}

function checkedAtPush(context: PushContext, uri: string): void {
  const { at, branch } = context.pushed;
  if (at === null) return;
  const check: PushCheck = { pushedAt: at, branch, checkedAt: context.github.now() };
  context.github.remember(checkKey(context, uri), check);
}
