/**
 * Which kept answers are about a private repository. Those are never served from the cache as they
 * are: GitHub is asked again every run (with If-None-Match: a free 304 for a caller who still sees
 * them), so a run without a token, or with the token of an account that cannot see the repository,
 * gets GitHub's 404 and nothing from the cache. Whose token fetched them is not kept (a hash of a
 * token would not do either: an Actions GITHUB_TOKEN changes every run, and cannot ask `GET /user`).
 */
import { isRecord } from './json.js';

/**
 * `private` when a repository in the answer (a repository, or a page of an owner's repositories) is
 * private; `unknown` when one was kept without saying (by an older octohatrack): asked again in full,
 * so that what is kept says; `public` otherwise (answers about no repository at all included).
 */
export function privacyOf(body: unknown): 'public' | 'private' | 'unknown' {
  let privacy: 'public' | 'unknown' = 'public';
  for (const item of Array.isArray(body) ? body : [body]) {
    // A repository is what has a `full_name`; nothing else octohatrack keeps has one.
    if (!isRecord(item) || typeof item.full_name !== 'string') continue;
    if (item.private === true) return 'private';
    if (item.private !== false) privacy = 'unknown';
  }
  return privacy;
}
