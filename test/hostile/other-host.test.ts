/**
 * A GitHub (or something posing as one) that points elsewhere: a `Link` to another host, a redirect
 * to another host. The token must never go there, and the user is told why the run stopped.
 * A second loopback server plays "elsewhere" and records whatever reaches it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../fake-github/server.js';
import type { FakeGitHub, Fault } from '../fake-github/server.js';
import { runCli } from '../e2e/run-cli.js';
import { startWorld, token } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

const noStackTrace = /\n\s+at [\w.<]+ \(|node:internal|unexpected error/;
let elsewhere: FakeGitHub;
let world: World | null = null;

beforeAll(async () => {
  elsewhere = await startFakeGitHub({ users: [], repos: [] });
});
afterAll(async () => {
  await elsewhere.close();
});
afterEach(async () => {
  await world?.close();
  world = null;
  elsewhere.clearLog();
});

const other = (): string => elsewhere.url;
const otherPort = (): string => new URL(elsewhere.url).port;

describe('never following GitHub to another host with the token', () => {
  it.each<[string, (api: string) => Fault, RegExp]>([
    ['a Link to another host (page-numbered)', () => ({ match: /\/issues\?/, kind: 'headers', headers: { link: `<${other()}/repositories/1/issues?page=2>; rel="next", <${other()}/repositories/1/issues?page=3>; rel="last"` } }), /\/issues\?/],
    // (On commit comments: the issue comments are no REST listing with a token, their threads come from GraphQL.)
    ['a Link to another host (cursor)', () => ({ match: /\/comments\?per_page/, kind: 'headers', headers: { link: `<${other()}/steal?after=abc>; rel="next"` } }), /\/comments\?per_page/],
    ['a Link to the same host on another scheme', (api) => ({ match: /\/pulls\/comments/, kind: 'headers', headers: { link: `<${api.replace('http:', 'https:')}/repositories/1/pulls/comments?page=2>; rel="next"` } }), /\/pulls\/comments/],
    ['a Link hiding another host behind user info', (api) => ({ match: /\/issues\?/, kind: 'headers', headers: { link: `<http://${new URL(api).host}@127.0.0.1:${otherPort()}/x?page=2>; rel="next"` } }), /\/issues\?/],
    ['a 301 of the repository to another host', () => ({ match: /^\/repos\/octo-org\/hello-world$/, kind: 'redirect', location: `${other()}/repos/octo-org/hello-world` }), /^\/repos\/octo-org\/hello-world$/],
    ['a 307 of a listing page to another host', () => ({ match: /\/comments\?per_page/, kind: 'redirect', status: 307, location: `${other()}/repos/octo-org/hello-world/comments?per_page=100` }), /\/comments\?per_page/],
    ['a protocol-relative redirect', () => ({ match: /contents\/CONTRIBUTORS/, kind: 'redirect', status: 302, location: `//127.0.0.1:${otherPort()}/contents` }), /contents\/CONTRIBUTORS/],
  ])('%s: not followed, and the user is told so', async (_label, fault, where) => {
    world = await startWorld();
    world.github.addFault(fault(world.github.url));
    const result = await runCli([world.fixture.facts.fullName, '--no-wiki'], world.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/GitHub pointed to \S+, outside http:\/\/127\.0\.0\.1:\d+; not following it with your token/);
    expect(elsewhere.requests).toEqual([]);
    // Everything the real server was asked carried the token; nothing else was asked for.
    expect(world.github.requests.every((r) => r.token === token)).toBe(true);
    expect(world.github.requests.some((r) => where.test(r.path))).toBe(true);
    expect(result.stdout).toBe('');
  });

  it('a redirect to something that is not a URL: a clear error, no trace', async () => {
    world = await startWorld();
    world.github.addFault({ match: /^\/repos\/octo-org\/hello-world$/, kind: 'redirect', location: 'https://xn--pi-7ba.example/x' });
    const result = await runCli([world.fixture.facts.fullName, '--no-wiki'], world.env);
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/GitHub redirected http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/hello-world to "https:\/\/xn--pi-7ba\.example\/.*", which is not a URL/);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a Link on GitHub\u2019s own host, under /repositories/{id}, is followed', async () => {
    world = await startWorld();
    const result = await runCli([world.fixture.facts.fullName, '--no-wiki'], world.env);
    expect(result.code).toBe(0);
    expect(elsewhere.requests).toEqual([]);
  });
});
