/**
 * The repositories and owners named on the command line: `owner/repo`, a web URL to it, or an owner
 * alone (`acme`, `acme/*`), each checked before any request is made.
 */
import { isLogin } from './domain/contribution.js';
import type { RepositoryName, RepositoryTarget } from './domain/repository-name.js';
import { UsageError } from './errors.js';
import { redactSecrets } from './text/redact.js';

// An owner is a GitHub login, which never begins with a hyphen: `-rf/x` (after `--`) is an option in the wrong place.
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;
const githubHosts = new Set(['github.com', 'www.github.com']);
const forms = 'owner/repo, a GitHub URL to it, or an owner (acme, acme/*)';

/**
 * Where an argument points, before its owner and repository are checked: the host it names (lower
 * case; null when it names none), and the path's parts. Every way people paste a repository, as
 * `gh` reads them: `owner/repo`, `HOST/owner/repo`, a web URL (deeper pages, a query and a fragment
 * allowed: `…/issues/3`, `…/tree/main`, `…/pull/7/files`), `git@HOST:owner/repo.git` and
 * `ssh://git@HOST/owner/repo.git`.
 */
interface Location extends Host {
  parts: string[];
  /** A web page of the repository (its parts past owner/repo are that page's). */
  deeper: boolean;
}

/** The host an argument names (lower case; null when it names none), and whether its web address is plain http. */
interface Host {
  host: string | null;
  http: boolean;
}

function locate(arg: string): Location {
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+(?::\d+)?):(?!\/\/)(.*)$/.exec(arg);
  if (scp) return { host: (scp[1] ?? '').toLowerCase(), http: false, parts: trimmed(scp[2] ?? ''), deeper: false };
  if (/^[a-z][a-z0-9+.-]*:/i.test(arg)) return locateUrl(arg);
  const parts = trimmed(arg);
  // A login holds no dot or colon: a first part that does is a host (`ghe.example.com/acme/x`).
  if (parts.length >= 2 && /^(?:[A-Za-z0-9-]+\.[A-Za-z0-9.-]+|localhost)(?::\d+)?$/.test(parts[0] ?? '')) {
    return { host: (parts[0] ?? '').toLowerCase(), http: false, parts: parts.slice(1), deeper: true };
  }
  return { host: null, http: false, parts, deeper: false };
}

function locateUrl(arg: string): Location {
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw invalidRepository(arg, 'it is not a URL');
  }
  const ssh = url.protocol === 'ssh:' || url.protocol === 'git+ssh:';
  if (!ssh && url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidRepository(arg, `${url.protocol}// addresses are not understood`);
  // `git@` is how every SSH address starts; anything else before the host is a secret.
  if (url.password !== '' || (url.username !== '' && !(ssh && url.username === 'git'))) throw invalidRepository(arg, 'a URL with a user name or password is not taken');
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Kept as it came: the name checks below refuse what it holds.
  }
  return { host: url.host.toLowerCase(), http: url.protocol === 'http:', parts: trimmed(path.slice(1)), deeper: !ssh };
}

/** A path's parts, without the slashes that may end it (an empty part is an error where it matters). */
function trimmed(path: string): string[] {
  return path.replace(/\/+$/, '').split('/');
}

/** Where a repository or owner named on the command line is: `host` is null when it names none (`www.github.com` is `github.com`). */
export interface LocatedTarget extends Host {
  target: RepositoryTarget;
}

/**
 * What a report argument names: one repository, in any form `locate` reads, or an owner alone
 * (`acme`, `acme/*`, `https://github.com/acme`) for every repository of that organisation or user.
 * The host it names, if any but github.com, is the caller's to check.
 */
export function locateTarget(arg: string): LocatedTarget {
  const { host, http, parts, deeper } = locate(arg);
  const named = host !== null && githubHosts.has(host) ? 'github.com' : host;
  const [owner = '', namedRepo, ...rest] = parts;
  // A clone's `.git` (GitHub's names never end with it: it takes it off a new repository's).
  const repo = rest.length === 0 ? namedRepo?.replace(/\.git$/, '') : namedRepo;
  if (host === null && parts.length === 1 && arg.endsWith('/') && isLogin(owner)) throw invalidRepository(arg, `no repository after the owner: give ${owner}/<repo>, or ${owner} for all its repositories`);
  if (parts.length === 1 || (parts.length === 2 && repo === '*')) {
    if (!isLogin(owner)) {
      throw new UsageError(`invalid owner ${shown(arg)}: an organisation or user is 1-39 letters, digits and hyphens, not beginning with a hyphen (give owner/repo for one repository)`);
    }
    return { target: { kind: 'owner', owner }, host: named, http };
  }
  if (!isLogin(owner)) throw invalidRepository(arg, `${part(owner)} is not a GitHub owner (1-39 letters, digits and hyphens, not beginning with a hyphen)`);
  if (repo === undefined || !repoPattern.test(repo) || repo === '.' || repo === '..') {
    throw invalidRepository(arg, `${part(repo ?? '')} is not a repository name (at most 100 letters, digits, '.', '-' and '_')`);
  }
  if (rest.length > 0 && !deeper) throw invalidRepository(arg, `${part(rest.join('/'))} follows owner/repo: give ${owner}/${repo}, or the page's whole URL`);
  return { target: { kind: 'repository', name: { owner, repo } }, host: named, http };
}

/**
 * `owner/repo`, or an address of it (as `locateTarget` reads them) on github.com or `serverHost`
 * (the host of GITHUB_SERVER_URL): for the commands that take one repository.
 */
export function parseRepository(arg: string, serverHost = 'github.com'): RepositoryName {
  const { target, host } = locateTarget(arg);
  if (target.kind !== 'repository') throw invalidRepository(arg, 'it names an owner, not one of its repositories');
  if (host !== null && host !== 'github.com' && host !== serverHost.toLowerCase()) throw otherHost(arg, host, serverHost);
  return target.name;
}

/** The same for a report argument, which may name an owner too. */
export function parseTarget(arg: string, serverHost = 'github.com'): RepositoryTarget {
  const { target, host } = locateTarget(arg);
  if (host !== null && host !== 'github.com' && host !== serverHost.toLowerCase()) throw otherHost(arg, host, serverHost);
  return target;
}

function otherHost(arg: string, host: string, serverHost: string): UsageError {
  return invalidRepository(arg, `${host} is neither github.com nor GITHUB_SERVER_URL's host${serverHost && !githubHosts.has(serverHost) ? ` (${serverHost})` : ''}`);
}

function invalidRepository(arg: string, why: string): UsageError {
  return new UsageError(`invalid repository ${shown(arg)}: ${why}; expected ${forms}`);
}

/** A part of an argument, as the reason quotes it: shorter still. */
function part(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** An argument as an error message quotes it: JSON-escaped, cut short, never with a URL's credentials. */
function shown(arg: string): string {
  // Credentials in a URL (`https://x-access-token:TOKEN@github.com/…`) are never echoed.
  const redacted = redactSecrets(arg, []);
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

