import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RepositoryTarget } from '../src/domain/repository-name.js';
import { UsageError } from '../src/errors.js';
import { kinds } from '../src/domain/contribution.js';
import { deriveGraphqlUrl, parseDuration, parseKinds, parseRepository, parseSince, parseTarget, resolveOptions } from '../src/options.js';
import { hostileString } from './hostile/arbitraries.js';

describe('parseRepository', () => {
  it.each([
    ['LABHR/octohatrack', { owner: 'LABHR', repo: 'octohatrack' }],
    ['https://github.com/LABHR/octohatrack', { owner: 'LABHR', repo: 'octohatrack' }],
    ['https://github.com/LABHR/octohatrack.git', { owner: 'LABHR', repo: 'octohatrack' }],
    ['https://github.com/LABHR/octohatrack/', { owner: 'LABHR', repo: 'octohatrack' }],
    ['http://www.github.com/a-b/c.d_e', { owner: 'a-b', repo: 'c.d_e' }],
    ['o/.github', { owner: 'o', repo: '.github' }],
    // Every way people paste one, as `gh` reads them.
    ['github.com/acme/widgets', { owner: 'acme', repo: 'widgets' }],
    ['https://github.com/acme/widgets/issues/3', { owner: 'acme', repo: 'widgets' }],
    ['https://github.com/acme/widgets/tree/main', { owner: 'acme', repo: 'widgets' }],
    ['https://github.com/acme/widgets/pull/7/files', { owner: 'acme', repo: 'widgets' }],
    ['https://github.com/acme/widgets?tab=readme-ov-file#install', { owner: 'acme', repo: 'widgets' }],
    ['git@github.com:acme/widgets.git', { owner: 'acme', repo: 'widgets' }],
    ['ssh://git@github.com/acme/widgets.git', { owner: 'acme', repo: 'widgets' }],
    ['acme/widgets/', { owner: 'acme', repo: 'widgets' }],
    ['acme/widgets.git', { owner: 'acme', repo: 'widgets' }],
  ])('accepts %s', (arg, expected) => {
    expect(parseRepository(arg)).toEqual(expected);
  });

  it.each([
    '',
    'octohatrack',
    '../x/y',
    'a/b/c',
    'a//b',
    'a/..',
    'a/.',
    'a b/c',
    '-/x'.replace('-', 'a_b'),
    `${'a'.repeat(40)}/x`,
    `a/${'b'.repeat(101)}`,
    'ünï/cödé',
    'https://example.com/a/b',
    'ftp://github.com/a/b',
    'https://github.com/a',
    '/a/b',
    'https://github.com//b',
    'acme/widgets/issues/3',
    'git@github.com:acme',
    'ssh://someone@github.com/a/b',
  ])('rejects %j', (arg) => {
    expect(() => parseRepository(arg)).toThrow(UsageError);
  });

  it.each([
    ['a_b/c', /invalid repository "a_b\/c": "a_b" is not a GitHub owner/],
    ['acme/wid gets', /"wid gets" is not a repository name/],
    ['acme/widgets/issues/3', /"issues\/3" follows owner\/repo: give acme\/widgets, or the page's whole URL/],
    ['ftp://github.com/a/b', /ftp:\/\/ addresses are not understood/],
    ['https://me:pw@github.com/a/b', /invalid repository "https:\/\/\*\*\*@github.com\/a\/b": a URL with a user name or password is not taken/],
    ['gitlab.com/a/b', /gitlab.com is neither github.com nor GITHUB_SERVER_URL's host/],
    ['https://github.com/acme', /it names an owner, not one of its repositories/],
  ])('says which part of %j is wrong', (arg, message) => {
    expect(() => parseRepository(arg)).toThrow(message);
  });

  it('accepts the GitHub Enterprise host given as the server URL', () => {
    expect(parseRepository('https://ghe.example.com/a/b', 'ghe.example.com')).toEqual({ owner: 'a', repo: 'b' });
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['6h', 21_600_000],
    ['7d', 604_800_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--max-age')).toBe(ms);
  });

  it.each(['', '10', '-1h', '1.5h', '1w', 'h', '1 h x'])('rejects %j', (text) => {
    expect(() => parseDuration(text, '--max-age')).toThrow(/--max-age/);
  });
});

describe('resolveOptions', () => {
  const cwd = '/work/here';

  it('uses the defaults when nothing is set', () => {
    const options = resolveOptions({}, ['o/r'], {}, cwd);
    expect(options).toMatchObject({
      targets: [{ kind: 'repository', name: { owner: 'o', repo: 'r' } }],
      ownerRepositories: { forks: false, archived: false, exclude: [] },
      token: null,
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
      serverUrl: 'https://github.com',
      cache: { enabled: true, dir: path.join(cwd, '.cache/octohatrack'), maxAgeMs: 86_400_000 },
      waitForReset: false,
      dryRun: false,
      format: 'text',
      names: true,
      concurrency: 4,
      timeoutMs: 30_000,
      quiet: false,
      verbose: false,
      plan: 'both-budgets',
    });
  });

  it('reads OCTOHATRACK_PLAN, the benchmark\'s baseline switch, and refuses any other plan', () => {
    expect(resolveOptions({}, ['o/r'], { OCTOHATRACK_PLAN: 'rest-listings' }, cwd).plan).toBe('rest-listings');
    expect(resolveOptions({}, ['o/r'], { OCTOHATRACK_PLAN: '' }, cwd).plan).toBe('both-budgets');
    expect(() => resolveOptions({}, ['o/r'], { OCTOHATRACK_PLAN: 'graphql' }, cwd)).toThrow(/^OCTOHATRACK_PLAN is 'graphql': use both-budgets or rest-listings$/);
  });

  it('takes flags over the environment over the defaults', () => {
    const env = { OCTOHATRACK_CACHE_DIR: '/env/cache', GH_TOKEN: 'gh-token', GITHUB_TOKEN: 'actions-token' };
    expect(resolveOptions({}, ['o/r'], env, cwd).cache.dir).toBe('/env/cache');
    expect(resolveOptions({ cacheDir: 'flag-cache' }, ['o/r'], env, cwd).cache.dir).toBe(path.join(cwd, 'flag-cache'));
    expect(resolveOptions({}, ['o/r'], env, cwd).token).toBe('gh-token');
    expect(resolveOptions({}, ['o/r'], { GITHUB_TOKEN: 'actions-token', GH_TOKEN: '' }, cwd).token).toBe('actions-token');
  });

  it('takes a token without the white space around it, and refuses one with any inside', () => {
    expect(resolveOptions({}, ['o/r'], { GH_TOKEN: '  ghp_abc123\n' }, cwd).token).toBe('ghp_abc123');
    expect(() => resolveOptions({}, ['o/r'], { GH_TOKEN: 'ghp_abc123\nsecond line' }, cwd)).toThrow(/^GH_TOKEN contains a line break: set it to the token alone$/);
    expect(() => resolveOptions({}, ['o/r'], { GITHUB_TOKEN: 'ghp_abc 123' }, cwd)).toThrow(/^GITHUB_TOKEN contains a space or a control character/);
    expect(() => resolveOptions({}, ['o/r'], { GH_TOKEN: 'ghp_abc\u0000123' }, cwd)).toThrow(/control character/);
    expect(() => resolveOptions({}, ['o/r'], { GH_TOKEN: 'ghp_abc\u0085123' }, cwd)).toThrow(/control character/);
  });

  it('refuses a base URL that holds a user name or password, without repeating it', () => {
    for (const name of ['GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'GITHUB_SERVER_URL']) {
      expect(() => resolveOptions({}, ['o/r'], { [name]: 'https://me:s3cret@ghe.example.com/api/v3' }, cwd)).toThrow(new RegExp(`^${name} must not hold a user name or password`));
      expect(() => resolveOptions({}, ['o/r'], { [name]: 'https://me:s3cret@ghe.example.com/api/v3' }, cwd)).not.toThrow(/s3cret/);
    }
    expect(() => resolveOptions({}, ['o/r'], { GITHUB_API_URL: 'http://me:s3cret@[' }, cwd)).toThrow('GITHUB_API_URL is not a URL: "http://***@["');
  });

  it('reads the API URLs GitHub Actions and Enterprise Server use', () => {
    const options = resolveOptions({}, ['o/r'], { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }, cwd);
    expect(options.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(options.graphqlUrl).toBe('https://ghe.example.com/api/graphql');
    expect(deriveGraphqlUrl('http://127.0.0.1:9')).toBe('http://127.0.0.1:9/graphql');
  });

  it('merges repeated repositories and owners, case-insensitively', () => {
    expect(resolveOptions({}, ['o/r', 'https://github.com/O/R', 'o/s', 'acme', 'ACME/*'], {}, cwd).targets).toEqual([
      { kind: 'repository', name: { owner: 'o', repo: 'r' } },
      { kind: 'repository', name: { owner: 'o', repo: 's' } },
      { kind: 'owner', owner: 'acme' },
    ]);
  });

  it.each([
    [{ concurrency: '0' }, /--concurrency/],
    [{ concurrency: '17' }, /--concurrency/],
    [{ concurrency: 'four' }, /--concurrency/],
    [{ maxAge: 'soon' }, /--max-age/],
    [{ timeout: '0' }, /--timeout/],
  ])('rejects %j', (flags, message) => {
    expect(() => resolveOptions(flags, ['o/r'], {}, cwd)).toThrow(message);
  });

  it('rejects a missing repository and a bad API URL', () => {
    expect(() => resolveOptions({}, [], {}, cwd)).toThrow(UsageError);
    expect(() => resolveOptions({}, ['o/r'], { GITHUB_API_URL: 'not a url' }, cwd)).toThrow(/GITHUB_API_URL/);
    expect(() => resolveOptions({}, ['o/r'], { GITHUB_API_URL: 'file:///tmp' }, cwd)).toThrow(/GITHUB_API_URL/);
  });

  it('reads --refresh as max-age 0, and --exclude as a list of patterns', () => {
    expect(resolveOptions({ refresh: true, maxAge: '7d' }, ['o/r'], {}, cwd).cache).toEqual({ enabled: true, dir: path.join(cwd, '.cache', 'octohatrack'), maxAgeMs: 0 });
    expect(resolveOptions({ exclude: ['renovate*,*-ci', 'x[bot]'], bots: false }, ['o/r'], {}, cwd)).toMatchObject({ exclude: ['renovate*', '*-ci', 'x[bot]'], bots: false });
    expect(() => resolveOptions({ exclude: ['../etc'] }, ['o/r'], {}, cwd)).toThrow(/invalid --exclude pattern/);
  });

  it('lets --quiet win over --verbose and turns --no-cache and --no-names off', () => {
    const options = resolveOptions({ quiet: true, verbose: true, cache: false, names: false }, ['o/r'], {}, cwd);
    expect(options).toMatchObject({ quiet: true, verbose: false, cache: { enabled: false }, names: false });
  });
});

describe('parseSince', () => {
  it.each([
    ['2026-01-31', '2026-01-31T00:00:00Z'],
    ['2026-01-31T12:30:00Z', '2026-01-31T12:30:00Z'],
    ['2026-01-31T12:30:00.250Z', '2026-01-31T12:30:00Z'],
    ['2026-01-31T12:30:00+02:00', '2026-01-31T10:30:00Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseSince(text)).toBe(iso);
  });

  it.each(['yesterday', '31/01/2026', '2026-13-01', '2026-01-31T25:00:00Z', ''])('rejects %j', (text) => {
    expect(() => parseSince(text)).toThrow(/invalid --since/);
  });
});

describe('parseKinds', () => {
  it('counts every kind unless told otherwise, in the vocabulary\'s order', () => {
    expect(parseKinds({})).toEqual([...kinds]);
    expect(parseKinds({ kinds: 'review, CODE' })).toEqual(['code', 'review']);
    expect(parseKinds({ skipKinds: 'comment,review-comment' })).toEqual(kinds.filter((kind) => kind !== 'comment' && kind !== 'review-comment'));
    expect(parseKinds({ kinds: 'code,wiki', skipKinds: 'wiki' })).toEqual(['code']);
  });

  it('takes --no-wiki as --skip-kinds wiki', () => {
    expect(parseKinds({ wiki: false })).not.toContain('wiki');
    expect(parseKinds({ kinds: 'wiki,issue', wiki: false })).toEqual(['issue']);
  });

  it('refuses an unknown kind, an empty list, and nothing left to count, naming the vocabulary', () => {
    expect(() => parseKinds({ kinds: 'code,reviews' })).toThrow(new UsageError(`unknown kind 'reviews' in --kinds: use ${kinds.join(', ')}`));
    expect(() => parseKinds({ skipKinds: ' , ' })).toThrow(/--skip-kinds needs one or more kinds: code, /);
    expect(() => parseKinds({ kinds: 'wiki', wiki: false })).toThrow(/leave no kind to count/);
    expect(() => parseKinds({ skipKinds: kinds.join(',') })).toThrow(/leave no kind to count/);
  });
});

describe('parseTarget', () => {
  it.each([
    ['acme', { kind: 'owner', owner: 'acme' }],
    ['acme/*', { kind: 'owner', owner: 'acme' }],
    ['a-b-c', { kind: 'owner', owner: 'a-b-c' }],
    [`${'o'.repeat(39)}/*`, { kind: 'owner', owner: 'o'.repeat(39) }],
    ['acme/tool', { kind: 'repository', name: { owner: 'acme', repo: 'tool' } }],
    ['https://github.com/acme/tool', { kind: 'repository', name: { owner: 'acme', repo: 'tool' } }],
    ['https://github.com/acme', { kind: 'owner', owner: 'acme' }],
    ['https://github.com/acme/', { kind: 'owner', owner: 'acme' }],
  ])('reads %s', (arg, expected) => {
    expect(parseTarget(arg)).toEqual(expected);
  });

  it.each([
    ['acme/', /invalid repository "acme\/": no repository after the owner: give acme\/<repo>, or acme for all its repositories/],
    ['/*', /invalid owner "\/\*"/],
    ['*', /invalid owner "\*"/],
    ['', /invalid owner ""/],
    ['-acme', /invalid owner "-acme"/],
    ['ac_me', /invalid owner "ac_me"/],
    [`${'o'.repeat(40)}`, /invalid owner/],
    ['acme/**', /invalid repository "acme\/\*\*"/],
    ['acme/*/x', /invalid repository/],
    ['*/tool', /invalid repository/],
    ['acme/to*l', /invalid repository/],
    ['javascript:x', /invalid repository/],
  ])('rejects %j, naming what is wrong', (arg, message) => {
    expect(() => parseTarget(arg)).toThrow(UsageError);
    expect(() => parseTarget(arg)).toThrow(message);
  });
});

describe('a repository on a GitHub Enterprise Server host', () => {
  const cwd = '/work/here';

  it('selects that host\u2019s API when no GITHUB_API_URL or GITHUB_SERVER_URL is set, with its own token', () => {
    const options = resolveOptions({}, ['ghe.example.com/acme/widgets', 'https://GHE.example.com/acme/gadgets/issues/1'], { GH_TOKEN: 'github-com-token', GH_ENTERPRISE_TOKEN: 'ghe-token' }, cwd);
    expect(options).toMatchObject({ apiUrl: 'https://ghe.example.com/api/v3', graphqlUrl: 'https://ghe.example.com/api/graphql', serverUrl: 'https://ghe.example.com', token: 'ghe-token' });
    expect(options.targets).toEqual([
      { kind: 'repository', name: { owner: 'acme', repo: 'widgets' } },
      { kind: 'repository', name: { owner: 'acme', repo: 'gadgets' } },
    ]);
    // The github.com token is never handed to a host named on the command line.
    expect(resolveOptions({}, ['ghe.example.com/acme/widgets'], { GH_TOKEN: 'github-com-token' }, cwd).token).toBeNull();
    expect(resolveOptions({}, ['git@ghe.example.com:acme/widgets.git'], { GITHUB_ENTERPRISE_TOKEN: 'ghe-token' }, cwd).token).toBe('ghe-token');
  });

  it('keeps the configured host, and refuses another one or two hosts at once', () => {
    const env = { GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_SERVER_URL: 'https://ghe.example.com', GH_TOKEN: 't' };
    expect(resolveOptions({}, ['https://ghe.example.com/acme/widgets'], env, cwd)).toMatchObject({ apiUrl: 'https://ghe.example.com/api/v3', token: 't' });
    expect(() => resolveOptions({}, ['other.example.com/acme/widgets'], env, cwd)).toThrow(/other.example.com is neither github.com nor the host of GITHUB_SERVER_URL \(ghe.example.com\); unset GITHUB_API_URL and GITHUB_SERVER_URL to use it/);
    expect(() => resolveOptions({}, ['a.example.com/o/r', 'b.example.com/o/r'], {}, cwd)).toThrow(/on several hosts \(a.example.com, b.example.com\)/);
  });
});

describe("choosing among an owner's repositories", () => {
  const cwd = '/work/here';

  it('reads --include-forks, --include-archived and --exclude-repo (repeatable, comma-separated)', () => {
    const options = resolveOptions({ includeForks: true, includeArchived: true, excludeRepo: ['legacy-*,test-?', ' acme/old-* ', 'x.y_z'] }, ['acme'], {}, cwd);
    expect(options.ownerRepositories).toEqual({ forks: true, archived: true, exclude: ['legacy-*', 'test-?', 'acme/old-*', 'x.y_z'] });
    expect(resolveOptions({}, ['acme', 'o/r'], {}, cwd).ownerRepositories).toEqual({ forks: false, archived: false, exclude: [] });
  });

  it.each([
    [{ excludeRepo: ['../x'] }, ['acme'], /invalid --exclude-repo pattern "..\/x"/],
    [{ excludeRepo: ['a/b/c'] }, ['acme'], /invalid --exclude-repo pattern "a\/b\/c"/],
    [{ excludeRepo: ['a b'] }, ['acme'], /invalid --exclude-repo pattern "a b"/],
    [{ excludeRepo: ['[abc]'] }, ['acme'], /invalid --exclude-repo pattern/],
    [{ excludeRepo: ['x'] }, ['o/r'], /^--exclude-repo chooses among an owner's repositories: give an owner \(acme or acme\/\*\), not only owner\/repo$/],
    [{ includeForks: true, includeArchived: true }, ['o/r'], /^--include-forks, --include-archived choose among an owner's repositories/],
  ])('rejects %j with %j', (flags, args, message) => {
    expect(() => resolveOptions(flags, args, {}, cwd)).toThrow(UsageError);
    expect(() => resolveOptions(flags, args, {}, cwd)).toThrow(message);
  });
});

describe('parseTarget, on any input', () => {
  const ownerArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/);

  it('reads any owner, alone or with /*, as that owner', () => {
    fc.assert(
      fc.property(ownerArb, fc.constantFrom('', '/*'), (owner, suffix) => {
        expect(parseTarget(`${owner}${suffix}`)).toEqual({ kind: 'owner', owner });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a login or an owner/repo GitHub could have, or a usage error of bounded length', () => {
    const candidates = fc.oneof(hostileString(30), fc.tuple(hostileString(8), fc.constantFrom('/*', '/', '*', '/**')).map(([a, b]) => a + b), fc.string({ maxLength: 50_000, minLength: 5_000 }));
    fc.assert(
      fc.property(candidates, (input) => {
        let target: RepositoryTarget;
        try {
          target = parseTarget(input);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeLessThan(400);
          return;
        }
        const owner = target.kind === 'owner' ? target.owner : target.name.owner;
        expect(owner).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/);
        if (target.kind === 'repository') expect(target.name.repo).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
      }),
      { numRuns: 3000 },
    );
  });
});
