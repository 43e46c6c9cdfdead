import { describe, expect, it } from 'vitest';
import { globPattern } from '../../src/domain/glob.js';
import { filterRepositories, matchesRepositoryGlob } from '../../src/domain/repository-filter.js';

describe('globPattern', () => {
  it.each([
    ['legacy-*', 'legacy-tool', true],
    ['legacy-*', 'legacy-', true],
    ['legacy-*', 'LEGACY-Tool', true],
    ['legacy-*', 'my-legacy-tool', false],
    ['*-archive', 'docs-archive', true],
    ['test-?', 'test-1', true],
    ['test-?', 'test-12', false],
    ['test-?', 'test-', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['*', '', true],
    ['x[bot]', 'x[bot]', true],
    ['(a|b)', 'a', false],
  ])('%s against %s: %s', (glob, text, expected) => {
    expect(globPattern(glob).test(text)).toBe(expected);
  });
});

describe('matchesRepositoryGlob', () => {
  it('matches the name, or with a slash the full name', () => {
    expect(matchesRepositoryGlob('tool', 'acme/tool')).toBe(true);
    expect(matchesRepositoryGlob('acme', 'acme/tool')).toBe(false);
    expect(matchesRepositoryGlob('*', 'acme/tool')).toBe(true);
    expect(matchesRepositoryGlob('acme/t*', 'ACME/Tool')).toBe(true);
    expect(matchesRepositoryGlob('other/t*', 'acme/tool')).toBe(false);
    expect(matchesRepositoryGlob('*/tool', 'acme/tool')).toBe(true);
    expect(matchesRepositoryGlob('ac?e/*', 'acme/tool')).toBe(true);
  });
});

describe('filterRepositories', () => {
  const listed = [
    { fullName: 'acme/app', fork: false, archived: false },
    { fullName: 'acme/fork', fork: true, archived: false },
    { fullName: 'acme/attic', fork: false, archived: true },
    { fullName: 'acme/old-fork', fork: true, archived: true },
    { fullName: 'acme/legacy-tool', fork: false, archived: false },
  ];
  const names = (kept: ReadonlyArray<{ fullName: string }>): string[] => kept.map((repository) => repository.fullName);

  it('leaves out forks and archived repositories by default, each counted once', () => {
    const result = filterRepositories(listed, { forks: false, archived: false, exclude: [] });
    expect(names(result.kept)).toEqual(['acme/app', 'acme/legacy-tool']);
    expect(result).toMatchObject({ forks: 2, archived: 1, excluded: 0 });
  });

  it('keeps them when asked, and leaves out what --exclude-repo matches', () => {
    expect(names(filterRepositories(listed, { forks: true, archived: false, exclude: [] }).kept)).toEqual(['acme/app', 'acme/fork', 'acme/legacy-tool']);
    expect(names(filterRepositories(listed, { forks: false, archived: true, exclude: [] }).kept)).toEqual(['acme/app', 'acme/attic', 'acme/legacy-tool']);
    const all = filterRepositories(listed, { forks: true, archived: true, exclude: ['legacy-*', '*fork'] });
    expect(names(all.kept)).toEqual(['acme/app', 'acme/attic']);
    expect(all).toMatchObject({ forks: 0, archived: 0, excluded: 3 });
  });
});
