/**
 * Public types of the loopback GitHub (`startFakeGitHub`). A test builds a world out of
 * `FakeUser`s and `FakeRepo`s by hand (or with `fixtures.ts`); anything left out is filled in
 * deterministically (ids, numbers, timestamps), ascending in array order.
 */

export type FakeUserType = 'User' | 'Bot' | 'Organization';

export interface FakeUser {
  login: string;
  /** Default: 1001, 1002, … in array order (`ghost` defaults to 10137, GitHub's own). */
  id?: number;
  /** Default `User`. */
  type?: FakeUserType;
  /** Display name served by `GET /users/{login}`; default null. */
  name?: string | null;
  /**
   * Verified emails: GitHub links a commit's author, and each `Co-authored-by` of GraphQL's
   * `Commit.authors`, with one of them to this account (no-reply addresses need none).
   */
  emails?: string[];
}

/**
 * A GitHub account's commits under one author email. GitHub links "only the first 500 author email
 * addresses in the repository" to accounts: an entry past the 500th (anonymous ones included, in
 * array order, which stands for the history's) is served as an `Anonymous` one, with this
 * `authorName` and `email`, and only with `?anon=1`.
 */
export interface FakeUserContributor {
  login: string;
  contributions: number;
  /** The commits' author email. Default `{login}@users.noreply.github.com`. */
  email?: string;
  /** The commits' author name. Default: the login. */
  authorName?: string;
}

/** A committer whose email matches no GitHub account (listed only with `?anon=1`). */
export interface FakeAnonymousContributor {
  anonymous: true;
  name: string;
  email: string;
  contributions: number;
}

export type FakeContributor = FakeUserContributor | FakeAnonymousContributor;

/**
 * A commit on the default branch, served by `/commits` (newest first). A repository that declares
 * `commits` is served those; otherwise its commits are made up from `contributors`, one a
 * contribution. `/contributors` always serves `contributors`: the two are not derived from each other.
 */
export interface FakeCommit {
  /** The whole message as written: a title, a body, trailers (`Co-authored-by: …`), CRLFs if any. */
  message: string;
  /** The git author (`commit.author.name`, `commit.author.email`); the committer is the same person. */
  authorName: string;
  authorEmail: string;
  /**
   * The account GitHub links the author email to (`author`); null: none. Default: the account a
   * no-reply email names (`ID+login@users.noreply.github.com`), else none.
   */
  login?: string | null;
  /** ISO 8601 author date. Default: 2020-01-01T12:00:00Z plus one day per array index (oldest first). */
  date?: string;
}

export type FakeIssueState = 'open' | 'closed';

export interface FakeIssue {
  /** Default: one more than the previous issue's number (the first is 1). */
  number?: number;
  /** Login of the author; `null` is a deleted account, rendered `"user": null`. */
  author: string | null;
  /** A pull request (listed by `/issues` with a `pull_request` key, and by `/pulls`). */
  pullRequest?: boolean;
  /** Default `open`. */
  state?: FakeIssueState;
  title?: string;
  /** ISO 8601. Default: 2020-01-01T00:00:00Z plus one hour per array index. */
  createdAt?: string;
  /** ISO 8601. Default: `createdAt`. */
  updatedAt?: string;
}

export interface FakeComment {
  /** Login of the author; `null` is a deleted account. */
  author: string | null;
  /**
   * Issue (or pull request) the comment belongs to. Default: the repository's issues (pull
   * requests for review comments) taken in turn; commit comments ignore it.
   */
  issueNumber?: number;
  body?: string;
  /** ISO 8601. Default: 2020-01-01T00:00:00Z plus ten minutes per array index. */
  createdAt?: string;
  /** ISO 8601. Default: `createdAt`. */
  updatedAt?: string;
}

export type FakeReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/**
 * A pull request review (served by GraphQL as `PullRequest.reviews`). An approval without a
 * comment is a review too: it is how an "approval-only" reviewer shows up at all.
 */
export interface FakeReview {
  /** Number of the pull request reviewed: an issue of the same repository with `pullRequest: true`. */
  pullNumber: number;
  /** Login of the reviewer; `null` is a deleted account (GraphQL `author: null`). */
  author: string | null;
  /**
   * Default `COMMENTED`. `PENDING` reviews are drafts only their author can see: the fake never
   * lists them (no token belongs to a reviewer), and `computeFacts` does not credit them.
   */
  state?: FakeReviewState;
  /**
   * ISO 8601. Default: 2020-01-01T00:00:00Z plus ten minutes per array index. `PENDING` reviews
   * have no `submittedAt` (null); their `createdAt` takes this value.
   */
  submittedAt?: string;
  body?: string;
}

/**
 * An event on an issue or a pull request, as `GET /repos/{o}/{r}/issues/events` lists them: who did
 * what (`labeled`, `closed`, `mentioned`, `subscribed`…; any name GitHub uses), where, and when.
 * https://docs.github.com/rest/using-the-rest-api/issue-event-types
 */
export interface FakeIssueEvent {
  /** Login of the actor; `null` is a deleted account, rendered `"actor": null`. */
  actor: string | null;
  /** The event's name, e.g. `labeled`, `assigned`, `closed`, `merged`, `mentioned`. */
  event: string;
  /** The issue or pull request it happened on: one of the same repository (checked at start). */
  issueNumber: number;
  /** ISO 8601. Default: 2020-01-01T00:00:00Z plus ten minutes per array index. */
  createdAt?: string;
}

/** A reply to a discussion comment (GraphQL `DiscussionComment.replies`). */
export interface FakeDiscussionReply {
  /** `null` is a deleted account (GraphQL `author: null`). */
  author: string | null;
  /** ISO 8601. Default: its comment's `createdAt` plus a second per array index (and one). */
  createdAt?: string;
}

/** A top-level comment on a discussion (GraphQL `Discussion.comments`), with its replies. */
export interface FakeDiscussionComment {
  author: string | null;
  /** ISO 8601. Default: its discussion's `createdAt` plus a minute per array index (and one). */
  createdAt?: string;
  replies?: FakeDiscussionReply[];
}

/** A GitHub Discussion (GraphQL only: `Repository.discussions`). */
export interface FakeDiscussion {
  /** Default: after the largest issue or discussion number so far (they share numbers, as on GitHub). */
  number?: number;
  author: string | null;
  title?: string;
  /** ISO 8601. Default: 2020-01-01T00:00:00Z plus an hour per array index. */
  createdAt?: string;
  comments?: FakeDiscussionComment[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  /** Default: 100001, 100002, … in array order. */
  id?: number;
  /**
   * Default true; false → `/issues` and `/issues/comments` answer 410 (`/issues/events` lists the
   * pull requests' events only).
   */
  hasIssues?: boolean;
  /** Default true. */
  hasWiki?: boolean;
  /** Default `main`. */
  defaultBranch?: string;
  /** ISO 8601: the repository's `pushed_at`. Default: its latest issue or comment. */
  pushedAt?: string;
  /** A fork of another repository (`fork: true` in listings). Default false. */
  fork?: boolean;
  /** Archived: read-only, `archived: true` in listings. Default false. */
  archived?: boolean;
  /** Former `owner/name`s: requests to them answer 301 to `/repositories/{id}/…`. */
  renamedFrom?: string[];
  /** Empty (the default) → `/contributors` answers 204, like an empty repository. */
  contributors?: FakeContributor[];
  /**
   * The default branch's commits, oldest first. Default: made up from `contributors`. None (an
   * empty list, or no contributors either) → `/commits` answers 409 "Git Repository is empty."
   */
  commits?: FakeCommit[];
  /**
   * What `/contributors` answers for an empty repository: 204 (the default), or 409 "Git Repository
   * is empty.", as GitHub also does.
   */
  emptyContributorsStatus?: 204 | 409;
  issues?: FakeIssue[];
  issueComments?: FakeComment[];
  reviewComments?: FakeComment[];
  commitComments?: FakeComment[];
  /** Pull request reviews, each on an existing pull request (checked at start). */
  reviews?: FakeReview[];
  /**
   * Events on its issues and pull requests, served newest first by `/issues/events` (where issues
   * are turned off, only those on pull requests).
   */
  events?: FakeIssueEvent[];
  /** Path (no leading slash) → text content, served by `/contents/{path}`. */
  files?: Record<string, string>;
  /** `has_discussions` (REST) and `hasDiscussionsEnabled` (GraphQL). Default: whether it has `discussions`. */
  hasDiscussions?: boolean;
  /** Discussions, their comments and replies (GraphQL only). */
  discussions?: FakeDiscussion[];
  /** `/contributors` answers 403 "The history or contributor list is too large…". */
  contributorsTooLarge?: boolean;
  /**
   * A private repository (`private: true`, `visibility: private`), seen only by requests with one of
   * these tokens (its collaborators'). To any other caller, anonymous included, it does not exist, as
   * GitHub says of a private repository (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api):
   * every REST path under `/repos/{owner}/{name}` (or a former name) and `/repositories/{id}` answers
   * 404 "Not Found", GraphQL `repository` (and `node` of its discussion comments) is NOT_FOUND, and
   * owner listings leave it out. Default: public.
   */
  privateTo?: string[];
}

/** What `addActivity` adds, all made at the server's now. */
export interface FakeActivity {
  issues?: Array<{ author: string | null; pullRequest?: boolean }>;
  issueComments?: Array<{ author: string | null; issueNumber: number }>;
  /** Inline code comments on an existing pull request (they move its `updated_at`, as on GitHub). */
  reviewComments?: Array<{ author: string | null; pullNumber: number }>;
  commitComments?: Array<{ author: string | null }>;
  /** Submitted (`APPROVED`) reviews on existing pull requests. */
  reviews?: Array<{ author: string | null; pullNumber: number }>;
  /** Events on existing issues or pull requests (ids after the largest so far). */
  events?: Array<{ actor: string | null; event: string; issueNumber: number }>;
  /** New discussions, comments on a discussion (by number), replies to a comment (by its index in the discussion): each moves the discussion's `updatedAt`. */
  discussions?: Array<{ author: string | null }>;
  discussionComments?: Array<{ author: string | null; discussionNumber: number }>;
  discussionReplies?: Array<{ author: string | null; discussionNumber: number; commentIndex: number }>;
  /**
   * `commits` are added to the default branch (dated now unless they say), after its others, the
   * last one its new head; one dated earlier is a merged commit, listed below the old head. `rewrite`:
   * a force push that first drops that many of the newest commits (by push order).
   */
  push?: { contributors?: FakeContributor[]; files?: Record<string, string | null>; commits?: FakeCommit[]; rewrite?: number };
}

export interface FakeRateLimitOptions {
  /** Requests per window with a valid token. Default 5000. */
  authenticated?: number;
  /** Requests per window without a token. Default 60. */
  anonymous?: number;
  /** Default 3600. */
  windowSeconds?: number;
  /** Status of the REST "rate limit exceeded" answer. Default 403 (GraphQL always answers 200). */
  status?: 403 | 429;
  /** GraphQL points per window with a valid token (a separate `graphql` bucket). Default 5000. */
  graphql?: number;
}

export interface FakeGitHubOptions {
  users: FakeUser[];
  repos: FakeRepo[];
  /** Valid tokens; any other token answers 401. Omitted: every token is valid. */
  tokens?: string[];
  /**
   * Served as GitHub Enterprise Server serves its API: REST under `/api/v3` (`url` ends with it, and
   * so do the links it sends), GraphQL at `/api/graphql`.
   */
  enterprise?: boolean;
  rateLimit?: FakeRateLimitOptions;
  /** Listings refuse to page past this many items (422). Default 40,000. */
  paginationLimit?: number;
  /** `message` of that 422 (GitHub has used several wordings). */
  paginationLimitMessage?: string;
  /**
   * How `Link` URLs of repository listings are written. `repository-id` (default, as GitHub
   * does): `{url}/repositories/{id}/issues?page=2`; `as-requested`: the request's own path.
   */
  linkStyle?: 'repository-id' | 'as-requested';
  /**
   * Whether a 304 carries the page's current `link` header, as a 200 would (the default), or none.
   * GitHub's ETag covers the body alone, and clients have found a 304 that does not show a listing
   * growing past a full page (https://github.com/app-sre/github-mirror/pull/290): with `false`, a
   * client must find the page after a full one by itself.
   */
  linkOn304?: boolean;
  /**
   * Requests answered at once per token (per IP address without one), REST and GraphQL together;
   * one more is refused with a secondary rate limit (403). Default 100, as GitHub: "No more than
   * 100 concurrent requests are allowed."
   */
  maxConcurrentRequests?: number;
  /** `retry-after` (seconds) of that refusal; null sends none. Default 60. */
  concurrencyRetryAfterSeconds?: number | null;
  /**
   * Listings that page by opaque cursor (`?after=`/`?before=`, `link` with only `next`/`prev`, no
   * `page`, no `last`), as some of GitHub's do: `issues`, `pulls`, `issues/comments`,
   * `pulls/comments`, `comments` (commit comments). Default: none (page numbers).
   */
  cursorPagination?: ReadonlyArray<'issues' | 'pulls' | 'issues/comments' | 'pulls/comments' | 'comments'>;
  /**
   * GraphQL queries that may return more than this many nodes (`rateLimit.nodeCount`) run "too
   * long": HTTP 502 with GitHub's "Something went wrong … This may be the result of a timeout"
   * body, charged like a query that ran. Default: none time out.
   */
  graphqlTimeoutNodes?: number;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Called once per request when its status is known (0 for reset/stall faults). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** 0 until answered; stays 0 for `reset` and `stall` faults. */
  status: number;
  /** The token sent (whatever follows `token`/`Bearer`), or null. */
  token: string | null;
  ifNoneMatch: string | null;
  countedAgainstLimit: boolean;
  /** Server clock (ms since epoch) when the request arrived. */
  at: number;
  /** GraphQL only: the operation name, or the first root field of an anonymous operation. */
  operation?: string;
  /** GraphQL only: the query's cost in points (charged only when `countedAgainstLimit`). */
  cost?: number;
  /** GraphQL only: the request's `variables`, as JSON text (tells apart queries of one operation). */
  variables?: string;
}

export type FaultKind = 'status' | 'secondary' | 'primary' | 'redirect' | 'headers' | 'reset' | 'stall' | 'body' | 'forbidden';

export interface Fault {
  /** Tested against path + query; a string matches as a substring. Default: every request. */
  match?: string | RegExp;
  /** How many requests it hits. Default 1 (`Infinity` for always). */
  times?: number;
  /** Let this many matching requests through first. Default 0. */
  after?: number;
  kind: FaultKind;
  /**
   * `status`: the status to answer (500, 502, 503, …). `secondary` and `primary`: 403 (default) or
   * 429. `redirect`: 301 (default), 302, 307 or 308.
   */
  status?: number;
  /** `status` (below 500): the error body's `message`, instead of the status's reason phrase. */
  message?: string;
  /**
   * `primary`: an exhausted primary rate limit (`x-ratelimit-remaining: 0`) that resets this many
   * seconds from the server's clock; negative puts the reset in the past.
   */
  resetInSeconds?: number;
  /** `redirect`: the `Location` to send (any URL, another host's included). */
  location?: string;
  /**
   * `headers`: the normal answer, with these headers added or replaced (e.g. a `link` to another host).
   * `primary`: added to the rate-limit answer (e.g. an odd `x-ratelimit-resource`).
   */
  headers?: Record<string, string>;
  /** `secondary`: value of `retry-after`; omitted → no header. */
  retryAfterSeconds?: number;
  /** `body`: raw 200 body (served as JSON), e.g. truncated JSON. */
  body?: string;
  /** `body`, instead of `body`: the normal answer's body, changed by this function (and served as a 200). */
  transformBody?: (body: string) => string;
  /**
   * `forbidden` (GraphQL only): the field at this response path (aliases and list indexes, e.g.
   * `['repository', 'p3']` or `['u0']`; `'*'` matches any one step) resolves to null with a
   * `FORBIDDEN` error, the rest of `data` intact, as when the token may not see it. `message`
   * replaces "Resource not accessible by personal access token".
   */
  graphqlPath?: ReadonlyArray<string | number>;
}

export interface FakeGitHub {
  /**
   * e.g. `http://127.0.0.1:40123`; REST is served at the root, like api.github.com, and GraphQL
   * at `POST {url}/graphql` (also `POST {url}/api/graphql`, GitHub Enterprise Server's path).
   */
  url: string;
  /** Every request received, in arrival order. */
  requests: RequestLogEntry[];
  clearLog(): void;
  addFault(fault: Fault): void;
  /** Forgets every fault scheduled and not used up (`times: Infinity` ones included). */
  clearFaults(): void;
  /** As if every rate-limit window (REST and GraphQL) had just reset. */
  resetRateLimits(): void;
  /**
   * New activity, as if it happened now: issues (or pull requests) opened and issues commented on.
   * A comment or a review moves its issue's `updated_at`, as on GitHub. A `push` replaces the
   * contributors list, sets files (null deletes one), adds commits, and moves the repository's
   * `pushed_at`: nothing else does.
   */
  addActivity(fullName: string, activity: FakeActivity): void;
  /** Server clock = Date.now() + offset: `Date`, `x-ratelimit-reset` and window expiry use it. */
  setClockOffsetMs(ms: number): void;
  /**
   * Holds the requests `applies` to (every one, without it) until the returned function is called:
   * a test makes requests be in flight together, or stops a run at an exact point, without waiting
   * on time. A request (its log entry) is tested when it has taken a place (is not refused on
   * arrival), and a GraphQL request again once its body is read, with `operation` the name of its
   * operation. A request released by one hold waits for any other that applies to it.
   */
  hold(applies?: (request: RequestLogEntry, operation?: string) => boolean): () => void;
  /** Resolves once the request log holds `count` requests (each is logged on arrival). */
  arrived(count: number): Promise<void>;
  /** Stops listening and destroys open sockets (stalled answers included). */
  close(): Promise<void>;
}
