import { describe, expect, it } from 'vitest';
import { collectTriage, shapeKeptEvents } from '../../src/collectors/triage.js';
import type { CollectorContext } from '../../src/collectors/types.js';
import type { GitHubHelper } from '../../src/github/helper.js';
import { apiUrl, scripted, testHelper } from '../github/support.js';

const repoPath = '/repos/o/r';
const first = `${repoPath}/issues/events?per_page=100`;
const page = (n: number): string => `${first}&page=${n}`;
const next = (n: number, last: number): Record<string, string> => ({ link: `<${apiUrl}${page(n)}>; rel="next", <${apiUrl}${page(last)}>; rel="last"` });

function event(id: number, name: string, actor: string | null | undefined, at: string): Record<string, unknown> {
  const rendered: Record<string, unknown> = { id, event: name, created_at: at, issue: { number: 1 } };
  if (actor !== undefined) rendered.actor = actor === null ? null : { login: actor, type: actor.endsWith('[bot]') ? 'Bot' : 'User' };
  return rendered;
}

function context(github: GitHubHelper, since: string | null = null): CollectorContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    github,
    repoPath,
    refresh: 'incremental',
    pushed: { at: null, branch: null },
    fullName: 'o/r',
    since,
    progress: () => undefined,
    warn: (message) => warnings.push(message),
    warnings,
  };
}

describe('collectTriage', () => {
  it('counts the actors of triage events only, one per event: a deleted actor as ghost, a bot as a bot', async () => {
    const transport = scripted({
      [first]: {
        status: 200,
        json: [
          event(6, 'merged', 'mia', '2024-01-06T00:00:00Z'),
          event(5, 'mentioned', 'max', '2024-01-05T00:00:00Z'),
          event(4, 'labeled', 'label-bot[bot]', '2024-01-04T00:00:00Z'),
          event(3, 'closed', null, '2024-01-03T00:00:00Z'),
          event(2, 'subscribed', 'max', '2024-01-02T00:00:00Z'),
          event(1, 'labeled', 'mia', '2024-01-01T00:00:00Z'),
        ],
      },
    });
    const found = await collectTriage(context(testHelper({ apiUrl, transport })));
    expect(found).toEqual({
      complete: true,
      contributions: [
        { who: { login: 'mia', type: 'User' }, kind: 'triage', count: 2 },
        { who: { login: 'label-bot[bot]', type: 'Bot' }, kind: 'triage', count: 1 },
        { who: { login: 'ghost', type: 'User' }, kind: 'triage', count: 1 },
      ],
    });
  });

  it('skips, with a warning, a triage event that came without an actor', async () => {
    const transport = scripted({ [first]: { status: 200, json: [event(2, 'closed', undefined, '2024-01-02T00:00:00Z'), event(1, 'closed', 'mia', '2024-01-01T00:00:00Z')] } });
    const current = context(testHelper({ apiUrl, transport }));
    const found = await collectTriage(current);
    expect(found.contributions).toEqual([{ who: { login: 'mia', type: 'User' }, kind: 'triage', count: 1 }]);
    expect(current.warnings).toEqual(['triage: 1 item(s) came without an author and were skipped']);
  });

  it('with --since, stops at the first page that reaches back past the date, newest first', async () => {
    const transport = scripted({
      [first]: { status: 200, json: [event(4, 'closed', 'ann', '2024-01-04T00:00:00Z'), event(3, 'closed', 'bob', '2024-01-03T00:00:00Z')], headers: next(2, 3) },
      [page(2)]: { status: 200, json: [event(2, 'closed', 'cat', '2024-01-02T00:00:00Z'), event(1, 'closed', 'dan', '2024-01-01T00:00:00Z')], headers: next(3, 3) },
      [page(3)]: { status: 200, json: [event(0, 'closed', 'eve', '2023-12-31T00:00:00Z')] },
    });
    const found = await collectTriage(context(testHelper({ apiUrl, transport }), '2024-01-02T12:00:00Z'));
    expect(transport.paths()).toEqual([first, page(2)]);
    expect(found.contributions.map((c) => c.who.login)).toEqual(['ann', 'bob']);
  });

  it('reads to the end a listing that does not come newest first (its order is not documented), and misses nothing', async () => {
    const transport = scripted({
      [first]: { status: 200, json: [event(1, 'closed', 'dan', '2024-01-01T00:00:00Z'), event(2, 'closed', 'cat', '2024-01-02T00:00:00Z')], headers: next(2, 2) },
      [page(2)]: { status: 200, json: [event(3, 'closed', 'bob', '2024-01-03T00:00:00Z'), event(4, 'closed', 'ann', '2024-01-04T00:00:00Z')] },
    });
    const found = await collectTriage(context(testHelper({ apiUrl, transport }), '2024-01-02T12:00:00Z'));
    expect(transport.paths()).toEqual([first, page(2)]);
    expect(found.contributions.map((c) => c.who.login).sort()).toEqual(['ann', 'bob']);
  });
});

describe('what a run keeps of the issue events', () => {
  const kept = { newestId: 9, reach: null, limited: false, events: [{ id: 9, at: '2024-01-01T00:00:00Z', actor: { login: 'mia', type: 'User' } }, { id: 8, at: null, actor: null }, { id: 7, at: null }] };

  it('reads back as it was written', () => {
    expect(shapeKeptEvents(kept)).toEqual(kept);
    expect(shapeKeptEvents(shapeKeptEvents(kept))).toEqual(kept);
  });

  it('refuses what it did not write', () => {
    for (const body of [null, [], { ...kept, events: 'x' }, { ...kept, newestId: '9' }, { ...kept, reach: 1 }, { ...kept, limited: 'no' }, { ...kept, events: [{ id: 'x', at: null }] }, { ...kept, events: [{ id: 1 }] }]) {
      expect(() => shapeKeptEvents(body), JSON.stringify(body)).toThrow(/not (kept issue events|a kept issue event)/);
    }
  });
});
