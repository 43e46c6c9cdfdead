/**
 * What GitHub's answers to the discussions queries (collectors/discussions.ts) are read as, checked
 * before anything is kept: the pages of discussions, of their comments and of their replies, and a
 * discussion as kept between runs.
 */
import type { AccountType, UserProfile } from '../domain/contribution.js';
import { ghostLogin } from '../domain/contribution.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import { isRecord } from '../github/shapes.js';
import { profilesOf } from './inline-names.js';
import { toAuthor } from './reviews.js';

/** Who wrote one discussion, comment or reply, and when: login, account type, `createdAt`. */
export type Authored = [string, AccountType, string];

/** One discussion as kept between runs (and between rounds). */
export interface KeptDiscussion {
  /** The discussion's `updatedAt` this reading is of. */
  updatedAt: string;
  /** Its comments' `totalCount` in the listing this reading is of. */
  comments: number;
  /** Comments read so far. */
  seen: number;
  /** The cursor after the last comment read (null: none read yet). */
  after: string | null;
  /** Pages of comments are left to read. */
  more: boolean;
  /** Comments with replies left to read: the comment's node id, and the cursor after the last reply read. */
  replies: Array<[string, string]>;
  /** The comments and replies read so far. */
  authored: Authored[];
}

export interface ListedDiscussion {
  number: number;
  updatedAt: string;
  comments: number;
  author: Authored;
}

export interface RepliesPage {
  authored: Authored[];
  /** The authors' display names the answer carries (inline-names.ts). */
  profiles: UserProfile[];
  /** The cursor to go on from, when there are more. */
  more: string | null;
}

export interface CommentsPage {
  comments: Array<{ id: string; author: Authored; replies: RepliesPage }>;
  more: boolean;
  after: string | null;
  /** The display names of the comments' authors the answer carries (those of the replies are in `replies`). */
  profiles: UserProfile[];
}

function authored(node: Record<string, unknown>): Authored {
  const author = toAuthor(node.author) ?? { login: ghostLogin, type: 'User' as const };
  return [author.login, author.type, typeof node.createdAt === 'string' ? node.createdAt : ''];
}

function connectionOf(value: unknown, where: string): { nodes: Array<Record<string, unknown>>; more: string | null } {
  if (!isRecord(value) || !Array.isArray(value.nodes) || !isRecord(value.pageInfo)) throw new ShapeError(`${where} is not a connection`);
  const { hasNextPage, endCursor } = value.pageInfo;
  if (hasNextPage === true && typeof endCursor !== 'string') throw new ShapeError(`${where} has a next page but no cursor`);
  return { nodes: value.nodes.filter(isRecord), more: hasNextPage === true ? (endCursor as string) : null };
}

function dataOf(json: unknown): Record<string, unknown> {
  const data = isRecord(json) ? json.data : undefined;
  if (!isRecord(data)) throw new ShapeError('the answer has no data');
  return data;
}

export function repositoryOf(json: unknown): Record<string, unknown> {
  const repository = dataOf(json).repository;
  if (!isRecord(repository)) throw new ShapeError('the repository was not found');
  return repository;
}

/** Aliases GitHub answered null with NOT_FOUND (deleted since): `[…prefix, alias]`. */
function notFound(json: unknown, prefix: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const error of graphqlErrors(json)) {
    const path: unknown = error.path;
    if (error.type !== 'NOT_FOUND' || !Array.isArray(path) || path.length !== prefix.length + 1) continue;
    const last: unknown = path[prefix.length];
    if (prefix.every((step, index) => path[index] === step) && typeof last === 'string') found.add(last);
  }
  return found;
}

export function shapeDiscussionsPage(json: unknown): { discussions: ListedDiscussion[]; next: string | null } {
  const connection = connectionOf(repositoryOf(json).discussions, 'repository.discussions');
  return {
    discussions: connection.nodes.map((node) => {
      const number = node.number;
      const total = isRecord(node.comments) ? node.comments.totalCount : undefined;
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw new ShapeError('a discussion has no number');
      if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError(`discussion ${number} comments.totalCount is not a count`);
      return { number, updatedAt: typeof node.updatedAt === 'string' ? node.updatedAt : '', comments: total, author: authored(node) };
    }),
    next: connection.more,
  };
}

function shapeReplies(value: unknown, where: string): RepliesPage {
  const connection = connectionOf(value, where);
  return { authored: connection.nodes.map(authored), profiles: profilesOf(connection.nodes), more: connection.more };
}

/** The `d0`… aliases, for discussions `numbers` in that order; null: deleted since it was listed. */
export function shapeCommentPages(numbers: readonly number[]): (json: unknown) => Array<CommentsPage | null> {
  return (json) => {
    const repository = repositoryOf(json);
    const gone = notFound(json, ['repository']);
    return numbers.map((number, index) => {
      const alias = `d${index}`;
      const discussion = repository[alias];
      if (discussion === null && gone.has(alias)) return null;
      if (!isRecord(discussion)) throw new ShapeError(`discussion ${number} is missing from the answer`);
      const connection = connectionOf(discussion.comments, `discussion ${number} comments`);
      return {
        comments: connection.nodes.map((node) => {
          if (typeof node.id !== 'string' || node.id === '') throw new ShapeError(`a comment of discussion ${number} has no id`);
          return { id: node.id, author: authored(node), replies: shapeReplies(node.replies, `discussion ${number} replies`) };
        }),
        more: connection.more !== null,
        after: endCursorOf(discussion.comments),
        profiles: profilesOf(connection.nodes),
      };
    });
  };
}

function endCursorOf(connection: unknown): string | null {
  const pageInfo = isRecord(connection) ? connection.pageInfo : undefined;
  return isRecord(pageInfo) && typeof pageInfo.endCursor === 'string' ? pageInfo.endCursor : null;
}

/** The `r0`… aliases; null: the comment was deleted since. */
export function shapeReplyPages(count: number): (json: unknown) => Array<RepliesPage | null> {
  return (json) => {
    const data = dataOf(json);
    const gone = notFound(json, []);
    return Array.from({ length: count }, (_, index) => {
      const alias = `r${index}`;
      const comment = data[alias];
      if (comment === null && gone.has(alias)) return null;
      if (!isRecord(comment)) throw new ShapeError(`comment ${alias} is missing from the answer`);
      return shapeReplies(comment.replies, `comment ${alias} replies`);
    });
  };
}

/** A discussion of the listing, as kept with it (discussion-listing.ts). */
export function shapeListedDiscussion(body: unknown): ListedDiscussion {
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || !Array.isArray(body.author)) throw new ShapeError('not a listed discussion');
  const { number, comments, author } = body;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1 || typeof comments !== 'number' || !Number.isSafeInteger(comments) || comments < 0) throw new ShapeError('not a listed discussion');
  if (typeof author[0] !== 'string' || author[0] === '' || typeof author[2] !== 'string') throw new ShapeError('not a listed discussion');
  const type: AccountType = author[1] === 'Bot' || author[1] === 'Organization' ? author[1] : 'User';
  return { number, updatedAt: body.updatedAt, comments, author: [author[0], type, author[2]] };
}

export function shapeKeptDiscussion(body: unknown): KeptDiscussion {
  const fail = (): never => {
    throw new ShapeError('not a kept discussion');
  };
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || typeof body.more !== 'boolean' || !Array.isArray(body.replies) || !Array.isArray(body.authored)) return fail();
  const { comments, seen } = body;
  if (typeof comments !== 'number' || !Number.isSafeInteger(comments) || comments < 0 || typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 0) return fail();
  if (!(typeof body.after === 'string' || body.after === null)) return fail();
  const replies: Array<[string, string]> = [];
  for (const entry of body.replies) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return fail();
    replies.push([entry[0], entry[1]]);
  }
  const authoredList: Authored[] = [];
  for (const entry of body.authored) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '' || typeof entry[2] !== 'string') return fail();
    const type: AccountType = entry[1] === 'Bot' || entry[1] === 'Organization' ? entry[1] : 'User';
    authoredList.push([entry[0], type, entry[2]]);
  }
  return { updatedAt: body.updatedAt, comments, seen, after: body.after, more: body.more, replies, authored: authoredList };
}

