/**
 * GitHub-shaped JSON for the fake's records. Field names and shapes follow the REST reference
 * (https://docs.github.com/rest); only the fields a contributors tool could read are rendered,
 * plus the `url`s GitHub always includes. API URLs point at the fake's own origin.
 */
import { createHash } from 'node:crypto';
import { formatTimestamp, lookupUser } from './store.js';
import type { CommentRecord, EventRecord, IssueRecord, RepoRecord, ServedCommit, Store, UserRecord } from './store.js';

const webBase = 'https://github.com';

export interface RenderContext {
  store: Store;
  /** The fake's origin, e.g. `http://127.0.0.1:40123`. */
  apiBase: string;
}

/** GitHub's (legacy) global node ids: base64 of `<length of type>:<Type><id>`. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

export function renderUserRecord(context: RenderContext, user: UserRecord): Record<string, unknown> {
  const escaped = encodeURIComponent(user.login);
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: `${context.apiBase}/users/${escaped}`,
    html_url: user.type === 'Bot' ? `${webBase}/apps/${escaped.replace(/%5Bbot%5D$/i, '')}` : `${webBase}/${escaped}`,
    type: user.type,
    site_admin: false,
  };
}

/** The user object embedded in items; a deleted account (`null`) renders `null`, as GitHub does. */
export function renderUser(context: RenderContext, login: string | null): Record<string, unknown> | null {
  if (login === null) return null;
  return renderUserRecord(context, lookupUser(context.store, login));
}

function repoApiUrl(context: RenderContext, repo: RepoRecord): string {
  return `${context.apiBase}/repos/${repo.owner}/${repo.name}`;
}

export function renderRepo(context: RenderContext, repo: RepoRecord): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.privateTo !== null,
    owner: renderUser(context, repo.owner),
    html_url: `${webBase}/${repo.fullName}`,
    description: null,
    fork: repo.fork,
    url,
    contributors_url: `${url}/contributors`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    created_at: formatTimestamp(repo.createdMs),
    updated_at: formatTimestamp(repo.updatedMs),
    pushed_at: formatTimestamp(repo.pushedMs),
    has_issues: repo.hasIssues,
    has_wiki: repo.hasWiki,
    has_discussions: repo.hasDiscussions,
    has_projects: true,
    // The size of the git repository in KB: 0 for an empty one (no commits).
    size: repo.contributors.length === 0 ? 0 : 8 * repo.contributors.length,
    archived: repo.archived,
    disabled: false,
    visibility: repo.privateTo === null ? 'public' : 'private',
    open_issues_count: repo.issues.filter((issue) => issue.state === 'open').length,
    default_branch: repo.defaultBranch,
  };
}

export function renderIssue(context: RenderContext, repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  const rendered: Record<string, unknown> = {
    url: `${url}/issues/${issue.number}`,
    repository_url: url,
    comments_url: `${url}/issues/${issue.number}/comments`,
    html_url: `${webBase}/${repo.fullName}/${issue.isPull ? 'pull' : 'issues'}/${issue.number}`,
    id: issue.id,
    node_id: nodeId(issue.isPull ? 'PullRequest' : 'Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: renderUser(context, issue.author),
    state: issue.state,
    locked: false,
    comments: issue.comments,
    created_at: formatTimestamp(issue.createdMs),
    updated_at: formatTimestamp(issue.updatedMs),
    closed_at: issue.state === 'closed' ? formatTimestamp(issue.updatedMs) : null,
    author_association: 'NONE',
  };
  // "GitHub's REST API considers every pull request an issue … identify pull requests by the
  // pull_request key": https://docs.github.com/rest/issues/issues#list-repository-issues
  if (issue.isPull) {
    rendered['pull_request'] = {
      url: `${url}/pulls/${issue.number}`,
      html_url: `${webBase}/${repo.fullName}/pull/${issue.number}`,
      diff_url: `${webBase}/${repo.fullName}/pull/${issue.number}.diff`,
      patch_url: `${webBase}/${repo.fullName}/pull/${issue.number}.patch`,
      merged_at: null,
    };
  }
  return rendered;
}

export function renderPull(context: RenderContext, repo: RepoRecord, pull: IssueRecord): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  return {
    url: `${url}/pulls/${pull.number}`,
    id: pull.pullId,
    node_id: nodeId('PullRequest', pull.pullId),
    html_url: `${webBase}/${repo.fullName}/pull/${pull.number}`,
    issue_url: `${url}/issues/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(context, pull.author),
    created_at: formatTimestamp(pull.createdMs),
    updated_at: formatTimestamp(pull.updatedMs),
    closed_at: pull.state === 'closed' ? formatTimestamp(pull.updatedMs) : null,
    merged_at: null,
    draft: false,
    author_association: 'NONE',
  };
}

export function renderIssueComment(
  context: RenderContext,
  repo: RepoRecord,
  comment: CommentRecord,
): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  return {
    url: `${url}/issues/comments/${comment.id}`,
    html_url: `${webBase}/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${url}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    user: renderUser(context, comment.author),
    created_at: formatTimestamp(comment.createdMs),
    updated_at: formatTimestamp(comment.updatedMs),
    author_association: 'NONE',
    body: comment.body,
  };
}

/**
 * An item of `/commits` (https://docs.github.com/rest/commits/commits#list-commits): the git commit
 * (`commit`: author, committer, the whole message, tree, verification) and the accounts
 * GitHub links its author and committer emails to (`author`, `committer`: null where none). The
 * committer is the author here.
 */
export function renderCommit(context: RenderContext, repo: RepoRecord, commit: ServedCommit): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  const person = { name: commit.name, email: commit.email, date: formatTimestamp(commit.dateMs) };
  const tree = fakeCommitSha(`tree-${commit.sha}`);
  return {
    url: `${url}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: Buffer.from(`06:Commit${repo.id}:${commit.sha}`).toString('base64'),
    html_url: `${webBase}/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${url}/commits/${commit.sha}/comments`,
    commit: {
      url: `${url}/git/commits/${commit.sha}`,
      author: person,
      committer: person,
      // As git stores it, less the line break that ends a commit's message: GitHub sends it without.
      message: commit.message.replace(/\r?\n$/, ''),
      tree: { url: `${url}/git/trees/${tree}`, sha: tree },
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: renderUser(context, commit.login),
    committer: renderUser(context, commit.login),
    parents: commit.parent === null ? [] : [{ url: `${url}/commits/${commit.parent}`, html_url: `${webBase}/${repo.fullName}/commit/${commit.parent}`, sha: commit.parent }],
  };
}

/** A deterministic 40-hex "commit" for comments that need one. */
export function fakeCommitSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function renderReviewComment(
  context: RenderContext,
  repo: RepoRecord,
  comment: CommentRecord,
): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  const commitId = fakeCommitSha(`review-${comment.id}`);
  return {
    url: `${url}/pulls/comments/${comment.id}`,
    pull_request_review_id: comment.id + 7_000_000_000,
    id: comment.id,
    node_id: nodeId('PullRequestReviewComment', comment.id),
    diff_hunk: '@@ -1,3 +1,3 @@',
    path: 'README.md',
    commit_id: commitId,
    original_commit_id: commitId,
    user: renderUser(context, comment.author),
    body: comment.body,
    created_at: formatTimestamp(comment.createdMs),
    updated_at: formatTimestamp(comment.updatedMs),
    html_url: `${webBase}/${repo.fullName}/pull/${comment.issueNumber}#discussion_r${comment.id}`,
    pull_request_url: `${url}/pulls/${comment.issueNumber}`,
    author_association: 'NONE',
  };
}

export function renderCommitComment(
  context: RenderContext,
  repo: RepoRecord,
  comment: CommentRecord,
): Record<string, unknown> {
  const commitId = fakeCommitSha(`commit-${comment.id}`);
  return {
    html_url: `${webBase}/${repo.fullName}/commit/${commitId}#commitcomment-${comment.id}`,
    url: `${repoApiUrl(context, repo)}/comments/${comment.id}`,
    id: comment.id,
    node_id: nodeId('CommitComment', comment.id),
    body: comment.body,
    path: null,
    position: null,
    line: null,
    commit_id: commitId,
    user: renderUser(context, comment.author),
    created_at: formatTimestamp(comment.createdMs),
    updated_at: formatTimestamp(comment.updatedMs),
    author_association: 'NONE',
  };
}

/**
 * An issue event as the repository-wide listing renders it: the common properties of every issue
 * event (`id`, `node_id`, `url`, `actor`, `event`, `commit_id`, `commit_url`, `created_at`), the
 * `issue` it happened on, and some of the properties particular to an event (the label, the
 * assignee, the milestone, the new title).
 * https://docs.github.com/rest/using-the-rest-api/issue-event-types
 * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository
 */
export function renderIssueEvent(context: RenderContext, repo: RepoRecord, event: EventRecord, issue: IssueRecord | undefined): Record<string, unknown> {
  const url = repoApiUrl(context, repo);
  const referencesCommit = event.event === 'referenced' || event.event === 'merged' || (event.event === 'closed' && event.id % 2 === 0);
  const commitId = referencesCommit ? fakeCommitSha(`event-${event.id}`) : null;
  const rendered: Record<string, unknown> = {
    id: event.id,
    node_id: nodeId(`${event.event.replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Event`, event.id),
    url: `${url}/issues/events/${event.id}`,
    actor: renderUser(context, event.actor),
    event: event.event,
    commit_id: commitId,
    commit_url: commitId === null ? null : `${url}/commits/${commitId}`,
    created_at: formatTimestamp(event.createdMs),
    performed_via_github_app: null,
  };
  if (event.event === 'labeled' || event.event === 'unlabeled') rendered['label'] = { name: 'bug', color: 'd73a4a' };
  if (event.event === 'assigned' || event.event === 'unassigned') {
    rendered['assignee'] = renderUser(context, event.actor ?? 'ghost');
    rendered['assigner'] = renderUser(context, event.actor);
  }
  if (event.event === 'milestoned' || event.event === 'demilestoned') rendered['milestone'] = { title: 'v1.0' };
  if (event.event === 'renamed') rendered['rename'] = { from: 'Old title', to: issue?.title ?? 'New title' };
  if (event.event === 'locked') rendered['lock_reason'] = null;
  if (issue !== undefined) rendered['issue'] = renderIssue(context, repo, issue);
  return rendered;
}

/**
 * GitHub's answer to a GraphQL query that ran too long (HTTP 502 or 504): no data, one error that
 * names the request id.
 */
export function renderGraphQLTimeout(requestId: string): string {
  return JSON.stringify({
    data: null,
    errors: [
      {
        message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${requestId}\` when reporting this issue.`,
      },
    ],
  });
}
