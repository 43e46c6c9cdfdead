import { describe, expect, it } from 'vitest';
import { parseAllContributorsRc, RcError } from '../../src/domain/all-contributors-rc.js';

describe('parseAllContributorsRc', () => {
  it('reads settings and entries, skipping those without a login', () => {
    const rc = parseAllContributorsRc('\uFEFF{"projectName":"r","contributors":[{"login":"zed","name":"Zed Z","contributions":["ideas",3]},{"name":"no login"}]}');
    expect(rc.settings).toEqual({ projectName: 'r' });
    expect(rc.contributors).toEqual([{ login: 'zed', name: 'Zed Z', contributions: ['ideas'] }]);
    expect(rc.problems).toEqual(['entry 2 has no valid login']);
  });

  it('takes a login trimmed, and an app bot as --format all-contributors writes it, but nothing else', () => {
    const rc = parseAllContributorsRc(JSON.stringify({ contributors: [{ login: ' amy ' }, { login: 'renovate[bot]' }, { login: 'not a login' }, { login: '-x' }, 'amy'] }));
    expect(rc.contributors.map((entry) => entry.login)).toEqual(['amy', 'renovate[bot]']);
    expect(rc.problems).toEqual(['entry 3 has no valid login', 'entry 4 has no valid login', 'entry 5 has no valid login']);
  });

  it('reads a file without a "contributors" list as listing nobody', () => {
    expect(parseAllContributorsRc('{"projectName":"r"}')).toEqual({ settings: { projectName: 'r' }, contributors: [], problems: [] });
  });

  it('keeps no escape, C1 control or bidi override from the file, in settings or entries', () => {
    const rc = parseAllContributorsRc(
      JSON.stringify({
        projectName: 'web\u009b2Jsite \u202eevil',
        files: ['README\u2066.md'],
        contributorTemplate: 'line one\nline two',
        contributors: [{ login: 'amy', name: 'Amy\u001b]0;title\u0007 Pond', avatar_url: 'https://a.example/\u009d0;x\u009c1', profile: 'https://amy.example\u202e', contributions: ['code\u2069'] }],
      }),
    );
    expect(rc.settings).toEqual({ projectName: 'website  evil', files: ['README .md'], contributorTemplate: 'line one\nline two' });
    expect(rc.contributors).toEqual([{ login: 'amy', name: 'Amy Pond', avatar_url: 'https://a.example/1', profile: 'https://amy.example ', contributions: ['code '] }]);
  });

  it.each(['', '[1]', '{"contributors": {}}'])('refuses %j', (text) => {
    expect(() => parseAllContributorsRc(text)).toThrow(RcError);
  });
});
