import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContributorsFile, peopleInAllContributorsRc, splitAlias } from '../../src/collectors/contributors-file.js';
import { loginFromNoreplyEmail } from '../../src/collectors/noreply.js';

describe('parseContributorsFile', () => {
  it('reads every line form of the original format', () => {
    const text = [
      '# People who helped',
      '',
      'Katie McLaughlin <github:@glasnt>',
      'Someone <twitter:@someone>',
      'Mail Person <Mail@Example.org>',
      'Noreply Person <123+noreply-login@users.noreply.github.com>',
      'Just A Name',
      '   ',
    ].join('\r\n');
    expect(parseContributorsFile(text)).toEqual({
      people: [
        { login: 'glasnt', type: null, name: 'Katie McLaughlin' },
        { login: null, type: null, name: 'Someone' },
        { login: null, type: null, name: 'Mail Person', email: 'mail@example.org' },
        { login: 'noreply-login', type: null, name: 'Noreply Person' },
        { login: null, type: null, name: 'Just A Name' },
      ],
      problems: [],
    });
  });

  it('keeps what it can of a line it cannot parse, and says which', () => {
    const { people, problems } = parseContributorsFile(['Bad Login <github:@not a login!>', 'Odd <fax:12345>', 'Open <bracket', 'x'.repeat(1001)].join('\n'));
    expect(people).toEqual([
      { login: null, type: null, name: 'Bad Login' },
      { login: null, type: null, name: 'Odd' },
      { login: null, type: null, name: 'Open <bracket' },
    ]);
    expect(problems).toEqual([
      'line 1 names a GitHub account that is not a valid login',
      'line 2 has an unknown <fax:12345>; kept as a name',
      'line 3 has an unclosed <…>; kept as a name',
      'line 4 is longer than 1000 characters',
    ]);
  });
});

describe('peopleInAllContributorsRc', () => {
  it('credits everyone listed with a valid login, by login and trimmed name', () => {
    const text = JSON.stringify({ contributors: [{ login: 'a', name: ' A A ', contributions: ['doc'] }, { login: 'b' }, { name: 'no login' }, { login: 'renovate[bot]' }] });
    expect(peopleInAllContributorsRc(text)).toEqual({
      people: [
        { login: 'a', type: null, name: 'A A' },
        { login: 'b', type: null },
        { login: 'renovate[bot]', type: null },
      ],
      problems: ['entry 3 has no valid login'],
    });
  });

  it('reports a file that is not an .all-contributorsrc as its one problem', () => {
    expect(peopleInAllContributorsRc('{').problems).toEqual([expect.stringMatching(/^it is not valid JSON \(/)]);
    expect(peopleInAllContributorsRc('[]').problems).toEqual(['it is not a JSON object']);
    expect(peopleInAllContributorsRc('{"contributors": {}}').problems).toEqual(['its "contributors" is not a list']);
  });
});

describe('loginFromNoreplyEmail', () => {
  it.each([
    ['1234+octocat@users.noreply.github.com', 'octocat'],
    ['octocat@users.noreply.github.com', 'octocat'],
    ['octocat@example.com', null],
    ['+octocat@users.noreply.github.com', null],
  ])('%s → %s', (email, login) => {
    expect(loginFromNoreplyEmail(email)).toBe(login);
  });
});

describe('splitAlias', () => {
  it('reads `Name <alias>` as the pattern /^(.*?)\\s*<([^<>]*)>\\s*$/ did, on any trimmed line', () => {
    const reference = (line: string): { name: string; alias: string } | null => {
      const match = /^(.*?)\s*<([^<>]*)>\s*$/.exec(line);
      return match ? { name: (match[1] ?? '').trim(), alias: (match[2] ?? '').trim() } : null;
    };
    const piece = fc.constantFrom('<', '>', ' ', '\t', '@', ':', 'a', 'github:@x', 'Name', '<a>', '<>');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const line = pieces.join('').trim();
        expect(splitAlias(line)).toEqual(reference(line));
      }),
      { numRuns: 2000 },
    );
  });
});
