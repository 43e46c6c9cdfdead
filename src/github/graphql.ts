/**
 * GraphQL queries through the same gate (limits, retries) and the same cache as the REST calls. A POST
 * has no URI and no ETag: the caller names the key its answer is kept under, and a cached answer is
 * used within --max-age (or whatever its age, when the key names all it depends on).
 * https://docs.github.com/graphql/guides/forming-calls-with-graphql
 */
import { CliError } from '../errors.js';
import type { Shape } from './body.js';
import { applyShape, parseJSON } from './body.js';
import type { RequestGate } from './gate.js';
import type { GraphQLOperation, HelperEvents } from './helper.js';
import { HttpStatusError } from './http-status-error.js';
import { graphqlErrors, isRecord, messageOf } from './json.js';
import type { Memo } from './memo.js';

export interface GraphQLOptions {
  apiUrl: string;
  /** GitHub's GraphQL endpoint; `<apiUrl>/graphql` when not said. */
  graphqlUrl?: string | undefined;
  gate: Pick<RequestGate, 'send' | 'stats'>;
  memo: Pick<Memo, 'lookup' | 'remember'>;
  events: Pick<HelperEvents, 'request'>;
}

export type PostGraphQL = <T>(operation: GraphQLOperation, shape: Shape<T>) => Promise<T>;

export function createGraphQL({ apiUrl, graphqlUrl, gate, memo, events }: GraphQLOptions): PostGraphQL {
  const url = graphqlUrl ?? `${apiUrl}/graphql`;

  return async function postGraphQL<T>(operation: GraphQLOperation, shape: Shape<T>): Promise<T> {
    const shown = `graphql ${operation.name}`;
    // The raw answer is cached (the query already asks for nothing more than is read) and shaped on
    // every use, so `shape` need not be idempotent here.
    const cached = operation.cacheKey === null ? undefined : memo.lookup(operation.cacheKey, shape);
    // POSTs cannot be revalidated (no ETag): within --max-age the cached answer, else a fresh one.
    if (cached && (operation.immutable === true || cached.fresh)) {
      gate.stats.cacheHits += 1;
      events.request?.({ method: 'POST', url: shown, status: null, cache: 'hit', remaining: null, resource: 'graphql' });
      return cached.body as T;
    }
    const splittable = operation.splittable === true;
    const body = { query: operation.query, variables: operation.variables };
    const response = await gate.send({ url, shown, method: 'POST', body, resource: 'graphql', cached: undefined, timeoutIsAnswer: splittable });
    const named = `${url} (${operation.name})`;
    if (splittable && (response.status === 502 || response.status === 504)) throw new QueryTooHeavyError(operation.name, `GitHub answered ${response.status}`);
    if (response.status !== 200) throw new HttpStatusError(response.status, named, messageOf(response.errorBody));
    const json = parseJSON(response.text, named);
    const data = isRecord(json) ? json.data : null;
    // No data at all: the query was refused as a whole (a syntax error, a missing node); partial data
    // with errors is handed to `shape`, which knows which errors it can live with.
    if (data === null || data === undefined) {
      // "more than 500,000 nodes": refused before it ran, and lighter in smaller parts.
      // https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
      if (splittable && graphqlErrors(json).some((error) => error.type === 'MAX_NODE_LIMIT_EXCEEDED')) throw new QueryTooHeavyError(operation.name, graphqlErrorMessage(json));
      throw new CliError(`GitHub's GraphQL API refused ${operation.name}: ${graphqlErrorMessage(json)}`);
    }
    const shaped = applyShape(json, shape, named);
    if (operation.cacheKey !== null) memo.remember(operation.cacheKey, json);
    return shaped as T;
  };
}

/** A query GitHub found too heavy to answer (it timed out, or asks for too many nodes): ask it in smaller parts. */
export class QueryTooHeavyError extends CliError {
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(`GitHub's GraphQL API found ${operation} too heavy to answer (${reason})`);
    this.name = 'QueryTooHeavyError';
  }
}

function graphqlErrorMessage(json: unknown): string {
  const message = graphqlErrors(json)[0]?.message;
  return typeof message === 'string' ? message : 'no data in the answer';
}
