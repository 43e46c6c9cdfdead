import { describe, expect, it } from 'vitest';
import type { Contribution } from '../../src/domain/contribution.js';
import { buildReport } from '../../src/report/build.js';
import { formatJson } from '../../src/report/format-json.js';
import { formatText } from '../../src/report/format-text.js';
import { sanitizeText } from '../../src/text/sanitize.js';

describe('sanitizeText', () => {
  it('removes escape sequences, controls and bidi overrides', () => {
    expect(sanitizeText('Evil \u001b[31mRed\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('Evil Red link');
    expect(sanitizeText('a\u0007b\u202ec\u009b2Jd\r\ne')).toBe('a b cd e');
    expect(sanitizeText('x'.repeat(10_000))).toHaveLength(200);
  });
});

const user = (login: string, kind: Contribution['kind'], count = 1, type: 'User' | 'Bot' = 'User'): Contribution => ({ who: { login, type }, kind, count });

describe('buildReport', () => {
  it('merges a person across kinds, repositories and spellings, and sorts by display name', () => {
    const report = buildReport(
      [
        {
          fullName: 'o/one',
          complete: true,
          contributions: [
            user('Zed', 'code', 5),
            user('zed', 'issue', 2),
            user('dependabot[bot]', 'pull-request', 3, 'Bot'),
            { who: { login: null, type: null, name: 'Anon Coder', email: 'anon@example.org' }, kind: 'code', count: 1 },
            { who: { login: 'ZED', type: null, name: 'From File' }, kind: 'contributors-file', count: 1 },
          ],
        },
        { fullName: 'o/two', complete: false, contributions: [user('zed', 'comment', 4), { who: { login: null, type: null, name: 'anon coder', email: 'ANON@example.org' }, kind: 'wiki', count: 2 }] },
      ],
      new Map([['zed', { login: 'Zed', type: 'User' as const, name: 'Alice \u001b[1mZed' }]]),
    );
    expect(report.complete).toBe(false);
    expect(report.repositories).toEqual([
      { fullName: 'o/one', githubContributors: 2, allContributors: 3 },
      { fullName: 'o/two', githubContributors: 0, allContributors: 2 },
    ]);
    expect(report.contributors).toEqual([
      { login: 'Zed', name: 'Alice Zed', type: 'User', kinds: ['code', 'comment', 'contributors-file', 'issue'], counts: { code: 5, comment: 4, 'contributors-file': 1, issue: 2 }, repositories: ['o/one', 'o/two'] },
      { login: null, name: 'Anon Coder', type: null, kinds: ['code', 'wiki'], counts: { code: 1, wiki: 2 }, repositories: ['o/one', 'o/two'] },
      { login: 'dependabot[bot]', name: null, type: 'Bot', kinds: ['pull-request'], counts: { 'pull-request': 3 }, repositories: ['o/one'] },
    ]);
  });

  it('formats text in the original shape and json in the documented one', () => {
    const report = buildReport([{ fullName: 'LABHR/octohatrack', complete: true, contributions: [user('glasnt', 'code', 3), user('someone', 'comment')] }], new Map([['glasnt', { login: 'glasnt', type: 'User' as const, name: 'Katie McLaughlin' }]]));
    expect(formatText(report)).toBe(['All Contributors:', 'Katie McLaughlin (glasnt)', 'someone', '', 'Repo: LABHR/octohatrack', 'GitHub Contributors: 1', 'All Contributors: 2 👏', ''].join('\n'));
    expect(JSON.parse(formatJson(report))).toEqual({
      complete: true,
      repositories: [{ fullName: 'LABHR/octohatrack', githubContributors: 1, allContributors: 2 }],
      contributors: [
        { login: 'glasnt', name: 'Katie McLaughlin', type: 'User', kinds: ['code'], counts: { code: 3 }, repositories: ['LABHR/octohatrack'] },
        { login: 'someone', name: null, type: 'User', kinds: ['comment'], counts: { comment: 1 }, repositories: ['LABHR/octohatrack'] },
      ],
    });
  });
});

describe('csv and markdown', () => {
  const report = buildReport(
    [
      {
        fullName: 'o/r',
        complete: true,
        contributions: [
          { who: { login: 'plain', type: 'User' }, kind: 'code', count: 2 },
          { who: { login: null, type: null, name: '=HYPERLINK("http://x","click")' }, kind: 'contributors-file', count: 1 },
          { who: { login: null, type: null, name: 'Pipe | [link](http://x) <b>bold</b>' }, kind: 'wiki', count: 1 },
        ],
      },
    ],
    new Map([['plain', { login: 'plain', type: 'User' as const, name: 'Last, First "Nick"' }]]),
  );

  it('quotes CSV cells and neutralises formulas', async () => {
    const { formatCsv } = await import('../../src/report/format-csv.js');
    expect(formatCsv(report).split('\r\n')).toEqual([
      'login,name,type,kinds,repositories,counts',
      `,"'=HYPERLINK(""http://x"",""click"")",,contributors-file,o/r,contributors-file=1`,
      'plain,"Last, First ""Nick""",User,code,o/r,code=2',
      ',Pipe | [link](http://x) <b>bold</b>,,wiki,o/r,wiki=1',
      '',
    ]);
  });

  it('escapes markdown cells', async () => {
    const { formatMarkdown } = await import('../../src/report/format-markdown.js');
    const table = formatMarkdown(report);
    expect(table).toContain(String.raw`| Pipe \| \[link\]\(http\://x\) \<b\>bold\</b\> | wiki (1) |`);
    expect(table).toContain('| Last, First \\"Nick\\" ([@plain](https://github.com/plain)) | code (2) |');
    expect(table.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(5);
    // One repository: no total line.
    expect(table).not.toMatch(/In all:/);
  });

  it('ends a markdown report of several repositories with everyone in all', async () => {
    const { formatMarkdown } = await import('../../src/report/format-markdown.js');
    const other = { ...report.repositories[0], fullName: 'o/other' } as (typeof report.repositories)[number];
    const table = formatMarkdown({ ...report, repositories: [...report.repositories, other] });
    expect(table.trimEnd().split('\n').at(-1)).toBe(`In all: ${report.contributors.length} contributors in 2 repositories.`);
  });
});
