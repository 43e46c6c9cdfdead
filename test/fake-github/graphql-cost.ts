/**
 * GitHub's static checks on a GraphQL query, made before it runs, from the `first`/`last`
 * arguments alone (never from the data): the node limit and the cost in points. Reference:
 * https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api
 *
 * - "Clients must supply a `first` or `last` argument on any connection" (a connection asked only
 *   for `totalCount`/`pageInfo` may omit both, as on GitHub) → MISSING_PAGINATION_BOUNDARIES.
 * - "Values of `first` and `last` must be within 1-100" → EXCESSIVE_PAGINATION.
 * - "Individual calls cannot request more than 500,000 total nodes" → MAX_NODE_LIMIT_EXCEEDED.
 * - Cost: "Add up the number of requests needed to fulfill each unique connection in the call.
 *   Assume every request will reach the `first` or `last` argument limits. Divide the number by
 *   100 and round the result to the nearest whole number … The minimum point value of a call to
 *   the GraphQL API is 1." A connection needs one request per node of the connections around it:
 *   `pullRequests(first: 100) { nodes { reviews(first: 100) } }` is 1 + 100 requests → 1 point.
 *   A connection selected twice under one response key (GraphQL merges them into one field) is one
 *   "unique connection", counted once.
 *
 * These answers carry no `data`: on GitHub they fail before execution, like schema validation.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getLocation,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
} from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
  SourceLocation,
} from 'graphql';

/** An entry of a GitHub `errors` array, keys in GitHub's order. */
export interface GitHubErrorEntry {
  type?: string;
  path?: ReadonlyArray<string | number>;
  locations?: readonly SourceLocation[];
  extensions?: Record<string, unknown>;
  message: string;
}

export interface QueryCost {
  /** Requests the connections imply, summed. */
  requests: number;
  /** Points: requests / 100, rounded, at least 1. */
  cost: number;
  /** Nodes the query may return at most (`rateLimit.nodeCount`). */
  nodeCount: number;
  /** `rateLimit(dryRun: true)` at the root: cost it, run nothing, charge nothing. */
  dryRun: boolean;
  errors: GitHubErrorEntry[];
}

export const maxPageSize = 100;
export const maxNodes = 500_000;

type Variables = Record<string, unknown>;

function locationOf(node: FieldNode): SourceLocation[] | undefined {
  return node.loc === undefined ? undefined : [getLocation(node.loc.source, node.loc.start)];
}

function included(node: SelectionNode, variables: Variables): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.['if'] !== false;
}

/** A Relay connection field: returns `…Connection` and takes `first`. */
function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return isObjectType(type) && type.name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first');
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function analyseQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const errors: GitHubErrorEntry[] = [];
  let requests = 0;
  let nodeCount = 0;
  let dryRun = false;
  let nodeLimitReported = false;

  /** Whether a connection's selection asks for items (`nodes`/`edges`), through fragments too. */
  const selectsItems = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    if (selectionSet === undefined) return false;
    return selectionSet.selections.some((selection) => {
      if (!included(selection, variables)) return false;
      if (selection.kind === Kind.FIELD) return selection.name.value === 'nodes' || selection.name.value === 'edges';
      if (selection.kind === Kind.INLINE_FRAGMENT) return selectsItems(selection.selectionSet, seen);
      const fragment = fragments.get(selection.name.value);
      if (fragment === undefined || seen.has(fragment.name.value)) return false;
      return selectsItems(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    });
  };

  /**
   * The fields of one or more selection sets that GraphQL merges into one (same response key, same
   * parent type; validation has made sure their arguments agree): through inline fragments and
   * fragment spreads, skipping `@skip`/`@include`d-out ones.
   */
  const collectFields = (
    selectionSets: readonly SelectionSetNode[],
    parentType: GraphQLCompositeType,
    fragmentsInUse: ReadonlySet<string>,
    into = new Map<string, { parentType: GraphQLCompositeType; nodes: FieldNode[]; fragmentsInUse: ReadonlySet<string> }>(),
  ): Map<string, { parentType: GraphQLCompositeType; nodes: FieldNode[]; fragmentsInUse: ReadonlySet<string> }> => {
    for (const selectionSet of selectionSets) {
      for (const selection of selectionSet.selections) {
        if (!included(selection, variables)) continue;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition === undefined ? parentType : schema.getType(selection.typeCondition.name.value);
          if (condition !== undefined && condition !== null && isCompositeType(condition)) {
            collectFields([selection.selectionSet], condition, fragmentsInUse, into);
          }
          continue;
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          if (fragment === undefined || fragmentsInUse.has(fragment.name.value)) continue;
          const condition = schema.getType(fragment.typeCondition.name.value);
          if (condition !== undefined && condition !== null && isCompositeType(condition)) {
            collectFields([fragment.selectionSet], condition, new Set([...fragmentsInUse, fragment.name.value]), into);
          }
          continue;
        }
        const key = `${parentType.name}.${selection.alias?.value ?? selection.name.value}`;
        const group = into.get(key);
        if (group === undefined) into.set(key, { parentType, nodes: [selection], fragmentsInUse });
        else group.nodes.push(selection);
      }
    }
    return into;
  };

  /**
   * "Each unique connection": a connection selected twice under the same response key (directly,
   * or by two fragments) is one field of the answer, fetched once, so it is counted once.
   */
  const walk = (
    selectionSets: readonly SelectionSetNode[],
    parentType: GraphQLCompositeType,
    multiplier: number,
    path: string[],
    fragmentsInUse: ReadonlySet<string>,
    root: boolean,
  ): void => {
    for (const { parentType: fieldParent, nodes, fragmentsInUse: inUse } of collectFields(selectionSets, parentType, fragmentsInUse).values()) {
      const selection = nodes[0];
      if (selection === undefined) continue;
      const name = selection.name.value;
      if (name.startsWith('__') || !(isObjectType(fieldParent) || isInterfaceType(fieldParent))) continue;
      const field = fieldParent.getFields()[name];
      if (field === undefined) continue;
      const fieldPath = [...path, selection.alias?.value ?? name];
      const args = getArgumentValues(field, selection, variables);
      if (root && name === 'rateLimit' && args['dryRun'] === true) dryRun = true;

      let childMultiplier = multiplier;
      if (isConnectionField(field)) {
        const first = typeof args['first'] === 'number' ? args['first'] : null;
        const last = typeof args['last'] === 'number' ? args['last'] : null;
        // Where an error points, worked out only for an error (a source location costs a scan of the text).
        const whereOf = (): Pick<GitHubErrorEntry, 'path' | 'locations'> => {
          const locations = locationOf(selection);
          return { path: fieldPath, ...(locations === undefined ? {} : { locations }) };
        };
        if (first === null && last === null) {
          if (nodes.some((node) => selectsItems(node.selectionSet, new Set()))) {
            errors.push({
              type: 'MISSING_PAGINATION_BOUNDARIES',
              ...whereOf(),
              message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
            });
          }
        } else if (first !== null && last !== null) {
          errors.push({ ...whereOf(), message: `Passing both \`first\` and \`last\` to paginate the \`${name}\` connection is not supported.` });
        } else {
          const [argument, value] = first !== null ? (['first', first] as const) : (['last', last ?? 0] as const);
          if (value > maxPageSize) {
            errors.push({
              type: 'EXCESSIVE_PAGINATION',
              ...whereOf(),
              message: `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${maxPageSize} records.`,
            });
          } else if (value < 0) {
            errors.push({ ...whereOf(), message: `\`${argument}\` on the \`${name}\` connection cannot be less than zero.` });
          }
        }
        const size = Math.max(0, Math.min(first ?? last ?? 0, Number.MAX_SAFE_INTEGER));
        requests += multiplier;
        childMultiplier = multiplier * size;
        nodeCount += childMultiplier;
        if (childMultiplier > maxNodes && !nodeLimitReported) {
          nodeLimitReported = true;
          errors.push({
            type: 'MAX_NODE_LIMIT_EXCEEDED',
            message: `By the time this query traverses to the ${name} connection, it is requesting up to ${formatCount(childMultiplier)} possible nodes which exceeds the maximum limit of ${formatCount(maxNodes)}.`,
          });
        }
      }
      const type = getNamedType(field.type);
      const children = nodes.flatMap((node) => (node.selectionSet === undefined ? [] : [node.selectionSet]));
      if (children.length > 0 && isCompositeType(type)) {
        walk(children, type, childMultiplier, fieldPath, inUse, false);
      }
    }
  };

  const rootType = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (rootType !== null && rootType !== undefined) walk([operation.selectionSet], rootType, 1, [], new Set(), true);
  if (nodeCount > maxNodes && !nodeLimitReported) {
    errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${formatCount(nodeCount)} possible nodes which exceeds the maximum limit of ${formatCount(maxNodes)}.`,
    });
  }
  return { requests, cost: Math.max(1, Math.round(requests / 100)), nodeCount, dryRun, errors };
}
