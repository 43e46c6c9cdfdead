/**
 * What GitHub's answers to the thread queries (thread-query.ts) are read as, checked before anything
 * is kept (read-threads.ts), and a thread as kept between runs.
 */
import type { AccountType } from '../domain/contribution.js';
import { ShapeError } from '../github/helper.js';
import { graphqlErrors } from '../github/json.js';
import { isRecord } from '../github/shapes.js';
import { profilesOf } from './inline-names.js';
import type { AuthorCounts, KeptThread, ThreadPage } from './read-threads.js';
import type { ThreadConnection } from './thread-query.js';

/**
 * The `t0`… aliases, for the items `numbers` in that order. An item GitHub cannot resolve (deleted
 * since it was listed) is null with a NOT_FOUND error: no comments (null here). Null for any other
 * reason is an error, not "no comments", so that it is not kept as such.
 */
export function shapeThreads(numbers: readonly number[], connection: ThreadConnection): (json: unknown) => Array<ThreadPage | null> {
  return (json) => {
    const data = isRecord(json) ? json.data : undefined;
    const repository = isRecord(data) ? data.repository : undefined;
    if (!isRecord(repository)) throw new ShapeError('the repository was not found');
    const notFound = new Set<string>();
    for (const error of graphqlErrors(json)) {
      if (error.type === 'NOT_FOUND' && Array.isArray(error.path) && error.path[0] === 'repository' && typeof error.path[1] === 'string') notFound.add(error.path[1]);
    }
    return numbers.map((number, index) => {
      const alias = `t${index}`;
      const item = repository[alias];
      if (item === null && notFound.has(alias)) return null;
      if (!isRecord(item)) throw new ShapeError(`issue ${number} is missing from the answer`);
      return shapePage(item[connection.field], `issue ${number} ${connection.field}`, connection);
    });
  };
}

function shapePage(value: unknown, where: string, connection: ThreadConnection): ThreadPage {
  if (!isRecord(value) || !Array.isArray(value.nodes) || !isRecord(value.pageInfo)) throw new ShapeError(`${where} is not a connection`);
  const total = value.totalCount;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ShapeError(`${where}.totalCount is not a count`);
  const { hasNextPage, endCursor, hasPreviousPage, startCursor } = value.pageInfo;
  if (hasNextPage === true && typeof endCursor !== 'string') throw new ShapeError(`${where} has a next page but no cursor`);
  if (hasPreviousPage === true && typeof startCursor !== 'string') throw new ShapeError(`${where} has a previous page but no cursor`);
  return {
    total,
    more: hasNextPage === true,
    after: typeof endCursor === 'string' ? endCursor : null,
    before: typeof startCursor === 'string' ? startCursor : null,
    authors: value.nodes.filter(isRecord).map((node) => connection.readNode(node, where)),
    profiles: profilesOf(value.nodes),
  };
}

export function shapeKeptThread(body: unknown): KeptThread {
  if (!isRecord(body) || typeof body.updatedAt !== 'string' || typeof body.more !== 'boolean' || !Array.isArray(body.authors)) throw new ShapeError('not a kept thread');
  const seen = body.seen;
  if (typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 0) throw new ShapeError('not a kept thread');
  if (!(typeof body.after === 'string' || body.after === null)) throw new ShapeError('not a kept thread');
  const authors: AuthorCounts = [];
  for (const entry of body.authors) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '' || typeof entry[2] !== 'number' || !Number.isSafeInteger(entry[2]) || entry[2] < 1) throw new ShapeError('not a kept thread');
    const type: AccountType = entry[1] === 'Bot' || entry[1] === 'Organization' ? entry[1] : 'User';
    const at: unknown = entry[3];
    if (!(at === undefined || typeof at === 'string')) throw new ShapeError('not a kept thread');
    authors.push(at === undefined ? [entry[0], type, entry[2]] : [entry[0], type, entry[2], at]);
  }
  const kept: KeptThread = { updatedAt: body.updatedAt, seen, after: body.after, more: body.more, authors };
  if (typeof body.readAt === 'number') kept.readAt = body.readAt;
  // Read from both ends: the count it began with, and how far back from the end it got.
  if (body.total !== undefined || body.back !== undefined) {
    const { total, back } = body;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0 || !isRecord(back)) throw new ShapeError('not a kept thread');
    const backSeen = back.seen;
    if (typeof backSeen !== 'number' || !Number.isSafeInteger(backSeen) || backSeen < 0 || seen + backSeen > total) throw new ShapeError('not a kept thread');
    if (!(typeof back.before === 'string' || back.before === null) || !(typeof back.end === 'string' || back.end === null)) throw new ShapeError('not a kept thread');
    kept.total = total;
    kept.back = { seen: backSeen, before: back.before, end: back.end };
  }
  return kept;
}
