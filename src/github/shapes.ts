/**
 * Validators for what GitHub sends, applied at the boundary before anything is cached: each one checks
 * the fields the collectors read and keeps only those (so the cache stays small). Each is idempotent:
 * shaping a shaped body gives it back, which lets cached bodies be checked again when loaded.
 */
import type { CoAuthor } from '../domain/co-authors.js';
import { maxCoAuthorsPerCommit, parseCoAuthors } from '../domain/co-authors.js';
import type { AccountType, UserProfile } from '../domain/contribution.js';
import { ShapeError } from './helper.js';
import { isRecord } from './json.js';

export { isRecord };

export interface UserRef {
  login: string;
  type: AccountType;
}

/** A listing item: its id, its author (null: a deleted account; absent: none sent), and dates. */
export interface ListingItem {
  id: number;
  /** Issues and pull requests: their number, and when they last changed (a review changes it too). */
  number?: number;
  updated_at?: string;
  user?: UserRef | null;
  created_at?: string;
  pull_request?: Record<string, never>;
  /** Issues and pull requests: how many comments their conversation holds (not review comments). */
  comments?: number;
}

export interface CodeContributor {
  login?: string;
  type: AccountType | 'Anonymous';
  name?: string;
  email?: string;
  contributions: number;
}

/**
 * A commit's GitHub account (null when its email is linked to none), its git author, and the people
 * its message credits as co-authors (read from the message when fetched: the message is not kept).
 */
export interface CommitAuthor {
  sha: string;
  author: UserRef | null;
  name: string | null;
  email: string | null;
  coAuthors: CoAuthor[];
  /**
   * Through GraphQL (`Commit.authors`): the accounts GitHub resolves the trailers' emails to (REST
   * says only whose the git author's email is).
   */
  accounts?: Array<{ email: string; user: UserRef }>;
}

export const shapeCommitsPage = (body: unknown): CommitAuthor[] =>
  expectArray(body).map((value, index) => {
    const commit = expectObject(value);
    if (typeof commit.sha !== 'string') throw new ShapeError(`commit ${index} has no sha`);
    // As GitHub sends it (`commit.author.{name,email}`, `commit.message`), or shaped already (from the cache).
    const sent = isRecord(commit.commit) ? commit.commit : null;
    const gitAuthor = sent && isRecord(sent.author) ? sent.author : commit;
    return {
      sha: commit.sha,
      author: toUserRef(commit.author) ?? null,
      name: typeof gitAuthor.name === 'string' ? gitAuthor.name : null,
      email: typeof gitAuthor.email === 'string' ? gitAuthor.email : null,
      coAuthors: sent ? parseCoAuthors(messageOf(sent, index)) : shapedCoAuthors(commit.coAuthors, index),
      ...(!sent && commit.accounts !== undefined ? { accounts: shapedAccounts(commit.accounts, index) } : {}),
    };
  });

function shapedAccounts(value: unknown, index: number): Array<{ email: string; user: UserRef }> {
  if (!Array.isArray(value) || value.length > maxCoAuthorsPerCommit + 1) throw new ShapeError(`commit ${index} has accounts that are not`);
  return value.map((entry) => {
    const user = isRecord(entry) ? toUserRef(entry.user) : undefined;
    if (!isRecord(entry) || typeof entry.email !== 'string' || !user) throw new ShapeError(`commit ${index} has an account that is not one`);
    return { email: entry.email, user };
  });
}

function messageOf(commit: Record<string, unknown>, index: number): string {
  if (typeof commit.message !== 'string') throw new ShapeError(`commit ${index} has no message`);
  return commit.message;
}

/** Co-authors as shaped before; a cached commit without them (an older cache) is fetched again. */
function shapedCoAuthors(value: unknown, index: number): CoAuthor[] {
  if (!Array.isArray(value) || value.length > maxCoAuthorsPerCommit) throw new ShapeError(`commit ${index} has no co-authors read`);
  return value.map((entry) => {
    if (!isRecord(entry) || typeof entry.email !== 'string' || !(typeof entry.name === 'string' || entry.name === null)) throw new ShapeError(`commit ${index} has a co-author that is not one`);
    return { name: entry.name, email: entry.email };
  });
}

export interface RepositoryInfo {
  full_name: string;
  /** Kept, so that a cached answer about a private repository is asked again every run (privacy.ts). */
  private: boolean;
  has_issues: boolean;
  has_wiki: boolean;
  /** Discussions are on (GitHub says so since 2022; where it does not, asked as if they were). */
  has_discussions: boolean;
  /** The last push to any branch; null when GitHub does not say (an empty repository). */
  pushed_at: string | null;
  default_branch: string | null;
}

export interface FileContent {
  encoding: string;
  content: string;
  size: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function expectArray(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw new ShapeError(`expected a list, got ${describe(body)}`);
  return body;
}

function expectObject(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new ShapeError(`expected an object, got ${describe(body)}`);
  return body;
}

function accountType(value: unknown): AccountType {
  return value === 'Bot' || value === 'Organization' ? value : 'User';
}

/** GitHub's `user` field: an account, or null for a deleted one; anything else is not an author. */
export function toUserRef(value: unknown): UserRef | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || typeof value.login !== 'string' || value.login === '') return undefined;
  return { login: value.login, type: accountType(value.type) };
}

export const shapeListingPage = (body: unknown): ListingItem[] =>
  expectArray(body).map((value, index) => {
    const item = expectObject(value);
    if (typeof item.id !== 'number') throw new ShapeError(`item ${index} has no numeric id`);
    const shaped: ListingItem = { id: item.id };
    const user = toUserRef(item.user);
    if (user !== undefined) shaped.user = user;
    if (typeof item.number === 'number') shaped.number = item.number;
    if (typeof item.updated_at === 'string') shaped.updated_at = item.updated_at;
    if (typeof item.created_at === 'string') shaped.created_at = item.created_at;
    if (isRecord(item.pull_request)) shaped.pull_request = {};
    if (typeof item.comments === 'number' && Number.isSafeInteger(item.comments) && item.comments >= 0) shaped.comments = item.comments;
    return shaped;
  });

export const shapeContributorsPage = (body: unknown): CodeContributor[] => {
  // 204 No Content: an empty repository has no contributors.
  if (body === null) return [];
  return expectArray(body).map((value, index) => {
    const item = expectObject(value);
    const contributions = typeof item.contributions === 'number' ? item.contributions : 0;
    if (item.type === 'Anonymous') {
      const shaped: CodeContributor = { type: 'Anonymous', contributions };
      if (typeof item.name === 'string') shaped.name = item.name;
      if (typeof item.email === 'string') shaped.email = item.email;
      return shaped;
    }
    if (typeof item.login !== 'string' || item.login === '') throw new ShapeError(`contributor ${index} has no login`);
    return { login: item.login, type: accountType(item.type), contributions };
  });
};

/** The name is printed and used in paths and URLs: it must be an owner/repo GitHub could have made. */
function isFullName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(value) && !/\/\.\.?$/.test(value);
}

export const shapeRepository = (body: unknown): RepositoryInfo => {
  const repo = expectObject(body);
  if (!isFullName(repo.full_name)) throw new ShapeError('the repository has no valid full_name (owner/repo)');
  return {
    full_name: repo.full_name,
    private: repo.private === true,
    has_issues: repo.has_issues !== false,
    has_wiki: repo.has_wiki !== false,
    has_discussions: repo.has_discussions !== false,
    pushed_at: typeof repo.pushed_at === 'string' ? repo.pushed_at : null,
    default_branch: typeof repo.default_branch === 'string' ? repo.default_branch : null,
  };
};

/** One of an owner's repositories, as its listing says: enough to choose which are reported. */
export interface OwnerRepository {
  full_name: string;
  /** Kept, so that a cached page naming a private repository is asked again every run (privacy.ts). */
  private: boolean;
  fork: boolean;
  archived: boolean;
}

export const shapeOwnerRepositoriesPage = (body: unknown): OwnerRepository[] =>
  expectArray(body).map((value, index) => {
    const repo = expectObject(value);
    if (!isFullName(repo.full_name)) throw new ShapeError(`repository ${index} has no valid full_name (owner/repo)`);
    return { full_name: repo.full_name, private: repo.private === true, fork: repo.fork === true, archived: repo.archived === true };
  });

export const shapeFileContent = (body: unknown): FileContent => {
  const file = expectObject(body);
  if (typeof file.content !== 'string' || typeof file.encoding !== 'string') throw new ShapeError('the file has no content');
  return { encoding: file.encoding, content: file.content, size: typeof file.size === 'number' ? file.size : 0 };
};

export const shapeUserProfile = (body: unknown): UserProfile => {
  const user = expectObject(body);
  if (typeof user.login !== 'string') throw new ShapeError('the user has no login');
  return { login: user.login, type: accountType(user.type), name: typeof user.name === 'string' && user.name !== '' ? user.name : null };
};

/**
 * An issue event: its id, what happened (`labeled`, `closed`, `mentioned`…), who did it (`actor`: null
 * for a deleted account, absent when none was sent) and when. The `issue` it came with is dropped.
 * https://docs.github.com/rest/issues/events#list-issue-events-for-a-repository
 */
export interface IssueEvent {
  id: number;
  event: string;
  actor?: UserRef | null;
  created_at?: string;
  /** The number of the issue or pull request it happened on. */
  issueNumber?: number;
}

export const shapeIssueEventsPage = (body: unknown): IssueEvent[] =>
  expectArray(body).map((value, index) => {
    const item = expectObject(value);
    if (typeof item.id !== 'number') throw new ShapeError(`event ${index} has no numeric id`);
    if (typeof item.event !== 'string') throw new ShapeError(`event ${index} has no event name`);
    const shaped: IssueEvent = { id: item.id, event: item.event };
    const actor = toUserRef(item.actor);
    if (actor !== undefined) shaped.actor = actor;
    if (typeof item.created_at === 'string') shaped.created_at = item.created_at;
    if (isRecord(item.issue) && typeof item.issue.number === 'number') shaped.issueNumber = item.issue.number;
    return shaped;
  });
