/**
 * The co-author parser against git itself: on generated commit messages built from the lines that
 * decide git's trailer rules (titles, blank lines, trailers of every key and spacing, folded lines,
 * comments, `Conflicts:` blocks, git's own `Signed-off-by`, prose), it finds the same `Co-authored-by`
 * trailers as `git interpret-trailers --parse`. It spawns git, hence the end-to-end tier.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCoAuthors } from '../../src/domain/co-authors.js';

/** git with no configuration of the machine's or the user's (a configured trailer would change its rules). */
const gitEnv = { PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: '/nonexistent' };

/** The Co-authored-by trailers git finds in a message, read back as the parser reads one trailer. */
function coAuthorsByGit(message: string): ReturnType<typeof parseCoAuthors> {
  const git = spawnSync('git', ['interpret-trailers', '--parse', '--no-divider'], { input: message, env: gitEnv, encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git interpret-trailers failed: ${git.stderr}`);
  const trailers = git.stdout.split('\n').filter((line) => /^co-authored-by\s*:/i.test(line));
  return parseCoAuthors(['Title', '', ...trailers].join('\n'));
}

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('', '', '  ', '\t') },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('Co-authored-by', 'co-authored-by', 'CO-AUTHORED-BY', 'Co-Authored-By', 'Coauthored-by', 'Co-authored-by '), fc.constantFrom(':', ': ', ':   '), fc.constantFrom('Ada <ada@example.org>', 'Bo Bee <bo@example.org>', 'Cy', '<cy@example.org>', 'Di <di@example.org> ', 'Ed <ed@example.org>, Flo <flo@example.org>', ''))
      .map(([key, separator, value]) => `${key}${separator}${value}`),
  },
  { weight: 2, arbitrary: fc.constantFrom('Signed-off-by: Sam <sam@example.org>', 'Signed-off-by:Sam <sam@example.org>', '(cherry picked from commit 1234abcd)', 'Reviewed-by: Rae <rae@example.org>', 'Fixes: #12', 'Key : value', 'http://example.org/x') },
  { weight: 2, arbitrary: fc.constantFrom('  Folded <fold@example.org>', '\tGil <gil@example.org>', ' more', '  <hy@example.org>') },
  { weight: 1, arbitrary: fc.constantFrom('# a comment', '#', 'Conflicts:', '\tsrc/a.ts', '---', ': no key', 'Bug #42') },
  { weight: 3, arbitrary: fc.constantFrom('Fix the parser', 'Some prose here.', 'co-authored with Ada', 'Merge pull request #7 from x/y') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((text) => text.replace(/[\n\u0000]/g, ' ')) },
);
const messages = fc.tuple(fc.array(line, { minLength: 1, maxLength: 14 }), fc.boolean()).map(([lines, finalBreak]) => `${lines.join('\n')}${finalBreak ? '\n' : ''}`);

describe('parseCoAuthors agrees with git interpret-trailers', () => {
  it('on generated commit messages', () => {
    fc.assert(
      fc.property(messages, (message) => {
        expect(parseCoAuthors(message)).toEqual(coAuthorsByGit(message));
      }),
      { numRuns: 400 },
    );
  });

  it('on messages written with CRLF, read as git reads them written with LF', () => {
    fc.assert(
      fc.property(messages, (message) => {
        expect(parseCoAuthors(message.replace(/\n/g, '\r\n'))).toEqual(coAuthorsByGit(message));
      }),
      { numRuns: 100 },
    );
  });
});
