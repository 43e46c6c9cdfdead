import { describe, expect, it } from 'vitest';
import type { Contribution } from '../../src/domain/contribution.js';
import { isBot } from '../../src/domain/contribution.js';
import { loginPattern, selectContributions } from '../../src/report/select.js';

const by = (login: string | null, type: 'User' | 'Bot' | null = 'User'): Contribution =>
  login === null ? { who: { login: null, type: null, name: 'Name Only' }, kind: 'wiki', count: 1 } : { who: { login, type }, kind: 'comment', count: 1 };

describe('selection', () => {
  it('knows a bot by its type or its [bot] suffix', () => {
    expect(isBot('dependabot[bot]', null)).toBe(true);
    expect(isBot('renovate', 'Bot')).toBe(true);
    expect(isBot('robot', 'User')).toBe(false);
  });

  it('matches * patterns whole and case-insensitively', () => {
    expect(loginPattern('renovate*').test('Renovate-Bot')).toBe(true);
    expect(loginPattern('*-ci').test('acme-ci')).toBe(true);
    expect(loginPattern('*-ci').test('acme-ci-2')).toBe(false);
    expect(loginPattern('a.b').test('axb')).toBe(false);
    expect(loginPattern('x[bot]').test('x[bot]')).toBe(true);
  });

  it('leaves out bots and excluded logins, never name-only entries', () => {
    const all = [by('alice'), by('dependabot[bot]', 'Bot'), by('acme-ci'), by('Renovate'), by(null)];
    expect(selectContributions(all, { bots: true, exclude: [] })).toEqual(all);
    expect(selectContributions(all, { bots: false, exclude: ['*-ci', 'renovate*'] }).map((c) => c.who.login)).toEqual(['alice', null]);
  });
});
