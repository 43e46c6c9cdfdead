import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/text/format-duration.js';
import { plural } from '../../src/text/plural.js';
import { redactSecrets, secretsOf } from '../../src/text/redact.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [300, '300 ms'],
    [1500, '1.5 s'],
    [12_000, '12 s'],
    [120_000, '2 min 00 s'],
    [125_000, '2 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_720_000, '1 h 02 min'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [12_400, '12 s'],
    [2_678_000, '45 min'],
    [3_599_000, '1 h 00 min'],
    [5_400_000, '1 h 30 min'],
  ])('rounds %d ms to the minute for an estimate: %s', (ms, text) => {
    expect(formatDuration(ms, 'minute')).toBe(text);
  });
});

describe('plural', () => {
  it('counts in thousands, with the noun that fits', () => {
    expect(plural(1, 'request')).toBe('1 request');
    expect(plural(0, 'request')).toBe('0 requests');
    expect(plural(1204, 'person', 'people')).toBe('1,204 people');
    expect(plural(1, 'contributor is', 'contributors are')).toBe('1 contributor is');
  });
});

describe('redactSecrets', () => {
  it('blanks every copy of each token, and every URL\u2019s user name and password', () => {
    const token = 'ghp_0123456789abcdef';
    expect(redactSecrets(`Bad token ${token}; twice ${token}.`, [token])).toBe('Bad token ***; twice ***.');
    expect(redactSecrets('cannot reach https://me:pw@ghe.example.com/api/v3 or ssh://git@host/x', [])).toBe('cannot reach https://***@ghe.example.com/api/v3 or ssh://***@host/x');
    expect(redactSecrets('https://me:p@ss@host/x', [])).toBe('https://***@host/x');
    expect(redactSecrets('mail me@example.com at https://example.com/a@b', [])).toBe('mail me@example.com at https://example.com/a@b');
  });

  it('leaves short values alone (they are not tokens, and would blank ordinary words)', () => {
    expect(redactSecrets('an error occurred', ['err'])).toBe('an error occurred');
  });

  it('finds the tokens a run may send in the environment', () => {
    expect(secretsOf({ GH_TOKEN: ' a-token-value \n', GITHUB_TOKEN: '', GH_ENTERPRISE_TOKEN: 'enterprise-token', HOME: '/home/x' })).toEqual(['a-token-value', 'enterprise-token']);
  });
});
