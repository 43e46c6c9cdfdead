/**
 * Worlds for the loopback GitHub, and the facts a test expects from them. The facts are computed
 * from the fixture data (never typed a second time), so changing the fixture changes them too.
 *
 * - `sampleRepository()`: octo-org/hello-world, small but covering every source and edge case.
 * - `generateRepository(…)`: a deterministic large repository for benchmarks.
 */
import { commitsOf, createStore, lookupUser, noreplyLogin, servedContributors } from './store.js';
import type { FakeComment, FakeContributor, FakeIssue, FakeIssueEvent, FakeRepo, FakeReview, FakeReviewState, FakeUser } from './types.js';
import { generateDiscussions, zipfDraw } from './generated-discussions.js';

/** The contribution kinds of SPEC §3 that the fake can serve. */
export type ContributionKind =
  | 'code'
  | 'issue'
  | 'pull-request'
  | 'comment'
  | 'review-comment'
  | 'review'
  | 'commit-comment'
  | 'contributors-file'
  | 'triage'
  | 'discussion';

export const contributionKinds: readonly ContributionKind[] = [
  'code',
  'issue',
  'pull-request',
  'comment',
  'review-comment',
  'review',
  'commit-comment',
  'contributors-file',
  'triage',
  'discussion',
];

/**
 * The issue events whose actor curated an issue or a pull request (SPEC §3, `triage`); every other
 * event (`mentioned`, `subscribed`, `referenced`, `head_ref_deleted`, `renamed`…) is nobody's triage.
 * Written out from the SPEC again, not imported from src/domain/triage-events.ts: the fixture's
 * truth must not follow the code it checks.
 */
export const triageEvents: ReadonlySet<string> = new Set([
  'labeled',
  'unlabeled',
  'assigned',
  'unassigned',
  'milestoned',
  'demilestoned',
  'closed',
  'reopened',
  'locked',
  'unlocked',
  'marked_as_duplicate',
  'unmarked_as_duplicate',
  'pinned',
  'unpinned',
  'transferred',
  'merged',
]);

export interface ExpectedContribution {
  kind: ContributionKind;
  /** Login as GitHub spells it; `ghost` for deleted accounts; null for name-only entries. */
  login: string | null;
  /** Name of a name-only entry (anonymous committer, CONTRIBUTORS line without a GitHub handle). */
  name: string | null;
  /** `created_at` of dated contributions (issues, pull requests, comments, events; `submittedAt` of reviews); null otherwise. */
  at: string | null;
  /** Commits for `code`, 1 otherwise. */
  count: number;
}

export interface FixtureFacts {
  /** `owner/name`. */
  fullName: string;
  /** Every contribution the fixture holds, in source order. */
  contributions: ExpectedContribution[];
  /** Every login expected in the report (deleted accounts as `ghost`), sorted case-insensitively. */
  logins: string[];
  loginsByKind: Record<ContributionKind, string[]>;
  /** Entries known only by name, sorted. */
  nameOnly: string[];
  /** Logins of type Bot among `logins`. */
  bots: string[];
  /** Display name per login in `logins` (null when the account has none). */
  displayNames: Record<string, string | null>;
  counts: {
    issues: number;
    pullRequests: number;
    issueComments: number;
    reviewComments: number;
    commitComments: number;
    /** Pull request reviews GraphQL lists (every review but `PENDING` ones). */
    reviews: number;
    /** Entries of `/contributors?anon=1` (users and anonymous committers). */
    contributors: number;
    /** Of those, the `Anonymous` ones: email-only committers, and accounts past the first 500 emails. */
    anonymousContributors: number;
    /** Commits on the default branch, as `/commits` lists them (declared, or one per contribution). */
    commits: number;
    /** Events `/issues/events` lists (where issues are off, those on pull requests only). */
    events: number;
    /** Of those, the ones that are `triage`. */
    triageEvents: number;
  };
}

export interface Fixture {
  users: FakeUser[];
  repo: FakeRepo;
  facts: FixtureFacts;
}

/** One line of a CONTRIBUTORS file (SPEC §3 format). */
export interface ContributorsFileEntry {
  name: string;
  github?: string;
  twitter?: string;
  email?: string;
}

export function formatContributorsLine(entry: ContributorsFileEntry): string {
  if (entry.github !== undefined) return `${entry.name} <github:@${entry.github}>`;
  if (entry.twitter !== undefined) return `${entry.name} <twitter:@${entry.twitter}>`;
  if (entry.email !== undefined) return `${entry.name} <${entry.email}>`;
  return entry.name;
}

function compareCaseInsensitive(a: string, b: string): number {
  const lower = a.toLowerCase().localeCompare(b.toLowerCase(), 'en');
  return lower !== 0 ? lower : a.localeCompare(b, 'en');
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Derives the facts from the data: contributions per source, with deleted accounts as `ghost` and
 * logins in the case GitHub spells them (so `<github:@davethedev>` is `DaveTheDev`).
 */
export function computeFacts(
  users: readonly FakeUser[],
  repo: FakeRepo,
  credited: { contributorsFile?: readonly ContributorsFileEntry[]; allContributorsRc?: readonly string[] } = {},
): FixtureFacts {
  const store = createStore(users, [{ ...repo, renamedFrom: [] }]);
  const record = store.repos[0];
  if (record === undefined) throw new Error('unreachable: the store holds the repository');
  const canonicalLogins = new Map<string, string>();
  const canonical = (login: string | null): string => {
    if (login === null) return 'ghost';
    let spelled = canonicalLogins.get(login);
    if (spelled === undefined) {
      spelled = lookupUser(store, login).login;
      canonicalLogins.set(login, spelled);
    }
    return spelled;
  };
  const contributions: ExpectedContribution[] = [];

  // As `/contributors?anon=1` serves them: past the first 500 author emails, accounts are anonymous.
  const served = servedContributors(repo.contributors ?? []);
  for (const entry of served) {
    // A no-reply email names its account even where GitHub links it to none.
    const login = entry.login ?? noreplyLogin(entry.email);
    contributions.push(
      login === null
        ? { kind: 'code', login: null, name: entry.name, at: null, count: entry.contributions }
        : { kind: 'code', login: canonical(login), name: null, at: null, count: entry.contributions },
    );
  }
  for (const issue of record.issues) {
    const kind = issue.isPull ? 'pull-request' : 'issue';
    contributions.push({ kind, login: canonical(issue.author), name: null, at: isoSeconds(issue.createdMs), count: 1 });
  }
  const lists = [
    ['comment', record.issueComments],
    ['review-comment', record.reviewComments],
    ['commit-comment', record.commitComments],
  ] as const;
  for (const [kind, comments] of lists) {
    for (const comment of comments) {
      contributions.push({ kind, login: canonical(comment.author), name: null, at: isoSeconds(comment.createdMs), count: 1 });
    }
  }
  // A pending review is a draft only its author sees: it is nobody's contribution yet.
  const submittedReviews = record.reviews.filter((review) => review.submittedMs !== null);
  for (const review of submittedReviews) {
    const at = review.submittedMs === null ? null : isoSeconds(review.submittedMs);
    contributions.push({ kind: 'review', login: canonical(review.author), name: null, at, count: 1 });
  }
  // Events as `/issues/events` serves them: where issues are off, only those on pull requests.
  const pullNumbers = new Set(record.issues.filter((issue) => issue.isPull).map((issue) => issue.number));
  const servedEvents = record.events.filter((event) => record.hasIssues || pullNumbers.has(event.issueNumber));
  const triaged = servedEvents.filter((event) => triageEvents.has(event.event));
  for (const event of triaged) {
    contributions.push({ kind: 'triage', login: canonical(event.actor), name: null, at: isoSeconds(event.createdMs), count: 1 });
  }
  // Discussions, their comments and replies (GraphQL): one each.
  for (const discussion of record.discussions) {
    contributions.push({ kind: 'discussion', login: canonical(discussion.author), name: null, at: isoSeconds(discussion.createdMs), count: 1 });
    for (const comment of discussion.comments) {
      for (const item of [comment, ...comment.replies]) contributions.push({ kind: 'discussion', login: canonical(item.author), name: null, at: isoSeconds(item.createdMs), count: 1 });
    }
  }
  for (const entry of credited.contributorsFile ?? []) {
    contributions.push(
      entry.github === undefined
        ? { kind: 'contributors-file', login: null, name: entry.name, at: null, count: 1 }
        : { kind: 'contributors-file', login: canonical(entry.github), name: null, at: null, count: 1 },
    );
  }
  for (const login of credited.allContributorsRc ?? []) {
    contributions.push({ kind: 'contributors-file', login: canonical(login), name: null, at: null, count: 1 });
  }

  // One pass, with Sets: generated repositories hold hundreds of thousands of contributions.
  const byKind = new Map<ContributionKind, Set<string>>(contributionKinds.map((kind) => [kind, new Set<string>()]));
  const allLogins = new Set<string>();
  const names = new Set<string>();
  for (const contribution of contributions) {
    if (contribution.login !== null) {
      allLogins.add(contribution.login);
      byKind.get(contribution.kind)?.add(contribution.login);
    }
    if (contribution.name !== null) names.add(contribution.name);
  }
  const sorted = (values: Iterable<string>): string[] => [...values].sort(compareCaseInsensitive);
  const loginsByKind = Object.fromEntries(
    contributionKinds.map((kind) => [kind, sorted(byKind.get(kind) ?? [])]),
  ) as Record<ContributionKind, string[]>;
  const logins = sorted(allLogins);
  const nameOnly = sorted(names);

  return {
    fullName: `${repo.owner}/${repo.name}`,
    contributions,
    logins,
    loginsByKind,
    nameOnly,
    bots: logins.filter((login) => lookupUser(store, login).type === 'Bot'),
    displayNames: Object.fromEntries(logins.map((login) => [login, lookupUser(store, login).name])),
    counts: {
      issues: record.issues.filter((issue) => !issue.isPull).length,
      pullRequests: record.issues.filter((issue) => issue.isPull).length,
      issueComments: record.issueComments.length,
      reviewComments: record.reviewComments.length,
      commitComments: record.commitComments.length,
      reviews: submittedReviews.length,
      contributors: served.length,
      anonymousContributors: served.filter((entry) => entry.login === null).length,
      commits: commitsOf(record).length,
      events: servedEvents.length,
      triageEvents: triaged.length,
    },
  };
}

/** A display name full of terminal escapes (SGR colour and an OSC 8 hyperlink), for sanitising tests. */
export const evilDisplayName = 'Evil \u001b[31mRed\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007';

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/**
 * octo-org/hello-world: 45 issues and pull requests (two pages at per_page=30), 200 issue comments
 * (two full pages at per_page=100: the last page is full, and has no `next`), review and commit comments, a bot, deleted accounts (`user: null`
 * and the `ghost` login), an anonymous committer, a display name with terminal escapes, a
 * CONTRIBUTORS file and an `.all-contributorsrc`, pull request reviews (GraphQL) of every state
 * but PENDING, one of them by a deleted account, and one person for each way of contributing
 * only once (`commenter-only`, `reviewer-only` (review comments), `approver-only` (approving
 * reviews without a comment), `commit-commenter-only`, `file-only`, `rc-only`).
 * The repository used to be called octo-org/hello-world-old (301).
 */
export function sampleRepository(): Fixture {
  const users: FakeUser[] = [
    { login: 'octo-org', type: 'Organization', name: 'Octo Org' },
    { login: 'alice', name: 'Alice Liddell' },
    { login: 'bob', name: null },
    { login: 'carol', name: 'Carol Danvers' },
    { login: 'DaveTheDev', name: 'Dave Developer' },
    { login: 'erin', name: 'Erin Issuer' },
    { login: 'evil-name', name: evilDisplayName },
    { login: 'dependabot[bot]', id: 49699333, type: 'Bot', name: null },
    { login: 'ghost', id: 10137, name: 'Deleted user' },
    { login: 'commenter-only', name: 'Connie Commenter' },
    { login: 'reviewer-only', name: 'Rita Reviewer' },
    { login: 'approver-only', name: 'April Prover' },
    { login: 'commit-commenter-only', name: null },
    { login: 'file-only', name: 'Filo Only' },
    { login: 'rc-only', name: 'Rory Config' },
  ];

  const contributors: FakeContributor[] = [
    { login: 'alice', contributions: 120 },
    { login: 'bob', contributions: 45 },
    { login: 'carol', contributions: 5 },
    { login: 'DaveTheDev', contributions: 17 },
    { anonymous: true, name: 'Anon Committer', email: 'anon.committer@example.com', contributions: 3 },
    { login: 'dependabot[bot]', contributions: 8 },
  ];

  // Issue 6 and pull request 17 are by deleted accounts; issue 24 by `ghost`; issue 31 by evil-name.
  const specialIssueAuthors = new Map<number, string | null>([
    [5, null],
    [16, null],
    [23, 'ghost'],
    [30, 'evil-name'],
  ]);
  const issueAuthors = ['carol', 'alice', 'erin', 'DaveTheDev', 'bob'];
  const pullAuthors = ['alice', 'DaveTheDev', 'dependabot[bot]', 'bob'];
  const issuesStartMs = Date.UTC(2023, 0, 1, 9);
  const issues: FakeIssue[] = Array.from({ length: 45 }, (_, index) => {
    const pullRequest = index % 3 === 1;
    const cast = pullRequest ? pullAuthors : issueAuthors;
    const author = specialIssueAuthors.has(index)
      ? (specialIssueAuthors.get(index) ?? null)
      : (cast[Math.floor(index / 3) % cast.length] ?? 'alice');
    const createdMs = issuesStartMs + index * dayMs;
    // Updated out of creation order, so sort=updated and sort=created differ.
    const updatedMs = createdMs + ((index * 13) % 40) * dayMs + hourMs;
    return {
      author,
      pullRequest,
      state: index % 4 === 0 ? 'closed' : 'open',
      title: `${pullRequest ? 'Improve' : 'Problem with'} part ${index + 1}`,
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(updatedMs),
    };
  });
  const pullNumbers = issues.flatMap((issue, index) => (issue.pullRequest === true ? [index + 1] : []));

  const commentAuthors = ['carol', 'alice', 'bob', 'DaveTheDev', 'erin', 'evil-name', 'dependabot[bot]'];
  const specialCommentAuthors = new Map<number, string | null>([
    [60, 'commenter-only'],
    [90, null],
  ]);
  const commentsStartMs = Date.UTC(2023, 0, 2, 12);
  const issueComments: FakeComment[] = Array.from({ length: 200 }, (_, index) => {
    const createdMs = commentsStartMs + index * 8 * hourMs;
    return {
      author: specialCommentAuthors.has(index)
        ? (specialCommentAuthors.get(index) ?? null)
        : (commentAuthors[index % commentAuthors.length] ?? 'alice'),
      issueNumber: ((index * 7) % issues.length) + 1,
      body: `Comment ${index + 1}`,
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(index % 10 === 0 ? createdMs + 5 * dayMs : createdMs),
    };
  });

  const reviewAuthors = ['bob', 'bob', 'reviewer-only', 'alice', 'bob', null];
  const reviewComments: FakeComment[] = reviewAuthors.map((author, index) => ({
    author,
    issueNumber: pullNumbers[index % pullNumbers.length] ?? 2,
    body: `Nit ${index + 1}`,
    createdAt: isoSeconds(Date.UTC(2023, 1, 1, 10) + index * dayMs),
  }));

  // Reviews, a few hours after their pull request opened. #11's first reviewer deleted their
  // account; `approver-only` only ever approved (no body), and `alice` reviews #5 twice.
  const reviewPlan: Array<[pullNumber: number, author: string | null, state: FakeReviewState]> = [
    [2, 'bob', 'APPROVED'],
    [2, 'carol', 'COMMENTED'],
    [5, 'alice', 'CHANGES_REQUESTED'],
    [5, 'alice', 'APPROVED'],
    [8, 'approver-only', 'APPROVED'],
    [11, null, 'COMMENTED'],
    [11, 'DaveTheDev', 'DISMISSED'],
    [14, 'bob', 'APPROVED'],
    [17, 'alice', 'COMMENTED'],
    [20, 'approver-only', 'APPROVED'],
    [26, 'erin', 'COMMENTED'],
    [44, 'carol', 'APPROVED'],
  ];
  const reviews: FakeReview[] = reviewPlan.map(([pullNumber, author, state], index) => {
    const opened = Date.parse(issues[pullNumber - 1]?.createdAt ?? '2023-01-01T00:00:00Z');
    const review: FakeReview = { pullNumber, author, state, submittedAt: isoSeconds(opened + (2 + index) * hourMs) };
    if (author !== 'approver-only' && state !== 'APPROVED') review.body = `Review ${index + 1}`;
    return review;
  });

  const commitComments: FakeComment[] = ['alice', 'commit-commenter-only', 'bob'].map((author, index) => ({
    author,
    body: `About this commit ${index + 1}`,
    createdAt: isoSeconds(Date.UTC(2023, 0, 15, 16) + index * 3 * dayMs),
  }));

  const contributorsFile: ContributorsFileEntry[] = [
    { name: 'Alice Liddell', github: 'alice' },
    { name: 'Dave Developer', github: 'davethedev' },
    { name: 'Filo Only', github: 'file-only' },
    { name: 'Tweety Bird', twitter: 'tweety' },
    { name: 'Emma Mailer', email: 'emma@example.org' },
    { name: 'Just A Name' },
  ];
  const contributorsText = [
    '# Contributors to octo-org/hello-world',
    '# Format: Display Name <github:@login>, <twitter:@handle> or <email>',
    '',
    ...contributorsFile.filter((entry) => entry.github !== undefined).map(formatContributorsLine),
    '',
    '# People without a GitHub account',
    ...contributorsFile.filter((entry) => entry.github === undefined).map(formatContributorsLine),
    '',
  ].join('\n');

  const rcUsers = ['alice', 'rc-only'];
  const allContributorsRc = {
    projectName: 'hello-world',
    projectOwner: 'octo-org',
    repoType: 'github',
    repoHost: 'https://github.com',
    files: ['README.md'],
    imageSize: 100,
    commit: false,
    contributorsPerLine: 7,
    contributors: rcUsers.map((login) => {
      const user = users.find((candidate) => candidate.login === login);
      return {
        login,
        name: user?.name ?? login,
        avatar_url: `https://avatars.githubusercontent.com/${login}`,
        profile: `https://github.com/${login}`,
        contributions: login === 'alice' ? ['code', 'doc'] : ['ideas'],
      };
    }),
  };

  const repo: FakeRepo = {
    owner: 'octo-org',
    name: 'hello-world',
    renamedFrom: ['octo-org/hello-world-old'],
    contributors,
    issues,
    issueComments,
    reviewComments,
    commitComments,
    reviews,
    files: {
      CONTRIBUTORS: contributorsText,
      '.all-contributorsrc': `${JSON.stringify(allContributorsRc, null, 2)}\n`,
      'README.md': '# hello-world\n\nA repository for octohatrack tests.\n',
    },
  };
  return {
    users,
    repo,
    facts: computeFacts(users, repo, { contributorsFile, allContributorsRc: rcUsers }),
  };
}

/**
 * octo-org/tracker, for `triage`: 250 issue events (three pages of 100, newest first) on 12 issues and
 * pull requests, every event that is triage and several that are not. `triager-only` labels, assigns,
 * sets milestones, pins and marks duplicates; `closer-only` closes, reopens, locks and transfers;
 * `merger-only` merges; the bot `triage-bot[bot]` labels; a deleted account (`actor: null`) closes and
 * `ghost` labels. None of them does anything else. `watcher-only` is only subscribed and mentioned and
 * `renamer-only` only renames, deletes branches, references and asks for reviews: neither is anyone's
 * triage, and neither is in the report. The rest is `maintainer` (who also commits and opens issues)
 * labelling and `reporter` being subscribed.
 */
export function triageRepository(): Fixture {
  const users: FakeUser[] = [
    { login: 'octo-org', type: 'Organization', name: 'Octo Org' },
    { login: 'maintainer', name: 'Mae Maintainer' },
    { login: 'reporter', name: 'Rae Reporter' },
    { login: 'triager-only', name: 'Tria Ger' },
    { login: 'closer-only', name: null },
    { login: 'merger-only', name: 'Merle Merger' },
    { login: 'triage-bot[bot]', type: 'Bot', name: null },
    { login: 'ghost', id: 10137, name: 'Deleted user' },
    { login: 'watcher-only', name: 'Wat Cher' },
    { login: 'renamer-only', name: 'Ren Amer' },
  ];
  const issues: FakeIssue[] = Array.from({ length: 12 }, (_, index) => ({
    author: index % 3 === 0 ? 'reporter' : 'maintainer',
    pullRequest: index % 2 === 1,
    createdAt: isoSeconds(Date.UTC(2023, 11, 1) + index * dayMs),
  }));
  const planned: Array<[actor: string | null, event: string, issueNumber: number]> = [
    ['triager-only', 'labeled', 1],
    ['triager-only', 'unlabeled', 1],
    ['triager-only', 'assigned', 3],
    ['triager-only', 'unassigned', 3],
    ['triager-only', 'milestoned', 5],
    ['triager-only', 'demilestoned', 5],
    ['triager-only', 'pinned', 7],
    ['triager-only', 'unpinned', 7],
    ['triager-only', 'marked_as_duplicate', 9],
    ['triager-only', 'unmarked_as_duplicate', 9],
    ['closer-only', 'closed', 1],
    ['closer-only', 'reopened', 1],
    ['closer-only', 'locked', 3],
    ['closer-only', 'unlocked', 3],
    ['closer-only', 'transferred', 11],
    ['merger-only', 'merged', 2],
    ['merger-only', 'merged', 4],
    ['triage-bot[bot]', 'labeled', 6],
    ['triage-bot[bot]', 'labeled', 8],
    [null, 'closed', 10],
    ['ghost', 'labeled', 12],
    ['watcher-only', 'subscribed', 2],
    ['watcher-only', 'mentioned', 2],
    ['renamer-only', 'renamed', 4],
    ['renamer-only', 'head_ref_deleted', 4],
    ['renamer-only', 'referenced', 6],
    ['renamer-only', 'review_requested', 8],
    ['renamer-only', 'convert_to_draft', 10],
  ];
  const filler: Array<[string, string]> = [
    ['maintainer', 'labeled'],
    ['reporter', 'subscribed'],
    ['maintainer', 'mentioned'],
    ['maintainer', 'closed'],
  ];
  const eventsStartMs = Date.UTC(2024, 0, 1);
  const events: FakeIssueEvent[] = Array.from({ length: 250 }, (_, index) => {
    // The special events are spread over the three pages: every 9th event, from the oldest.
    const special = index % 9 === 0 ? planned[index / 9] : undefined;
    const [actor, event] = special ?? filler[index % filler.length] ?? ['maintainer', 'labeled'];
    const issueNumber = special?.[2] ?? (index % 12) + 1;
    return { actor, event, issueNumber, createdAt: isoSeconds(eventsStartMs + index * hourMs) };
  });
  const repo: FakeRepo = {
    owner: 'octo-org',
    name: 'tracker',
    pushedAt: '2023-12-01T00:00:00Z',
    contributors: [{ login: 'maintainer', contributions: 40 }],
    issues,
    events,
  };
  return { users, repo, facts: computeFacts(users, repo) };
}

export interface GenerateRepositoryOptions {
  owner?: string;
  name?: string;
  issues?: number;
  pullRequests?: number;
  comments?: number;
  reviewComments?: number;
  commitComments?: number;
  /**
   * Pull request reviews (GraphQL). Default 0, which keeps the rest of the data exactly as it was
   * before reviews existed (reviews are drawn after everything else).
   */
  reviews?: number;
  /**
   * At most this many reviews per pull request; the first `busyPulls` pull requests get exactly
   * this many (or what is left). Above 100, they need `PullRequest.reviews(after:)` paging.
   * Default: no cap, reviews spread uniformly.
   */
  maxReviewsPerPull?: number;
  /** How many pull requests get `maxReviewsPerPull` reviews. Default 1. */
  busyPulls?: number;
  /**
   * Events on issues and pull requests (`/issues/events`), about half of them `triage` (labels,
   * assignments, closing, merging…), the rest not (mentions, subscriptions, references…). Default 0,
   * which keeps the rest of the data exactly as it was before events existed (they are drawn last).
   */
  events?: number;
  /**
   * How issue comments spread over issues and pull requests: `uniform` (the default), or `zipf`, the
   * k-th busiest item getting about 1/k of the busiest one's (as real threads do: a few hold
   * thousands, most a handful). The busiest items are spread over the repository's history.
   */
  commentSpread?: 'uniform' | 'zipf';
  /**
   * Discussions (GraphQL), with 0 to 5 comments each and 0 to 3 replies per comment, unless
   * `discussionComments` says how many comments in all. Default 0, which keeps the rest of the data
   * exactly as it was (they are drawn after everything else but the events).
   */
  discussions?: number;
  /** Comments on discussions in all, Zipf-spread over them (a few discussions hold most); replies in all, Zipf-spread over those comments. */
  discussionComments?: number;
  discussionReplies?: number;
  /** People who only write in discussions (`discusser-001`…): a tenth of the discussions, comments and replies are theirs. Default 0. */
  discussers?: number;
  /** People who only curate the tracker (`triager-001`…): a tenth of the events are theirs (noise as well as triage). Default 0. */
  triagers?: number;
  people?: number;
  seed?: number;
}

/** mulberry32: a small, fast, deterministic PRNG (uniform in [0, 1)). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A deterministic large repository (same options → same data). People are `person-00001`…
 * (every 50th a bot, `bot-00050[bot]`); activity is skewed towards the first people, as in real
 * projects; 1% of items are by deleted accounts. Timestamps ascend in array order from 2015.
 * `facts` is computed lazily (about a second for 300,000 items).
 */
export function generateRepository(options: GenerateRepositoryOptions = {}): Fixture {
  const owner = options.owner ?? 'big-org';
  const name = options.name ?? 'big-repo';
  const issueCount = options.issues ?? 5000;
  const pullCount = options.pullRequests ?? 1000;
  const commentCount = options.comments ?? 25_000;
  const reviewCommentCount = options.reviewComments ?? 2500;
  const commitCommentCount = options.commitComments ?? 500;
  const peopleCount = Math.max(1, options.people ?? 2500);
  const random = createRandom(options.seed ?? 1);

  const width = String(peopleCount).length < 5 ? 5 : String(peopleCount).length;
  const users: FakeUser[] = [{ login: owner, type: 'Organization', name: owner }];
  const logins: string[] = [];
  for (let index = 1; index <= peopleCount; index++) {
    const number = String(index).padStart(width, '0');
    const bot = index % 50 === 0;
    const login = bot ? `bot-${number}[bot]` : `person-${number}`;
    logins.push(login);
    users.push({ login, type: bot ? 'Bot' : 'User', name: bot || index % 3 === 0 ? null : `Person ${index}` });
  }
  /** Skewed choice: low indices are picked far more often (r² distribution). */
  const somebody = (): string | null => {
    if (random() < 0.01) return null;
    const r = random();
    return logins[Math.floor(r * r * peopleCount)] ?? logins[0] ?? null;
  };

  const startMs = Date.UTC(2015, 0, 1);
  const spanMs = Date.UTC(2024, 0, 1) - startMs;
  const maxLagMs = 90 * dayMs;

  const total = issueCount + pullCount;
  const issues: FakeIssue[] = new Array<FakeIssue>(total);
  const pullNumbers: number[] = [];
  let pullsLeft = pullCount;
  for (let index = 0; index < total; index++) {
    const pullRequest = random() * (total - index) < pullsLeft;
    if (pullRequest) {
      pullsLeft--;
      pullNumbers.push(index + 1);
    }
    const createdMs = startMs + Math.floor((index * spanMs) / Math.max(total, 1));
    issues[index] = {
      author: somebody(),
      pullRequest,
      state: random() < 0.8 ? 'closed' : 'open',
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(createdMs + Math.floor(random() * maxLagMs)),
    };
  }

  const comments = (count: number, targets: readonly number[], edited: number): FakeComment[] => {
    const list: FakeComment[] = new Array<FakeComment>(count);
    for (let index = 0; index < count; index++) {
      const createdMs = startMs + Math.floor((index * spanMs) / Math.max(count, 1));
      const target = targets.length === 0 ? undefined : targets[Math.floor(random() * targets.length)];
      const comment: FakeComment = {
        author: somebody(),
        createdAt: isoSeconds(createdMs),
        updatedAt: isoSeconds(random() < edited ? createdMs + Math.floor(random() * 30 * dayMs) : createdMs),
      };
      if (target !== undefined) comment.issueNumber = target;
      list[index] = comment;
    }
    return list;
  };
  const allNumbers = Array.from({ length: total }, (_, index) => index + 1);
  /** Comments on items drawn with weight 1/rank, the ranks dealt over the items at random. */
  const zipfComments = (count: number, targets: readonly number[]): FakeComment[] => {
    const draw = zipfDraw(targets.length, random);
    const list = comments(count, [], 0.1);
    for (const comment of list) {
      const target = targets[draw()];
      if (target !== undefined) comment.issueNumber = target;
    }
    return list;
  };

  const contributors: FakeContributor[] = [];
  const committers = Math.max(1, Math.ceil(peopleCount / 5));
  for (let index = 0; index < committers; index++) {
    const login = logins[index];
    if (login !== undefined) contributors.push({ login, contributions: Math.floor(2000 / (index + 1)) + 1 });
  }
  contributors.push({ anonymous: true, name: 'Anonymous One', email: 'one@example.com', contributions: 2 });
  contributors.push({ anonymous: true, name: 'Anonymous Two', email: 'two@example.com', contributions: 1 });

  const repo: FakeRepo = {
    owner,
    name,
    contributors,
    issues,
    issueComments: options.commentSpread === 'zipf' ? zipfComments(commentCount, allNumbers) : comments(commentCount, allNumbers, 0.1),
    reviewComments: comments(reviewCommentCount, pullNumbers.length > 0 ? pullNumbers : allNumbers, 0.05),
    commitComments: comments(commitCommentCount, [], 0.02),
  };
  const reviewCount = Math.max(0, options.reviews ?? 0);
  if (reviewCount > 0 && pullNumbers.length > 0) {
    repo.reviews = generateReviews(reviewCount, pullNumbers, issues, options, random, somebody);
  }
  const discussionCount = Math.max(0, options.discussions ?? 0);
  if (discussionCount > 0) {
    const amounts = { discussions: discussionCount, ...(options.discussionComments === undefined ? {} : { comments: options.discussionComments, replies: options.discussionReplies ?? 0 }) };
    const discusser = onlyBy(options.discussers ?? 0, 'discusser', users, random, somebody);
    repo.discussions = generateDiscussions(amounts, (index) => isoSeconds(startMs + Math.floor((index * spanMs) / discussionCount)), random, discusser);
  }
  const eventCount = Math.max(0, options.events ?? 0);
  if (eventCount > 0 && total > 0) repo.events = generateEvents(eventCount, total, pullNumbers, startMs, spanMs, random, onlyBy(options.triagers ?? 0, 'triager', users, random, somebody));
  // Facts are computed on first use: a benchmark that never reads them does not pay for them.
  let facts: FixtureFacts | undefined;
  return {
    users,
    repo,
    get facts(): FixtureFacts {
      facts ??= computeFacts(users, repo);
      return facts;
    },
  };
}

/** Of what these people write, a tenth: a person who does nothing else, for recall (no random drawn without them). */
const onlyShare = 0.1;

/**
 * `somebody`, except that with `count` people who do only this (`${prefix}-001`…, added to `users`,
 * every third without a display name), a tenth of the draws go to one of them.
 */
function onlyBy(count: number, prefix: string, users: FakeUser[], random: () => number, somebody: () => string | null): () => string | null {
  if (count <= 0) return somebody;
  const width = Math.max(3, String(count).length);
  const logins = Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(width, '0')}`);
  logins.forEach((login, index) => users.push({ login, name: index % 3 === 2 ? null : `${prefix[0]?.toUpperCase() ?? ''}${prefix.slice(1)} ${index + 1}` }));
  return () => (random() < onlyShare ? (logins[Math.floor(random() * count)] ?? null) : somebody());
}

/** Event names with their share (cumulative), as busy repositories show them: curation and noise. */
const eventNames: ReadonlyArray<[string, number]> = [
  ['labeled', 0.2],
  ['closed', 0.3],
  ['assigned', 0.36],
  ['unlabeled', 0.4],
  ['reopened', 0.42],
  ['milestoned', 0.45],
  ['demilestoned', 0.46],
  ['unassigned', 0.48],
  ['marked_as_duplicate', 0.49],
  ['locked', 0.495],
  ['unlocked', 0.5],
  ['mentioned', 0.65],
  ['subscribed', 0.8],
  ['referenced', 0.9],
  ['renamed', 0.94],
  ['head_ref_deleted', 0.97],
  ['review_requested', 1],
];

/** Events for `generateRepository`, in ascending time over the repository's history; merges on pull requests only. */
function generateEvents(
  count: number,
  total: number,
  pullNumbers: readonly number[],
  startMs: number,
  spanMs: number,
  random: () => number,
  somebody: () => string | null,
): FakeIssueEvent[] {
  const pulls = new Set(pullNumbers);
  const events: FakeIssueEvent[] = new Array<FakeIssueEvent>(count);
  for (let index = 0; index < count; index++) {
    const issueNumber = 1 + Math.floor(random() * total);
    const roll = random();
    const drawn = eventNames.find(([, upTo]) => roll < upTo)?.[0] ?? 'subscribed';
    const event = drawn === 'closed' && pulls.has(issueNumber) && random() < 0.5 ? 'merged' : drawn;
    events[index] = { actor: somebody(), event, issueNumber, createdAt: isoSeconds(startMs + Math.floor((index * spanMs) / count)) };
  }
  return events;
}

const reviewStates: ReadonlyArray<[FakeReviewState, number]> = [
  ['APPROVED', 0.55],
  ['COMMENTED', 0.8],
  ['CHANGES_REQUESTED', 0.95],
  ['DISMISSED', 1],
];

/** Reviews for `generateRepository`: busy pull requests first, the rest spread uniformly. */
function generateReviews(
  count: number,
  pullNumbers: readonly number[],
  issues: readonly FakeIssue[],
  options: GenerateRepositoryOptions,
  random: () => number,
  somebody: () => string | null,
): FakeReview[] {
  const cap = options.maxReviewsPerPull === undefined ? Number.POSITIVE_INFINITY : Math.max(1, options.maxReviewsPerPull);
  if (cap * pullNumbers.length < count) {
    throw new Error(`generateRepository: ${count} reviews do not fit ${pullNumbers.length} pull requests of at most ${cap}`);
  }
  const perPull = new Map<number, number>();
  const targets: number[] = [];
  if (options.maxReviewsPerPull !== undefined) {
    const busy = Math.min(pullNumbers.length, Math.max(0, options.busyPulls ?? 1));
    for (let index = 0; index < busy && targets.length < count; index++) {
      const pullNumber = pullNumbers[index];
      if (pullNumber === undefined) break;
      const take = Math.min(cap, count - targets.length);
      for (let k = 0; k < take; k++) targets.push(pullNumber);
      perPull.set(pullNumber, take);
    }
  }
  while (targets.length < count) {
    // Uniform choice; a full pull request passes the review on to the next one.
    let index = Math.floor(random() * pullNumbers.length);
    let pullNumber = pullNumbers[index] ?? 1;
    while ((perPull.get(pullNumber) ?? 0) >= cap) {
      index = (index + 1) % pullNumbers.length;
      pullNumber = pullNumbers[index] ?? 1;
    }
    perPull.set(pullNumber, (perPull.get(pullNumber) ?? 0) + 1);
    targets.push(pullNumber);
  }
  return targets.map((pullNumber, index) => {
    const opened = Date.parse(issues[pullNumber - 1]?.createdAt ?? '2015-01-01T00:00:00Z');
    const roll = random();
    const state = reviewStates.find(([, upTo]) => roll < upTo)?.[0] ?? 'COMMENTED';
    return {
      pullNumber,
      author: somebody(),
      state,
      submittedAt: isoSeconds(opened + hourMs + Math.floor(random() * 14 * dayMs) + index * 1000),
    };
  });
}
