import { describe, expect, it } from 'vitest';
import { creditCoAuthors } from '../../src/collectors/co-authors.js';
import type { CommitAuthor } from '../../src/github/shapes.js';
import { shapeCommitsPage } from '../../src/github/shapes.js';

let shas = 0;
function commit(author: { name: string; email: string; login?: string; type?: 'User' | 'Bot' }, coAuthors: Array<[name: string | null, email: string]>): CommitAuthor {
  shas += 1;
  return {
    sha: String(shas).padStart(40, '0'),
    author: author.login === undefined ? null : { login: author.login, type: author.type ?? 'User' },
    name: author.name,
    email: author.email,
    coAuthors: coAuthors.map(([name, email]) => ({ name, email })),
  };
}

const ada = { name: 'Ada', email: 'ada@example.org', login: 'ada' };
const unlinked = { name: 'Una', email: 'una@example.org' };

describe('creditCoAuthors', () => {
  it('reads an account from a no-reply email, a bot included, with the name the trailer gives', () => {
    const found = creditCoAuthors([commit(unlinked, [['Bo', '7+bo@users.noreply.github.com'], ['Old Style', 'old-style@users.noreply.github.com'], ['dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com']])]);
    expect(found).toEqual([
      { who: { login: 'bo', type: null, name: 'Bo' }, kind: 'co-author', count: 1 },
      { who: { login: 'old-style', type: null, name: 'Old Style' }, kind: 'co-author', count: 1 },
      { who: { login: 'dependabot[bot]', type: 'Bot', name: 'dependabot[bot]' }, kind: 'co-author', count: 1 },
    ]);
  });

  it('reads an account from an email some commit of the listing has its author linked by, in any case', () => {
    const found = creditCoAuthors([commit(unlinked, [['Ada L.', 'ADA@example.org']]), commit(ada, [])]);
    expect(found).toEqual([{ who: { login: 'ada', type: 'User' }, kind: 'co-author', count: 1 }]);
  });

  it('keeps anyone else by name and email, one entry per email, counted once per commit', () => {
    const found = creditCoAuthors([
      commit(ada, [['Pat Pair', 'Pat@Example.com'], ['Pat', 'pat@example.com'], ['Nameless', 'x@example.com']]),
      commit(ada, [['Pat P.', 'pat@example.com']]),
    ]);
    expect(found).toEqual([
      { who: { login: null, type: null, name: 'Pat Pair', email: 'pat@example.com' }, kind: 'co-author', count: 2 },
      { who: { login: null, type: null, name: 'Nameless', email: 'x@example.com' }, kind: 'co-author', count: 1 },
    ]);
  });

  it('credits nobody for their own commit: by account, by no-reply email, or by the same unlinked email', () => {
    const found = creditCoAuthors([
      commit(ada, [['Ada', 'ada@example.org'], ['Ada', '1+ada@users.noreply.github.com'], ['Bo', 'bo@users.noreply.github.com']]),
      commit({ name: 'Ada', email: '1+ada@users.noreply.github.com' }, [['Ada again', 'ada@example.org']]),
      commit(unlinked, [['Una', 'UNA@example.org']]),
      commit(ada, [['Una', 'una@example.org']]),
    ]);
    expect(found).toEqual([
      { who: { login: 'bo', type: null, name: 'Bo' }, kind: 'co-author', count: 1 },
      { who: { login: null, type: null, name: 'Una', email: 'una@example.org' }, kind: 'co-author', count: 1 },
    ]);
  });

  it('finds nobody without trailers, or without commits', () => {
    expect(creditCoAuthors([commit(ada, [])])).toEqual([]);
    expect(creditCoAuthors([])).toEqual([]);
  });
});

describe('shapeCommitsPage', () => {
  const sent = [
    {
      sha: 'a'.repeat(40),
      commit: { author: { name: 'Ada', email: 'ada@example.org', date: '2020-01-01T00:00:00Z' }, message: 'Fix\n\nCo-authored-by: Bo <bo@example.org>\nSigned-off-by: Ada <ada@example.org>' },
      author: { login: 'ada', id: 1, type: 'User' },
      committer: { login: 'web-flow', id: 2, type: 'User' },
    },
  ];

  it('keeps the co-authors read from the message, not the message, and is idempotent', () => {
    const shaped = shapeCommitsPage(sent);
    expect(shaped).toEqual([{ sha: 'a'.repeat(40), author: { login: 'ada', type: 'User' }, name: 'Ada', email: 'ada@example.org', coAuthors: [{ name: 'Bo', email: 'bo@example.org' }] }]);
    expect(shapeCommitsPage(JSON.parse(JSON.stringify(shaped)))).toEqual(shaped);
  });

  it('refuses a commit without a message, and a cached one shaped before co-authors were read (so it is fetched again)', () => {
    expect(() => shapeCommitsPage([{ sha: 'b'.repeat(40), commit: { author: { name: 'A', email: 'a@x' } }, author: null }])).toThrow(/no message/);
    expect(() => shapeCommitsPage([{ sha: 'b'.repeat(40), author: null, name: 'A', email: 'a@x' }])).toThrow(/no co-authors/);
    expect(() => shapeCommitsPage([{ sha: 'b'.repeat(40), author: null, name: 'A', email: 'a@x', coAuthors: [{ name: 1, email: 'x' }] }])).toThrow(/co-author/);
  });
});
