/**
 * Inputs for the property-based tests: strings built from the characters that break parsers and
 * terminals (separators, quotes, escapes, control characters, bidi overrides, non-ASCII), and a
 * count of how many inputs every property was tried on, printed at the end of each file.
 */
import fc from 'fast-check';

/** Characters a parser of names, paths, headers or durations may trip on. */
const trouble = [
  '/', '\\', '.', '..', '-', '_', ' ', '\t', '\n', '\r', '\r\n', '%', '%2F', '%2e', ':', '@', '#', '?', '&', '=', ';', ',', '<', '>', '"', "'", '`', '*', '|', '[', ']', '(', ')', '{', '}', '+', '!', '~',
  '\u0000', '\u0007', '\u0008', '\u001b', '\u001b[', '\u001b]', '\u001b\\', '\u007f', '\u0085', '\u009b', '\u009c', '\u009d', '\u00a0', '\u061c', '\u200b', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ufffd',
  'ü', 'а', '／', '🎉', '\ud800', 'github', 'http://', 'https://', 'github.com', 'www.', '.git', 'rel=', 'next', 'last', 'page=', 's', 'm', 'h', 'd', '0', '1', '9', 'x', 'A', 'Z',
];

/** A string made of troublesome pieces and arbitrary characters, up to `maxLength` pieces. */
export function hostileString(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...trouble) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }, { weight: 2, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength })
    .map((parts) => parts.join(''));
}

/** Text that tries to take over a terminal: escape sequences of every family, controls, bidi. */
export function terminalAttack(): fc.Arbitrary<string> {
  const sequence = fc.oneof(
    fc.constantFrom('\u001b[31m', '\u001b[2J', '\u001b[1A', '\u001b]0;title\u0007', '\u001b]8;;http://x\u001b\\', '\u001b]52;c;YQ==\u0007', '\u001bP+q\u001b\\', '\u001b_apc\u001b\\', '\u009b2J', '\u009d0;t\u009c', '\u001bc', '\u001b(0', '\u001b#8'),
    fc.string({ unit: 'binary', maxLength: 8 }).map((tail) => `\u001b${tail}`),
    fc.string({ unit: 'binary', maxLength: 8 }).map((tail) => `\u009b${tail}`),
  );
  return fc.array(fc.oneof(sequence, hostileString(6)), { maxLength: 20 }).map((parts) => parts.join(''));
}

/** Escapes, C0 controls but newline, C1 controls, bidi controls, line and paragraph separators. */
export const terminalControls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

/** How many inputs the properties of one file were tried on. */
export function createCounter(): { tried: (numRuns: number) => { numRuns: number }; total: () => number } {
  let count = 0;
  return {
    tried(numRuns) {
      count += numRuns;
      return { numRuns };
    },
    total: () => count,
  };
}
