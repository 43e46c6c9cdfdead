/**
 * The default branch's history from any commit (`/commits?sha=`, GraphQL `Commit.history`), who
 * its emails belong to (`Commit.authors`), and `/compare/{base}...{head}` after a push, a merge of
 * older-dated commits and a force push.
 */
import { describe, expect, it } from 'vitest';
import { links, sampleServers, token } from './test-servers.js';
import type { FakeCommit } from './types.js';

const start = sampleServers();

const commits: FakeCommit[] = [
  { message: 'One', authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada' },
  { message: 'Two\n\nCo-authored-by: Bo <bo@work.example>\nco-authored-by: Ada L. <ADA@example.org>\nCo-authored-by: Pat <pat@example.com>\nCo-authored-by: Bot <49699333+dependabot[bot]@users.noreply.github.com>', authorName: 'Ada', authorEmail: 'ada@example.org', login: 'ada' },
  { message: 'Three', authorName: 'Cy', authorEmail: '9+cy@users.noreply.github.com' },
];

async function world() {
  return start({
    users: [{ login: 'ada' }, { login: 'bo', emails: ['bo@work.example'] }, { login: 'cy' }, { login: 'dependabot[bot]', id: 49699333, type: 'Bot' }],
    repos: [{ owner: 'o', name: 'h', commits }, { owner: 'o', name: 'empty', commits: [] }],
  });
}

const historyQuery = `query History($owner: String!, $name: String!, $oid: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { ... on Commit { oid } } }
    object(oid: $oid) { ... on Commit {
      history(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { oid message author { name email user { login } } authors(first: 10) { nodes { name email user { login } } } }
      }
    } }
  }
  rateLimit { cost }
}`;

interface Actor {
  name: string;
  email: string;
  user: { login: string } | null;
}
interface HistoryAnswer {
  data: {
    repository: {
      defaultBranchRef: { name: string; target: { oid: string } } | null;
      object: { history: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ oid: string; message: string; author: Actor; authors: { nodes: Actor[] } }> } } | null;
    };
    rateLimit: { cost: number };
  };
}

describe('the history', () => {
  it('is listed from any head by sha, through REST and GraphQL alike, with each email’s account', async () => {
    const github = await world();
    const rest = async (query: string) => (await fetch(`${github.url}/repos/o/h/commits?per_page=100${query}`)).json() as Promise<Array<{ sha: string; commit: { message: string } }>>;
    const listed = await rest('');
    const head = listed[0]?.sha ?? '';
    expect(listed.map((c) => c.commit.message.split('\n')[0])).toEqual(['Three', 'Two', 'One']);
    expect(await rest(`&sha=${head}`)).toEqual(listed);
    expect((await rest(`&sha=${listed[1]?.sha ?? ''}`)).map((c) => c.sha)).toEqual(listed.slice(1).map((c) => c.sha));
    expect((await fetch(`${github.url}/repos/o/h/commits?sha=${'0'.repeat(40)}`)).status).toBe(404);

    const ask = async (after: string | null) => {
      const response = await fetch(`${github.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${token}` }, body: JSON.stringify({ query: historyQuery, variables: { owner: 'o', name: 'h', oid: head, after } }) });
      return (await response.json()) as HistoryAnswer;
    };
    const first = await ask(null);
    // history(first: 2) = 1 request, authors nested in it = 2: 3 requests, 1 point.
    expect(first.data.rateLimit.cost).toBe(1);
    expect(first.data.repository.defaultBranchRef).toEqual({ name: 'main', target: { oid: head } });
    const history = first.data.repository.object?.history;
    expect(history?.totalCount).toBe(3);
    expect(history?.nodes.map((n) => n.oid)).toEqual(listed.slice(0, 2).map((c) => c.sha));
    expect(history?.nodes[0]?.author).toEqual({ name: 'Cy', email: '9+cy@users.noreply.github.com', user: { login: 'cy' } });
    // The git author first, then each trailer's person once, with the account the email is linked to
    // (a verified email, a no-reply address, an email another commit links); a bot is no `User`.
    expect(history?.nodes[1]?.authors.nodes).toEqual([
      { name: 'Ada', email: 'ada@example.org', user: { login: 'ada' } },
      { name: 'Bo', email: 'bo@work.example', user: { login: 'bo' } },
      { name: 'Pat', email: 'pat@example.com', user: null },
      { name: 'Bot', email: '49699333+dependabot[bot]@users.noreply.github.com', user: null },
    ]);
    const rest2 = await ask(history?.pageInfo.endCursor ?? null);
    expect(rest2.data.repository.object?.history.nodes.map((n) => n.oid)).toEqual([listed[2]?.sha]);
    expect(rest2.data.repository.object?.history.pageInfo.hasNextPage).toBe(false);

    const empty = await fetch(`${github.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${token}` }, body: JSON.stringify({ query: 'query { repository(owner: "o", name: "empty") { defaultBranchRef { name } } }' }) });
    expect(await empty.json()).toEqual({ data: { repository: { defaultBranchRef: null } } });
  });

  it('keeps each former head’s history, and compares heads as `git log base..head`, oldest first, paginated', async () => {
    const github = await world();
    const shas = async (query = '') => ((await (await fetch(`${github.url}/repos/o/h/commits?per_page=100${query}`)).json()) as Array<{ sha: string; commit: { message: string } }>);
    const before = await shas();
    const oldHead = before[0]?.sha ?? '';
    // A merge: a commit dated long before the old head, then the merge commit itself.
    github.addActivity('o/h', { push: { commits: [{ message: 'Old branch work', authorName: 'Bo', authorEmail: 'bo@work.example', date: '2019-01-01T00:00:00Z' }, { message: 'Merge', authorName: 'Ada', authorEmail: 'ada@example.org' }] } });
    const after = await shas();
    const newHead = after[0]?.sha ?? '';
    expect(after.map((c) => c.commit.message.split('\n')[0])).toEqual(['Merge', 'Three', 'Two', 'One', 'Old branch work']);
    expect(await shas(`&sha=${oldHead}`)).toEqual(before);

    type Comparison = { status: string; ahead_by: number; behind_by: number; total_commits: number; commits: Array<{ sha: string; commit: { message: string } }> };
    const compare = async (basehead: string, query = '') => fetch(`${github.url}/repos/o/h/compare/${basehead}${query}`);
    const ahead = (await (await compare(`${oldHead}...${newHead}`, '?per_page=100')).json()) as Comparison;
    expect(ahead).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(ahead.commits.map((c) => c.commit.message)).toEqual(['Old branch work', 'Merge']);
    const paged = await compare(`${oldHead}...${newHead}`, '?per_page=1');
    expect(links(paged.headers.get('link'))['next']).toMatch(/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}\?per_page=1&page=2$/);
    expect(await ((await compare(`${newHead}...${oldHead}`)).json() as Promise<Comparison>)).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2 });
    expect((await compare(`${oldHead}...${'0'.repeat(40)}`)).status).toBe(404);

    // A force push drops the merge and pushes something else: the heads have diverged.
    github.addActivity('o/h', { push: { rewrite: 2, commits: [{ message: 'Rewritten', authorName: 'Ada', authorEmail: 'ada@example.org' }] } });
    const rewritten = await shas();
    expect(rewritten.map((c) => c.commit.message)).toEqual(['Rewritten', 'Three', 'Two\n\nCo-authored-by: Bo <bo@work.example>\nco-authored-by: Ada L. <ADA@example.org>\nCo-authored-by: Pat <pat@example.com>\nCo-authored-by: Bot <49699333+dependabot[bot]@users.noreply.github.com>', 'One']);
    const diverged = (await (await compare(`${newHead}...${rewritten[0]?.sha ?? ''}`, '?per_page=100')).json()) as Comparison;
    expect(diverged).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 2 });
    expect(await shas(`&sha=${newHead}`)).toEqual(after);
  });
});
