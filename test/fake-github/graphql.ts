/**
 * GitHub's GraphQL endpoint (`POST /graphql`), executing real queries against GitHub's published
 * schema (`@octokit/graphql-schema`'s `schema.graphql`), so that a query GitHub would refuse is
 * refused here too. References:
 * - https://docs.github.com/graphql/guides/forming-calls-with-graphql
 * - https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
 *
 * Per request (authentication and faults are the server's): JSON body → parse → validate against
 * the schema → coerce variables → static limits and cost (graphql-cost.ts) → primary rate limit →
 * execute (graphql-resolvers.ts). Errors at every step answer HTTP 200 with `{"errors": […]}`, as
 * GitHub does, except a body that is not JSON (400, "Problems parsing JSON").
 *
 * The schema is built once per process, on first use (about 0.2 s; `loadGitHubSchema()` reports
 * it), so REST-only tests never pay for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertValidSchema,
  BREAK,
  buildSchema,
  executeSync,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  print,
  responsePathAsArray,
  validate,
  visit,
} from 'graphql';
import type { ASTNode, DocumentNode, GraphQLFieldResolver, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { analyseQuery } from './graphql-cost.js';
import type { GitHubErrorEntry } from './graphql-cost.js';
import { GitHubFieldError, queryRoot } from './graphql-resolvers.js';
import type { ResolverContext } from './graphql-resolvers.js';
import type { RateLimiter, RateLimitSnapshot } from './rate-limit.js';
import { renderGraphQLTimeout } from './render.js';
import type { Store } from './store.js';

export const graphqlDocs = 'https://docs.github.com/graphql';

let loaded: { schema: GraphQLSchema; buildMs: number; path: string } | undefined;

/** Where `@octokit/graphql-schema` keeps `schema.graphql` (its package exports only `index.js`). */
function schemaFile(): string {
  const meta = import.meta as ImportMeta & { resolve?: (specifier: string) => string };
  try {
    if (typeof meta.resolve === 'function') {
      const candidate = fileURLToPath(new URL('schema.graphql', meta.resolve('@octokit/graphql-schema')));
      if (existsSync(candidate)) return candidate;
    }
  } catch {
    // Fall back to looking up node_modules from here.
  }
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'node_modules', '@octokit', 'graphql-schema', 'schema.graphql');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new Error('fake-github: GitHub’s GraphQL schema needs the dev dependency @octokit/graphql-schema');
}

/**
 * GitHub's schema, built once per process. The published SDL defines a couple of fields twice
 * (e.g. `EnterpriseOwnerInfo.repositoryDeployKeySetting`), which strict SDL validation rejects,
 * so it is built with `assumeValidSDL`; the resulting schema is still checked (`assertValidSchema`)
 * here rather than on the first query.
 */
export function loadGitHubSchema(): { schema: GraphQLSchema; buildMs: number; path: string } {
  if (loaded === undefined) {
    const started = performance.now();
    const path = schemaFile();
    const schema = buildSchema(readFileSync(path, 'utf8'), { assumeValidSDL: true });
    assertValidSchema(schema);
    loaded = { schema, buildMs: performance.now() - started, path };
  }
  return loaded;
}

export interface GraphQLRequest {
  store: Store;
  rawBody: string;
  token: string;
  nowMs: number;
  /** The `graphql` bucket. */
  limiter: RateLimiter;
  /** For "API rate limit exceeded for user ID …". */
  userId: number;
  /** `x-github-request-id`, which GitHub's timeout answer names. */
  requestId?: string;
  /** Queries that may return more nodes than this time out (502). */
  timeoutNodes?: number;
  /** A field the token may not see: null, with a FORBIDDEN error. */
  forbidden?: { path: ReadonlyArray<string | number>; message: string };
}

export interface GraphQLAnswer {
  status: number;
  body: string;
  rate: RateLimitSnapshot;
  counted: boolean;
  operation?: string;
  cost?: number;
}

/** Whether a response path (`['repository', 'p3']`) is the one a `forbidden` fault names (`'*'`: any step). */
function pathMatches(path: ReadonlyArray<string | number>, pattern: ReadonlyArray<string | number>): boolean {
  return path.length === pattern.length && pattern.every((step, index) => step === '*' || step === path[index]);
}

/**
 * Fields the fake does not model fail loudly rather than answer a made-up null. A field the token
 * may not see resolves to null with a FORBIDDEN error, and the rest of the query runs: "partial
 * data" (https://docs.github.com/graphql/guides/forming-calls-with-graphql) as GitHub answers it.
 */
const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, context, info) => {
  if (context.forbidden !== undefined && pathMatches(responsePathAsArray(info.path), context.forbidden.path)) {
    throw new GitHubFieldError('FORBIDDEN', context.forbidden.message);
  }
  if (typeof source === 'object' && source !== null && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function' ? (value as (...rest: unknown[]) => unknown)(args, context, info) : value;
  }
  throw new Error(
    `fake-github does not implement ${info.parentType.name}.${info.fieldName} (the query is valid on GitHub; add it to graphql-resolvers.ts)`,
  );
};

/** graphql-ruby's path of a node: `query Name`, then field response keys (and an argument). */
function astPath(document: DocumentNode, target: ASTNode): string[] | undefined {
  let found: string[] | undefined;
  const label = (node: ASTNode): string | null => {
    switch (node.kind) {
      case Kind.OPERATION_DEFINITION:
        return node.name === undefined ? node.operation : `${node.operation} ${node.name.value}`;
      case Kind.FRAGMENT_DEFINITION:
        return `fragment ${node.name.value}`;
      case Kind.FIELD:
        return node.alias?.value ?? node.name.value;
      case Kind.ARGUMENT:
        return node.name.value;
      default:
        return null;
    }
  };
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node !== target) return undefined;
      const chain = [...ancestors, node].filter((entry): entry is ASTNode => !Array.isArray(entry) && 'kind' in entry);
      found = chain.map(label).filter((entry): entry is string => entry !== null);
      return BREAK;
    },
  });
  return found;
}

/**
 * A validation error as GitHub (graphql-ruby) words the common ones; others keep graphql-js's
 * wording. The shape is GitHub's: `path`, `extensions.code`, `locations`, `message`.
 */
function validationEntry(error: GraphQLError, document: DocumentNode): GitHubErrorEntry {
  const node = error.nodes?.[0];
  const path = node === undefined ? undefined : astPath(document, node);
  const entry = (message: string, extensions?: Record<string, unknown>): GitHubErrorEntry => ({
    ...(path === undefined ? {} : { path }),
    ...(extensions === undefined ? {} : { extensions }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message,
  });
  const text = error.message;
  let match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(text);
  if (match !== null) {
    const [, field, type] = match;
    return entry(`Field '${String(field)}' doesn't exist on type '${String(type)}'`, { code: 'undefinedField', typeName: type, fieldName: field });
  }
  match = /^Unknown argument "(.+?)" on field "(?:.+?)\.(.+?)"\./.exec(text);
  if (match !== null) {
    const [, argument, field] = match;
    return entry(`Field '${String(field)}' doesn't accept argument '${String(argument)}'`, {
      code: 'argumentNotAccepted',
      name: field,
      typeName: 'Field',
      argumentName: argument,
    });
  }
  match = /^Field "(.+?)" argument "(.+?)" of type "(?:.+?)" is required, but it was not provided\./.exec(text);
  if (match !== null) {
    const [, field, argument] = match;
    return entry(`Field '${String(field)}' is missing required arguments: ${String(argument)}`, {
      code: 'missingRequiredArguments',
      className: 'Field',
      name: field,
      arguments: argument,
    });
  }
  match = /^Variable "\$(.+?)" is never used(?: in operation "(.+?)")?\./.exec(text);
  if (match !== null) {
    const [, variable, operation] = match;
    return entry(`Variable $${String(variable)} is declared by ${operation ?? 'anonymous query'} but not used`, {
      code: 'variableNotUsed',
      variableName: variable,
    });
  }
  match = /^Variable "\$(.+?)" is not defined(?: by operation "(.+?)")?\./.exec(text);
  if (match !== null) {
    const [, variable, operation] = match;
    return entry(`Variable $${String(variable)} is used by ${operation ?? 'anonymous query'} but not declared`, {
      code: 'variableNotDefined',
      variableName: variable,
    });
  }
  match = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields\./.exec(text);
  if (match !== null) {
    const [, field, type] = match;
    return entry(
      `Field must have selections (field '${String(field)}' returns ${String(type)} but has no selections. Did you mean '${String(field)} { ... }'?)`,
      { code: 'selectionMismatch', nodeName: `field '${String(field)}'`, typeName: type },
    );
  }
  return entry(text);
}

/** graphql-js's variable errors, as GitHub words them ("Variable $x of type T was provided invalid value"). */
function variableEntry(error: GraphQLError, operation: OperationDefinitionNode, inputs: Record<string, unknown>): GitHubErrorEntry {
  const base = { ...(error.locations === undefined ? {} : { locations: error.locations }) };
  const match =
    /^Variable "\$(.+?)" (?:of required type "(?:.+?)" was not provided|of non-null type "(?:.+?)" must not be null|got invalid value (?:.+?)(?:; (.*))?)\.?$/s.exec(
      error.message,
    );
  const name = match?.[1];
  const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
  if (match === null || name === undefined || definition === undefined) return { ...base, message: error.message };
  const value = inputs[name] ?? null;
  const explanation = match[2] ?? (value === null ? 'Expected value to not be null' : error.message);
  return {
    extensions: { value, problems: [{ path: [], explanation }] },
    ...base,
    message: `Variable $${name} of type ${print(definition.type)} was provided invalid value`,
  };
}

function errorsBody(errors: readonly GitHubErrorEntry[]): string {
  return JSON.stringify({ errors });
}

function executionEntry(error: GraphQLError): GitHubErrorEntry {
  const original = error.originalError;
  return {
    ...(original instanceof GitHubFieldError ? { type: original.type } : {}),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message: error.message,
  };
}

/** The operation's name, or its first root field (`repository`, `u0`…) for an anonymous one. */
function operationLabel(operation: OperationDefinitionNode | null | undefined, requested: string | null): string | undefined {
  if (operation?.name !== undefined) return operation.name.value;
  if (requested !== null) return requested;
  const first = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : undefined;
}

/**
 * A query's text parsed and validated, kept for the next query of the same text (a client sends the
 * same text again and again, only the variables change), as a server caches a prepared query: the
 * fake's own time to validate a query of 100 aliases is otherwise tens of milliseconds, which the
 * benchmark would count as GitHub's latency. Bounded: the oldest text goes first.
 */
const checkedQueries = new Map<string, { document: DocumentNode; invalid: readonly GraphQLError[] }>();
const checkedQueriesKept = 64;

function checkQuery(schema: GraphQLSchema, query: string): { document: DocumentNode; invalid: readonly GraphQLError[] } | GraphQLError {
  const known = checkedQueries.get(query);
  if (known !== undefined) return known;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return error;
  }
  const checked = { document, invalid: validate(schema, document) };
  if (checkedQueries.size >= checkedQueriesKept) checkedQueries.delete(checkedQueries.keys().next().value ?? '');
  checkedQueries.set(query, checked);
  return checked;
}

export function answerGraphQL(request: GraphQLRequest): GraphQLAnswer {
  const { limiter, token, nowMs } = request;
  const peek = (): RateLimitSnapshot => limiter.peek(token, nowMs);
  const refuse = (body: string, extra: Partial<GraphQLAnswer> = {}): GraphQLAnswer => ({
    status: 200,
    body,
    rate: peek(),
    counted: false,
    ...extra,
  });

  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody);
  } catch {
    return {
      status: 400,
      body: JSON.stringify({ message: 'Problems parsing JSON', documentation_url: graphqlDocs }),
      rate: peek(),
      counted: false,
    };
  }
  const fields = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const requestedName = typeof fields['operationName'] === 'string' && fields['operationName'] !== '' ? fields['operationName'] : null;
  const named = requestedName === null ? {} : { operation: requestedName };
  const query = fields['query'];
  if (typeof query !== 'string' || query.trim() === '') {
    return refuse(errorsBody([{ message: 'A query attribute must be specified and must be a string.' }]), named);
  }
  let inputs: Record<string, unknown> = {};
  const variables = fields['variables'];
  if (typeof variables === 'string' && variables.trim() !== '') {
    try {
      inputs = JSON.parse(variables) as Record<string, unknown>;
    } catch {
      return refuse(errorsBody([{ message: 'Variables are invalid JSON.' }]), named);
    }
  } else if (typeof variables === 'object' && variables !== null && !Array.isArray(variables)) {
    inputs = variables as Record<string, unknown>;
  }

  const { schema } = loadGitHubSchema();
  const checked = checkQuery(schema, query);
  if (checked instanceof GraphQLError) {
    return refuse(errorsBody([{ ...(checked.locations === undefined ? {} : { locations: checked.locations }), message: checked.message }]), named);
  }
  const { document, invalid } = checked;
  const operation = getOperationAST(document, requestedName);
  const label = operationLabel(operation, requestedName);
  const labelled = label === undefined ? {} : { operation: label };

  if (invalid.length > 0) return refuse(errorsBody(invalid.map((error) => validationEntry(error, document))), labelled);
  if (operation === null || operation === undefined) {
    const message =
      requestedName === null ? 'An operation name is required' : `No operation named "${requestedName}"`;
    return refuse(errorsBody([{ message }]), labelled);
  }
  if (operation.operation !== 'query') {
    return refuse(
      errorsBody([{ message: `fake-github answers queries only, not ${operation.operation}s` }]),
      labelled,
    );
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors !== undefined) {
    return refuse(errorsBody(coerced.errors.map((error) => variableEntry(error, operation, inputs))), labelled);
  }

  const analysis = analyseQuery(schema, document, operation, coerced.coerced);
  const costed = { ...labelled, cost: analysis.cost };
  if (analysis.errors.length > 0) return refuse(errorsBody(analysis.errors), costed);

  // Past the limit: "the response status will still be 200, but you will receive an error
  // message, and the value of the x-ratelimit-remaining header will be 0" — GitHub's wording at
  // https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#exceeding-the-rate-limit
  // The error object (`type: RATE_LIMITED`) is GitHub's as observed (the docs do not show it).
  // A query costing more than what is left is refused whole; the refusal costs nothing.
  if (!analysis.dryRun && !limiter.canAfford(token, nowMs, analysis.cost)) {
    return refuse(
      errorsBody([{ type: 'RATE_LIMITED', message: `API rate limit exceeded for user ID ${String(request.userId)}.` }]),
      costed,
    );
  }
  const snapshot = analysis.dryRun ? peek() : limiter.consume(token, nowMs, analysis.cost);
  // A query that would return too many nodes runs too long: 502 with GitHub's timeout body. Since
  // 2025, "request timeouts will now count against your primary rate limit":
  // https://github.blog/changelog/2025-07-21-including-timeouts-in-primary-rate-limits
  if (!analysis.dryRun && request.timeoutNodes !== undefined && analysis.nodeCount > request.timeoutNodes) {
    return { status: 502, body: renderGraphQLTimeout(request.requestId ?? ''), rate: snapshot, counted: true, ...costed };
  }
  const context: ResolverContext = {
    store: request.store,
    token: request.token,
    rateLimit: { cost: analysis.cost, nodeCount: analysis.nodeCount, snapshot },
    ...(request.forbidden === undefined ? {} : { forbidden: request.forbidden }),
  };
  // rateLimit(dryRun: true): "calculate the cost for the query without evaluating it" — every
  // other root field answers null.
  const root = queryRoot();
  const rootValue = analysis.dryRun
    ? {
        ...Object.fromEntries(Object.keys(schema.getQueryType()?.getFields() ?? {}).map((field) => [field, null])),
        rateLimit: root['rateLimit'],
      }
    : root;
  const result = executeSync({
    schema,
    document,
    rootValue,
    contextValue: context,
    variableValues: inputs,
    operationName: requestedName,
    fieldResolver,
  });
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors !== undefined && result.errors.length > 0) body['errors'] = result.errors.map(executionEntry);
  return {
    status: 200,
    body: JSON.stringify(body),
    rate: snapshot,
    counted: !analysis.dryRun,
    ...costed,
  };
}
