import { describe, expect, it } from 'vitest';
import { keepNames, nameKey, toProfile } from '../../src/collectors/inline-names.js';
import { mergeDescribed } from '../../src/collectors/names.js';
import { reviewsQuery, shapeReviewsByNumber } from '../../src/collectors/reviews.js';
import { discussionCommentsQuery } from '../../src/collectors/discussions.js';
import { threadsQuery } from '../../src/collectors/thread-query.js';
import { commentsConnection } from '../../src/collectors/threads.js';
import type { UserProfile } from '../../src/domain/contribution.js';

const user = (login: string, name: string | null): UserProfile => ({ login, type: 'User', name });

describe('display names an answer already carries', () => {
  it('asks each author query for the name of a user beside the login, as the Names query asks it', () => {
    for (const query of [threadsQuery([{ pull: false }], commentsConnection), reviewsQuery(1), discussionCommentsQuery(1)]) expect(query).toContain('author { __typename login ... on User { name } }');
  });

  it('reads a user’s name, or none; bots, organisations, deleted accounts and answers without the field describe nobody', () => {
    expect(toProfile({ __typename: 'User', login: 'alice', name: 'Alice Liddell' })).toEqual(user('alice', 'Alice Liddell'));
    expect(toProfile({ __typename: 'User', login: 'bob', name: null })).toEqual(user('bob', null));
    expect(toProfile({ __typename: 'User', login: 'bob', name: '' })).toEqual(user('bob', null));
    expect(toProfile({ __typename: 'Bot', login: 'dependabot' })).toBeUndefined();
    expect(toProfile({ __typename: 'Organization', login: 'octo-org', name: 'Octo Org' })).toBeUndefined();
    expect(toProfile(null)).toBeUndefined();
    expect(toProfile({ __typename: 'User', login: 'carol' })).toBeUndefined();
  });

  it('carries the names of a Reviews answer out with its authors', () => {
    const nodes = [
      { author: { __typename: 'User', login: 'alice', name: 'Alice Liddell' }, submittedAt: '2024-01-01T00:00:00Z' },
      { author: { __typename: 'Bot', login: 'ci' }, submittedAt: '2024-01-01T00:00:00Z' },
      { author: null, submittedAt: '2024-01-01T00:00:00Z' },
    ];
    const answer = { data: { repository: { p0: { reviews: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } };
    expect(shapeReviewsByNumber([3])(answer).get(3)?.profiles).toEqual([user('alice', 'Alice Liddell')]);
  });
});

describe('merging the names answers carried with the names kept', () => {
  const kept = new Map<string, UserProfile>([
    ['alice', user('alice', 'Alice Liddell')],
    ['bob', user('bob', 'Bob Old')],
    ['carol', user('carol', 'Carol Danvers')],
  ]);
  const recall = (login: string): UserProfile | undefined => kept.get(login.toLowerCase());

  it('asks only for the people neither an answer of this run nor a kept name within its max-age describes', () => {
    const described = new Map([['dave', user('Dave', 'Dave Developer')], ['erin', user('erin', null)]]);
    const { profiles, unknown } = mergeDescribed(['alice', 'Dave', 'erin', 'frank'], recall, described);
    expect(unknown).toEqual(['frank']);
    expect([...profiles.entries()]).toEqual([
      ['alice', user('alice', 'Alice Liddell')],
      ['dave', user('Dave', 'Dave Developer')],
      ['erin', user('erin', null)],
    ]);
  });

  it('prefers the name this run read to an older one kept, and uses the kept one for the others', () => {
    const described = new Map([['bob', user('bob', 'Bob New')]]);
    const { profiles, unknown } = mergeDescribed(['bob', 'carol'], recall, described);
    expect(unknown).toEqual([]);
    expect(profiles.get('bob')?.name).toBe('Bob New');
    expect(profiles.get('carol')?.name).toBe('Carol Danvers');
  });

  it('keeps a carried name where the names step looks for it, once per person, as of when it was read', () => {
    const remembered: Array<[string, unknown]> = [];
    keepNames({ remember: (key, body) => remembered.push([key, body]) }, [user('alice', 'Alice Liddell'), user('Dave', 'Dave Developer'), user('alice', 'Alice Liddell')]);
    expect(remembered).toEqual([
      [nameKey('alice'), user('alice', 'Alice Liddell')],
      [nameKey('Dave'), user('Dave', 'Dave Developer')],
    ]);
    expect(nameKey('a b')).toBe('/users/a%20b');
  });

  it('matches a carried name to the login however the report spells it', () => {
    const { profiles, unknown } = mergeDescribed(['davethedev'], () => undefined, new Map([['davethedev', user('DaveTheDev', 'Dave Developer')]]));
    expect(unknown).toEqual([]);
    expect(profiles.get('davethedev')?.name).toBe('Dave Developer');
  });
});
