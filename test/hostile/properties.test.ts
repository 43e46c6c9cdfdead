/**
 * Property-based tests (fast-check) of every parser that reads what a user types or a server sends:
 * the repository name, the CONTRIBUTORS file, the `Link` header, durations; and of what makes server
 * text safe to show: the terminal sanitiser, csv cells, markdown text. Each property is tried on
 * thousands of generated inputs, hostile ones first; the total is printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseContributorsFile } from '../../src/collectors/contributors-file.js';
import { maxCoAuthorsPerCommit, maxTrailerLength, parseCoAuthors } from '../../src/domain/co-authors.js';
import { UsageError } from '../../src/errors.js';
import { pageNumberOf, parseLinkHeader } from '../../src/github/link.js';
import { parseDuration, parseRepository } from '../../src/options.js';
import { csvCell } from '../../src/report/format-csv.js';
import { markdownText } from '../../src/report/format-markdown.js';
import { maxDisplayLength, sanitizeMessage, sanitizeText } from '../../src/text/sanitize.js';
import { createCounter, hostileString, terminalAttack, terminalControls } from './arbitraries.js';

const counter = createCounter();
afterAll(() => {
  console.log(`properties.test.ts: ${counter.total().toLocaleString('en-US')} generated inputs tried`);
});

const ownerArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/);
const repoArb = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/).filter((repo) => repo !== '.' && repo !== '..');
const ownerPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;

describe('the repository name parser', () => {
  it('gives back any valid owner/repo, written plainly or as a GitHub URL', () => {
    fc.assert(
      fc.property(ownerArb, repoArb, fc.constantFrom('', '.git', '/', '.git/'), fc.constantFrom('https://github.com/', 'http://github.com/', 'https://www.github.com/', 'https://GITHUB.com/'), (owner, repo, suffix, base) => {
        // `.git` is a clone's suffix, never part of a name (GitHub takes it off a new repository's).
        const bare = repo.replace(/\.git$/, '');
        if (bare === '' || bare === '.' || bare === '..') return;
        expect(parseRepository(`${owner}/${repo}`)).toEqual({ owner, repo: bare });
        const viaUrl = parseRepository(`${base}${owner}/${repo}${suffix}`);
        const expected = suffix.includes('.git') ? repo : bare;
        if (expected !== '' && expected !== '.' && expected !== '..') expect(viaUrl).toEqual({ owner, repo: expected });
      }),
      counter.tried(2000),
    );
  });

  it('accepts only names GitHub could have, and refuses everything else with a usage error of bounded length', () => {
    const candidates = fc.oneof(
      hostileString(30),
      fc.tuple(hostileString(8), hostileString(8)).map(([a, b]) => `${a}/${b}`),
      fc.tuple(fc.constantFrom('https://github.com/', 'https://evil.example/', 'http://github.com@evil/', 'file:///', 'ftp://github.com/', 'https://github.com//'), hostileString(10)).map(([a, b]) => a + b),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ maxLength: 100_000, minLength: 10_000 }),
    );
    fc.assert(
      fc.property(candidates, (input) => {
        let parsed: { owner: string; repo: string } | null = null;
        try {
          parsed = parseRepository(input);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeLessThan(400);
          return;
        }
        expect(parsed.owner).toMatch(ownerPattern);
        expect(parsed.repo).toMatch(repoPattern);
        expect(['.', '..']).not.toContain(parsed.repo);
      }),
      counter.tried(5000),
    );
  });
});

describe('the CONTRIBUTORS parser', () => {
  const nameArb = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,30}[A-Za-z]$/);
  const loginArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/);

  it('reads back every entry written in the documented format', () => {
    const entryArb = fc.oneof(
      fc.record({ name: nameArb, github: loginArb }).map((e) => ({ line: `${e.name} <github:@${e.github}>`, login: e.github, name: e.name })),
      fc.record({ name: nameArb, twitter: loginArb }).map((e) => ({ line: `${e.name} <twitter:@${e.twitter}>`, login: null, name: e.name })),
      fc.record({ name: nameArb, user: loginArb, domain: fc.domain() }).map((e) => ({ line: `${e.name} <${e.user}@${e.domain}>`, login: null, name: e.name })),
      nameArb.map((name) => ({ line: name, login: null, name })),
    );
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 30 }), fc.array(fc.constantFrom('', '# a comment', '   ', '#'), { maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\r'), (entries, noise, newline) => {
        const text = [...noise, ...entries.map((entry) => entry.line), ...noise].join(newline);
        const { people, problems } = parseContributorsFile(text);
        expect(problems).toEqual([]);
        expect(people.map((person) => [person.login, person.name ?? null])).toEqual(entries.map((entry) => [entry.login, entry.name]));
      }),
      counter.tried(1500),
    );
  });

  it('never throws on hostile text, keeps only valid logins, and never lets a line break into a name', () => {
    const textArb = fc.oneof(
      fc.array(fc.oneof(hostileString(20), fc.tuple(hostileString(6), hostileString(10)).map(([name, alias]) => `${name} <${alias}>`), fc.tuple(hostileString(6), hostileString(6)).map(([name, login]) => `${name} <github:@${login}>`)), { maxLength: 40 }).map((lines) => lines.join('\n')),
      fc.string({ unit: 'binary', maxLength: 2000 }),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        const { people, problems } = parseContributorsFile(text);
        for (const person of people) {
          if (person.login !== null) expect(person.login).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/);
          expect(person.name ?? '').not.toMatch(/[\r\n]/);
          expect(person.name ?? '').not.toMatch(/^\s|\s$/);
        }
        for (const problem of problems) expect(problem.length).toBeLessThan(200);
      }),
      counter.tried(3000),
    );
  });

  // Every shape of line built to make its patterns backtrack, 1,000 characters long: one that made
  // them backtrack exponentially would never end. How long 1 MiB of each takes (a slower, quadratic
  // pattern) is measured by `npm run bench` (hot paths), against a budget of 2 s.
  it.each([' ', '<', '>', '@', ' <', '\t', ':'])('reads 64 lines built to make its patterns backtrack (filler %j) to the end', (filler) => {
    for (const end of ['x', '>', '<', '@', '']) {
      const line = `a${filler.repeat(Math.floor(998 / filler.length))}${end}`.slice(0, 1000);
      const { people, problems } = parseContributorsFile(Array.from({ length: 64 }, () => line).join('\n'));
      for (const person of people) expect(person.name ?? '').not.toMatch(/[\r\n]/);
      for (const problem of problems) expect(problem.length).toBeLessThan(200);
    }
  });
});

describe('the co-author trailer parser', () => {
  const nameArb = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,30}[A-Za-z]$/);
  const emailArb = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.+_-]{0,20}$/), fc.domain()).map(([user, domain]) => `${user}@${domain}`);
  const keyArb = fc.constantFrom('Co-authored-by', 'co-authored-by', 'CO-AUTHORED-BY', 'Co-Authored-By');

  it('reads back every co-author written in the documented format, whatever the key\'s case and the line breaks', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(nameArb, emailArb), { maxLength: 8, selector: ([, email]) => email.toLowerCase() }), keyArb, fc.constantFrom('\n', '\r\n'), (people, key, lineBreak) => {
        const message = ['Subject', '', 'Body text.', '', ...people.map(([name, email]) => `${key}: ${name} <${email}>`)].join(lineBreak);
        expect(parseCoAuthors(message)).toEqual(people.map(([name, email]) => ({ name, email })));
      }),
      counter.tried(1500),
    );
  });

  it('never throws on hostile text, and keeps only bounded, well-formed, distinct addresses', () => {
    const trailerArb = fc.tuple(keyArb, hostileString(8), hostileString(8)).map(([key, name, email]) => `${key}: ${name} <${email}>`);
    const textArb = fc.oneof(
      fc.array(fc.oneof(hostileString(20), trailerArb, fc.constant(''), fc.constant('Signed-off-by: x')), { maxLength: 40 }).map((lines) => lines.join('\n')),
      fc.string({ unit: 'binary', maxLength: 2000 }),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        const found = parseCoAuthors(text);
        expect(found.length).toBeLessThanOrEqual(maxCoAuthorsPerCommit);
        expect(new Set(found.map(({ email }) => email.toLowerCase())).size).toBe(found.length);
        for (const { name, email } of found) {
          expect(email).toMatch(/^[^\s<>@\u0000-\u001f\u007f]+@[^\s<>@\u0000-\u001f\u007f]+$/);
          expect(name ?? 'x').not.toMatch(/^\s|\s$|[\n<>]/);
          expect((name ?? '').length + email.length).toBeLessThanOrEqual(maxTrailerLength);
        }
        // A CRLF is a line break like any other.
        const lf = text.replace(/\r/g, '');
        expect(parseCoAuthors(lf.replace(/\n/g, '\r\n'))).toEqual(parseCoAuthors(lf));
      }),
      counter.tried(3000),
    );
  });

  // Messages of 1 MiB built to make a parser go back over what it read: each one is read in one pass.
  // How long it takes is not measured here (no timing in tests): one that went quadratic would time out.
  it.each([' ', '\t', ':', '<', '>', '@', 'a', '-', '\n ', '\n', '\r\n', '\nCo-authored-by: x <y@z>', '\n  folded'])('reads a message of 1 MiB of %j to the end', (filler) => {
    const body = filler.repeat(Math.floor((1024 * 1024) / filler.length));
    for (const message of [`Subject\n\n${body}`, `Subject\n\nCo-authored-by: A${body}<a@x.org>`, `${body}\n\nCo-authored-by: B <b@x.org>`]) {
      const found = parseCoAuthors(message);
      expect(found.length).toBeLessThanOrEqual(maxCoAuthorsPerCommit);
    }
  });
});

describe('the Link header parser', () => {
  const urlArb = fc.webUrl({ withQueryParameters: true }).filter((url) => !/[<>,]/.test(url));
  const relArb = fc.subarray(['next', 'last', 'prev', 'first'] as const, { minLength: 1 });

  it('gives back every relation of a header however it is spaced, quoted and ordered', () => {
    fc.assert(
      fc.property(relArb, fc.array(urlArb, { minLength: 4, maxLength: 4 }), fc.constantFrom('', ' ', '  ', '\t'), fc.boolean(), fc.boolean(), (rels, urls, space, quoted, extraParam) => {
        const parts = rels.map((rel, index) => `${space}<${urls[index] ?? ''}>${space};${space}${extraParam ? `type="x"${space};${space}` : ''}rel=${quoted ? `"${rel}"` : rel}`);
        const parsed = parseLinkHeader(parts.join(','));
        expect(parsed).toEqual(Object.fromEntries(rels.map((rel, index) => [rel, urls[index]])));
      }),
      counter.tried(2000),
    );
  });

  it('never throws on hostile headers, and never yields a target holding < or > or a relation of its own invention', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(40), fc.array(fc.tuple(hostileString(8), hostileString(8)).map(([url, rel]) => `<${url}>; rel="${rel}"`), { maxLength: 6 }).map((parts) => parts.join(', ')), fc.string({ unit: 'binary', maxLength: 500 })), (header) => {
        const parsed = parseLinkHeader(header);
        for (const [rel, target] of Object.entries(parsed)) {
          expect(['next', 'last', 'prev', 'first']).toContain(rel);
          expect(target).not.toMatch(/[<>]/);
        }
      }),
      counter.tried(4000),
    );
  });

  it('reads a page number only when it is one', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(20), fc.integer({ min: 0, max: 2_000_000_000 }).map((page) => `https://api.github.com/x?page=${page}`), fc.string().map((page) => `https://api.github.com/x?page=${encodeURIComponent(page)}`)), (url) => {
        const page = pageNumberOf(url);
        if (page !== null) {
          expect(Number.isSafeInteger(page)).toBe(true);
          expect(page).toBeGreaterThanOrEqual(0);
          expect(page).toBeLessThan(1_000_000_000);
        }
      }),
      counter.tried(2000),
    );
  });
});

describe('the duration parser', () => {
  const unitsMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

  it('gives back amount × unit for every number and unit, spaces around allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom('s', 'm', 'h', 'd'), fc.constantFrom('', ' ', '\t'), (amount, unit, space) => {
        expect(parseDuration(`${space}${amount}${unit}${space}`, '--max-age')).toBe(amount * unitsMs[unit]);
      }),
      counter.tried(2000),
    );
  });

  it('refuses anything else with a usage error naming the flag, or gives a finite whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(10), fc.string({ unit: 'binary', maxLength: 30 }), fc.tuple(fc.double(), fc.constantFrom('s', 'm', 'h', 'd', '', 'w', 'ms')).map(([n, u]) => `${n}${u}`)), (text) => {
        let ms: number;
        try {
          ms = parseDuration(text, '--max-age');
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toContain('--max-age');
          return;
        }
        expect(Number.isSafeInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(text.trim()).toMatch(/^\d{1,9}[smhd]?$/);
      }),
      counter.tried(3000),
    );
  });
});

describe('what makes server text safe to show', () => {
  it('sanitizeText: no escape, control character or bidi override survives; one line; at most 200 characters; idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(terminalAttack(), fc.string({ unit: 'binary', maxLength: 400 })), (text) => {
        const clean = sanitizeText(text);
        expect(clean).not.toMatch(terminalControls);
        expect(clean).not.toMatch(/[\n\r]/);
        expect(clean.length).toBeLessThanOrEqual(maxDisplayLength);
        expect(sanitizeText(clean)).toBe(clean);
      }),
      counter.tried(5000),
    );
  });

  it('sanitizeMessage: the same, line breaks kept', () => {
    fc.assert(
      fc.property(fc.oneof(terminalAttack(), fc.string({ unit: 'binary', maxLength: 400 })), (text) => {
        const clean = sanitizeMessage(text);
        expect(clean).not.toMatch(terminalControls);
        expect(clean).not.toMatch(/\r/);
        expect(clean.split('\n').length).toBeLessThanOrEqual(text.split(/\r\n|\r|\n|\u2028|\u2029/).length);
      }),
      counter.tried(5000),
    );
  });

  it('csv: a cell reads back as its text, with a leading apostrophe where a spreadsheet would see a formula', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(20), fc.string({ unit: 'binary', maxLength: 60 })), (value) => {
        const cell = csvCell(value);
        const read = /^"/.test(cell) ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        if (!/^"/.test(cell)) expect(cell).not.toMatch(/[",\r\n]/);
        else expect(cell.slice(1, -1)).not.toMatch(/(?<!")"(?!")/);
        expect(read).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
        expect(read).not.toMatch(/^[=+\-@\t\r]/);
      }),
      counter.tried(4000),
    );
  });

  it('markdown: no syntax character is left unescaped, and unescaping gives the text back', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(20), fc.string({ maxLength: 60 })), (value) => {
        const text = sanitizeText(value);
        const escaped = markdownText(text);
        // Every markdown/HTML syntax character is preceded by a backslash that is not itself escaped.
        expect(escaped.replace(/\\[\\`*_{}[\]()#+\-.!|<>~"'&:=@]/g, '')).not.toMatch(/[\\`*_{}[\]()#+\-.!|<>~"'&:=@]/);
        expect(escaped.replace(/\\(.)/gu, '$1')).toBe(text);
      }),
      counter.tried(4000),
    );
  });
});
