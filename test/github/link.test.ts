import { describe, expect, it } from 'vitest';
import { pageNumberOf, parseLinkHeader } from '../../src/github/link.js';

describe('parseLinkHeader', () => {
  it('reads the relations GitHub sends', () => {
    const header =
      '<https://api.github.com/repositories/1/issues?state=all&per_page=100&page=2>; rel="next", ' +
      '<https://api.github.com/repositories/1/issues?state=all&per_page=100&page=5>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://api.github.com/repositories/1/issues?state=all&per_page=100&page=2',
      last: 'https://api.github.com/repositories/1/issues?state=all&per_page=100&page=5',
    });
  });

  it('ignores unknown relations and malformed parts', () => {
    expect(parseLinkHeader('<a>; rel="deprecation", garbage, <b>; rel=prev')).toEqual({ prev: 'b' });
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
  });

  it('tells page-numbered links from cursor links', () => {
    expect(pageNumberOf('https://x/y?page=7&per_page=100')).toBe(7);
    expect(pageNumberOf('https://x/y?after=Y3Vyc29y')).toBeNull();
    expect(pageNumberOf('not a url')).toBeNull();
  });
});
