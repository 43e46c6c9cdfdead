/**
 * The fake's world as GitHub GraphQL objects, for the subset a contributors tool reads:
 * `repository` (→ `pullRequests`, `pullRequest`, `issues`, `issue`, `PullRequest.reviews`, the
 * `comments` and `timelineItems` of issues and pull requests, `discussions`, `discussion`, their
 * `comments` and `replies`, and the default branch's commits: `defaultBranchRef`, `object`, in
 * graphql-commits.ts),
 * `node` (discussion comments and replies),
 * `user`, `organization` and `rateLimit`. Objects are plain values whose connection fields are
 * functions of their arguments; a field the fake does not model fails loudly (see graphql.ts).
 *
 * GitHub's behaviour followed here:
 * - An `author` is an `Actor`: `User`, `Bot` or `Organization`. A bot's GraphQL login has no
 *   `[bot]` suffix (`dependabot`, while REST says `dependabot[bot]`); a deleted account is `null`.
 * - `user(login:)` resolves only users: a bot, an organization or an unknown login is `null` plus
 *   a NOT_FOUND error ("Could not resolve to a User with the login of 'x'.").
 * - `repository(owner:, name:)` is case-insensitive and follows renames; an unknown one is `null`
 *   plus NOT_FOUND ("Could not resolve to a Repository with the name 'o/n'.").
 * - Cursors are opaque base64; a cursor that is not one of ours is INVALID_CURSOR_ARGUMENTS
 *   ("`x` does not appear to be a valid cursor.").
 * - Pending reviews are visible only to their author, so they are never listed.
 */
import { commitRefsOf } from './graphql-commits.js';
import { nodeId } from './render.js';
import { formatTimestamp, isVisible, lookupUser } from './store.js';
import type { CommentRecord, DiscussionCommentRecord, DiscussionRecord, EventRecord, IssueRecord, RepoRecord, ReviewRecord, Store, UserRecord } from './store.js';
import type { RateLimitSnapshot } from './rate-limit.js';

const webBase = 'https://github.com';

/** An error GitHub reports with a `type` (NOT_FOUND, INVALID_CURSOR_ARGUMENTS, …). */
export class GitHubFieldError extends Error {
  readonly type: string;

  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export interface ResolverContext {
  store: Store;
  /** The caller's token: a private repository it does not see is NOT_FOUND. */
  token: string;
  /** The `rateLimit` object of this query (after charging it). */
  rateLimit: {
    cost: number;
    nodeCount: number;
    snapshot: RateLimitSnapshot;
  };
  /** The field (by response path) the token may not see: null plus a FORBIDDEN error. */
  forbidden?: { path: ReadonlyArray<string | number>; message: string };
}

type Args = Record<string, unknown>;
type GraphQLObject = Record<string, unknown>;

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorPrefix = 'cursor:v2:';

export function encodeCursor(position: number): string {
  return Buffer.from(`${cursorPrefix}${String(position)}`, 'utf8').toString('base64');
}

function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^cursor:v2:(\d{1,15})$/.exec(decoded);
  if (match?.[1] === undefined || encodeCursor(Number(match[1])) !== cursor) {
    throw new GitHubFieldError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  }
  return Number(match[1]);
}

/**
 * A Relay connection over `items` (already filtered and sorted): `after`/`before` bound the
 * window, then `first` keeps its start or `last` its end. The static checks (graphql-cost.ts)
 * have already refused a missing or excessive `first`/`last`.
 */
export function connection<T>(items: readonly T[], args: ConnectionArgs, toNode: (item: T) => GraphQLObject): GraphQLObject {
  let start = 0;
  let end = items.length;
  if (typeof args.after === 'string') start = Math.min(items.length, decodeCursor(args.after) + 1);
  if (typeof args.before === 'string') end = Math.min(end, decodeCursor(args.before));
  if (end < start) end = start;
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(0, args.first));
  if (typeof args.last === 'number') start = Math.max(start, end - Math.max(0, args.last));
  const nodes: GraphQLObject[] = [];
  for (let position = start; position < end; position++) {
    const item = items[position];
    if (item !== undefined) nodes.push(toNode(item));
  }
  const empty = nodes.length === 0;
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: empty ? null : encodeCursor(start),
      endCursor: empty ? null : encodeCursor(end - 1),
    },
    nodes,
    edges: () => nodes.map((node, index) => ({ cursor: encodeCursor(start + index), node })),
  };
}

function avatarUrl(user: UserRecord): (args: Args) => string {
  return (args) => {
    const size = typeof args['size'] === 'number' ? `&s=${String(args['size'])}` : '';
    return `https://avatars.githubusercontent.com/u/${String(user.id)}?v=4${size}`;
  };
}

export function actorOf(user: UserRecord): GraphQLObject {
  const common = { id: nodeId(user.type, user.id), databaseId: user.id, avatarUrl: avatarUrl(user) };
  if (user.type === 'Bot') {
    // GraphQL spells a bot's login without the `[bot]` suffix REST uses.
    const login = user.login.replace(/\[bot\]$/i, '');
    return { __typename: 'Bot', ...common, login, url: `${webBase}/apps/${login}`, resourcePath: `/apps/${login}` };
  }
  const profile = { login: user.login, name: user.name, url: `${webBase}/${user.login}`, resourcePath: `/${user.login}` };
  return { __typename: user.type === 'Organization' ? 'Organization' : 'User', ...common, ...profile };
}

/** The `author` of an item: null for a deleted account. */
function authorOf(store: Store, login: string | null): GraphQLObject | null {
  return login === null ? null : actorOf(lookupUser(store, login));
}

function graphqlState(state: 'open' | 'closed'): 'OPEN' | 'CLOSED' {
  return state === 'open' ? 'OPEN' : 'CLOSED';
}

function readStates(args: Args): Set<string> | null {
  const states = args['states'];
  return Array.isArray(states) && states.length > 0 ? new Set(states.map(String)) : null;
}

interface Order {
  field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS';
  direction: 'ASC' | 'DESC';
}

function readOrder(args: Args): Order {
  const orderBy = args['orderBy'] as { field?: unknown; direction?: unknown } | null | undefined;
  const field = orderBy?.field === 'UPDATED_AT' || orderBy?.field === 'COMMENTS' ? orderBy.field : 'CREATED_AT';
  return { field, direction: orderBy?.direction === 'DESC' ? 'DESC' : 'ASC' };
}

/** Issues or pull requests of `repo`, filtered by state and sorted, cached per combination. */
function issueList(repo: RepoRecord, pulls: boolean, args: Args): readonly IssueRecord[] {
  const states = readStates(args);
  const order = readOrder(args);
  const statesKey = states === null ? 'all' : [...states].sort().join(',');
  return repo.views.get(`graphql|${pulls ? 'pulls' : 'issues'}|${statesKey}|${order.field}|${order.direction}`, () => {
    const key = (issue: IssueRecord): number =>
      order.field === 'UPDATED_AT' ? issue.updatedMs : order.field === 'COMMENTS' ? issue.comments : issue.createdMs;
    const sign = order.direction === 'ASC' ? 1 : -1;
    return repo.issues
      .filter((issue) => issue.isPull === pulls && (states === null || states.has(graphqlState(issue.state))))
      .sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
  });
}

function reviewObject(store: Store, repo: RepoRecord, pull: IssueRecord, review: ReviewRecord): GraphQLObject {
  const created = formatTimestamp(review.createdMs);
  const submitted = review.submittedMs === null ? null : formatTimestamp(review.submittedMs);
  return {
    __typename: 'PullRequestReview',
    id: nodeId('PullRequestReview', review.id),
    databaseId: review.id,
    author: () => authorOf(store, review.author),
    authorAssociation: 'NONE',
    state: review.state,
    body: review.body,
    bodyText: review.body,
    createdAt: created,
    updatedAt: created,
    publishedAt: submitted,
    submittedAt: submitted,
    lastEditedAt: null,
    url: `${webBase}/${repo.fullName}/pull/${String(pull.number)}#pullrequestreview-${String(review.id)}`,
    pullRequest: () => issueObject(store, repo, pull),
    repository: () => repositoryObject(store, repo),
  };
}

/** The comments on each issue and pull request (its conversation), oldest first, as GitHub lists them. */
function commentsOn(repo: RepoRecord, number: number): readonly CommentRecord[] {
  return onItem(repo, 'graphql|comments-by-issue', repo.issueComments, number);
}

/** The events on each issue and pull request, oldest first. */
function eventsOn(repo: RepoRecord, number: number): readonly EventRecord[] {
  return onItem(repo, 'graphql|events-by-issue', repo.events, number);
}

/** What of `records` is on the item `number`, oldest first: grouped once per state of the repository (new activity clears its views). */
function onItem<T extends { issueNumber: number; createdMs: number; id: number }>(repo: RepoRecord, view: string, records: readonly T[], number: number): readonly T[] {
  const entries = repo.views.get(view, () => {
    const map = new Map<number, T[]>();
    for (const record of records) {
      const list = map.get(record.issueNumber);
      if (list) list.push(record);
      else map.set(record.issueNumber, [record]);
    }
    for (const list of map.values()) list.sort((a, b) => a.createdMs - b.createdMs || a.id - b.id);
    return [...map.entries()];
  });
  let byIssue = itemMaps.get(entries) as Map<number, T[]> | undefined;
  if (byIssue === undefined) {
    byIssue = new Map(entries);
    itemMaps.set(entries, byIssue);
  }
  return byIssue.get(number) ?? [];
}

const itemMaps = new WeakMap<object, Map<number, unknown[]>>();

function commentObject(store: Store, repo: RepoRecord, issue: IssueRecord, comment: CommentRecord): GraphQLObject {
  return {
    __typename: 'IssueComment',
    id: nodeId('IssueComment', comment.id),
    databaseId: comment.id,
    author: () => authorOf(store, comment.author),
    authorAssociation: 'NONE',
    body: comment.body,
    bodyText: comment.body,
    createdAt: formatTimestamp(comment.createdMs),
    updatedAt: formatTimestamp(comment.updatedMs),
    publishedAt: formatTimestamp(comment.createdMs),
    lastEditedAt: comment.updatedMs === comment.createdMs ? null : formatTimestamp(comment.updatedMs),
    isMinimized: false,
    url: `${webBase}/${repo.fullName}/${issue.isPull ? 'pull' : 'issues'}/${String(issue.number)}#issuecomment-${String(comment.id)}`,
  };
}

/**
 * The GraphQL type of an issue event, by the name REST gives it (`labeled` → `LabeledEvent`), as
 * GitHub's node ids name them; `renamed` is `RenamedTitleEvent`. Null: not an item of an issue's
 * timeline (`merged`, `review_requested`… are pull requests' alone), or a name GraphQL does not know.
 * https://docs.github.com/graphql/reference/unions#issuetimelineitems
 * https://docs.github.com/graphql/reference/unions#pullrequesttimelineitems
 */
function timelineType(event: string, pull: boolean): string | null {
  if (event === 'renamed') return 'RenamedTitleEvent';
  const type = `${event.replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Event`;
  if (issueTimelineEvents.has(type)) return type;
  return pull && pullTimelineEvents.has(type) ? type : null;
}

const issueTimelineEvents = new Set(
  ['Assigned', 'Closed', 'Demilestoned', 'Labeled', 'Locked', 'MarkedAsDuplicate', 'Mentioned', 'Milestoned', 'Pinned', 'Referenced', 'Reopened', 'Subscribed', 'Transferred', 'Unassigned', 'Unlabeled', 'Unlocked', 'UnmarkedAsDuplicate', 'Unpinned', 'Unsubscribed', 'CrossReferenced', 'CommentDeleted'].map((name) => `${name}Event`),
);
const pullTimelineEvents = new Set(
  ['Merged', 'ReviewRequested', 'ReviewRequestRemoved', 'ReviewDismissed', 'HeadRefDeleted', 'HeadRefRestored', 'HeadRefForcePushed', 'BaseRefChanged', 'BaseRefDeleted', 'BaseRefForcePushed', 'ConvertToDraft', 'ReadyForReview', 'Deployed'].map((name) => `${name}Event`),
);

/** `LabeledEvent` → `LABELED_EVENT`, `IssueComment` → `ISSUE_COMMENT`: the `itemTypes` that names it. */
function itemTypeOf(typename: string): string {
  return typename.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** An event as an item of a timeline: GitHub's common event fields (`actor` null for a deleted account). */
function eventObject(store: Store, repo: RepoRecord, issue: IssueRecord, event: EventRecord, typename: string): GraphQLObject {
  return {
    __typename: typename,
    id: nodeId(typename, event.id),
    actor: () => authorOf(store, event.actor),
    createdAt: formatTimestamp(event.createdMs),
    issue: () => issueObject(store, repo, issue),
    repository: () => repositoryObject(store, repo),
  };
}

/**
 * An issue's or pull request's timeline (`timelineItems`), oldest first: its events and the comments
 * of its conversation (reviews, commits and the rest of a pull request's timeline are not modelled).
 * `itemTypes` keeps the items of those types; `since`, those made at or after it.
 */
function timelineOf(store: Store, repo: RepoRecord, issue: IssueRecord, args: Args): Array<{ type: string; at: number; id: number; node: () => GraphQLObject }> {
  const types = Array.isArray(args['itemTypes']) && args['itemTypes'].length > 0 ? new Set(args['itemTypes'].map(String)) : null;
  const sinceMs = typeof args['since'] === 'string' ? Date.parse(args['since']) : Number.NEGATIVE_INFINITY;
  const items = [
    ...eventsOn(repo, issue.number).flatMap((event) => {
      const type = timelineType(event.event, issue.isPull);
      return type === null ? [] : [{ type, at: event.createdMs, id: event.id, node: () => eventObject(store, repo, issue, event, type) }];
    }),
    ...commentsOn(repo, issue.number).map((comment) => ({ type: 'IssueComment', at: comment.createdMs, id: comment.id, node: () => commentObject(store, repo, issue, comment) })),
  ];
  return items.filter((item) => (types === null || types.has(itemTypeOf(item.type))) && item.at >= sinceMs).sort((a, b) => a.at - b.at || a.id - b.id);
}

function issueObject(store: Store, repo: RepoRecord, issue: IssueRecord): GraphQLObject {
  const closedAt = issue.state === 'closed' ? formatTimestamp(issue.updatedMs) : null;
  const common: GraphQLObject = {
    databaseId: issue.isPull ? issue.pullId : issue.id,
    number: issue.number,
    title: issue.title,
    body: '',
    author: () => authorOf(store, issue.author),
    authorAssociation: 'NONE',
    createdAt: formatTimestamp(issue.createdMs),
    updatedAt: formatTimestamp(issue.updatedMs),
    closed: issue.state === 'closed',
    closedAt,
    state: graphqlState(issue.state),
    locked: false,
    repository: () => repositoryObject(store, repo),
    // `Issue.comments` and `PullRequest.comments`: the conversation's comments (not review comments).
    comments: (args: Args) => connection(commentsOn(repo, issue.number), args, (comment) => commentObject(store, repo, issue, comment)),
    timelineItems: (args: Args) => connection(timelineOf(store, repo, issue, args), args, (item) => item.node()),
  };
  if (!issue.isPull) {
    return {
      __typename: 'Issue',
      ...common,
      id: nodeId('Issue', issue.id),
      url: `${webBase}/${repo.fullName}/issues/${String(issue.number)}`,
    };
  }
  return {
    __typename: 'PullRequest',
    ...common,
    id: nodeId('PullRequest', issue.pullId),
    url: `${webBase}/${repo.fullName}/pull/${String(issue.number)}`,
    isDraft: false,
    merged: false,
    mergedAt: null,
    reviews: (args: Args) => {
      const states = readStates(args);
      const author = typeof args['author'] === 'string' ? args['author'].toLowerCase() : null;
      const visible = (repo.reviewsByPull.get(issue.number) ?? []).filter(
        (review) =>
          review.state !== 'PENDING' &&
          (states === null || states.has(review.state)) &&
          (author === null ||
            (review.author !== null && review.author.toLowerCase().replace(/\[bot\]$/, '') === author.replace(/\[bot\]$/, ''))),
      );
      return connection(visible, args, (review) => reviewObject(store, repo, issue, review));
    },
  };
}

/** Discussions of `repo`, sorted as `orderBy` asks (GitHub's default: UPDATED_AT, DESC). */
function discussionList(repo: RepoRecord, args: Args): readonly DiscussionRecord[] {
  const orderBy = args['orderBy'] as { field?: unknown; direction?: unknown } | null | undefined;
  const field = orderBy?.field === 'CREATED_AT' ? 'CREATED_AT' : 'UPDATED_AT';
  const sign = (orderBy?.direction ?? 'DESC') === 'ASC' ? 1 : -1;
  return repo.views.get(`graphql|discussions|${field}|${sign}`, () =>
    [...repo.discussions].sort((a, b) => sign * ((field === 'CREATED_AT' ? a.createdMs - b.createdMs : a.updatedMs - b.updatedMs) || a.id - b.id)),
  );
}

/** A `DiscussionComment`: a comment on a discussion, or a reply to one (whose `replies` are empty). */
function discussionCommentObject(store: Store, repo: RepoRecord, discussion: DiscussionRecord, comment: DiscussionCommentRecord, replyTo: DiscussionCommentRecord | null): GraphQLObject {
  const at = formatTimestamp(comment.createdMs);
  return {
    __typename: 'DiscussionComment',
    id: nodeId('DiscussionComment', comment.id),
    databaseId: comment.id,
    author: () => authorOf(store, comment.author),
    body: '',
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    lastEditedAt: null,
    isMinimized: false,
    url: `${webBase}/${repo.fullName}/discussions/${String(discussion.number)}#discussioncomment-${String(comment.id)}`,
    discussion: () => discussionObject(store, repo, discussion),
    replyTo: () => (replyTo === null ? null : discussionCommentObject(store, repo, discussion, replyTo, null)),
    replies: (args: Args) => connection(comment.replies, args, (reply) => discussionCommentObject(store, repo, discussion, reply, comment)),
  };
}

function discussionObject(store: Store, repo: RepoRecord, discussion: DiscussionRecord): GraphQLObject {
  return {
    __typename: 'Discussion',
    id: nodeId('Discussion', discussion.id),
    databaseId: discussion.id,
    number: discussion.number,
    title: discussion.title,
    body: '',
    author: () => authorOf(store, discussion.author),
    createdAt: formatTimestamp(discussion.createdMs),
    updatedAt: formatTimestamp(discussion.updatedMs),
    lastEditedAt: null,
    url: `${webBase}/${repo.fullName}/discussions/${String(discussion.number)}`,
    repository: () => repositoryObject(store, repo),
    comments: (args: Args) => connection(discussion.comments, args, (comment) => discussionCommentObject(store, repo, discussion, comment, null)),
  };
}

/** `node(id:)` for discussion comments and replies: the comment, with what it belongs to. */
function findDiscussionComment(store: Store, id: number): { repo: RepoRecord; discussion: DiscussionRecord; comment: DiscussionCommentRecord; replyTo: DiscussionCommentRecord | null } | null {
  for (const repo of store.repos) {
    const entries = repo.views.get('graphql|discussion-comments', () =>
      repo.discussions.flatMap((discussion) =>
        discussion.comments.flatMap((comment): DiscussionCommentEntry[] => [
          [comment.id, { discussion, comment, replyTo: null }],
          ...comment.replies.map((reply): DiscussionCommentEntry => [reply.id, { discussion, comment: reply, replyTo: comment }]),
        ]),
      ),
    );
    let index = discussionCommentIndexes.get(entries);
    if (index === undefined) {
      index = new Map(entries);
      discussionCommentIndexes.set(entries, index);
    }
    const found = index.get(id);
    if (found !== undefined) return { repo, ...found };
  }
  return null;
}

type DiscussionCommentEntry = readonly [number, { discussion: DiscussionRecord; comment: DiscussionCommentRecord; replyTo: DiscussionCommentRecord | null }];
const discussionCommentIndexes = new WeakMap<readonly DiscussionCommentEntry[], Map<number, DiscussionCommentEntry[1]>>();

/** The type and database id a `nodeId` (render.ts) encodes, or null. */
function decodeNodeId(id: string): { type: string; id: number } | null {
  const match = /^0(\d+):([A-Za-z]+?)(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  if (match?.[2] === undefined || match[3] === undefined || match[2].length !== Number(match[1])) return null;
  return { type: match[2], id: Number(match[3]) };
}

const issuesByNumber = new WeakMap<readonly (readonly [number, IssueRecord])[], Map<number, IssueRecord>>();

function repositoryObject(store: Store, repo: RepoRecord): GraphQLObject {
  const byNumber = (number: unknown): IssueRecord | undefined => {
    // Built once per state of the repository: new activity (new issues and pull requests) clears its views.
    const entries = repo.views.get('graphql|issues-by-number', () => repo.issues.map((issue) => [issue.number, issue] as const));
    let index = issuesByNumber.get(entries);
    if (index === undefined) {
      index = new Map(entries);
      issuesByNumber.set(entries, index);
    }
    return typeof number === 'number' ? index.get(number) : undefined;
  };
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: () => actorOf(lookupUser(store, repo.owner)),
    url: `${webBase}/${repo.fullName}`,
    resourcePath: `/${repo.fullName}`,
    isPrivate: false,
    isFork: false,
    isArchived: false,
    hasIssuesEnabled: repo.hasIssues,
    hasWikiEnabled: repo.hasWiki,
    hasDiscussionsEnabled: repo.hasDiscussions,
    discussions: (args: Args) => connection(discussionList(repo, args), args, (discussion) => discussionObject(store, repo, discussion)),
    discussion: (args: Args) => {
      const discussion = repo.discussions.find((candidate) => candidate.number === args['number']);
      if (discussion === undefined) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to a Discussion with the number of ${String(args['number'])}.`);
      }
      return discussionObject(store, repo, discussion);
    },
    createdAt: formatTimestamp(repo.createdMs),
    updatedAt: formatTimestamp(repo.updatedMs),
    pushedAt: formatTimestamp(repo.pushedMs),
    // `defaultBranchRef` and `object(oid:)`: the default branch's commits and their history.
    ...commitRefsOf(store, repo),
    pullRequests: (args: Args) => connection(issueList(repo, true, args), args, (pull) => issueObject(store, repo, pull)),
    pullRequest: (args: Args) => {
      const pull = byNumber(args['number']);
      if (pull?.isPull !== true) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${String(args['number'])}.`);
      }
      return issueObject(store, repo, pull);
    },
    issues: (args: Args) =>
      connection(repo.hasIssues ? issueList(repo, false, args) : [], args, (issue) => issueObject(store, repo, issue)),
    issue: (args: Args) => {
      const issue = byNumber(args['number']);
      if (issue === undefined || issue.isPull) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to an Issue with the number of ${String(args['number'])}.`);
      }
      return issueObject(store, repo, issue);
    },
  };
}

/** The root `Query` object. */
export function queryRoot(): GraphQLObject {
  return {
    repository: (args: Args, context: ResolverContext) => {
      const owner = String(args['owner']);
      const name = String(args['name']);
      const key = `${owner}/${name}`.toLowerCase();
      const repo = context.store.reposByFullName.get(key) ?? context.store.renamedFrom.get(key);
      if (repo === undefined || !isVisible(repo, context.token)) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      }
      return repositoryObject(context.store, repo);
    },
    // Only discussion comments and replies are modelled as nodes.
    node: (args: Args, context: ResolverContext) => {
      const decoded = decodeNodeId(String(args['id']));
      const found = decoded?.type === 'DiscussionComment' ? findDiscussionComment(context.store, decoded.id) : null;
      if (found === null || !isVisible(found.repo, context.token)) throw new GitHubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(args['id'])}'`);
      return discussionCommentObject(context.store, found.repo, found.discussion, found.comment, found.replyTo);
    },
    user: (args: Args, context: ResolverContext) => {
      const login = String(args['login']);
      const user = lookupUser(context.store, login);
      // Only accounts of type User are `User`s: bots, organizations and unknown logins are not.
      if (user.type !== 'User' || (!user.known && user.login !== 'ghost')) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
      }
      return actorOf(user);
    },
    organization: (args: Args, context: ResolverContext) => {
      const login = String(args['login']);
      const user = lookupUser(context.store, login);
      if (user.type !== 'Organization' || !user.known) {
        throw new GitHubFieldError('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
      }
      return actorOf(user);
    },
    rateLimit: (_args: Args, context: ResolverContext) => {
      const { cost, nodeCount, snapshot } = context.rateLimit;
      return {
        cost,
        limit: snapshot.limit,
        nodeCount,
        remaining: snapshot.remaining,
        resetAt: formatTimestamp(snapshot.reset * 1000),
        used: snapshot.used,
      };
    },
  };
}
