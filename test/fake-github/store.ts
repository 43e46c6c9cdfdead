/**
 * The world the fake serves: users and repositories normalised once at start (ids, numbers and
 * timestamps filled in, deterministically and ascending in array order), with listings sorted
 * once and then only sliced per page, so that pages of a 250,000-comment repository stay cheap.
 */
import { createHash } from 'node:crypto';
import type {
  FakeActivity,
  FakeComment,
  FakeCommit,
  FakeContributor,
  FakeDiscussion,
  FakeIssue,
  FakeIssueEvent,
  FakeIssueState,
  FakeRepo,
  FakeReview,
  FakeReviewState,
  FakeUser,
  FakeUserType,
} from './types.js';

const baseTimeMs = Date.UTC(2020, 0, 1);
const issueDefaultStepMs = 60 * 60 * 1000;
const commentDefaultStepMs = 10 * 60 * 1000;

const firstUserId = 1001;
const firstRepoId = 100_001;
const firstIssueId = 500_000_001;
const firstPullId = 800_000_001;
const firstIssueCommentId = 1_000_000_001;
const firstReviewCommentId = 1_500_000_001;
const firstCommitCommentId = 2_000_000_001;
const firstReviewId = 2_500_000_001;
const firstDiscussionId = 3_000_000_001;
const firstDiscussionCommentId = 3_500_000_001;
const firstEventId = 4_000_000_001;
/** The id GitHub gives its `ghost` account (deleted users' content is reassigned to it). */
const ghostUserId = 10137;

export interface UserRecord {
  login: string;
  id: number;
  type: FakeUserType;
  name: string | null;
  /** Known from the options (unknown logins still render, as a `User`). */
  known: boolean;
  /** Verified emails: a commit author or co-author with one of them is this account. */
  emails?: readonly string[];
}

export interface IssueRecord {
  id: number;
  pullId: number;
  number: number;
  title: string;
  author: string | null;
  isPull: boolean;
  state: FakeIssueState;
  createdMs: number;
  updatedMs: number;
  comments: number;
}

export interface CommentRecord {
  id: number;
  author: string | null;
  issueNumber: number;
  body: string;
  createdMs: number;
  updatedMs: number;
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  author: string | null;
  state: FakeReviewState;
  body: string;
  createdMs: number;
  /** null for `PENDING` reviews. */
  submittedMs: number | null;
}

export interface EventRecord {
  id: number;
  actor: string | null;
  event: string;
  issueNumber: number;
  createdMs: number;
  /** Events do not change once made: the same as `createdMs` (for sorting like the other listings). */
  updatedMs: number;
}

/** A discussion comment or a reply (GitHub's `DiscussionComment` is both). */
export interface DiscussionCommentRecord {
  id: number;
  author: string | null;
  createdMs: number;
  /** Replies, oldest first (empty for a reply). */
  replies: DiscussionCommentRecord[];
}

export interface DiscussionRecord {
  id: number;
  number: number;
  title: string;
  author: string | null;
  createdMs: number;
  /** Moves with every comment and reply (as the fake models GitHub). */
  updatedMs: number;
  comments: DiscussionCommentRecord[];
}

export interface CommitRecord {
  sha: string;
  message: string;
  /** The account the author email is linked to; null: none. */
  login: string | null;
  name: string;
  email: string;
  dateMs: number;
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  hasIssues: boolean;
  hasWiki: boolean;
  /** Private: the tokens that see it (`FakeRepo.privateTo`); null, public. */
  privateTo: ReadonlySet<string> | null;
  fork: boolean;
  archived: boolean;
  defaultBranch: string;
  contributors: FakeContributor[];
  /** The commits declared (oldest first); null: made up from `contributors` (`commitsOf`). */
  commits: CommitRecord[] | null;
  /** The histories of the heads the default branch had before each push (oldest first), by head sha. */
  pastHistories: Map<string, CommitRecord[]>;
  contributorsTooLarge: boolean;
  emptyContributorsStatus: 204 | 409;
  issues: IssueRecord[];
  issueComments: CommentRecord[];
  reviewComments: CommentRecord[];
  commitComments: CommentRecord[];
  /** Every review, in array (= id) order. */
  reviews: ReviewRecord[];
  /** Pull request number → its reviews, in id order. */
  reviewsByPull: Map<number, ReviewRecord[]>;
  /** Events on issues and pull requests, in array (= id) order. */
  events: EventRecord[];
  files: Map<string, string>;
  hasDiscussions: boolean;
  /** Discussions in array (= id) order. */
  discussions: DiscussionRecord[];
  createdMs: number;
  updatedMs: number;
  /** The last push to any branch (`pushed_at`): only a push moves it. */
  pushedMs: number;
  views: ViewCache;
}

export interface Store {
  users: Map<string, UserRecord>;
  repos: RepoRecord[];
  /** `owner/name` lower-cased → repository. */
  reposByFullName: Map<string, RepoRecord>;
  /** Former `owner/name` lower-cased → repository. */
  renamedFrom: Map<string, RepoRecord>;
  reposById: Map<number, RepoRecord>;
}

export type SortKey = 'created' | 'updated' | 'id';

/**
 * A listing's items in ascending order of `sortKey`, ties broken by id; `start`/`end` bound the
 * part selected by `since` (so a `since` on an `updated` listing is a binary search, no copy).
 */
export interface View<T> {
  items: readonly T[];
  start: number;
  end: number;
}

/** Sorted listings, built on first use and kept (bounded, for the `since`-filtered ones). */
export class ViewCache {
  readonly #views = new Map<string, readonly unknown[]>();
  readonly #maxEntries = 64;

  /** After new activity: every sorted listing is built again. */
  clear(): void {
    this.#views.clear();
  }

  get<T>(key: string, build: () => T[]): readonly T[] {
    const cached = this.#views.get(key);
    if (cached !== undefined) return cached as readonly T[];
    const built = build();
    if (this.#views.size >= this.#maxEntries) {
      const oldest = this.#views.keys().next();
      if (oldest.done !== true) this.#views.delete(oldest.value);
    }
    this.#views.set(key, built);
    return built;
  }
}

/** The largest of `value` over `items`, 0 for none (no spread: a repository may hold 250,000 comments). */
function largest<T>(items: readonly T[], value: (item: T) => number): number {
  let found = 0;
  for (const item of items) found = Math.max(found, value(item));
  return found;
}

/** Appends issues, comments and reviews made at `nowMs` (ids and numbers after the largest so far), and a push. */
export function addActivity(store: Store, fullName: string, activity: FakeActivity, nowMs: number): void {
  const repo = store.reposByFullName.get(fullName.toLowerCase());
  if (!repo) throw new Error(`addActivity: no repository ${fullName}`);
  let issueId = largest(repo.issues, (issue) => issue.id);
  let pullId = largest(repo.issues, (issue) => issue.pullId);
  let number = largest(repo.issues, (issue) => issue.number);
  for (const issue of activity.issues ?? []) {
    issueId += 1;
    number += 1;
    if (issue.pullRequest) pullId += 1;
    repo.issues.push({ id: issueId, pullId: issue.pullRequest ? pullId : 0, number, title: `Issue ${number}`, author: issue.author, isPull: issue.pullRequest === true, state: 'open', createdMs: nowMs, updatedMs: nowMs, comments: 0 });
  }
  let commentId = largest(repo.issueComments, (comment) => comment.id);
  for (const comment of activity.issueComments ?? []) {
    commentId += 1;
    repo.issueComments.push({ id: commentId, author: comment.author, issueNumber: comment.issueNumber, body: 'new', createdMs: nowMs, updatedMs: nowMs });
    const issue = repo.issues.find((candidate) => candidate.number === comment.issueNumber);
    if (issue) {
      issue.updatedMs = nowMs;
      issue.comments += 1;
    }
  }
  let reviewCommentId = largest(repo.reviewComments, (comment) => comment.id);
  for (const { author, pullNumber } of activity.reviewComments ?? []) {
    const pull = repo.issues.find((candidate) => candidate.number === pullNumber && candidate.isPull);
    if (!pull) throw new Error(`addActivity: ${fullName} has no pull request #${pullNumber}`);
    reviewCommentId += 1;
    repo.reviewComments.push({ id: reviewCommentId, author, issueNumber: pullNumber, body: 'new', createdMs: nowMs, updatedMs: nowMs });
    pull.updatedMs = nowMs;
  }
  let commitCommentId = largest(repo.commitComments, (comment) => comment.id);
  for (const comment of activity.commitComments ?? []) {
    commitCommentId += 1;
    repo.commitComments.push({ id: commitCommentId, author: comment.author, issueNumber: 0, body: 'new', createdMs: nowMs, updatedMs: nowMs });
  }
  let reviewId = largest(repo.reviews, (review) => review.id);
  for (const { author, pullNumber } of activity.reviews ?? []) {
    const pull = repo.issues.find((candidate) => candidate.number === pullNumber && candidate.isPull);
    if (!pull) throw new Error(`addActivity: ${fullName} has no pull request #${pullNumber}`);
    reviewId += 1;
    const review: ReviewRecord = { id: reviewId, pullNumber, author, state: 'APPROVED', body: '', createdMs: nowMs, submittedMs: nowMs };
    repo.reviews.push(review);
    repo.reviewsByPull.set(pullNumber, [...(repo.reviewsByPull.get(pullNumber) ?? []), review]);
    pull.updatedMs = nowMs;
  }
  let eventId = Math.max(largest(repo.events, (event) => event.id), firstEventId - 1);
  for (const { actor, event, issueNumber } of activity.events ?? []) {
    const issue = repo.issues.find((candidate) => candidate.number === issueNumber);
    if (!issue) throw new Error(`addActivity: ${fullName} has no issue #${issueNumber}`);
    eventId += 1;
    repo.events.push({ id: eventId, actor, event, issueNumber, createdMs: nowMs, updatedMs: nowMs });
    if (touchesItem.has(event)) issue.updatedMs = nowMs;
  }
  addDiscussionActivity(repo, activity, nowMs, fullName);
  if (activity.push) {
    if (activity.push.commits || activity.push.rewrite !== undefined) {
      // The history so far stays (less the newest `rewrite` commits, for a force push); the new
      // commits come after it, the last of them the new head. The old head's history can still be
      // asked for by its sha, as on GitHub.
      const served = commitsOf(repo);
      const history = repo.commits ?? served.map(({ parent: _parent, ...commit }) => commit).reverse();
      if (served[0] !== undefined) repo.pastHistories.set(served[0].sha, history);
      const kept = history.slice(0, Math.max(0, history.length - (activity.push.rewrite ?? 0)));
      repo.commits = [...kept, ...normaliseCommits(repo.id, activity.push.commits ?? [], history.length + repo.pastHistories.size * 1_000_000, nowMs)];
    }
    if (activity.push.contributors) repo.contributors = activity.push.contributors;
    for (const [path, text] of Object.entries(activity.push.files ?? {})) {
      if (text === null) repo.files.delete(path);
      else repo.files.set(path, text);
    }
    repo.pushedMs = nowMs;
  }
  repo.updatedMs = nowMs;
  repo.views.clear();
}

/**
 * The events that change the issue or pull request itself, and so its `updated_at`: a label added or
 * removed does (actions/stale found it: https://github.com/actions/stale/pull/93), and so does a
 * change of its assignees, milestone, state, lock or title. GitHub documents none of it, so the fake
 * moves nothing for the rest (pins, transfers, duplicates, subscriptions, mentions, references).
 */
const touchesItem: ReadonlySet<string> = new Set(['labeled', 'unlabeled', 'assigned', 'unassigned', 'milestoned', 'demilestoned', 'closed', 'reopened', 'locked', 'unlocked', 'merged', 'renamed']);

function addDiscussionActivity(repo: RepoRecord, activity: FakeActivity, nowMs: number, fullName: string): void {
  let discussionId = largest(repo.discussions, (discussion) => discussion.id) || firstDiscussionId - 1;
  let number = Math.max(largest(repo.issues, (issue) => issue.number), largest(repo.discussions, (discussion) => discussion.number));
  for (const { author } of activity.discussions ?? []) {
    discussionId += 1;
    number += 1;
    repo.discussions.push({ id: discussionId, number, title: `Discussion ${number}`, author, createdMs: nowMs, updatedMs: nowMs, comments: [] });
  }
  let commentId = firstDiscussionCommentId - 1;
  for (const discussion of repo.discussions) {
    for (const comment of discussion.comments) commentId = Math.max(commentId, comment.id, largest(comment.replies, (reply) => reply.id));
  }
  const find = (discussionNumber: number): DiscussionRecord => {
    const discussion = repo.discussions.find((candidate) => candidate.number === discussionNumber);
    if (!discussion) throw new Error(`addActivity: ${fullName} has no discussion #${discussionNumber}`);
    discussion.updatedMs = nowMs;
    return discussion;
  };
  for (const { author, discussionNumber } of activity.discussionComments ?? []) {
    commentId += 1;
    find(discussionNumber).comments.push({ id: commentId, author, createdMs: nowMs, replies: [] });
  }
  for (const { author, discussionNumber, commentIndex } of activity.discussionReplies ?? []) {
    const comment = find(discussionNumber).comments[commentIndex];
    if (!comment) throw new Error(`addActivity: discussion #${discussionNumber} of ${fullName} has no comment ${commentIndex}`);
    commentId += 1;
    comment.replies.push({ id: commentId, author, createdMs: nowMs, replies: [] });
  }
}

function normaliseDiscussions(discussions: readonly FakeDiscussion[], ids: { discussion: number; comment: number }, issueNumbers: readonly number[], fullName: string): DiscussionRecord[] {
  const taken = new Set(issueNumbers);
  let lastNumber = Math.max(0, ...issueNumbers);
  return discussions.map((discussion, index) => {
    const number = discussion.number ?? lastNumber + 1;
    if (taken.has(number)) throw new Error(`fake-github: ${fullName} has an issue or discussion numbered ${number} already`);
    taken.add(number);
    lastNumber = Math.max(lastNumber, number);
    const createdMs = toMs(discussion.createdAt, baseTimeMs + index * issueDefaultStepMs, 'createdAt');
    let updatedMs = createdMs;
    const comments = (discussion.comments ?? []).map((comment, commentIndex): DiscussionCommentRecord => {
      const commentMs = toMs(comment.createdAt, createdMs + (commentIndex + 1) * 60_000, 'createdAt');
      const replies = (comment.replies ?? []).map((reply, replyIndex): DiscussionCommentRecord => {
        const replyMs = toMs(reply.createdAt, commentMs + (replyIndex + 1) * 1000, 'createdAt');
        updatedMs = Math.max(updatedMs, replyMs);
        return { id: ids.comment++, author: reply.author, createdMs: replyMs, replies: [] };
      });
      updatedMs = Math.max(updatedMs, commentMs);
      return { id: ids.comment++, author: comment.author, createdMs: commentMs, replies };
    });
    return { id: ids.discussion++, number, title: discussion.title ?? `Discussion #${number}`, author: discussion.author, createdMs, updatedMs, comments };
  });
}

/**
 * "GitHub identifies contributors by author email address … only the first 500 author email
 * addresses in the repository link to GitHub users. The rest will appear as anonymous contributors
 * without associated GitHub user information."
 * https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
export const linkedAuthorEmails = 500;

/** One entry of `/contributors?anon=1` before rendering: `login` null for an anonymous one. */
export interface ServedContributor {
  login: string | null;
  name: string;
  email: string;
  contributions: number;
}

/** The author name and email of a contributor's commits. */
export function authorOf(entry: FakeContributor): { name: string; email: string } {
  if ('anonymous' in entry) return { name: entry.name, email: entry.email };
  return { name: entry.authorName ?? entry.login, email: entry.email ?? `${entry.login}@users.noreply.github.com` };
}

/**
 * The contributors as GitHub serves them, in array order (= the history's, which decides which
 * emails are "the first 500"): an account's entry past the 500th email is anonymous.
 */
export function servedContributors(contributors: readonly FakeContributor[]): ServedContributor[] {
  const seen = new Set<string>();
  return contributors.map((entry) => {
    const author = authorOf(entry);
    seen.add(author.email.toLowerCase());
    const linked = !('anonymous' in entry) && seen.size <= linkedAuthorEmails;
    return { login: linked ? entry.login : null, ...author, contributions: entry.contributions };
  });
}

/** Commits made up from the contributors: one a day from 2020-01-01, contributor by contributor. */
const firstCommitMs = Date.parse('2020-01-01T12:00:00Z');
const commitStepMs = 86_400_000;

function commitSha(repoId: number, index: number): string {
  return createHash('sha1').update(`${repoId}:${index}`).digest('hex');
}

/** `ID+login@users.noreply.github.com` or `login@users.noreply.github.com`: the account GitHub links it to. */
export function noreplyLogin(email: string): string | null {
  return /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email)?.[1] ?? null;
}

function normaliseCommits(repoId: number, commits: readonly FakeCommit[], firstIndex: number, defaultMs?: number): CommitRecord[] {
  return commits.map((commit, offset) => {
    const index = firstIndex + offset;
    return {
      sha: commitSha(repoId, index),
      message: commit.message,
      login: commit.login === undefined ? noreplyLogin(commit.authorEmail) : commit.login,
      name: commit.authorName,
      email: commit.authorEmail,
      dateMs: toMs(commit.date, defaultMs ?? firstCommitMs + index * commitStepMs, 'date'),
    };
  });
}

/** A commit as `/commits` serves it: with its parent, the commit before it on the branch (none for the first). */
export interface ServedCommit extends CommitRecord {
  parent: string | null;
}

/**
 * The default branch's commits as `git log` lists them: the head (the last commit pushed) first, then
 * the others newest first (by date; the later one first on a tie), so that a merged commit dated
 * before the old head is listed below it. Those declared, else one a contribution of each
 * contributor in turn, titled `Commit N`.
 */
export function commitsOf(repo: RepoRecord): readonly ServedCommit[] {
  return repo.views.get('commits', () => {
    let commits: CommitRecord[];
    if (repo.commits !== null) {
      commits = inLogOrder(repo.commits);
    } else {
      commits = [];
      for (const entry of repo.contributors) {
        for (let count = 0; count < entry.contributions; count += 1) {
          const index = commits.length;
          const login = 'anonymous' in entry ? null : entry.login;
          commits.push({ sha: commitSha(repo.id, index), message: `Commit ${index + 1}`, login, ...authorOf(entry), dateMs: firstCommitMs + index * commitStepMs });
        }
      }
      commits.reverse();
    }
    return withParents(commits);
  });
}

/** A history given oldest first (the head last), in `git log` order. */
export function inLogOrder(history: readonly CommitRecord[]): CommitRecord[] {
  const head = history[history.length - 1];
  if (head === undefined) return [];
  const others = history
    .slice(0, -1)
    .map((commit, index) => ({ commit, index }))
    .sort((a, b) => b.commit.dateMs - a.commit.dateMs || b.index - a.index)
    .map(({ commit }) => commit);
  return [head, ...others];
}

export function withParents(commits: readonly CommitRecord[]): ServedCommit[] {
  return commits.map((commit, index) => ({ ...commit, parent: commits[index + 1]?.sha ?? null }));
}

function toMs(iso: string | undefined, fallbackMs: number, what: string): number {
  if (iso === undefined) return fallbackMs;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`fake-github: ${what} is not an ISO 8601 date: ${iso}`);
  return ms;
}

/** GitHub writes timestamps without milliseconds: `2020-01-01T00:00:00Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A stable id for a login that is not in `users` (it still renders as a GitHub user). */
function idForUnknownLogin(login: string): number {
  const digest = createHash('sha1').update(login.toLowerCase()).digest();
  return 50_000_000 + (digest.readUInt32BE(0) % 40_000_000);
}

export function lookupUser(store: Store, login: string): UserRecord {
  const known = store.users.get(login.toLowerCase());
  if (known !== undefined) return known;
  if (login.toLowerCase() === 'ghost') {
    return { login: 'ghost', id: ghostUserId, type: 'User', name: 'Deleted user', known: false };
  }
  return { login, id: idForUnknownLogin(login), type: 'User', name: null, known: false };
}

function normaliseIssues(
  issues: readonly FakeIssue[],
  ids: { issue: number; pull: number },
  fullName: string,
): IssueRecord[] {
  const seenNumbers = new Set<number>();
  let lastNumber = 0;
  return issues.map((issue, index) => {
    const number = issue.number ?? lastNumber + 1;
    if (seenNumbers.has(number)) throw new Error(`fake-github: ${fullName} has two issues numbered ${number}`);
    seenNumbers.add(number);
    lastNumber = number;
    const createdMs = toMs(issue.createdAt, baseTimeMs + index * issueDefaultStepMs, 'createdAt');
    const updatedMs = toMs(issue.updatedAt, createdMs, 'updatedAt');
    const isPull = issue.pullRequest === true;
    return {
      id: ids.issue++,
      pullId: isPull ? ids.pull++ : 0,
      number,
      title: issue.title ?? `${isPull ? 'Pull request' : 'Issue'} #${number}`,
      author: issue.author,
      isPull,
      state: issue.state ?? 'open',
      createdMs,
      updatedMs,
      comments: 0,
    };
  });
}

function normaliseComments(
  comments: readonly FakeComment[],
  nextId: () => number,
  defaultTargets: readonly number[],
  what: string,
): CommentRecord[] {
  return comments.map((comment, index) => {
    const createdMs = toMs(comment.createdAt, baseTimeMs + index * commentDefaultStepMs, 'createdAt');
    const id = nextId();
    return {
      id,
      author: comment.author,
      issueNumber: comment.issueNumber ?? defaultTargets[index % Math.max(defaultTargets.length, 1)] ?? 1,
      body: comment.body ?? `${what} ${index + 1}`,
      createdMs,
      updatedMs: toMs(comment.updatedAt, createdMs, 'updatedAt'),
    };
  });
}

function normaliseReviews(
  reviews: readonly FakeReview[],
  nextId: () => number,
  pullNumbers: ReadonlySet<number>,
  fullName: string,
): ReviewRecord[] {
  return reviews.map((review, index) => {
    if (!pullNumbers.has(review.pullNumber)) {
      throw new Error(
        `fake-github: review ${index} of ${fullName} is on #${review.pullNumber}, which is not a pull request of that repository`,
      );
    }
    const state = review.state ?? 'COMMENTED';
    const atMs = toMs(review.submittedAt, baseTimeMs + index * commentDefaultStepMs, 'submittedAt');
    return {
      id: nextId(),
      pullNumber: review.pullNumber,
      author: review.author,
      state,
      body: review.body ?? '',
      createdMs: atMs,
      submittedMs: state === 'PENDING' ? null : atMs,
    };
  });
}

function normaliseEvents(
  events: readonly FakeIssueEvent[],
  nextId: () => number,
  numbers: ReadonlySet<number>,
  fullName: string,
): EventRecord[] {
  return events.map((event, index) => {
    if (!numbers.has(event.issueNumber)) {
      throw new Error(`fake-github: event ${index} of ${fullName} is on #${event.issueNumber}, which is not an issue of that repository`);
    }
    const createdMs = toMs(event.createdAt, baseTimeMs + index * commentDefaultStepMs, 'createdAt');
    return { id: nextId(), actor: event.actor, event: event.event, issueNumber: event.issueNumber, createdMs, updatedMs: createdMs };
  });
}

export function createStore(users: readonly FakeUser[], repos: readonly FakeRepo[]): Store {
  const store: Store = {
    users: new Map(),
    repos: [],
    reposByFullName: new Map(),
    renamedFrom: new Map(),
    reposById: new Map(),
  };

  let nextUserId = firstUserId;
  for (const user of users) {
    const key = user.login.toLowerCase();
    if (store.users.has(key)) throw new Error(`fake-github: user ${user.login} is listed twice`);
    const id = user.id ?? (key === 'ghost' ? ghostUserId : nextUserId++);
    store.users.set(key, { login: user.login, id, type: user.type ?? 'User', name: user.name ?? null, known: true, ...(user.emails ? { emails: user.emails } : {}) });
  }

  const ids = { repo: firstRepoId, issue: firstIssueId, pull: firstPullId };
  let issueCommentId = firstIssueCommentId;
  let reviewCommentId = firstReviewCommentId;
  let commitCommentId = firstCommitCommentId;
  let reviewId = firstReviewId;
  let eventId = firstEventId;
  const discussionIds = { discussion: firstDiscussionId, comment: firstDiscussionCommentId };

  for (const repo of repos) {
    const fullName = `${repo.owner}/${repo.name}`;
    const issues = normaliseIssues(repo.issues ?? [], ids, fullName);
    const issueNumbers = issues.map((issue) => issue.number);
    const pullNumbers = issues.filter((issue) => issue.isPull).map((issue) => issue.number);
    const issueComments = normaliseComments(repo.issueComments ?? [], () => issueCommentId++, issueNumbers, 'Comment');
    const reviewComments = normaliseComments(
      repo.reviewComments ?? [],
      () => reviewCommentId++,
      pullNumbers,
      'Review comment',
    );
    const commitComments = normaliseComments(
      repo.commitComments ?? [],
      () => commitCommentId++,
      [],
      'Commit comment',
    );

    const reviews = normaliseReviews(repo.reviews ?? [], () => reviewId++, new Set(pullNumbers), fullName);
    const events = normaliseEvents(repo.events ?? [], () => eventId++, new Set(issueNumbers), fullName);
    const reviewsByPull = new Map<number, ReviewRecord[]>();
    for (const review of reviews) {
      let list = reviewsByPull.get(review.pullNumber);
      if (list === undefined) {
        list = [];
        reviewsByPull.set(review.pullNumber, list);
      }
      list.push(review);
    }

    const discussions = normaliseDiscussions(repo.discussions ?? [], discussionIds, issueNumbers, fullName);
    const commentsPerIssue = new Map<number, number>();
    for (const comment of issueComments) {
      commentsPerIssue.set(comment.issueNumber, (commentsPerIssue.get(comment.issueNumber) ?? 0) + 1);
    }
    for (const issue of issues) issue.comments = commentsPerIssue.get(issue.number) ?? 0;

    let updatedMs = baseTimeMs;
    for (const list of [issues, issueComments, reviewComments, commitComments]) {
      for (const item of list) if (item.updatedMs > updatedMs) updatedMs = item.updatedMs;
    }

    const record: RepoRecord = {
      id: repo.id ?? ids.repo++,
      owner: repo.owner,
      name: repo.name,
      fullName,
      hasIssues: repo.hasIssues ?? true,
      hasWiki: repo.hasWiki ?? true,
      privateTo: repo.privateTo === undefined ? null : new Set(repo.privateTo),
      fork: repo.fork ?? false,
      archived: repo.archived ?? false,
      defaultBranch: repo.defaultBranch ?? 'main',
      contributors: repo.contributors ?? [],
      commits: null,
      pastHistories: new Map(),
      contributorsTooLarge: repo.contributorsTooLarge ?? false,
      emptyContributorsStatus: repo.emptyContributorsStatus ?? 204,
      issues,
      issueComments,
      reviewComments,
      commitComments,
      reviews,
      reviewsByPull,
      events,
      files: new Map(Object.entries(repo.files ?? {})),
      hasDiscussions: repo.hasDiscussions ?? discussions.length > 0,
      discussions,
      createdMs: baseTimeMs,
      updatedMs,
      pushedMs: toMs(repo.pushedAt, updatedMs, 'pushedAt'),
      views: new ViewCache(),
    };
    if (repo.commits !== undefined) record.commits = normaliseCommits(record.id, repo.commits, 0);
    const key = fullName.toLowerCase();
    if (store.reposByFullName.has(key)) throw new Error(`fake-github: repository ${fullName} is listed twice`);
    if (store.reposById.has(record.id)) throw new Error(`fake-github: two repositories have id ${record.id}`);
    store.repos.push(record);
    store.reposByFullName.set(key, record);
    store.reposById.set(record.id, record);
  }

  for (const [index, repo] of repos.entries()) {
    const record = store.repos[index];
    if (record === undefined) continue;
    for (const old of repo.renamedFrom ?? []) store.renamedFrom.set(old.toLowerCase(), record);
  }
  return store;
}

interface Sortable {
  id: number;
  createdMs: number;
  updatedMs: number;
}

function compareBy(key: SortKey): (a: Sortable, b: Sortable) => number {
  if (key === 'id') return (a, b) => a.id - b.id;
  const field = key === 'created' ? 'createdMs' : 'updatedMs';
  return (a, b) => a[field] - b[field] || a.id - b.id;
}

/** First index whose `updatedMs` is >= `sinceMs`, in a list sorted by `updatedMs`. */
function lowerBoundUpdated(items: readonly Sortable[], sinceMs: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items[middle];
    if (item !== undefined && item.updatedMs < sinceMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A sorted, `since`-filtered view of `source`. `since` keeps items updated at or after it, as
 * GitHub's `since` parameter does ("Only show results that were last updated after the given
 * time"): https://docs.github.com/rest/issues/issues#list-repository-issues
 */
export function sortedView<T extends Sortable>(
  cache: ViewCache,
  cacheKey: string,
  source: () => T[],
  sortKey: SortKey,
  sinceMs: number | null,
): View<T> {
  const sorted = cache.get(`${cacheKey}|${sortKey}`, () => source().sort(compareBy(sortKey)));
  if (sinceMs === null) return { items: sorted, start: 0, end: sorted.length };
  if (sortKey === 'updated') return { items: sorted, start: lowerBoundUpdated(sorted, sinceMs), end: sorted.length };
  const filtered = cache.get(`${cacheKey}|${sortKey}|since=${sinceMs}`, () =>
    sorted.filter((item) => item.updatedMs >= sinceMs),
  );
  return { items: filtered, start: 0, end: filtered.length };
}

/** Whether a caller (its token, or null) sees a repository: a private one only with a token that has access. */
export function isVisible(repo: RepoRecord, token: string | null): boolean {
  return repo.privateTo === null || (token !== null && repo.privateTo.has(token));
}
