/**
 * Discussions for `generateRepository` (fixtures.ts), and the Zipf draw it also spreads long comment
 * threads with: the k-th busiest of a set of targets gets about 1/k of what the busiest gets, as real
 * threads do (a few hold hundreds, most a handful or none).
 */
import type { FakeDiscussion, FakeDiscussionComment } from './types.js';

/**
 * A draw of one of `count` targets (indices 0…count-1) with weight 1/rank, the ranks dealt over the
 * targets at random (so the busiest are spread over the repository's history). Consumes count-1
 * randoms now (the deal), then one per draw.
 */
export function zipfDraw(count: number, random: () => number): () => number {
  const ranked = Array.from({ length: count }, (_, index) => index);
  for (let index = ranked.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [ranked[index], ranked[other]] = [ranked[other] ?? 0, ranked[index] ?? 0];
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (let rank = 1; rank <= ranked.length; rank++) cumulative.push((sum += 1 / rank));
  return () => {
    const drawn = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < drawn) low = middle + 1;
      else high = middle;
    }
    return ranked[low] ?? 0;
  };
}

export interface DiscussionAmounts {
  discussions: number;
  /**
   * Comments in all, Zipf-spread over the discussions, and replies in all, Zipf-spread over those
   * comments. Without them: 0 to 5 comments a discussion and 0 to 3 replies a comment, uniformly.
   */
  comments?: number;
  replies?: number;
}

/**
 * `amounts.discussions` discussions, the i-th created at `createdAt(i)`, written by `somebody()`
 * (comments and replies get their times from the fake's defaults: a minute and a second apart after
 * their parent).
 */
export function generateDiscussions(amounts: DiscussionAmounts, createdAt: (index: number) => string, random: () => number, somebody: () => string | null): FakeDiscussion[] {
  const count = amounts.discussions;
  if (amounts.comments === undefined) {
    return Array.from({ length: count }, (_, index) => ({
      author: somebody(),
      createdAt: createdAt(index),
      comments: Array.from({ length: Math.floor(random() * 6) }, () => ({ author: somebody(), replies: Array.from({ length: Math.floor(random() * 4) }, () => ({ author: somebody() })) })),
    }));
  }
  const discussions: Array<FakeDiscussion & { comments: FakeDiscussionComment[] }> = Array.from({ length: count }, (_, index) => ({ author: somebody(), createdAt: createdAt(index), comments: [] }));
  const commentTo = zipfDraw(count, random);
  const comments: FakeDiscussionComment[] = [];
  for (let index = 0; index < amounts.comments; index++) {
    const comment: FakeDiscussionComment = { author: somebody(), replies: [] };
    discussions[commentTo()]?.comments.push(comment);
    comments.push(comment);
  }
  if (comments.length > 0) {
    const replyTo = zipfDraw(comments.length, random);
    for (let index = 0; index < (amounts.replies ?? 0); index++) comments[replyTo()]?.replies?.push({ author: somebody() });
  }
  return discussions;
}
