/**
 * `--kinds` and `--skip-kinds`: only the kinds asked for are counted, and a kind left out is not asked
 * of GitHub at all (beyond the issues listing that reviews and comments need to know the items).
 */
import { describe, expect, it } from 'vitest';
import { kinds } from '../../src/domain/contribution.js';
import { runCli } from './run-cli.js';
import { worldsPerTest } from './world.js';
import type { JsonReport } from './world.js';

const worlds = worldsPerTest();


const kindsOf = (report: JsonReport): string[] => [...new Set(report.contributors.flatMap((c) => c.kinds))].sort();

describe('choosing kinds', () => {
  it('--kinds counts only those kinds, and asks GitHub only for their sources', async () => {
    const world = await worlds.open();
    const { facts } = world.fixture;
    const result = await runCli([facts.fullName, '--kinds', 'code,review', '--format', 'json', '--no-names'], world.env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(kindsOf(report)).toEqual(['code', 'review']);
    expect(report.complete).toBe(true);
    // Everyone with code or a review, and nobody else.
    const expected = [...new Set([...facts.loginsByKind.code, ...facts.loginsByKind.review])].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect(report.contributors.map((c) => c.login).filter((login): login is string => login !== null).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))).toEqual(expected);
    const asked = world.github.requests.map((r) => r.operation ?? r.path.replace(/\?.*$/, ''));
    // The issues listing is asked for the reviews' pull requests; no comments, files or wiki.
    expect(asked).toContain(`/repos/${facts.fullName}/issues`);
    expect(asked.filter((path) => /comments|contents|Comments|Names/.test(path))).toEqual([]);
    expect(result.stderr).not.toMatch(/issues and pull requests:|comments:/);
    expect(result.stderr).toMatch(/reviews: \d+ people/);
  });

  it('--skip-kinds leaves those kinds out, and --dry-run prices only what is left', async () => {
    const world = await worlds.open();
    const { facts } = world.fixture;
    const args = [facts.fullName, '--skip-kinds', 'comment,review-comment,commit-comment,review', '--no-wiki'];
    const dry = await runCli([...args, '--dry-run'], world.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}issues and pull requests /m);
    expect(dry.stdout).not.toMatch(/comments|reviews/);
    world.github.clearLog();
    const result = await runCli([...args, '--format', 'json', '--no-names'], world.env);
    expect(result.code).toBe(0);
    expect(kindsOf(JSON.parse(result.stdout) as JsonReport)).toEqual(['code', 'contributors-file', 'issue', 'pull-request']);
    expect(world.github.requests.filter((r) => /comments|graphql/.test(r.path))).toEqual([]);
  });

  it('an unknown kind is a usage error that names the vocabulary, before any request', async () => {
    const world = await worlds.open();
    const result = await runCli([world.fixture.facts.fullName, '--kinds', 'code,reviewz'], world.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`unknown kind 'reviewz' in --kinds: use ${kinds.join(', ')}`);
    expect(kinds).toContain('review');
    expect(world.github.requests).toEqual([]);
  });
});
