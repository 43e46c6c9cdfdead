import { describe, expect, it } from 'vitest';
import { maxCoAuthorsPerCommit, maxTrailerLength, parseCoAuthors } from '../../src/domain/co-authors.js';

const message = (...lines: string[]): string => lines.join('\n');

describe('parseCoAuthors', () => {
  it('reads every Co-authored-by trailer of the last paragraph, the key in any case', () => {
    const text = message('Add the parser', '', 'Long description.', '', 'Co-authored-by: Ada Lovelace <ada@example.org>', 'co-authored-by: Grace <grace@example.com>', 'CO-AUTHORED-BY:Linus <linus@example.net>', '');
    expect(parseCoAuthors(text)).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.org' },
      { name: 'Grace', email: 'grace@example.com' },
      { name: 'Linus', email: 'linus@example.net' },
    ]);
  });

  it('credits nobody through other trailers: Signed-off-by, Reviewed-by, Helped-by', () => {
    const text = message('Fix', '', 'Signed-off-by: Sam <sam@example.org>', 'Reviewed-by: Rae <rae@example.org>', 'Helped-by: Hal <hal@example.org>');
    expect(parseCoAuthors(text)).toEqual([]);
  });

  it('reads nothing outside the last paragraph', () => {
    const text = message('Fix', '', 'Co-authored-by: Early <early@example.org>', '', 'More text after it.');
    expect(parseCoAuthors(text)).toEqual([]);
    const both = message('Fix', '', 'Co-authored-by: Early <early@example.org>', '', 'Co-authored-by: Late <late@example.org>');
    expect(parseCoAuthors(both)).toEqual([{ name: 'Late', email: 'late@example.org' }]);
  });

  it('reads no trailers in the title, even when it is the whole message', () => {
    expect(parseCoAuthors('Co-authored-by: Title <title@example.org>')).toEqual([]);
    expect(parseCoAuthors(message('Co-authored-by: Title <title@example.org>', 'Co-authored-by: Second <second@example.org>'))).toEqual([]);
    expect(parseCoAuthors(message('Title', 'Co-authored-by: No Blank <noblank@example.org>'))).toEqual([]);
  });

  it('takes a paragraph with other text in it only when git would: a git trailer and a quarter of trailers', () => {
    expect(parseCoAuthors(message('Fix', '', 'Co-authored-by: A <a@example.org>', 'some words'))).toEqual([]);
    const withSignOff = message('Fix', '', 'Co-authored-by: A <a@example.org>', 'Signed-off-by: S <s@example.org>', 'some words');
    expect(parseCoAuthors(withSignOff)).toEqual([{ name: 'A', email: 'a@example.org' }]);
    // Two trailers among six other lines are a quarter; among seven, they are not.
    const words = (count: number) => ['one', 'two', 'three', 'four', 'five', 'six', 'seven'].slice(0, count);
    const block = (count: number) => message('Fix', '', 'Signed-off-by: S <s@example.org>', ...words(count), 'Co-authored-by: A <a@example.org>');
    expect(parseCoAuthors(block(6))).toEqual([{ name: 'A', email: 'a@example.org' }]);
    expect(parseCoAuthors(block(7))).toEqual([]);
  });

  it('reads CRLF line breaks, spaces around the colon and the value, and folded values', () => {
    expect(parseCoAuthors('Fix\r\n\r\nCo-authored-by :   Bea  Bee   <bea@example.org>  \r\n')).toEqual([{ name: 'Bea  Bee', email: 'bea@example.org' }]);
    expect(parseCoAuthors(message('Fix', '', 'Co-authored-by: Folded', '   Name <folded@example.org>'))).toEqual([{ name: 'Folded Name', email: 'folded@example.org' }]);
    expect(parseCoAuthors(message('Fix', '', 'Co-authored-by:', '\tTabbed <tab@example.org>'))).toEqual([{ name: 'Tabbed', email: 'tab@example.org' }]);
  });

  it('sets aside comment lines, trailing blank lines and an old Conflicts: block at the end, as git does', () => {
    expect(parseCoAuthors(message('Merge', '', 'Co-authored-by: C <c@example.org>', '', 'Conflicts:', '\tsrc/a.ts', '\tsrc/b.ts', '', ''))).toEqual([{ name: 'C', email: 'c@example.org' }]);
    expect(parseCoAuthors(message('Fix', '', '# a comment', 'Co-authored-by: D <d@example.org>', '# another', '', '   '))).toEqual([{ name: 'D', email: 'd@example.org' }]);
  });

  it('skips malformed trailers and keeps the others', () => {
    const text = message(
      'Fix',
      '',
      'Co-authored-by: No Email',
      'Co-authored-by: Empty <>',
      'Co-authored-by: Not An Address <nobody>',
      'Co-authored-by: Two <a@example.org>, People <b@example.org>',
      'Co-authored-by: Trailing <t@example.org> text',
      'Co-authored-by: Spaced <s p@example.org>',
      'Co-authored-by: Good <good@example.org>',
      'Co-authored-by: <nameless@example.org>',
    );
    expect(parseCoAuthors(text)).toEqual([
      { name: 'Good', email: 'good@example.org' },
      { name: null, email: 'nameless@example.org' },
    ]);
  });

  it('keeps one entry per address, the first spelling', () => {
    const text = message('Fix', '', 'Co-authored-by: Ann <ann@example.org>', 'Co-authored-by: Annie <ANN@example.org>');
    expect(parseCoAuthors(text)).toEqual([{ name: 'Ann', email: 'ann@example.org' }]);
  });

  it('keeps names as written (control characters, unicode): they are made safe where they are shown', () => {
    const text = message('Fix', '', 'Co-authored-by: Zoë \u001b[31m李 🎉 <zoe@example.org>');
    expect(parseCoAuthors(text)).toEqual([{ name: 'Zoë \u001b[31m李 🎉', email: 'zoe@example.org' }]);
  });

  it('bounds what it keeps: a trailer past the length limit is left out, and at most so many people a commit', () => {
    const long = `Co-authored-by: ${'x'.repeat(maxTrailerLength)} <long@example.org>`;
    expect(parseCoAuthors(message('Fix', '', long, 'Co-authored-by: Short <short@example.org>'))).toEqual([{ name: 'Short', email: 'short@example.org' }]);
    const folded = ['Co-authored-by: Folded', ...Array.from({ length: 200 }, () => `  ${'y'.repeat(10)}`), '  <folded@example.org>'];
    expect(parseCoAuthors(message('Fix', '', ...folded))).toEqual([]);
    const many = Array.from({ length: maxCoAuthorsPerCommit + 50 }, (_, index) => `Co-authored-by: P${index} <p${index}@example.org>`);
    const found = parseCoAuthors(message('Mob', '', ...many));
    expect(found).toHaveLength(maxCoAuthorsPerCommit);
    expect(found[0]).toEqual({ name: 'P0', email: 'p0@example.org' });
  });

  it('finds nothing in an empty message or one of blank lines', () => {
    expect(parseCoAuthors('')).toEqual([]);
    expect(parseCoAuthors('\n\n\r\n  \n')).toEqual([]);
  });
});
