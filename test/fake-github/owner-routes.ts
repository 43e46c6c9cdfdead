/**
 * The repositories of an organisation or a user, as GitHub lists them:
 * - https://docs.github.com/rest/repos/repos#list-organization-repositories (`GET /orgs/{org}/repos`):
 *   `type` all (default), public, private, forks, sources, member; `sort` created (default), updated,
 *   pushed, full_name; `direction` asc for full_name, else desc. A user's login answers 404 here.
 * - https://docs.github.com/rest/repos/repos#list-repositories-for-a-user (`GET /users/{username}/repos`):
 *   `type` owner (default), all, member; `sort` full_name (default), created, updated, pushed. An
 *   organisation's login works here too (its public repositories).
 *
 * Their `link` URLs name the owner by id, as api.github.com's do (`/organizations/{id}/repos?page=2`,
 * `/user/{id}/repos?page=2`), and those paths are served too.
 */
import { paginate, readPageRequest } from './pagination.js';
import type { LinkTarget } from './pagination.js';
import { renderRepo } from './render.js';
import type { RenderContext } from './render.js';
import { notFound } from './routes.js';
import type { ApiResponse, RouteContext } from './routes.js';
import { isVisible, lookupUser } from './store.js';
import type { RepoRecord, Store, UserRecord } from './store.js';

const docs = {
  organization: 'https://docs.github.com/rest/repos/repos#list-organization-repositories',
  user: 'https://docs.github.com/rest/repos/repos#list-repositories-for-a-user',
};

export type OwnerRoute = 'organization' | 'user';

/**
 * `GET /orgs/{org}/repos`, `GET /users/{username}/repos`, and their by-id forms from `link` headers
 * (`/organizations/{id}/repos`, `/user/{id}/repos`).
 */
export function listOwnerRepositories(context: RouteContext, render: RenderContext, route: OwnerRoute, owner: { login: string } | { id: number }): ApiResponse {
  const account = 'id' in owner ? accountById(context.store, owner.id) : accountByLogin(context.store, owner.login);
  // "Lists repositories for the specified organization": a user (or no one) is not found here.
  if (account === undefined || (route === 'organization' && account.type !== 'Organization')) return notFound(docs[route]);
  const query = context.url.searchParams;
  // A private repository is listed only to a caller who sees it.
  const owned = context.store.repos.filter((repo) => repo.owner.toLowerCase() === account.login.toLowerCase() && isVisible(repo, context.token));
  const selected = owned.filter(ofType(route, query.get('type')));
  const sort = query.get('sort') ?? (route === 'organization' ? 'created' : 'full_name');
  const direction = query.get('direction') === 'asc' || query.get('direction') === 'desc' ? (query.get('direction') as 'asc' | 'desc') : sort === 'full_name' ? 'asc' : 'desc';
  const sorted = [...selected].sort(compareBy(sort));
  const base = context.linkStyle === 'as-requested' ? `${context.apiBase}${context.url.pathname}` : `${context.apiBase}/${route === 'organization' ? 'organizations' : 'user'}/${account.id}/repos`;
  const target: LinkTarget = { base, query };
  const page = paginate({ items: sorted, start: 0, end: sorted.length }, direction, readPageRequest(query), target, Number.POSITIVE_INFINITY);
  if (page.kind === 'limited') return notFound(docs[route]); // not reached: owners' listings are not limited
  return {
    status: 200,
    body: JSON.stringify(page.items.map((repo) => renderRepo(render, repo))),
    headers: page.link === null ? {} : { link: page.link },
  };
}

/** The token's holder is a member of none (what it sees of a private one it sees as a collaborator): `type` as GitHub reads it. */
function ofType(route: OwnerRoute, type: string | null): (repo: RepoRecord) => boolean {
  if (route === 'user') return type === 'member' ? () => false : () => true;
  switch (type) {
    case 'forks':
      return (repo) => repo.fork;
    case 'sources':
      return (repo) => !repo.fork;
    case 'public':
      return (repo) => repo.privateTo === null;
    case 'private':
      return (repo) => repo.privateTo !== null;
    case 'internal':
      return () => false;
    default:
      return () => true;
  }
}

function compareBy(sort: string): (a: RepoRecord, b: RepoRecord) => number {
  if (sort === 'full_name') return (a, b) => (a.fullName.toLowerCase() < b.fullName.toLowerCase() ? -1 : a.fullName.toLowerCase() > b.fullName.toLowerCase() ? 1 : a.id - b.id);
  const field = sort === 'updated' ? 'updatedMs' : sort === 'pushed' ? 'pushedMs' : 'createdMs';
  return (a, b) => a[field] - b[field] || a.id - b.id;
}

/** An account the fake knows, or the owner of one of its repositories (rendered as a `User`). */
function accountByLogin(store: Store, login: string): UserRecord | undefined {
  const known = store.users.get(login.toLowerCase());
  if (known !== undefined) return known;
  const owner = store.repos.find((repo) => repo.owner.toLowerCase() === login.toLowerCase())?.owner;
  return owner === undefined ? undefined : lookupUser(store, owner);
}

function accountById(store: Store, id: number): UserRecord | undefined {
  const logins = [...store.users.values()].map((user) => user.login).concat(store.repos.map((repo) => repo.owner));
  for (const login of logins) {
    const account = accountByLogin(store, login);
    if (account?.id === id) return account;
  }
  return undefined;
}
