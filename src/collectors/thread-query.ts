/**
 * The query that reads the next page of up to 100 threads (read-threads.ts) under aliases, and the
 * connection it reads: comments (collectors/threads.ts) or timelines (collectors/timelines.ts).
 * https://docs.github.com/graphql/guides/using-pagination-in-the-graphql-api
 */
import type { ListingItem } from '../github/shapes.js';
import type { NodeAuthor } from './read-threads.js';

/** Threads a query, and nodes a page of each: GitHub's most. */
export const perQuery = 100;

/** A connection of every issue and pull request, read thread by thread. */
export interface ThreadConnection {
  /** The operation's name. */
  operation: string;
  /** The connection's field, and its arguments besides `first` and `after`, on an issue or a pull request. */
  field: string;
  arguments(pull: boolean): string;
  /**
   * Variables the arguments of every issue's (or pull request's) connection share, declared once a
   * query (`$name: Type` and its value), so that a query of 100 threads says them once.
   */
  shared?(pull: boolean): ReadonlyArray<{ name: string; type: string; value: unknown }>;
  /**
   * How many nodes an item's connection holds, as its listing says (its `comments`): where it is
   * known, a long thread is read from both ends at once (thread-ends.ts). Absent: from its start alone.
   */
  countOf?(item: ListingItem): number | undefined;
  /** The type of the connection's nodes, and the selection of each (written once a query, as a fragment on that type). */
  nodeType(pull: boolean): string;
  nodes(pull: boolean): string;
  /** A node's person (a deleted account: `ghost`). */
  readNode(node: Record<string, unknown>, where: string): NodeAuthor;
  /** Each thread is kept under `{repoPath}/graphql/{part}/{number}`, the batch size that worked under `…/batch-size/{part}`. */
  part: string;
  label: string;
}

/** One page of a thread to ask: `size` nodes after its cursor, or (`backward`) before it, from the end. */
export interface PageQuestion {
  pull: boolean;
  backward?: boolean;
  /** Default: a full page. */
  size?: number;
}

/**
 * The next page of each thread, under aliases `t0`…: numbers in `$n0`…, cursors in `$c0`… (null: the
 * first page, or the last one asked backward). What every issue's (or pull request's) alias shares is said once: the nodes' selection
 * as a fragment, the arguments' values as variables (`sharedVariables`): a query of 100 timelines is
 * then 20 kB, not 140 kB, for GitHub to read (and for the loopback GitHub to validate).
 */
export function threadsQuery(threads: readonly PageQuestion[], connection: ThreadConnection): string {
  const kinds = kindsOf(threads);
  const sharedDeclared = kinds.flatMap((pull) => connection.shared?.(pull) ?? []).map(({ name, type }) => `$${name}: ${type}, `);
  const declared = threads.map((_, index) => `$n${index}: Int!, $c${index}: String`).join(', ');
  const aliases = threads.map(({ pull, backward = false, size = perQuery }, index) => {
    const more = connection.arguments(pull);
    const page = backward ? `last: ${size}, before: $c${index}` : `first: ${size}, after: $c${index}`;
    const field = `${connection.field}(${page}${more === '' ? '' : `, ${more}`})`;
    const info = backward ? 'hasPreviousPage startCursor endCursor' : 'hasNextPage endCursor';
    return `    t${index}: ${pull ? 'pullRequest' : 'issue'}(number: $n${index}) { ${field} { totalCount pageInfo { ${info} } nodes { ...${fragmentName(connection, pull)} } } }`;
  });
  const fragments = kinds.map((pull) => `fragment ${fragmentName(connection, pull)} on ${connection.nodeType(pull)} { ${connection.nodes(pull)} }`);
  return `query ${connection.operation}($owner: String!, $name: String!, ${sharedDeclared.join('')}${declared}) {
  repository(owner: $owner, name: $name) {
${aliases.join('\n')}
  }
  rateLimit { cost remaining resetAt }
}
${fragments.join('\n')}`;
}

/** The values of the variables threadsQuery declares once for `threads` (connection.shared). */
export function sharedVariables(threads: ReadonlyArray<{ pull: boolean }>, connection: ThreadConnection): Record<string, unknown> {
  return Object.fromEntries(kindsOf(threads).flatMap((pull) => (connection.shared?.(pull) ?? []).map(({ name, value }) => [name, value])));
}

/** Whether `threads` hold issues, pull requests, or both (false: an issue), each once: a fragment or a variable unused is an error. */
function kindsOf(threads: ReadonlyArray<{ pull: boolean }>): boolean[] {
  return [false, true].filter((pull) => threads.some((thread) => thread.pull === pull));
}

function fragmentName(connection: ThreadConnection, pull: boolean): string {
  return `${connection.operation}Of${pull ? 'PullRequest' : 'Issue'}`;
}
