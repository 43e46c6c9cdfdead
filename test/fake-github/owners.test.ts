/** The loopback GitHub's listings of an owner's repositories: `/orgs/{org}/repos` and `/users/{user}/repos`. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleOwners } from './owner-fixtures.js';
import { startFakeGitHub } from './server.js';
import type { FakeGitHub } from './server.js';
import { links } from './test-servers.js';

const token = 'ghp_owners';
const fixture = sampleOwners();
let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub({ users: fixture.users, repos: fixture.repos, tokens: [token] });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.clearLog();
});

interface ListedRepository {
  id: number;
  full_name: string;
  fork: boolean;
  archived: boolean;
  size: number;
  owner: { login: string; type: string };
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${github.url}${path}`, { headers: { authorization: `token ${token}`, ...headers } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
}

const names = (body: unknown): string[] => (body as ListedRepository[]).map((repo) => repo.full_name);

describe("an organisation's repositories", () => {
  it('lists every one, newest first by default, with fork, archived and size', async () => {
    const { status, body } = await get('/orgs/acme/repos');
    expect(status).toBe(200);
    const repos = body as ListedRepository[];
    // "sort: Default: created"; "direction: Default: asc when using full_name, otherwise desc".
    expect(names(repos)).toEqual(['acme/legacy-tool', 'acme/attic', 'acme/upstream-fork', 'acme/empty', 'acme/docs', 'acme/app']);
    expect(repos.find((repo) => repo.full_name === 'acme/upstream-fork')).toMatchObject({ fork: true, archived: false });
    expect(repos.find((repo) => repo.full_name === 'acme/attic')).toMatchObject({ fork: false, archived: true });
    expect(repos.find((repo) => repo.full_name === 'acme/empty')?.size).toBe(0);
    expect(repos.find((repo) => repo.full_name === 'acme/app')?.size).toBeGreaterThan(0);
    expect(repos[0]?.owner).toMatchObject({ login: 'acme', type: 'Organization' });
  });

  it('sorts by full_name ascending, and keeps to a type', async () => {
    expect(names((await get('/orgs/ACME/repos?sort=full_name')).body)).toEqual(['acme/app', 'acme/attic', 'acme/docs', 'acme/empty', 'acme/legacy-tool', 'acme/upstream-fork']);
    expect(names((await get('/orgs/acme/repos?sort=full_name&direction=desc')).body)[0]).toBe('acme/upstream-fork');
    expect(names((await get('/orgs/acme/repos?type=forks')).body)).toEqual(['acme/upstream-fork']);
    expect(names((await get('/orgs/acme/repos?type=sources')).body)).not.toContain('acme/upstream-fork');
    expect(names((await get('/orgs/acme/repos?type=private')).body)).toEqual([]);
  });

  it('pages with Link URLs naming the organisation by id, which are served too', async () => {
    const first = await get('/orgs/acme/repos?type=all&sort=full_name&per_page=4');
    expect(names(first.body)).toHaveLength(4);
    const next = links(first.headers.get('link'))['next'] ?? '';
    expect(next).toMatch(new RegExp(`^${github.url}/organizations/\\d+/repos\\?type=all&sort=full_name&per_page=4&page=2$`));
    const second = await get(next.slice(github.url.length));
    expect(names(second.body)).toEqual(['acme/legacy-tool', 'acme/upstream-fork']);
    expect(Object.keys(links(second.headers.get('link'))).sort()).toEqual(['first', 'prev']);
  });

  it('answers 304 to a matching If-None-Match, free with a token', async () => {
    const first = await get('/orgs/acme/repos?per_page=100');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    const again = await get('/orgs/acme/repos?per_page=100', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(github.requests.at(-1)?.countedAgainstLimit).toBe(false);
  });

  it("answers 404 for a user's login and for nobody, as GitHub does", async () => {
    for (const path of ['/orgs/solo/repos', '/orgs/nobody-at-all/repos', '/organizations/999999/repos']) {
      const { status, body } = await get(path);
      expect(status, path).toBe(404);
      expect(body).toMatchObject({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#list-organization-repositories' });
    }
  });
});

describe("a user's repositories", () => {
  it('lists those the user owns, by full_name by default, forks marked', async () => {
    const { status, body } = await get('/users/solo/repos?per_page=100');
    expect(status).toBe(200);
    expect(names(body)).toEqual(['solo/dotfiles', 'solo/site', 'solo/solo-fork']);
    expect((body as ListedRepository[]).map((repo) => repo.fork)).toEqual([false, false, true]);
    expect(names((await get('/users/solo/repos?type=member')).body)).toEqual([]);
  });

  it("lists an organisation's too, and pages by the owner's id", async () => {
    expect(names((await get('/users/acme/repos?per_page=100')).body)).toHaveLength(6);
    const first = await get('/users/solo/repos?per_page=2');
    const next = links(first.headers.get('link'))['next'] ?? '';
    expect(next).toMatch(new RegExp(`^${github.url}/user/\\d+/repos\\?per_page=2&page=2$`));
    expect(names((await get(next.slice(github.url.length))).body)).toEqual(['solo/solo-fork']);
  });

  it('answers 404 for nobody', async () => {
    const { status, body } = await get('/users/nobody-at-all/repos');
    expect(status).toBe(404);
    expect(body).toMatchObject({ documentation_url: 'https://docs.github.com/rest/repos/repos#list-repositories-for-a-user' });
  });
});
