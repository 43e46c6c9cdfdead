import { describe, expect, it } from 'vitest';
import { parseAllContributorsRc } from '../../src/domain/all-contributors-rc.js';
import type { Report } from '../../src/report/build.js';
import { formatAllContributors } from '../../src/report/format-all-contributors.js';

const report: Report = {
  complete: true,
  repositories: [{ fullName: 'o/r', githubContributors: 1, allContributors: 4 }],
  contributors: [
    { login: 'amy', name: 'Amy', type: 'User', kinds: ['comment', 'issue', 'pull-request', 'wiki'], counts: {}, repositories: ['o/r'] },
    { login: 'Zed', name: null, type: 'User', kinds: ['contributors-file', 'review-comment'], counts: {}, repositories: ['o/r'] },
    { login: 'renovate[bot]', name: null, type: 'Bot', kinds: ['pull-request'], counts: {}, repositories: ['o/r'] },
    { login: null, name: 'Only A Name', type: null, kinds: ['code'], counts: {}, repositories: ['o/r'] },
    { login: 'tria', name: 'Tria', type: 'User', kinds: ['triage'], counts: {}, repositories: ['o/r'] },
  ],
};

describe('formatAllContributors', () => {
  it('maps kinds to types, and makes profiles and avatars on the server', () => {
    const { text, leftOut } = formatAllContributors(report, { serverUrl: 'https://ghe.example.com', existing: null });
    const rc = JSON.parse(text) as { projectOwner: string; repoHost: string; contributors: Array<Record<string, unknown>> };
    expect(rc.projectOwner).toBe('o');
    expect(rc.repoHost).toBe('https://ghe.example.com');
    expect(rc.contributors).toEqual([
      { login: 'amy', name: 'Amy', avatar_url: 'https://ghe.example.com/amy.png', profile: 'https://ghe.example.com/amy', contributions: ['code', 'bug', 'doc', 'question'] },
      { login: 'Zed', name: 'Zed', avatar_url: 'https://ghe.example.com/Zed.png', profile: 'https://ghe.example.com/Zed', contributions: ['review'] },
      { login: 'renovate[bot]', name: 'renovate[bot]', avatar_url: 'https://ghe.example.com/renovate%5Bbot%5D.png', profile: 'https://ghe.example.com/apps/renovate', contributions: ['code'] },
      // Triage (labelling, closing, merging…) is the tracker's upkeep.
      { login: 'tria', name: 'Tria', avatar_url: 'https://ghe.example.com/tria.png', profile: 'https://ghe.example.com/tria', contributions: ['maintenance'] },
    ]);
    expect(leftOut).toEqual(['Only A Name']);
  });

  it("keeps an existing file's settings, order and entries, adding what was found", () => {
    const existing = parseAllContributorsRc(JSON.stringify({ projectName: 'kept', contributors: [{ login: 'zed', name: 'Zed Z', avatar_url: 'a', profile: 'p', contributions: ['ideas'] }] }));
    const rc = JSON.parse(formatAllContributors(report, { serverUrl: 'https://github.com', existing }).text) as { projectName: string; contributors: Array<{ login: string; contributions: string[] }> };
    expect(Object.keys(rc)).toEqual(['projectName', 'contributors']);
    expect(rc.contributors.map((c) => c.login)).toEqual(['zed', 'amy', 'renovate[bot]', 'tria']);
    expect(rc.contributors[0]).toEqual({ login: 'zed', name: 'Zed Z', avatar_url: 'a', profile: 'p', contributions: ['ideas', 'review'] });
  });
});
