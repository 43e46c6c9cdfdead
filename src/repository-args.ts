/**
 * The repositories and owners named on the command line: `owner/repo`, a web URL to it, or an owner
 * alone (`acme`, `acme/*`), each checked before any request is made.
 */
import { isLogin } from './domain/contribution.js';
import type { RepositoryName, RepositoryTarget } from './domain/repository-name.js';
import { UsageError } from './errors.js';

// An owner is a GitHub login, which never begins with a hyphen: `-rf/x` (after `--`) is an option in the wrong place.
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `owner/repo`, or a web URL to it (`https://github.com/owner/repo`, `.git` and a trailing slash
 * allowed). `serverHost` is the host of GITHUB_SERVER_URL, accepted besides github.com.
 */
export function parseRepository(arg: string, serverHost = 'github.com'): RepositoryName {
  let pathPart = arg;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) {
    let url: URL;
    try {
      url = new URL(arg);
    } catch {
      throw invalidRepository(arg);
    }
    const hostAllowed = url.host === 'github.com' || url.host === 'www.github.com' || url.host === serverHost;
    if (!/^https?:$/.test(url.protocol) || !hostAllowed || url.search || url.hash || url.username) {
      throw invalidRepository(arg);
    }
    pathPart = url.pathname.replace(/^\//, '').replace(/\/$/, '').replace(/\.git$/, '');
  }
  const parts = pathPart.split('/');
  const [owner, repo] = parts;
  if (parts.length !== 2 || owner === undefined || repo === undefined) throw invalidRepository(arg);
  if (!isLogin(owner) || !repoPattern.test(repo) || repo === '.' || repo === '..') {
    throw invalidRepository(arg);
  }
  return { owner, repo };
}

/**
 * What a report argument names: `owner/repo` (or a URL to it, as parseRepository reads them), or an
 * owner alone, `acme` or `acme/*`, for every repository of that organisation or user.
 */
export function parseTarget(arg: string, serverHost = 'github.com'): RepositoryTarget {
  const ownerOnly = /^([^/]*)(?:\/\*)?$/.exec(arg);
  if (ownerOnly && !/^[a-z][a-z0-9+.-]*:/i.test(arg)) {
    const owner = ownerOnly[1] ?? '';
    if (!isLogin(owner)) {
      throw new UsageError(`invalid owner ${shown(arg)}: an organisation or user is 1-39 letters, digits and hyphens, not beginning with a hyphen (give owner/repo for one repository)`);
    }
    return { kind: 'owner', owner };
  }
  try {
    return { kind: 'repository', name: parseRepository(arg, serverHost) };
  } catch (error) {
    if (error instanceof UsageError) throw invalidRepository(arg, 'owner/repo, https://github.com/owner/repo, or an owner (acme, acme/*) for all its repositories');
    throw error;
  }
}

function invalidRepository(arg: string, expected = 'owner/repo or https://github.com/owner/repo'): UsageError {
  return new UsageError(`invalid repository ${shown(arg)}: expected ${expected}`);
}

/** An argument as an error message quotes it: JSON-escaped, cut short, never with a URL's credentials. */
function shown(arg: string): string {
  // Credentials in a URL (`https://x-access-token:TOKEN@github.com/…`) are never echoed.
  const redacted = arg.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
  return JSON.stringify(redacted.length > 120 ? `${redacted.slice(0, 120)}…` : redacted);
}

/** Each repository and owner once, case-insensitively, where it first appears. */
export function dedupeTargets(targets: RepositoryTarget[]): RepositoryTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = target.kind === 'owner' ? `owner:${target.owner.toLowerCase()}` : `repository:${target.name.owner}/${target.name.repo}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

