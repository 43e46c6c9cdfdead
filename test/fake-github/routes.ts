/**
 * The REST endpoints the fake serves, as pure functions of the request: they return an
 * `ApiResponse` and never touch the socket, the rate limit or the log (see `server.ts`).
 *
 * Reference: https://docs.github.com/rest (repos, issues, pulls, comments, contents, users).
 */
import { createHash } from 'node:crypto';
import { compareCommits, historyOf } from './history.js';
import { listOwnerRepositories } from './owner-routes.js';
import {
  defaultPaginationLimit,
  defaultPaginationLimitMessage,
  paginate,
  paginateByCursor,
  readPageRequest,
} from './pagination.js';
import type { CursorKey, LinkTarget } from './pagination.js';
import {
  renderCommit,
  renderCommitComment,
  renderIssue,
  renderIssueComment,
  renderIssueEvent,
  renderPull,
  renderRepo,
  renderReviewComment,
  renderUser,
  renderUserRecord,
} from './render.js';
import type { RenderContext } from './render.js';
import { commitsOf, isVisible, lookupUser, servedContributors, sortedView } from './store.js';
import type { CommentRecord, EventRecord, IssueRecord, RepoRecord, ServedCommit, ServedContributor, SortKey, Store, View } from './store.js';

export interface ApiResponse {
  status: number;
  /** Raw body; null for 204/301-less answers without one. */
  body: string | null;
  /** Extra headers (`link`, `last-modified`, `location`, `content-type`…), lower-case names. */
  headers: Record<string, string>;
}

export interface RouteContext {
  store: Store;
  /** The fake's origin, e.g. `http://127.0.0.1:40123`. */
  apiBase: string;
  url: URL;
  accept: string | null;
  /** The caller's token (null: anonymous): a private repository is 404 to any other. */
  token: string | null;
  paginationLimit?: number;
  paginationLimitMessage?: string;
  linkStyle?: 'repository-id' | 'as-requested';
  cursorPagination?: readonly CursorListing[];
}

export const restDocs = 'https://docs.github.com/rest';
const oneMebibyte = 1024 * 1024;

/**
 * Error bodies carry `message` and `documentation_url`, and (since 2024) the status as a string:
 * https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export function errorResponse(
  status: number,
  message: string,
  documentationUrl: string = restDocs,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    status,
    body: JSON.stringify({ message, documentation_url: documentationUrl, status: String(status) }),
    headers,
  };
}

export function notFound(documentationUrl: string = restDocs): ApiResponse {
  return errorResponse(404, 'Not Found', documentationUrl);
}

function json(value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status: 200, body: JSON.stringify(value), headers };
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Parses `since` (ISO 8601); undefined when it is not a date. */
function readSince(query: URLSearchParams): number | null | undefined {
  const since = query.get('since');
  if (since === null || since === '') return null;
  const ms = Date.parse(since);
  return Number.isNaN(ms) ? undefined : ms;
}

function invalidSince(query: URLSearchParams, documentationUrl: string): ApiResponse {
  return errorResponse(
    422,
    `Invalid request.\n\nInvalid value for parameter 'since': ${JSON.stringify(query.get('since'))} is not a valid ISO 8601 timestamp.`,
    documentationUrl,
  );
}

function readDirection(query: URLSearchParams, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const direction = query.get('direction');
  return direction === 'asc' || direction === 'desc' ? direction : fallback;
}

function readState(query: URLSearchParams): 'open' | 'closed' | 'all' {
  const state = query.get('state');
  return state === 'closed' || state === 'all' ? state : 'open';
}

interface RepoRoute {
  context: RouteContext;
  render: RenderContext;
  repo: RepoRecord;
  /** Decoded path segments after `/repos/{o}/{r}` or `/repositories/{id}`. */
  rest: string[];
}

function linkTarget(route: RepoRoute, subPath: string): LinkTarget {
  const { context, repo } = route;
  const base =
    context.linkStyle === 'as-requested'
      ? `${context.apiBase}${context.url.pathname}`
      : `${context.apiBase}/repositories/${repo.id}/${subPath}`;
  return { base, query: context.url.searchParams };
}

/** Listings `cursorPagination` may switch to opaque cursors (those whose items have an id and dates). */
export type CursorListing = 'issues' | 'pulls' | 'issues/comments' | 'pulls/comments' | 'comments';

/** An item's place in a listing sorted by `sortKey` (ties by id), for its cursor. */
function cursorKeyBy(sortKey: SortKey): (item: Sortable) => CursorKey {
  if (sortKey === 'id') return (item) => [item.id, item.id];
  return sortKey === 'created' ? (item) => [item.createdMs, item.id] : (item) => [item.updatedMs, item.id];
}

interface Sortable {
  id: number;
  createdMs: number;
  updatedMs: number;
}

function pageOf<T>(
  route: RepoRoute,
  view: View<T>,
  direction: 'asc' | 'desc',
  subPath: string,
  render: (item: T) => unknown,
  documentationUrl: string,
  limited = true,
  cursorKey?: (item: T) => CursorKey,
): ApiResponse {
  const { context } = route;
  if (cursorKey !== undefined && context.cursorPagination?.includes(subPath as CursorListing) === true) {
    const result = paginateByCursor(view, direction, context.url.searchParams, linkTarget(route, subPath), cursorKey);
    // GitHub's wording for a cursor it cannot read is not documented; the status is its usual 422.
    if (result.kind === 'invalid-cursor') return errorResponse(422, `Invalid cursor: ${result.cursor}`, documentationUrl);
    return json(result.items.map(render), result.link === null ? {} : { link: result.link });
  }
  const limit = limited ? (context.paginationLimit ?? defaultPaginationLimit) : Number.POSITIVE_INFINITY;
  const result = paginate(view, direction, readPageRequest(context.url.searchParams), linkTarget(route, subPath), limit);
  if (result.kind === 'limited') {
    const headers: Record<string, string> = result.link === null ? {} : { link: result.link };
    return errorResponse(422, context.paginationLimitMessage ?? defaultPaginationLimitMessage, documentationUrl, headers);
  }
  return json(result.items.map(render), result.link === null ? {} : { link: result.link });
}

function issuesDisabled(): ApiResponse {
  // A repository with issues turned off answers 410 Gone on its issue endpoints.
  return errorResponse(410, 'Issues are disabled for this repo', 'https://docs.github.com/v3/issues/');
}

/** https://docs.github.com/rest/issues/issues#list-repository-issues */
function listIssues(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/issues/issues#list-repository-issues';
  const { repo, context } = route;
  if (!repo.hasIssues) return issuesDisabled();
  const query = context.url.searchParams;
  const sinceMs = readSince(query);
  if (sinceMs === undefined) return invalidSince(query, docs);
  const state = readState(query);
  const direction = readDirection(query, 'desc');
  const render = (issue: IssueRecord): unknown => renderIssue(route.render, repo, issue);
  if (query.get('sort') === 'comments') {
    // By how many comments each holds (ties by id), as `comments` counts them.
    const byComments = repo.views.get(`issues|${state}|comments`, () =>
      repo.issues.filter((issue) => state === 'all' || issue.state === state).sort((a, b) => a.comments - b.comments || a.id - b.id),
    );
    const items = sinceMs === null ? byComments : byComments.filter((issue) => issue.updatedMs >= sinceMs);
    return pageOf(route, { items, start: 0, end: items.length }, direction, 'issues', render, docs, true, (issue: IssueRecord) => [issue.comments, issue.id]);
  }
  // sort: created (default), updated, comments.
  const sortKey: SortKey = query.get('sort') === 'updated' ? 'updated' : 'created';
  const view = sortedView(
    repo.views,
    `issues|${state}`,
    () => repo.issues.filter((issue) => state === 'all' || issue.state === state),
    sortKey,
    sinceMs,
  );
  return pageOf(route, view, direction, 'issues', render, docs, true, cursorKeyBy(sortKey));
}

/** https://docs.github.com/rest/pulls/pulls#list-pull-requests */
function listPulls(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/pulls/pulls#list-pull-requests';
  const { repo, context } = route;
  const query = context.url.searchParams;
  const state = readState(query);
  const sort = query.get('sort');
  const sortKey: SortKey = sort === 'updated' ? 'updated' : 'created';
  // "direction: Default: desc when sort is created or sort is not specified, otherwise asc."
  const defaultDirection = sort === null || sort === 'created' ? 'desc' : 'asc';
  const view = sortedView(
    repo.views,
    `pulls|${state}`,
    () => repo.issues.filter((issue) => issue.isPull && (state === 'all' || issue.state === state)),
    sortKey,
    null,
  );
  return pageOf(route, view, readDirection(query, defaultDirection), 'pulls', (pull: IssueRecord) =>
    renderPull(route.render, repo, pull), docs, true, cursorKeyBy(sortKey));
}

/**
 * Issue comments and review comments share their parameters: "By default, … ordered by
 * ascending ID"; `sort` created|updated; `direction` "Ignored without the sort parameter"; `since`.
 * https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository
 * https://docs.github.com/rest/pulls/comments#list-review-comments-in-a-repository
 */
function listComments(
  route: RepoRoute,
  kind: 'issue-comments' | 'review-comments',
  docs: string,
): ApiResponse {
  const { repo, context } = route;
  const query = context.url.searchParams;
  const sinceMs = readSince(query);
  if (sinceMs === undefined) return invalidSince(query, docs);
  const sort = query.get('sort');
  const sortKey: SortKey = sort === null ? 'id' : sort === 'updated' ? 'updated' : 'created';
  const direction = sort === null ? 'asc' : readDirection(query, 'desc');
  const source = kind === 'issue-comments' ? repo.issueComments : repo.reviewComments;
  const view = sortedView(repo.views, kind, () => source.slice(), sortKey, sinceMs);
  if (kind === 'issue-comments') {
    return pageOf(route, view, direction, 'issues/comments', (comment: CommentRecord) =>
      renderIssueComment(route.render, repo, comment), docs, true, cursorKeyBy(sortKey));
  }
  return pageOf(route, view, direction, 'pulls/comments', (comment: CommentRecord) =>
    renderReviewComment(route.render, repo, comment), docs, true, cursorKeyBy(sortKey));
}

/**
 * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository — the events of
 * every issue and pull request, each with its `issue`. The reference documents `per_page` and `page`
 * only (no `sort`, `direction` or `since`: others are ignored) and no order; GitHub lists them newest
 * first (by `created_at`, then id), and so does the fake. Where issues are turned off, the
 * reference documents no 410: the pull requests' events are listed, as their timelines still are.
 */
function listIssueEvents(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository';
  const { repo } = route;
  const issues = new Map(repo.issues.map((issue) => [issue.number, issue]));
  const view = sortedView(
    repo.views,
    `events|${repo.hasIssues}`,
    () => repo.events.filter((event) => repo.hasIssues || issues.get(event.issueNumber)?.isPull === true),
    'created',
    null,
  );
  return pageOf(route, view, 'desc', 'issues/events', (event: EventRecord) =>
    renderIssueEvent(route.render, repo, event, issues.get(event.issueNumber)), docs, true);
}

/** https://docs.github.com/rest/commits/comments#list-commit-comments-for-a-repository ("ascending ID") */
function listCommitComments(route: RepoRoute): ApiResponse {
  const { repo } = route;
  const view = sortedView(repo.views, 'commit-comments', () => repo.commitComments.slice(), 'id', null);
  return pageOf(route, view, 'asc', 'comments', (comment: CommentRecord) =>
    renderCommitComment(route.render, repo, comment), 'https://docs.github.com/rest/commits/comments#list-commit-comments-for-a-repository', true, cursorKeyBy('id'));
}

/**
 * https://docs.github.com/rest/repos/repos#list-repository-contributors — sorted by number of
 * commits, descending; `anon=1|true` adds email-only committers, and those past the first 500
 * author emails (see `servedContributors`); an empty repository answers 204 (or 409 "Git
 * Repository is empty.", as GitHub also does).
 */
function listContributors(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/repos/repos#list-repository-contributors';
  const { repo, context } = route;
  if (repo.contributorsTooLarge) {
    return errorResponse(
      403,
      'The history or contributor list is too large to list contributors for this repository via the API.',
      docs,
    );
  }
  if (repo.contributors.length === 0) {
    return repo.emptyContributorsStatus === 409 ? errorResponse(409, 'Git Repository is empty.', docs) : { status: 204, body: null, headers: {} };
  }
  const anon = context.url.searchParams.get('anon');
  const withAnonymous = anon === '1' || anon === 'true';
  const entries = repo.views.get(`contributors|${withAnonymous}`, () =>
    servedContributors(repo.contributors)
      .filter((entry) => withAnonymous || entry.login !== null)
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => b.entry.contributions - a.entry.contributions || a.index - b.index)
      .map(({ entry }) => entry),
  );
  const view = { items: entries, start: 0, end: entries.length };
  return pageOf(
    route,
    view,
    'asc',
    'contributors',
    (entry: ServedContributor) =>
      entry.login === null
        ? { email: entry.email, name: entry.name, type: 'Anonymous', contributions: entry.contributions }
        : { ...renderUser(route.render, entry.login), contributions: entry.contributions },
    docs,
    false,
  );
}

/**
 * https://docs.github.com/rest/commits/commits#list-commits — the default branch's commits (or with
 * `sha`, those reachable from it) in `git log` order (history.ts); `since` keeps commits made at or after it. An empty repository answers 409 "Git Repository
 * is empty."
 */
function listCommits(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/commits/commits#list-commits';
  const { repo, context } = route;
  const sinceMs = readSince(context.url.searchParams);
  if (sinceMs === undefined) return invalidSince(context.url.searchParams, docs);
  if (commitsOf(repo).length === 0) return errorResponse(409, 'Git Repository is empty.', docs);
  // `sha`: "SHA or branch to start listing commits from. Default: the repository’s default branch".
  const sha = context.url.searchParams.get('sha');
  const all = sha === null || sha === '' ? commitsOf(repo) : historyOf(repo, sha);
  if (all === null) return errorResponse(404, `No commit found for SHA: ${sha ?? ''}`, docs);
  const items = sinceMs === null ? all : all.filter((commit) => commit.dateMs >= sinceMs);
  return pageOf(route, { items, start: 0, end: items.length }, 'asc', 'commits', (commit: ServedCommit) => renderCommit(route.render, repo, commit), docs, false);
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** GitHub wraps base64 file content at 60 characters, each line ending in `\n`. */
function wrapBase64(content: Buffer): string {
  const encoded = content.toString('base64');
  let wrapped = '';
  for (let index = 0; index < encoded.length; index += 60) wrapped += `${encoded.slice(index, index + 60)}\n`;
  return wrapped;
}

function isRawMediaType(accept: string | null): boolean {
  return accept !== null && /application\/vnd\.github(\.v3)?\.raw/i.test(accept);
}

/**
 * https://docs.github.com/rest/repos/contents#get-repository-content — a file as base64 (over
 * 1 MiB: `encoding: "none"` and empty `content`), a directory as an array, raw text with
 * `Accept: application/vnd.github.raw+json`.
 */
function getContents(route: RepoRoute): ApiResponse {
  const docs = 'https://docs.github.com/rest/repos/contents#get-repository-content';
  const { repo, context } = route;
  const path = route.rest.slice(1).filter((segment) => segment !== '').join('/');
  const lastModified = { 'last-modified': httpDate(repo.pushedMs) };
  const repoUrl = `${context.apiBase}/repos/${repo.owner}/${repo.name}`;
  const describe = (entryPath: string, type: 'file' | 'dir', content: Buffer | null): Record<string, unknown> => {
    const sha = content === null ? createHash('sha1').update(`tree ${entryPath}`).digest('hex') : gitBlobSha(content);
    const self = `${repoUrl}/contents/${entryPath}?ref=${repo.defaultBranch}`;
    const html = `https://github.com/${repo.fullName}/${type === 'file' ? 'blob' : 'tree'}/${repo.defaultBranch}/${entryPath}`;
    const git = `${repoUrl}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
    return {
      type,
      name: entryPath.split('/').pop() ?? entryPath,
      path: entryPath,
      sha,
      size: content?.length ?? 0,
      url: self,
      html_url: html,
      git_url: git,
      download_url:
        type === 'file' ? `https://raw.githubusercontent.com/${repo.fullName}/${repo.defaultBranch}/${entryPath}` : null,
      _links: { self, git, html },
    };
  };

  const text = repo.files.get(path);
  if (text !== undefined) {
    const content = Buffer.from(text, 'utf8');
    if (isRawMediaType(context.accept)) {
      return {
        status: 200,
        body: text,
        headers: { ...lastModified, 'content-type': 'text/plain; charset=utf-8', 'x-github-media-type': 'github.raw; format=raw' },
      };
    }
    const tooLarge = content.length > oneMebibyte;
    return json(
      {
        ...describe(path, 'file', content),
        encoding: tooLarge ? 'none' : 'base64',
        content: tooLarge ? '' : wrapBase64(content),
      },
      lastModified,
    );
  }

  const prefix = path === '' ? '' : `${path}/`;
  const entries = new Map<string, Record<string, unknown>>();
  for (const [filePath, fileText] of repo.files) {
    if (!filePath.startsWith(prefix)) continue;
    const [first, ...deeper] = filePath.slice(prefix.length).split('/');
    if (first === undefined || first === '' || entries.has(first)) continue;
    const entryPath = `${prefix}${first}`;
    entries.set(
      first,
      deeper.length === 0 ? describe(entryPath, 'file', Buffer.from(fileText, 'utf8')) : describe(entryPath, 'dir', null),
    );
  }
  if (entries.size === 0) return notFound(docs);
  return json([...entries.values()].sort((a, b) => String(a['name']).localeCompare(String(b['name']))), lastModified);
}

function serveRepo(route: RepoRoute): ApiResponse {
  const [first, second] = route.rest;
  const rest = route.rest.join('/');
  if (route.rest.length === 0) {
    return json(renderRepo(route.render, route.repo), { 'last-modified': httpDate(route.repo.updatedMs) });
  }
  if (rest === 'contributors') return listContributors(route);
  if (rest === 'issues') return listIssues(route);
  if (rest === 'issues/events') return listIssueEvents(route);
  if (rest === 'issues/comments') {
    if (!route.repo.hasIssues) return issuesDisabled();
    return listComments(route, 'issue-comments', 'https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository');
  }
  if (rest === 'pulls') return listPulls(route);
  if (rest === 'pulls/comments') {
    return listComments(route, 'review-comments', 'https://docs.github.com/rest/pulls/comments#list-review-comments-in-a-repository');
  }
  if (rest === 'comments') return listCommitComments(route);
  if (rest === 'commits') return listCommits(route);
  if (first === 'compare' && second !== undefined && route.rest.length === 2) {
    return compareCommits(route.context, route.render, route.repo, second, linkTarget(route, `compare/${second}`).base);
  }
  if (first === 'contents' && (second !== undefined || route.rest.length === 1)) return getContents(route);
  return notFound();
}

/** https://docs.github.com/rest/users/users#get-a-user */
function getUser(context: RouteContext, render: RenderContext, login: string): ApiResponse {
  const user = lookupUser(context.store, login);
  if (!user.known && user.login !== 'ghost') return notFound('https://docs.github.com/rest/users/users#get-a-user');
  const publicRepos = context.store.repos.filter((repo) => repo.owner.toLowerCase() === user.login.toLowerCase()).length;
  const created = Date.UTC(2015, 0, 1) + (user.id % 1000) * 86_400_000;
  return json(
    {
      ...renderUserRecord(render, user),
      name: user.name,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: publicRepos,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: new Date(created).toISOString().replace('.000Z', 'Z'),
      updated_at: new Date(created).toISOString().replace('.000Z', 'Z'),
    },
    { 'last-modified': httpDate(created) },
  );
}

/**
 * Routes one GET. A repository is found case-insensitively by `owner/name` (the answer uses the
 * canonical case) or by id under `/repositories/{id}`; a former name answers 301 to the
 * `/repositories/{id}/…` form, query kept, as GitHub does for renamed and transferred
 * repositories: https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects
 */
export function route(context: RouteContext): ApiResponse {
  const rawSegments = context.url.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const raw of rawSegments) {
    const decoded = decodeSegment(raw);
    if (decoded === null) return notFound();
    segments.push(decoded);
  }
  const render: RenderContext = { store: context.store, apiBase: context.apiBase };
  const [root, first, second] = segments;

  if (root === 'users' && first !== undefined && first !== '' && segments.length === 2) {
    return getUser(context, render, first);
  }

  // An owner's repositories, by login, and by id as their `link` headers name them.
  if (second === 'repos' && first !== undefined && first !== '' && segments.length === 3) {
    if (root === 'orgs') return listOwnerRepositories(context, render, 'organization', { login: first });
    if (root === 'users') return listOwnerRepositories(context, render, 'user', { login: first });
    if (root === 'organizations' && /^\d+$/.test(first)) return listOwnerRepositories(context, render, 'organization', { id: Number(first) });
    if (root === 'user' && /^\d+$/.test(first)) return listOwnerRepositories(context, render, 'user', { id: Number(first) });
  }

  if (root === 'repositories' && first !== undefined && /^\d+$/.test(first)) {
    const repo = context.store.reposById.get(Number(first));
    if (repo === undefined || !isVisible(repo, context.token)) return notFound();
    return serveRepo({ context, render, repo, rest: segments.slice(2) });
  }

  if (root === 'repos' && first !== undefined && second !== undefined && first !== '' && second !== '') {
    const fullName = `${first}/${second}`.toLowerCase();
    const repo = context.store.reposByFullName.get(fullName);
    if (repo !== undefined && !isVisible(repo, context.token)) return notFound();
    if (repo !== undefined) return serveRepo({ context, render, repo, rest: segments.slice(3) });
    const moved = context.store.renamedFrom.get(fullName);
    if (moved !== undefined && !isVisible(moved, context.token)) return notFound();
    if (moved !== undefined) {
      const rest = rawSegments.slice(3).join('/');
      const location = `${context.apiBase}/repositories/${moved.id}${rest === '' ? '' : `/${rest}`}${context.url.search}`;
      return {
        status: 301,
        body: JSON.stringify({
          message: 'Moved Permanently',
          url: location,
          documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects',
        }),
        headers: { location },
      };
    }
    return notFound('https://docs.github.com/rest/repos/repos#get-a-repository');
  }

  return notFound();
}
