import type { CoAuthor } from '../domain/co-authors.js';
import type { Contribution, Identity } from '../domain/contribution.js';
import { isBot } from '../domain/contribution.js';
import type { CommitAuthor, UserRef } from '../github/shapes.js';
import type { CommitsOf } from './commits.js';
import { walkCommits } from './commits.js';
import type { HistoryWays } from './history.js';
import { readHistory } from './history.js';
import { loginFromNoreplyEmail } from './noreply.js';
import type { CollectorContext, CollectorResult } from './types.js';

/**
 * `co-author`: the people named in the `Co-authored-by` trailers of the default branch's commits,
 * one contribution per commit that credits them.
 * https://docs.github.com/pull-requests/committing-changes-to-your-project/creating-and-editing-commits/creating-a-commit-with-multiple-authors
 */
export async function collectCoAuthors(context: CollectorContext, ways: HistoryWays, commitsOf: CommitsOf = walkCommits): Promise<CollectorResult> {
  // With --since, the commits made since: the listing `code` walks then. Else the whole history.
  const { commits, complete } = context.since === null ? await readHistory(context, ways) : { commits: await commitsOf(context), complete: true };
  return { contributions: creditCoAuthors(commits), complete };
}

/**
 * Who each trailer names, by its email:
 * - a no-reply address (`ID+login@users.noreply.github.com`, `login@users.noreply.github.com`, an
 *   app's `…[bot]@…` too) is that account;
 * - an address GitHub links to an account on some commit of the same listing (that commit's git
 *   author email, with its `author` account; or, read through GraphQL, a trailer's email with the
 *   `user` GitHub resolves it to in `Commit.authors`) is that account;
 * - anyone else is known by name and email only (merged with others of the same email in the report).
 * A trailer that names the commit's own author credits nobody: they have the commit already. Each
 * commit counts once for each person it credits, however many trailers name them.
 */
export function creditCoAuthors(commits: readonly CommitAuthor[]): Contribution[] {
  const accounts = new Map<string, UserRef>();
  for (const commit of commits) {
    const email = commit.email?.toLowerCase();
    if (commit.author && email && !accounts.has(email)) accounts.set(email, commit.author);
    for (const account of commit.accounts ?? []) if (!accounts.has(account.email.toLowerCase())) accounts.set(account.email.toLowerCase(), account.user);
  }
  const credited = new Map<string, Contribution>();
  // A push while the listing is walked shifts its pages: a commit seen twice is still one commit.
  const seen = new Set<string>();
  for (const commit of commits) {
    if (commit.coAuthors.length === 0 || seen.has(commit.sha)) continue;
    seen.add(commit.sha);
    // The commit's author, by their account and by their email (which may name another account).
    const inThisCommit = new Set<string>();
    if (commit.author) inThisCommit.add(loginKey(commit.author.login));
    if (commit.email !== null) inThisCommit.add(keyOf(identify({ name: commit.name, email: commit.email }, accounts)));
    for (const coAuthor of commit.coAuthors) {
      const who = identify(coAuthor, accounts);
      const key = keyOf(who);
      if (inThisCommit.has(key)) continue;
      inThisCommit.add(key);
      const known = credited.get(key);
      if (known) known.count += 1;
      else credited.set(key, { who, kind: 'co-author', count: 1 });
    }
  }
  return [...credited.values()];
}

function identify(person: CoAuthor, accounts: ReadonlyMap<string, UserRef>): Identity {
  const noreply = loginFromNoreplyEmail(person.email);
  if (noreply !== null) return { login: noreply, type: isBot(noreply, null) ? 'Bot' : null, ...(person.name ? { name: person.name } : {}) };
  const linked = accounts.get(person.email.toLowerCase());
  if (linked) return { login: linked.login, type: linked.type };
  return { login: null, type: null, name: person.name, email: person.email.toLowerCase() };
}

const loginKey = (login: string): string => `login:${login.toLowerCase()}`;

/** How a person is told apart: by login, else by the email they were named by. */
function keyOf(who: Identity): string {
  return who.login !== null ? loginKey(who.login) : `email:${who.email ?? ''}`;
}
