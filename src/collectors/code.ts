import type { Contribution, Identity } from '../domain/contribution.js';
import { HttpStatusError } from '../github/helper.js';
import { planCache } from './cache-policy.js';
import type { CommitsOf } from './commits.js';
import { walkCommits } from './commits.js';
import { loginFromNoreplyEmail } from './noreply.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

/**
 * `code`: GitHub's own contributors list, anonymous (email-only) committers included.
 * https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
export async function collectCode(context: CollectorContext, commitsOf: CommitsOf = walkCommits): Promise<CollectorResult> {
  if (context.since !== null) return collectCommitAuthorsSince(context, commitsOf);
  const listing = sources.contributors;
  const uri = listing.uri(context.repoPath);
  // Nothing pushed since the list was checked (a day after the push): its cached pages stand.
  const plan = planCache(context, listing.policy, uri);
  let items;
  try {
    items = await context.github.getListing(uri, listing.shape, (progress) => context.progress(listing.label, progress), plan.walk);
    plan.settled();
  } catch (error) {
    // GitHub refuses the list for the very largest histories; the other sources still count.
    if (error instanceof HttpStatusError && error.status === 403 && /too large/i.test(error.githubMessage)) {
      context.warn(`${context.fullName}: GitHub says the contributor list is too large to list; code contributors are left out`);
      return { contributions: [], complete: false };
    }
    throw error;
  }
  const contributions: Contribution[] = items.map((item) => ({
    who: item.login !== undefined ? { login: item.login, type: item.type === 'Anonymous' ? 'User' : item.type } : gitAuthor(item.name ?? null, item.email ?? null),
    kind: 'code',
    count: item.contributions,
  }));
  return { contributions, complete: true };
}

/**
 * A committer GitHub links to no account: past the first 500 author emails the contributors list
 * links none ("the rest appear as anonymous contributors"), yet a no-reply email still names its
 * account. https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
function gitAuthor(name: string | null, email: string | null): Identity {
  const login = email === null ? null : loginFromNoreplyEmail(email);
  if (login !== null) return { login, type: null, ...(name ? { name } : {}) };
  return { login: null, type: null, name, ...(email ? { email } : {}) };
}

/**
 * `code` with --since: GitHub's contributors list has no dates, so the authors of the commits made
 * since then (on the default branch), 100 a page (`walkCommits`, which `co-author` reads too).
 */
async function collectCommitAuthorsSince(context: CollectorContext, commitsOf: CommitsOf): Promise<CollectorResult> {
  const commits = await commitsOf(context);
  const byKey = new Map<string, Contribution>();
  for (const commit of commits) {
    const who: Identity = commit.author ? { login: commit.author.login, type: commit.author.type } : gitAuthor(commit.name, commit.email);
    const key = who.login !== null ? `login:${who.login.toLowerCase()}` : `email:${commit.email?.toLowerCase() ?? commit.name ?? ''}`;
    const existing = byKey.get(key);
    if (existing) existing.count += 1;
    else if (who.login !== null || who.name || commit.email) byKey.set(key, { who, kind: 'code', count: 1 });
  }
  return { contributions: [...byKey.values()], complete: true };
}
