import { describe, expect, it } from 'vitest';
import { evilDisplayName, generateRepository, sampleRepository } from './fixtures.js';
import { startFakeGitHub } from './server.js';

describe('sampleRepository', () => {
  const { users, repo, facts } = sampleRepository();

  it('spreads issues over two pages of 30 and comments over two pages of 100', () => {
    expect(facts.counts.issues + facts.counts.pullRequests).toBeGreaterThan(30);
    expect(facts.counts.issues + facts.counts.pullRequests).toBeLessThanOrEqual(60);
    expect(facts.counts.issueComments).toBeGreaterThan(100);
    expect(facts.counts.issueComments).toBeLessThanOrEqual(200);
  });

  it('has people who contributed in one way only', () => {
    const kindsOf = (login: string): string[] =>
      Object.entries(facts.loginsByKind).flatMap(([kind, logins]) => (logins.includes(login) ? [kind] : []));
    expect(kindsOf('commenter-only')).toEqual(['comment']);
    expect(kindsOf('reviewer-only')).toEqual(['review-comment']);
    expect(kindsOf('approver-only')).toEqual(['review']);
    expect(kindsOf('commit-commenter-only')).toEqual(['commit-comment']);
    expect(kindsOf('file-only')).toEqual(['contributors-file']);
    expect(kindsOf('rc-only')).toEqual(['contributors-file']);
  });

  it('covers deleted accounts, bots, anonymous committers and hostile names', () => {
    expect(repo.issues?.some((issue) => issue.author === null)).toBe(true);
    expect(repo.issues?.some((issue) => issue.author === 'ghost')).toBe(true);
    expect(facts.loginsByKind.issue).toContain('ghost');
    expect(facts.bots).toEqual(['dependabot[bot]']);
    expect(facts.loginsByKind['pull-request']).toContain('dependabot[bot]');
    expect(facts.nameOnly).toContain('Anon Committer');
    expect(users.find((user) => user.login === 'evil-name')?.name).toBe(evilDisplayName);
    expect(facts.logins).toContain('DaveTheDev');
    expect(facts.logins).not.toContain('davethedev');
  });

  it('ships a CONTRIBUTORS file in every line format and a valid .all-contributorsrc', () => {
    const lines = (repo.files?.['CONTRIBUTORS'] ?? '').split('\n');
    expect(lines.some((line) => line.startsWith('#'))).toBe(true);
    expect(lines.some((line) => line === '')).toBe(true);
    expect(lines.some((line) => /<github:@[\w-]+>$/.test(line))).toBe(true);
    expect(lines.some((line) => /<twitter:@\w+>$/.test(line))).toBe(true);
    expect(lines.some((line) => /<[^:@\s]+@[^>\s]+>$/.test(line))).toBe(true);
    expect(lines).toContain('Just A Name');
    expect(facts.nameOnly).toEqual(expect.arrayContaining(['Just A Name', 'Tweety Bird', 'Emma Mailer']));
    const rc = JSON.parse(repo.files?.['.all-contributorsrc'] ?? '') as { contributors: Array<{ login: string }> };
    expect(rc.contributors.map((entry) => entry.login)).toContain('rc-only');
  });
});

describe('generateRepository', () => {
  it('is deterministic for a seed', () => {
    const options = { issues: 200, pullRequests: 50, comments: 500, people: 40, seed: 3 };
    const one = generateRepository(options);
    const two = generateRepository(options);
    expect(JSON.stringify(one.repo)).toBe(JSON.stringify(two.repo));
    expect(JSON.stringify(generateRepository({ ...options, seed: 4 }).repo)).not.toBe(JSON.stringify(one.repo));
    expect(one.facts.counts).toMatchObject({ issues: 200, pullRequests: 50, issueComments: 500 });
  });

  it('adds reviews only when asked, the busiest pull requests first, leaving the rest unchanged', () => {
    const base = { issues: 50, pullRequests: 30, comments: 100, people: 20, seed: 7 };
    const plain = generateRepository(base);
    const reviewed = generateRepository({ ...base, reviews: 400, maxReviewsPerPull: 120, busyPulls: 2 });
    expect(JSON.stringify({ ...reviewed.repo, reviews: undefined })).toBe(JSON.stringify(plain.repo));
    const perPull = new Map<number, number>();
    for (const review of reviewed.repo.reviews ?? []) perPull.set(review.pullNumber, (perPull.get(review.pullNumber) ?? 0) + 1);
    const busiest = [...perPull.values()].sort((a, b) => b - a);
    expect(busiest.slice(0, 3)).toEqual([120, 120, expect.any(Number) as unknown]);
    expect(busiest[2]).toBeLessThan(120);
    expect(reviewed.facts.counts.reviews).toBe(400);
    expect(reviewed.facts.loginsByKind.review.length).toBeGreaterThan(0);
  });

  it('adds issue events only when asked, about half of them triage, leaving the rest unchanged', () => {
    const base = { issues: 50, pullRequests: 30, comments: 100, people: 20, reviews: 40, seed: 7 };
    const plain = generateRepository(base);
    const eventful = generateRepository({ ...base, events: 1000 });
    expect(JSON.stringify({ ...eventful.repo, events: undefined })).toBe(JSON.stringify(plain.repo));
    expect(eventful.facts.counts.events).toBe(1000);
    expect(eventful.facts.counts.triageEvents).toBeGreaterThan(400);
    expect(eventful.facts.counts.triageEvents).toBeLessThan(600);
    expect(eventful.facts.loginsByKind.triage.length).toBeGreaterThan(0);
    expect(plain.facts.loginsByKind.triage).toEqual([]);
  });

  it('spreads discussion comments and replies as long threads do when asked, with people who only triage or discuss', () => {
    const base = { issues: 300, pullRequests: 200, comments: 1000, people: 100, seed: 9 };
    const talk = { events: 2500, triagers: 4, discussions: 50, discussionComments: 1500, discussionReplies: 600, discussers: 6 };
    const plain = generateRepository(base);
    const talked = generateRepository({ ...base, ...talk });
    // Drawn last: the issues, comments and people before them are the same.
    expect(JSON.stringify({ ...talked.repo, events: undefined, discussions: undefined })).toBe(JSON.stringify(plain.repo));
    expect(talked.users.slice(0, plain.users.length)).toEqual(plain.users);
    const discussions = talked.repo.discussions ?? [];
    const comments = discussions.map((discussion) => (discussion.comments ?? []).length).sort((a, b) => b - a);
    const replies = discussions.flatMap((discussion) => (discussion.comments ?? []).map((comment) => (comment.replies ?? []).length)).sort((a, b) => b - a);
    expect([discussions.length, comments.reduce((sum, n) => sum + n, 0), replies.reduce((sum, n) => sum + n, 0)]).toEqual([50, 1500, 600]);
    // The busiest discussion holds about 1/H(50) ≈ 22% of the comments, the busiest comment about 1/H(1500) ≈ 13% of the replies.
    expect(comments[0]).toBeGreaterThan(200);
    expect(replies[0]).toBeGreaterThan(50);
    // People who do only this: every triager has curated something, every discusser written something, and nothing else.
    const { loginsByKind } = talked.facts;
    const elsewhere = new Set(Object.entries(loginsByKind).flatMap(([kind, logins]) => (kind === 'triage' || kind === 'discussion' ? [] : logins)));
    expect(loginsByKind.triage.filter((login) => login.startsWith('triager-'))).toEqual(['triager-001', 'triager-002', 'triager-003', 'triager-004']);
    expect(loginsByKind.discussion.filter((login) => login.startsWith('discusser-'))).toHaveLength(6);
    expect([...elsewhere].filter((login) => /^(triager|discusser)-/.test(login))).toEqual([]);
    expect(loginsByKind.discussion.filter((login) => login.startsWith('triager-'))).toEqual([]);
    expect(generateRepository({ ...base, ...talk }).repo).toEqual(talked.repo);
  });

  it('spreads comments as long threads do when asked (Zipf), the same data otherwise', () => {
    const options = { issues: 300, pullRequests: 200, comments: 10_000, reviewComments: 100, commitComments: 10, people: 100, seed: 9 };
    const perItem = (comments: ReadonlyArray<{ issueNumber?: number }> = []): number[] => {
      const counts = new Map<number, number>();
      for (const comment of comments) counts.set(comment.issueNumber ?? 0, (counts.get(comment.issueNumber ?? 0) ?? 0) + 1);
      return [...counts.values()].sort((a, b) => b - a);
    };
    const uniform = perItem(generateRepository(options).repo.issueComments);
    const zipf = perItem(generateRepository({ ...options, commentSpread: 'zipf' }).repo.issueComments);
    expect(zipf.reduce((sum, count) => sum + count, 0)).toBe(10_000);
    // The busiest thread holds about 1/H(500) ≈ 15% of them; uniformly, none holds even 1%.
    expect(zipf[0]).toBeGreaterThan(1000);
    expect(uniform[0]).toBeLessThan(100);
    expect(zipf.filter((count) => count > 100).length).toBeGreaterThan(5);
    expect(generateRepository({ ...options, commentSpread: 'uniform' }).repo).toEqual(generateRepository(options).repo);
  });

  it('refuses a review of something that is not a pull request', async () => {
    const repo = { owner: 'o', name: 'r', issues: [{ author: 'a' }], reviews: [{ pullNumber: 1, author: 'a' }] };
    await expect(startFakeGitHub({ users: [], repos: [repo] })).rejects.toThrow(/not a pull request/);
  });

  // How long building and serving take is measured by `npm run bench` (hot paths), against budgets.
  it('builds and serves 50,000 issues and 250,000 comments', async () => {
    const { users, repo } = generateRepository({ issues: 45_000, pullRequests: 5000, comments: 250_000, people: 2500 });
    const github = await startFakeGitHub({ users, repos: [repo] });
    try {
      for (let page = 1; page <= 10; page++) {
        const response = await fetch(
          `${github.url}/repos/big-org/big-repo/issues/comments?sort=updated&direction=asc&per_page=100&page=${String(page)}`,
        );
        expect(((await response.json()) as unknown[]).length).toBe(100);
      }
    } finally {
      await github.close();
    }
  });

  it('can be walked whole past the pagination limit in since-windows (SPEC §3)', async () => {
    const { users, repo, facts } = generateRepository({ issues: 100, pullRequests: 0, comments: 2500, people: 30, seed: 9 });
    const github = await startFakeGitHub({ users, repos: [repo], paginationLimit: 1000 });
    try {
      const seen = new Set<number>();
      let since: string | null = null;
      for (let window = 0; window < 10; window++) {
        let next: string | null =
          `${github.url}/repos/big-org/big-repo/issues/comments?sort=updated&direction=asc&per_page=100` +
          (since === null ? '' : `&since=${since}`);
        let lastUpdated: string | null = null;
        let limited = false;
        while (next !== null) {
          const response: Response = await fetch(next);
          if (response.status === 422) {
            limited = true;
            break;
          }
          const items = (await response.json()) as Array<{ id: number; updated_at: string }>;
          for (const item of items) seen.add(item.id);
          lastUpdated = items.at(-1)?.updated_at ?? lastUpdated;
          next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
        }
        if (!limited) break;
        since = lastUpdated;
      }
      expect(seen.size).toBe(facts.counts.issueComments);
    } finally {
      await github.close();
    }
  });
});
