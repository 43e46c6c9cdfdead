/**
 * The default branch's history as GitHub serves it from any commit, and who its emails belong to:
 * - `/commits?sha=X` and GraphQL `Commit.history` list the commits reachable from X in `git log`
 *   order (https://docs.github.com/rest/commits/commits#list-commits: "SHA or branch to start listing
 *   commits from"; https://docs.github.com/graphql/reference/objects#commit: "in the same order as
 *   `git log`"). The fake's history is linear but for merged commits dated before the head: the
 *   head first, then newest first by date (store.ts `inLogOrder`). A former head's history stays
 *   what it was, as the commits under a sha never change.
 * - `/compare/{base}...{head}` (https://docs.github.com/rest/commits/commits#compare-two-commits):
 *   "equivalent to running the `git log base..head` command, but … returned in chronological
 *   order"; `status` (`identical`, `ahead`, `behind`, `diverged`), `ahead_by`, `behind_by`,
 *   `total_commits`; paginated with `per_page` (default 30, at most 100) and `page`; without either,
 *   the first 250 commits and no `Link`.
 * - An email is an account's when it is a no-reply address of a known account
 *   (`ID+login@users.noreply.github.com`, `login@users.noreply.github.com`), one of its verified
 *   `emails`, or the author email of a commit GitHub links to it; else nobody.
 */
import { paginate, readPageRequest } from './pagination.js';
import { renderCommit } from './render.js';
import type { RenderContext } from './render.js';
import type { ApiResponse, RouteContext } from './routes.js';
import { errorResponse } from './routes.js';
import { commitsOf, inLogOrder, lookupUser, noreplyLogin, withParents } from './store.js';
import type { RepoRecord, ServedCommit, Store, UserRecord } from './store.js';

const compareDocs = 'https://docs.github.com/rest/commits/commits#compare-two-commits';
/** Commits a comparison lists without paging parameters. */
const unpagedCompareCommits = 250;

/** The commits reachable from `ref` (a sha, or the default branch's name) in `git log` order; null when there is no such commit. */
export function historyOf(repo: RepoRecord, ref: string): readonly ServedCommit[] | null {
  const current = commitsOf(repo);
  if (ref === repo.defaultBranch || ref === current[0]?.sha) return current;
  const past = repo.pastHistories.get(ref);
  if (past !== undefined) return repo.views.get(`history|${ref}`, () => withParents(inLogOrder(past)));
  // Any other commit of the current history: the history below it (linear, as the fake's is).
  const at = current.findIndex((commit) => commit.sha === ref);
  if (at >= 0) return current.slice(at);
  for (const history of repo.pastHistories.values()) {
    const served = withParents(inLogOrder(history));
    const found = served.findIndex((commit) => commit.sha === ref);
    if (found >= 0) return served.slice(found);
  }
  return null;
}

/** The account GitHub links `email` to, or null. */
export function userForEmail(store: Store, repo: RepoRecord, email: string): UserRecord | null {
  const noreply = noreplyLogin(email);
  if (noreply !== null) {
    const user = lookupUser(store, noreply);
    return user.known ? user : null;
  }
  const wanted = email.toLowerCase();
  for (const user of store.users.values()) if (user.emails?.some((own) => own.toLowerCase() === wanted) === true) return user;
  const login = linkedEmails(repo).get(wanted);
  return login === undefined ? null : lookupUser(store, login);
}

/** Author email (lower case) → the login a commit of the history links it to; built once per state of the history. */
function linkedEmails(repo: RepoRecord): Map<string, string> {
  const commits = commitsOf(repo);
  let linked = linkedEmailMaps.get(commits);
  if (linked === undefined) {
    linked = new Map();
    for (const commit of commits) if (commit.login !== null && !linked.has(commit.email.toLowerCase())) linked.set(commit.email.toLowerCase(), commit.login);
    linkedEmailMaps.set(commits, linked);
  }
  return linked;
}

const linkedEmailMaps = new WeakMap<readonly ServedCommit[], Map<string, string>>();

/** `GET /repos/{o}/{r}/compare/{base}...{head}`. */
export function compareCommits(context: RouteContext, render: RenderContext, repo: RepoRecord, basehead: string, linkBase: string): ApiResponse {
  const [base, head, ...more] = basehead.split('...');
  if (base === undefined || head === undefined || more.length > 0 || base === '' || head === '') return errorResponse(404, 'Not Found', compareDocs);
  const baseHistory = historyOf(repo, base);
  const headHistory = historyOf(repo, head);
  if (baseHistory === null || headHistory === null) return errorResponse(404, 'Not Found', compareDocs);
  const inBase = new Set(baseHistory.map((commit) => commit.sha));
  const inHead = new Set(headHistory.map((commit) => commit.sha));
  // `git log base..head`, oldest first.
  const ahead = headHistory.filter((commit) => !inBase.has(commit.sha)).reverse();
  const behindBy = baseHistory.filter((commit) => !inHead.has(commit.sha)).length;
  const status = ahead.length === 0 ? (behindBy === 0 ? 'identical' : 'behind') : behindBy === 0 ? 'ahead' : 'diverged';
  const mergeBase = headHistory.find((commit) => inBase.has(commit.sha));
  const query = context.url.searchParams;
  const paged = query.has('per_page') || query.has('page');
  const request = readPageRequest(query);
  let commits: readonly ServedCommit[] = ahead.slice(0, unpagedCompareCommits);
  let link: string | null = null;
  if (paged) {
    const page = paginate({ items: ahead, start: 0, end: ahead.length }, 'asc', request, { base: linkBase, query }, Number.POSITIVE_INFINITY);
    commits = page.kind === 'page' ? page.items : [];
    link = page.kind === 'page' ? page.link : null;
  }
  const rendered = (commit: ServedCommit): Record<string, unknown> => renderCommit(render, repo, commit);
  const body = {
    url: `${context.apiBase}/repos/${repo.fullName}/compare/${basehead}`,
    base_commit: baseHistory[0] === undefined ? null : rendered(baseHistory[0]),
    merge_base_commit: mergeBase === undefined ? null : rendered(mergeBase),
    status,
    ahead_by: ahead.length,
    behind_by: behindBy,
    total_commits: ahead.length,
    commits: commits.map(rendered),
    // "the list of changed files is only returned with page 1": the fake models no files.
    files: paged && request.page > 1 ? undefined : [],
  };
  return { status: 200, body: JSON.stringify(body), headers: link === null ? {} : { link } };
}
