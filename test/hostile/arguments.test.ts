/**
 * Hostile command lines: path traversal, extra slashes, spaces, options smuggled in as
 * repositories, over-long and non-ASCII names, URLs to other hosts. Each is a usage error (exit 2),
 * reported before a single request reaches the (loopback) GitHub, and echoed without escapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  // Not one request, from any of the cases below.
  expect(world.github.requests.map((r) => r.path)).toEqual([]);
  await world.close();
});

const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const hostile: Array<[string, string[]]> = [
  // Path traversal, in every spelling.
  ['traversal', ['../x/y']],
  ['traversal in the repo', ['x/..']],
  ['dot repo', ['x/.']],
  ['traversal in the middle', ['a/../b']],
  ['encoded traversal', ['%2e%2e/x']],
  ['encoded slash', ['a%2Fb/c']],
  ['backslashes', ['a\\..\\b/c']],
  ['traversal in a URL', ['https://github.com/a/b/../../../c/d/e']],
  // Slashes.
  ['leading slash', ['/a/b']],
  ['double slash', ['a//b']],
  ['trailing slash', ['a/b/']],
  ['three parts', ['a/b/c']],
  ['no slash', ['ab']],
  ['empty', ['']],
  ['only a slash', ['/']],
  ['URL with an empty owner', ['https://github.com//b']],
  // Spaces and control characters.
  ['leading space', [' a/b']],
  ['inner space', ['a /b']],
  ['trailing newline', ['a/b\n']],
  ['a tab', ['a\t/b']],
  ['an escape sequence', ['a\u001b[31m/b']],
  ['a bidi override', ['a/b\u202e']],
  ['a zero-width space', ['a\u200b/b']],
  // Options where a repository was due.
  ['an unknown option', ['--evil', 'a/b']],
  ['an option-looking owner after --', ['--', '-rf/x']],
  ['--help after --', ['--', '--help']],
  ['an option value smuggled into the name', ['--format=csv/x']],
  ['a short option with a slash', ['-v/x']],
  ['--cache-dir without a repository', ['--cache-dir=/tmp']],
  // Lengths.
  ['a 40-character owner', [`${'o'.repeat(40)}/r`]],
  ['a 101-character repo', [`o/${'r'.repeat(101)}`]],
  ['100,000 characters', [`${'a'.repeat(50_000)}/${'b'.repeat(50_000)}`]],
  // Not ASCII.
  ['an umlaut', ['ü/b']],
  ['a Cyrillic look-alike', ['а/b']],
  ['a fullwidth solidus', ['a／b']],
  ['an emoji', ['a/🎉']],
  // URLs that are not a GitHub repository.
  ['another host', ['https://evil.example/a/b']],
  ['a look-alike host', ['https://github.com.evil.example/a/b']],
  ['user info hiding the host', ['https://github.com@evil.example/a/b']],
  ['credentials in the URL', ['https://user:pass@github.com/a/b']],
  ['a query', ['https://github.com/a/b?tab=readme']],
  ['a fragment', ['https://github.com/a/b#x']],
  ['ftp', ['ftp://github.com/a/b']],
  ['file', ['file:///etc/passwd']],
  ['javascript', ['javascript:alert(1)//a/b']],
  ['a URL with only an owner', ['https://github.com/a']],
  // A bad one among good ones still stops everything.
  ['one bad among good', ['a/b', 'c/d', '../e']],
];

describe('hostile arguments', () => {
  it.concurrent.each(hostile)('%s: exit 2, no request, echoed without escapes', async (_label, args) => {
    const result = await runCli(args, world.env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invalid repository|unknown option|missing repository|error: /);
    expect(result.stderr).not.toMatch(controls);
    // A 100,000-character argument is not echoed whole.
    expect(result.stderr.length).toBeLessThan(2000);
  });
});
