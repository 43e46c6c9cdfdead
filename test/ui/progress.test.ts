/** Progress on stderr, in-process: which repository of how many, on plain lines and on the spinner. */
import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressUi } from '../../src/ui/progress.js';

function terminal(isTTY: boolean, columns = 100) {
  // What ora asks of a terminal stream besides write(): moving the cursor and clearing lines (no-ops here).
  const done = (): boolean => true;
  const stream = Object.assign(new PassThrough(), { columns, isTTY, cursorTo: done, moveCursor: done, clearLine: done });
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const ui = createProgressUi({ stream, isTTY, quiet: false, verbose: false, color: new Chalk({ level: 0 }), rateLimit: () => null });
  return { ui, written: () => written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('which repository of how many', () => {
  it('prefixes each line of a repository with [index/total] when there are several', () => {
    const { ui, written } = terminal(false);
    ui.repositoryStarted('acme/app', { index: 1, total: 2 });
    ui.sourceDone('acme/app', 'issues', 3, 3);
    ui.repositoryStarted('acme/docs', { index: 2, total: 2 });
    ui.sourceDone('acme/docs', 'comments', 1, 4);
    ui.sourceDone('', 'names', 4);
    ui.stop();
    expect(written()).toBe('[1/2] acme/app: issues: 3 people\n[2/2] acme/docs: comments: 1 person\nnames: 4 people\n');
  });

  it('and none for a single repository', () => {
    const { ui, written } = terminal(false);
    ui.repositoryStarted('acme/app', { index: 1, total: 1 });
    ui.sourceDone('acme/app', 'issues', 3, 3);
    ui.stop();
    expect(written()).toBe('acme/app: issues: 3 people\n');
  });

  it('shows it first on the spinner, and no repository once the names are asked', () => {
    vi.useFakeTimers();
    const { ui, written } = terminal(true);
    ui.repositoryStarted('acme/docs', { index: 2, total: 5 });
    ui.progress('acme/docs', 'issues', { pagesDone: 1, pagesKnown: 3 });
    vi.advanceTimersByTime(200);
    expect(written()).toContain('[2/5] acme/docs · issues 1/3');
    ui.progress('', 'names', { pagesDone: 0, pagesKnown: 1 });
    const before = written().length;
    vi.advanceTimersByTime(200);
    expect(written().slice(before)).toContain('issues 1/3 · names');
    expect(written().slice(before)).not.toContain('acme/docs');
    ui.stop();
  });
});

describe('the people found so far', () => {
  it('are written as every other count is, thousands grouped: on plain lines and on the spinner', () => {
    const plain = terminal(false);
    plain.ui.sourceDone('acme/app', 'comments', 2173, 2173);
    plain.ui.sourceDone('', 'names', 2529);
    plain.ui.stop();
    expect(plain.written()).toBe('acme/app: comments: 2,173 people\nnames: 2,529 people\n');
  });

  it('follow the pages as they come, before any source is done', () => {
    vi.useFakeTimers();
    const { ui, written } = terminal(true);
    ui.progress('acme/app', 'issues', { pagesDone: 1, pagesKnown: 4 }, 57);
    vi.advanceTimersByTime(200);
    expect(written()).toContain('issues 1/4 · 57 people so far');
    ui.progress('acme/app', 'issues', { pagesDone: 2, pagesKnown: 4 }, 1204);
    vi.advanceTimersByTime(200);
    expect(written()).toContain('issues 2/4 · 1,204 people so far');
    ui.stop();
  });
});

describe('waiting for a rate limit', () => {
  it.each([
    // Room for everything: the countdown first, then the repository, its sources, the people so far.
    [140, 'acme/docs', /REST API primary rate limit: waiting 5 min 00 s · \[2\/5\] acme\/docs · comments 4\/9 · 1,204 people so far/],
    // A narrow terminal keeps the people so far before the repository and its sources.
    [80, 'acme/documentation-site', /REST API primary rate limit: waiting 5 min 00 s · 1,204 people so far$/m],
  ])('on %d columns, counts down with what is done so far beside it', (columns, repository, expected) => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T10:00:00Z'));
    const { ui, written } = terminal(true, columns);
    ui.repositoryStarted(repository, { index: 2, total: 5 });
    ui.progress(repository, 'comments', { pagesDone: 4, pagesKnown: 9 });
    ui.sourceDone(repository, 'issues', 3, 1204);
    ui.wait({ reason: 'primary rate limit', resource: 'core', until: new Date('2026-11-30T10:05:00Z'), url: '/x' });
    const before = written().length;
    vi.advanceTimersByTime(1000);
    expect(written().slice(before).replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '\n')).toMatch(expected);
    ui.stop();
  });
});
