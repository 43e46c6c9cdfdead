import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub } from './server.js';
import { links, sample, sampleServers, token } from './test-servers.js';
import type { FakeGitHub } from './server.js';

const repoPath = '/repos/octo-org/hello-world';

const start = sampleServers();

function auth(value: string = token): Record<string, string> {
  return { authorization: `token ${value}` };
}

async function json<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface Item {
  number: number;
  id: number;
  user: { login: string } | null;
  created_at: string;
  updated_at: string;
  pull_request?: unknown;
}

describe('fake GitHub, shared server', () => {
  let github: FakeGitHub;
  let repoId: number;
  const get = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${github.url}${path}`, init);

  beforeAll(async () => {
    github = await start();
    repoId = (await json<{ id: number }>(await get(repoPath, { headers: auth() }))).id;
  });
  beforeEach(() => {
    github.clearLog();
    github.resetRateLimits();
    github.setClockOffsetMs(0);
  });

  describe('pagination', () => {
    it('pages issues 30 at a time with absolute Link URLs that keep the query', async () => {
      const first = await get(`${repoPath}/issues?state=all`, { headers: auth() });
      expect(first.status).toBe(200);
      expect(await json<unknown[]>(first)).toHaveLength(30);
      const firstLinks = links(first.headers.get('link'));
      expect(Object.keys(firstLinks).sort()).toEqual(['last', 'next']);
      expect(firstLinks['next']).toBe(`${github.url}/repositories/${String(repoId)}/issues?state=all&page=2`);
      expect(firstLinks['last']).toBe(firstLinks['next']);

      const second = await get(new URL(firstLinks['next'] ?? '').pathname + new URL(firstLinks['next'] ?? '').search, {
        headers: auth(),
      });
      const items = await json<Item[]>(second);
      expect(items).toHaveLength(sample.facts.counts.issues + sample.facts.counts.pullRequests - 30);
      expect(Object.keys(links(second.headers.get('link'))).sort()).toEqual(['first', 'prev']);
    });

    it('caps per_page at 100, answers [] past the end, and omits Link when one page holds everything', async () => {
      const capped = await get(`${repoPath}/issues/comments?per_page=500`);
      expect(await json<unknown[]>(capped)).toHaveLength(100);
      expect(links(capped.headers.get('link'))['next']).toContain('per_page=500&page=2');

      const pastEnd = await get(`${repoPath}/issues/comments?per_page=100&page=9`);
      expect(await json<unknown[]>(pastEnd)).toEqual([]);
      expect(Object.keys(links(pastEnd.headers.get('link'))).sort()).toEqual(['first', 'prev']);

      const single = await get(`${repoPath}/pulls/comments?per_page=100`);
      expect(await json<unknown[]>(single)).toHaveLength(sample.facts.counts.reviewComments);
      expect(single.headers.get('link')).toBeNull();
    });

    it('refuses to page past the pagination limit with 422', async () => {
      const limited = await start({ paginationLimit: 40 });
      const page2 = await fetch(`${limited.url}${repoPath}/issues?state=all&per_page=20&page=2`);
      expect(page2.status).toBe(200);
      const page2Links = links(page2.headers.get('link'));
      expect(page2Links['next']).toContain('page=3');
      expect(page2Links['last']).toBeUndefined();
      const page3 = await fetch(page2Links['next'] ?? '');
      expect(page3.status).toBe(422);
      expect((await json<{ message: string }>(page3)).message).toMatch(/pagination is limited for this resource/);
      expect(links(page3.headers.get('link'))['last']).toContain('page=2');
    });
  });

  describe('listings', () => {
    it('lists issues and pull requests, pull requests marked with pull_request', async () => {
      const items = await json<Item[]>(await get(`${repoPath}/issues?state=all&per_page=100`));
      expect(items.filter((item) => item.pull_request !== undefined)).toHaveLength(sample.facts.counts.pullRequests);
      expect(items.some((item) => item.user === null)).toBe(true);
      // Default order: newest first.
      expect(items.map((item) => item.number)).toEqual([...items.map((item) => item.number)].sort((a, b) => b - a));
      const pulls = await json<Item[]>(await get(`${repoPath}/pulls?state=all&per_page=100`));
      expect(pulls).toHaveLength(sample.facts.counts.pullRequests);
    });

    it('honours since (updated_at >= since) and direction on issues', async () => {
      const since = '2023-02-01T00:00:00Z';
      const items = await json<Item[]>(
        await get(`${repoPath}/issues?state=all&sort=updated&direction=asc&since=${since}&per_page=100`),
      );
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((item) => item.updated_at >= since)).toBe(true);
      const updated = items.map((item) => item.updated_at);
      expect(updated).toEqual([...updated].sort());
      const all = await json<Item[]>(await get(`${repoPath}/issues?state=all&per_page=100`));
      expect(items).toHaveLength(all.filter((item) => item.updated_at >= since).length);
      const invalid = await get(`${repoPath}/issues?since=yesterday`);
      expect(invalid.status).toBe(422);
    });

    it('sorts issues and pull requests by how many comments they hold, busiest first when asked', async () => {
      const busiest = await json<Array<Item & { comments: number }>>(await get(`${repoPath}/issues?state=all&sort=comments&direction=desc&per_page=100`));
      const counts = busiest.map((item) => item.comments);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      const total = (await json<Array<{ comments: number }>>(await get(`${repoPath}/issues?state=all&per_page=100`))).reduce((sum, item) => sum + item.comments, 0);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(total);
      expect(counts[0]).toBeGreaterThan(counts.at(-1) ?? 0);
    });

    it('orders issue comments by ascending id unless sort is given', async () => {
      const ids = (await json<Item[]>(await get(`${repoPath}/issues/comments?per_page=100`))).map((item) => item.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const newest = await json<Item[]>(await get(`${repoPath}/issues/comments?sort=created&per_page=5`));
      expect(newest[0]?.created_at).toBe(sample.facts.contributions.filter((c) => c.kind === 'comment').at(-1)?.at);
    });

    it('lists contributors by contributions, anonymous ones only with anon=1', async () => {
      type Contributor = { login?: string; type: string; contributions: number };
      const named = await json<Contributor[]>(await get(`${repoPath}/contributors`));
      expect(named.every((entry) => entry.type !== 'Anonymous')).toBe(true);
      const withAnon = await json<Contributor[]>(await get(`${repoPath}/contributors?anon=1`));
      expect(withAnon).toHaveLength(sample.facts.counts.contributors);
      expect(withAnon.filter((entry) => entry.type === 'Anonymous')).toHaveLength(1);
      const counts = withAnon.map((entry) => entry.contributions);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(withAnon.find((entry) => entry.login === 'dependabot[bot]')?.type).toBe('Bot');
    });

    it('lists the commits made up from the contributors, newest first, shaped as GitHub does', async () => {
      type Commit = { sha: string; commit: { author: { name: string; email: string; date: string }; message: string }; author: { login: string; type: string } | null; committer: unknown; parents: Array<{ sha: string }> };
      const first = await get(`${repoPath}/commits?per_page=100`);
      const page = await json<Commit[]>(first);
      expect(page).toHaveLength(100);
      expect(sample.facts.counts.commits).toBe(sample.facts.contributions.filter((c) => c.kind === 'code').reduce((sum, c) => sum + c.count, 0));
      expect(links(first.headers.get('link'))['last']).toMatch(new RegExp(`page=${Math.ceil(sample.facts.counts.commits / 100)}$`));
      const dates = page.map((item) => item.commit.author.date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(page[1]?.parents).toEqual([expect.objectContaining({ sha: page[2]?.sha })]);
      expect(page[0]?.commit.message).toMatch(/^Commit \d+$/);
      const anonymous = page.find((item) => item.commit.author.email === 'anon.committer@example.com');
      expect(anonymous).toMatchObject({ author: null, committer: null, commit: { author: { name: 'Anon Committer' } } });
    });

    it('serves declared commits with their whole message, the account each email links to, and a push adding more', async () => {
      const other = await start({
        users: [{ login: 'ada' }, { login: 'dependabot[bot]', id: 49699333, type: 'Bot' }],
        repos: [
          {
            owner: 'o',
            name: 'paired',
            commits: [
              { message: 'First\n\nCo-authored-by: Bo <bo@example.org>\n', authorName: 'Ada', authorEmail: '1+ada@users.noreply.github.com' },
              { message: 'Second\r\n\r\nbody', authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada' },
              { message: 'Bump', authorName: 'dependabot[bot]', authorEmail: '49699333+dependabot[bot]@users.noreply.github.com', date: '2019-06-01T00:00:00Z' },
              { message: 'Third', authorName: 'Nobody', authorEmail: 'nobody@example.org' },
            ],
          },
          { owner: 'o', name: 'empty', commits: [], contributors: [{ login: 'ada', contributions: 1 }] },
        ],
      });
      type Commit = { commit: { message: string; author: { email: string; date: string } }; author: { login: string; type: string } | null };
      const list = async () => json<Commit[]>(await fetch(`${other.url}/repos/o/paired/commits?per_page=100`));
      const served = await list();
      expect(served.map((item) => [item.commit.message, item.author?.login ?? null, item.author?.type ?? null])).toEqual([
        ['Third', null, null],
        ['Second\r\n\r\nbody', 'ada', 'User'],
        ['First\n\nCo-authored-by: Bo <bo@example.org>', 'ada', 'User'],
        ['Bump', 'dependabot[bot]', 'Bot'],
      ]);
      const since = await json<Commit[]>(await fetch(`${other.url}/repos/o/paired/commits?since=2020-01-02T00:00:00Z`));
      expect(since.map((item) => item.commit.message)).toEqual(['Third', 'Second\r\n\r\nbody']);
      const empty = await fetch(`${other.url}/repos/o/empty/commits`);
      expect(empty.status).toBe(409);
      expect(await json(empty)).toMatchObject({ message: 'Git Repository is empty.' });

      other.addActivity('o/paired', { push: { commits: [{ message: 'Pushed', authorName: 'Bo', authorEmail: 'bo@example.org' }] } });
      const pushed = await list();
      expect(pushed.map((item) => item.commit.message)).toEqual(['Pushed', ...served.map((item) => item.commit.message)]);
      expect(Date.parse(pushed[0]?.commit.author.date ?? '')).toBeGreaterThan(Date.parse('2024-01-01T00:00:00Z'));
    });

    it('serves files base64-encoded in 60-character lines', async () => {
      const file = await json<{ encoding: string; content: string; size: number }>(
        await get(`${repoPath}/contents/CONTRIBUTORS`),
      );
      expect(file.encoding).toBe('base64');
      expect(file.content.split('\n').every((line) => line.length <= 60)).toBe(true);
      expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(sample.repo.files?.['CONTRIBUTORS']);
      expect((await get(`${repoPath}/contents/NOPE`)).status).toBe(404);
      const raw = await get(`${repoPath}/contents/CONTRIBUTORS`, { headers: { accept: 'application/vnd.github.raw+json' } });
      expect(await raw.text()).toBe(sample.repo.files?.['CONTRIBUTORS']);
    });

    it('serves files over 1 MiB without content, as GitHub does', async () => {
      const big = await start({
        repos: [{ owner: 'octo-org', name: 'big-file', files: { CONTRIBUTORS: 'x'.repeat(1024 * 1024 + 1) } }],
      });
      const file = await json<{ encoding: string; content: string; size: number }>(
        await fetch(`${big.url}/repos/octo-org/big-file/contents/CONTRIBUTORS`),
      );
      expect(file).toMatchObject({ encoding: 'none', content: '', size: 1024 * 1024 + 1 });
    });

    it('serves users case-insensitively, with 404 for unknown logins', async () => {
      const user = await json<{ login: string; name: string | null }>(await get('/users/EVIL-NAME'));
      expect(user).toMatchObject({ login: 'evil-name', name: sample.facts.displayNames['evil-name'] });
      expect((await get('/users/nobody-at-all')).status).toBe(404);
      const repo = await json<{ full_name: string }>(await get('/repos/OCTO-ORG/Hello-World'));
      expect(repo.full_name).toBe('octo-org/hello-world');
      const missing = await get('/repos/octo-org/missing');
      expect(missing.status).toBe(404);
      expect(await json(missing)).toMatchObject({ message: 'Not Found' });
    });
  });

  describe('authentication, rate limit and conditional requests', () => {
    it('answers 401 to an unknown token', async () => {
      const response = await get(repoPath, { headers: auth('ghp_wrong') });
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      expect(github.requests[0]).toMatchObject({ status: 401, token: 'ghp_wrong' });
    });

    it('sends rate-limit headers and counts requests per token', async () => {
      const anonymous = await get(repoPath);
      expect(anonymous.headers.get('x-ratelimit-limit')).toBe('60');
      expect(anonymous.headers.get('x-ratelimit-remaining')).toBe('59');
      const authed = await get(repoPath, { headers: { authorization: `Bearer ${token}` } });
      expect(authed.headers.get('x-ratelimit-limit')).toBe('5000');
      expect(authed.headers.get('x-ratelimit-used')).toBe('1');
      expect(authed.headers.get('x-ratelimit-resource')).toBe('core');
      const rateLimit = await json<{ resources: { core: { used: number } } }>(await get('/rate_limit', { headers: auth() }));
      expect(rateLimit.resources.core.used).toBe(1);
      expect(github.requests.at(-1)?.countedAgainstLimit).toBe(false);
    });

    it('answers 304 to a matching If-None-Match: free with a token, counted without', async () => {
      const first = await get(`${repoPath}/issues?state=all`, { headers: auth() });
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);

      const revalidated = await get(`${repoPath}/issues?state=all`, { headers: { ...auth(), 'if-none-match': etag } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
      expect(revalidated.headers.get('etag')).toBe(etag);
      expect(revalidated.headers.get('x-ratelimit-used')).toBe('1');

      const anonymous = await get(`${repoPath}/issues?state=all`, { headers: { 'if-none-match': etag } });
      expect(anonymous.status).toBe(304);
      expect(anonymous.headers.get('x-ratelimit-used')).toBe('1');
      expect(github.requests.map((entry) => entry.countedAgainstLimit)).toEqual([true, false, true]);
      expect(github.requests[1]?.ifNoneMatch).toBe(etag);
    });

    it('answers 304 to If-Modified-Since on single resources', async () => {
      const first = await get(repoPath, { headers: auth() });
      const lastModified = first.headers.get('last-modified') ?? '';
      expect(lastModified).not.toBe('');
      const revalidated = await get(repoPath, { headers: { ...auth(), 'if-modified-since': lastModified } });
      expect(revalidated.status).toBe(304);
    });

    it('exhausts the limit with 403 and remaining 0, until the window resets', async () => {
      const small = await start({ rateLimit: { anonymous: 2 } });
      await fetch(`${small.url}${repoPath}`);
      await fetch(`${small.url}${repoPath}`);
      const refused = await fetch(`${small.url}${repoPath}`);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await json<{ message: string }>(refused)).message).toMatch(/^API rate limit exceeded for 127\.0\.0\.1/);
      expect(small.requests.at(-1)?.countedAgainstLimit).toBe(false);

      small.resetRateLimits();
      expect((await fetch(`${small.url}${repoPath}`)).status).toBe(200);
      await fetch(`${small.url}${repoPath}`);
      const reset = Number((await fetch(`${small.url}${repoPath}`)).headers.get('x-ratelimit-reset'));
      small.setClockOffsetMs(reset * 1000 - Date.now() + 1000);
      const afterReset = await fetch(`${small.url}${repoPath}`);
      expect(afterReset.status).toBe(200);
      expect(Date.parse(afterReset.headers.get('date') ?? '')).toBeGreaterThanOrEqual(reset * 1000);
    });

    it('can answer 429 instead of 403 when the limit is exhausted', async () => {
      const small = await start({ rateLimit: { authenticated: 1, status: 429 } });
      await fetch(`${small.url}${repoPath}`, { headers: auth() });
      const refused = await fetch(`${small.url}${repoPath}`, { headers: auth() });
      expect(refused.status).toBe(429);
      expect((await json<{ message: string }>(refused)).message).toMatch(/^API rate limit exceeded for user ID \d+\./);
    });
  });

  describe('repository states', () => {
    it('redirects a renamed repository with 301 to /repositories/{id}, which serves it', async () => {
      const moved = await get('/repos/octo-org/hello-world-old/issues?state=all', { redirect: 'manual' });
      expect(moved.status).toBe(301);
      const location = `${github.url}/repositories/${String(repoId)}/issues?state=all`;
      expect(moved.headers.get('location')).toBe(location);
      expect(await json(moved)).toMatchObject({ message: 'Moved Permanently', url: location });

      const followed = await get('/repos/octo-org/hello-world-old/issues?state=all', { headers: auth() });
      expect(followed.status).toBe(200);
      expect(await json<unknown[]>(followed)).toHaveLength(30);
      expect(github.requests.slice(-2).map((entry) => [entry.status, entry.path])).toEqual([
        [301, '/repos/octo-org/hello-world-old/issues?state=all'],
        [200, `/repositories/${String(repoId)}/issues?state=all`],
      ]);
    });

    it('answers 204 for an empty repository, 410 when issues are disabled, 403 for huge histories', async () => {
      const other = await start({
        repos: [
          { owner: 'octo-org', name: 'empty' },
          { owner: 'octo-org', name: 'no-issues', hasIssues: false, issues: [{ author: 'alice', pullRequest: true }] },
          { owner: 'octo-org', name: 'huge', contributorsTooLarge: true },
        ],
      });
      const empty = await fetch(`${other.url}/repos/octo-org/empty/contributors?anon=1`);
      expect(empty.status).toBe(204);
      expect(await empty.text()).toBe('');
      const gone = await fetch(`${other.url}/repos/octo-org/no-issues/issues`);
      expect(gone.status).toBe(410);
      expect(await json(gone)).toMatchObject({ message: 'Issues are disabled for this repo' });
      expect(await json<unknown[]>(await fetch(`${other.url}/repos/octo-org/no-issues/pulls`))).toHaveLength(1);
      const huge = await fetch(`${other.url}/repos/octo-org/huge/contributors`);
      expect(huge.status).toBe(403);
      expect(huge.headers.get('x-ratelimit-remaining')).not.toBe('0');
    });
  });

  describe('faults', () => {
    it('status: answers the status once, then normally', async () => {
      github.addFault({ match: '/issues', kind: 'status', status: 502 });
      expect((await get(`${repoPath}/issues`)).status).toBe(502);
      expect((await get(`${repoPath}/issues`)).status).toBe(200);
    });

    it('after/times: skips then hits the matching requests only', async () => {
      github.addFault({ match: /\/pulls\b/, kind: 'status', status: 503, after: 1, times: 2 });
      const statuses: number[] = [];
      for (const path of ['/pulls', '/issues', '/pulls', '/pulls', '/pulls']) statuses.push((await get(`${repoPath}${path}`)).status);
      expect(statuses).toEqual([200, 200, 503, 503, 200]);
    });

    it('secondary: 403 with retry-after and a primary budget left', async () => {
      github.addFault({ kind: 'secondary', retryAfterSeconds: 7 });
      const response = await get(repoPath, { headers: auth() });
      expect(response.status).toBe(403);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(response.headers.get('x-ratelimit-remaining')).not.toBe('0');
      expect((await json<{ message: string }>(response)).message).toMatch(/secondary rate limit/);
    });

    it('reset: drops the connection without an answer', async () => {
      github.addFault({ kind: 'reset' });
      await expect(get(repoPath)).rejects.toThrow();
      expect(github.requests[0]?.status).toBe(0);
      expect((await get(repoPath)).status).toBe(200);
    });

    it('stall: sends headers and half a body, then nothing', async () => {
      github.addFault({ kind: 'stall' });
      const controller = new AbortController();
      const response = await get(repoPath, { signal: controller.signal });
      expect(response.status).toBe(200);
      // What arrives is a part of the body, not all of it (that nothing more comes until close() is
      // the lifecycle test's).
      const reader = response.body?.getReader();
      const first = await reader?.read();
      const half = new TextDecoder().decode(first?.value);
      expect(half.length).toBeGreaterThan(0);
      expect(() => JSON.parse(half) as unknown).toThrow();
      controller.abort();
      await reader?.closed.catch(() => undefined);
    });

    it('body: answers 200 with the raw body given', async () => {
      github.addFault({ kind: 'body', body: '[{"id": 1, "us' });
      const response = await get(`${repoPath}/issues`);
      expect(response.status).toBe(200);
      await expect(response.json()).rejects.toThrow();
    });
  });
});

describe('fake GitHub lifecycle', () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.close();
  });

  it('close() ends promptly even with a stalled answer in flight', async () => {
    github = await startFakeGitHub({ users: sample.users, repos: [sample.repo] });
    github.addFault({ kind: 'stall' });
    const response = await fetch(`${github.url}${repoPath}`);
    const body = response.text().catch(() => 'aborted');
    // Were it to wait for the stalled answer, it would never end (the test would time out).
    await github.close();
    expect(await body).toBe('aborted');
  });
});

describe('holding requests, for a test to act at an exact point', () => {
  const graphql = (github: FakeGitHub, operation: string): Promise<Response> =>
    fetch(`${github.url}/graphql`, { method: 'POST', headers: auth(), body: JSON.stringify({ query: `query ${operation} { rateLimit { cost } }` }) });

  it('holds the requests a hold applies to (one token, one GraphQL operation) until it is released, and answers the others', async () => {
    const github = await start({ tokens: [token, 'ghp_other'] });
    const releaseOther = github.hold((request) => request.token === 'ghp_other');
    const releaseNames = github.hold((_, operation) => operation === 'Names');
    const other = fetch(`${github.url}${repoPath}`, { headers: auth('ghp_other') });
    const names = graphql(github, 'Names');
    await github.arrived(2);
    expect((await graphql(github, 'Reviews')).status).toBe(200);
    expect((await fetch(`${github.url}${repoPath}`, { headers: auth() })).status).toBe(200);
    const waiting = (): string[] => github.requests.filter((request) => request.status === 0).map((request) => `${request.path} ${request.token ?? ''}`);
    expect(waiting().sort()).toEqual([`/graphql ${token}`, `${repoPath} ghp_other`]);
    releaseOther();
    expect((await other).status).toBe(200);
    expect(waiting()).toEqual([`/graphql ${token}`]);
    releaseNames();
    expect((await names).status).toBe(200);
    expect(waiting()).toEqual([]);
    expect(github.requests.filter((request) => request.operation === 'Names').map((request) => request.status)).toEqual([200]);
  });

  it('is the only way a test delays an answer: only the benchmarks start the fake with a latency', () => {
    const testRoot = path.resolve(import.meta.dirname, '..');
    const callers = fs
      .readdirSync(testRoot, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && file !== path.join('fake-github', 'server.ts'))
      .filter((file) => /\bstartFakeGitHubDelayed\s*\(/.test(fs.readFileSync(path.join(testRoot, file), 'utf8')));
    expect(callers).toEqual([]);
    // It is there for bench/, which does call it.
    expect(fs.readFileSync(path.resolve(testRoot, '../bench/measure.ts'), 'utf8')).toMatch(/\bstartFakeGitHubDelayed\(/);
  });
});
