/**
 * Hostile and mistaken command lines: path traversal, extra slashes, spaces, options smuggled in as
 * repositories, over-long and non-ASCII names, URLs to other hosts, bad option values. Each is a
 * usage error (exit 2), found before the command would run (so before any request), and echoed
 * without escapes.
 *
 * In-process: the commander program of src/cli.ts with the options resolved as main.ts resolves
 * them. What main.ts adds at the process boundary (exit code 2, the message on stderr) is pinned by
 * the spawned cases in test/e2e/failures.test.ts.
 */
import os from 'node:os';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli.js';
import { resolveCheckOptions } from '../../src/commands/check.js';
import { UsageError } from '../../src/errors.js';
import { parseRepository, resolveOptions } from '../../src/options.js';
import { sanitizeMessage } from '../../src/text/sanitize.js';

interface Parsed {
  code: number;
  stdout: string;
  stderr: string;
  /** Whether a command was reached with its options resolved (it would then have asked GitHub). */
  ran: boolean;
}

/** The environment of a user with a token and a cache folder: none of it may matter to a usage error. */
const env = { GH_TOKEN: 'ghp_argumentsTestTokenThatMustNeverLeak00', OCTOHATRACK_CACHE_DIR: os.tmpdir() };

/**
 * Parses `args` as `octohatrack args…` does, up to the point where a command would start: what
 * main.ts would print on stdout and stderr, and the exit code it would return.
 */
async function parseCommandLine(args: readonly string[]): Promise<Parsed> {
  const out: Parsed = { code: 0, stdout: '', stderr: '', ran: false };
  const program = createProgram({
    report: async (repositories, flags) => {
      resolveOptions(flags, repositories, env, os.tmpdir());
      out.ran = true;
    },
    check: async (repository, { rc: _rc, ...flags }) => {
      resolveCheckOptions(repository, flags, env, os.tmpdir());
      out.ran = true;
    },
    cacheInfo: async () => {
      out.ran = true;
    },
    cacheClear: async (repository) => {
      if (repository !== undefined) parseRepository(repository);
      out.ran = true;
    },
    writeOut: (text) => (out.stdout += text),
    writeErr: (text) => (out.stderr += text),
  });
  try {
    await program.parseAsync(['node', 'octohatrack', ...args]);
  } catch (error) {
    // As main.ts: commander has printed its own message; a UsageError is printed sanitised, with the hint.
    if (error instanceof CommanderError) out.code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof UsageError) {
      out.code = error.exitCode;
      out.stderr += `octohatrack: ${sanitizeMessage(`${error.message}\n(run octohatrack --help for usage)`)}\n`;
    } else throw error;
  }
  return out;
}

const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const anyUsageError = /invalid repository|invalid owner|unknown option|missing repository|octohatrack: /;

const hostile: Array<[string, string[]]> = [
  // Path traversal, in every spelling.
  ['traversal', ['../x/y']],
  ['traversal in the repo', ['x/..']],
  ['dot repo', ['x/.']],
  ['traversal in the middle', ['a/../b']],
  ['encoded traversal', ['%2e%2e/x']],
  ['encoded slash', ['a%2Fb/c']],
  ['backslashes', ['a\\..\\b/c']],
  // Slashes.
  ['leading slash', ['/a/b']],
  ['double slash', ['a//b']],
  ['three parts', ['a/b/c']],
  ['no slash, and not an owner', ['a_b']],
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
  // Owners (`acme`, `acme/*`: every repository) spelt wrong.
  ['an owner with a trailing slash', ['acme/']],
  ['a wildcard without an owner', ['/*']],
  ['a wildcard alone', ['*']],
  ['a wildcard for the owner', ['*/tool']],
  ['a wildcard inside a name', ['acme/to*']],
  ['a double wildcard', ['acme/**']],
  ['an owner beginning with a hyphen, after --', ['--', '-acme']],
  ['a 40-character owner alone', ['o'.repeat(40)]],
  ['an owner with a bidi override', ['acme\u202e']],
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
  ['user info hiding the host', ['https://github.com@evil.example/a/b']],
  ['credentials in the URL', ['https://user:pass@github.com/a/b']],
  ['ftp', ['ftp://github.com/a/b']],
  ['file', ['file:///etc/passwd']],
  ['javascript', ['javascript:alert(1)//a/b']],
  // A bad one among good ones still stops everything.
  ['one bad among good', ['a/b', 'c/d', '../e']],
  // The same, for `check`.
  ['check with traversal', ['check', '../x/y']],
  ['check with a space', ['check', 'not a repo']],
  ['check with an owner', ['check', 'acme']],
  ['check with every repository of an owner', ['check', 'acme/*']],
];

describe('hostile arguments', () => {
  it.each(hostile)('%s: exit 2, nothing run, echoed without escapes', async (_label, args) => {
    const result = await parseCommandLine(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.ran).toBe(false);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(anyUsageError);
    expect(result.stderr).not.toMatch(controls);
    // A 100,000-character argument is not echoed whole.
    expect(result.stderr.length).toBeLessThan(2000);
  });

  it('does not echo a token typed into a repository URL', async () => {
    const token = 'ghp_e2eTestTokenThatMustNeverLeak0000';
    const result = await parseCommandLine([`https://x-access-token:${token}@github.com/octo-org/hello-world`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid repository "https:\/\/\*\*\*@github\.com\/octo-org\/hello-world"/);
    for (const needle of [token, token.slice(-12)]) expect(result.stderr).not.toContain(needle);
  });
});

describe('usage errors name what is wrong', () => {
  it.each([
    [[], /^octohatrack: missing repository: give one or more owner\/repo, or an owner for all its repositories\n\(run octohatrack --help for usage\)\n$/],
    [['--exclude', 'ghost', 'a/b'], /missing repository: .*give the repositories first/],
    [['../x/y'], /invalid repository "..\/x\/y"/],
    [['a/b/c'], /invalid repository/],
    [['a b/c'], /invalid repository/],
    [['--evil', 'a/b'], /^octohatrack: unknown option '--evil'\n\(run octohatrack --help for usage\)\n$/],
    [['https://github.com/a/b', 'https://example.com/c/d'], /the repositories are on several hosts \(github.com, example.com\)/],
    [[`${'x'.repeat(40)}/y`], /invalid repository/],
    [['ü/b'], /invalid repository/],
    [['a/b', '--format', 'yaml'], /argument 'yaml' is invalid/],
    [['a/b', '--dry-run', '--format', 'csv'], /^octohatrack: --dry-run prints its estimate as text or json, not --format csv$/m],
    [['a/b', '--max-age', 'forever'], /invalid duration 'forever' for --max-age/],
    [['a/b', '--concurrency', '99'], /invalid --concurrency '99': use a whole number from 1 to 16/],
    [['a/b', '--timeout', '0'], /--timeout must be longer than 0/],
    [['a/b', '--since', 'last tuesday'], /invalid --since 'last tuesday': use an ISO date such as 2026-01-31/],
    [['a/b', '--exclude', 'bad login!'], /invalid --exclude pattern "bad login!"/],
    [['check'], /octohatrack: missing required argument 'repository'/],
    [['check', 'a/b', 'c/d'], /octohatrack: too many arguments for 'check'/],
    [['cache', 'clear', '../x'], /invalid repository "..\/x"/],
    [['acme/'], /invalid repository "acme\/": no repository after the owner: give acme\/<repo>, or acme for all its repositories/],
    [['/*'], /invalid owner "\/\*": an organisation or user is 1-39 letters, digits and hyphens/],
    [['ac_me'], /invalid owner "ac_me"/],
    [['acme', '--exclude-repo'], /octohatrack: option '--exclude-repo <glob>' argument missing/],
    [['acme', '--exclude-repo', '../x'], /invalid --exclude-repo pattern "..\/x"/],
    [['acme/tool', '--exclude-repo', 'x'], /--exclude-repo chooses among an owner's repositories: give an owner/],
    [['acme/tool', '--include-forks'], /--include-forks chooses among an owner's repositories/],
    [['check', 'acme'], /invalid repository "acme" for check: it compares one repository with its .all-contributorsrc; give owner\/repo, not an owner/],
    [['check', 'acme/tool', '--include-forks'], /octohatrack: unknown option '--include-forks'/],
    [['a/b', '--token', 'ghp_secret123456'], /^octohatrack: use GH_TOKEN or GITHUB_TOKEN for the token \(a token on the command line ends up in your shell history\)/],
    [['check', 'a/b', '--token=ghp_secret123456'], /use GH_TOKEN or GITHUB_TOKEN for the token/],
  ])('%j exits 2 before a command runs', async (args, message) => {
    const result = await parseCommandLine(args);
    expect(result.code).toBe(2);
    expect(result.ran).toBe(false);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('and a good command line reaches its command', async () => {
    expect(await parseCommandLine(['a/b', '--format', 'json', '--max-age', '1h', '--concurrency', '8'])).toEqual({ code: 0, stdout: '', stderr: '', ran: true });
    expect(await parseCommandLine(['check', '--rc', 'x.json', 'https://github.com/a/b'])).toMatchObject({ code: 0, ran: true });
    for (const args of [['acme'], ['acme/*', 'other/repo'], ['acme', '--include-forks', '--include-archived', '--exclude-repo', 'legacy-*', '--exclude-repo', 'old-?']]) {
      expect(await parseCommandLine(args)).toEqual({ code: 0, stdout: '', stderr: '', ran: true });
    }
  });
});
