/**
 * A private repository is seen only by its collaborators' tokens: to anyone else GitHub answers 404
 * (REST), NOT_FOUND (GraphQL) and leaves it out of listings, "since we don't want to provide any
 * information about private repositories" (docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
 */
import { describe, expect, it } from 'vitest';
import { sample, sampleServers, token } from './test-servers.js';

const start = sampleServers();
const other = 'ghp_other_account';
const secret = { ...sample.repo, owner: 'octo-org', name: 'secret', id: 424242, privateTo: [token], renamedFrom: ['octo-org/old-secret'] };

async function serve(): Promise<(path: string, as: string | null, init?: RequestInit) => Promise<Response>> {
  const github = await start({ repos: [sample.repo, secret], tokens: [token, other] });
  return (path, as, init = {}) => fetch(`${github.url}${path}`, { ...init, headers: { ...(as === null ? {} : { authorization: `token ${as}` }), ...(init.headers as Record<string, string> | undefined) } });
}

describe('private repositories', () => {
  it('are 404 under every path to a caller without access, anonymous or another account, and whole to one with access', async () => {
    const get = await serve();
    for (const path of ['/repos/octo-org/secret', '/repos/octo-org/secret/issues?state=all', '/repos/OCTO-ORG/Secret/contributors', '/repositories/424242/issues?page=2', '/repos/octo-org/old-secret']) {
      for (const as of [null, other]) {
        const response = await get(path, as);
        expect(response.status, `${path} as ${as ?? 'anonymous'}`).toBe(404);
        expect(((await response.json()) as { message: string }).message).toBe('Not Found');
      }
    }
    const seen = await get('/repos/octo-org/secret', token);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ full_name: 'octo-org/secret', private: true, visibility: 'private' });
    expect(((await (await get('/repos/octo-org/hello-world', null)).json()) as { private: boolean }).private).toBe(false);
    expect((await get('/repos/octo-org/old-secret', token, { redirect: 'manual' })).status).toBe(301);
  });

  it('are listed only to a caller with access; GraphQL says NOT_FOUND to anyone else', async () => {
    const get = await serve();
    const names = async (as: string | null, query = ''): Promise<string[]> => ((await (await get(`/orgs/octo-org/repos${query}`, as)).json()) as Array<{ full_name: string }>).map((repo) => repo.full_name).sort();
    expect(await names(null)).toEqual(['octo-org/hello-world']);
    expect(await names(other)).toEqual(['octo-org/hello-world']);
    expect(await names(token)).toEqual(['octo-org/hello-world', 'octo-org/secret']);
    expect(await names(token, '?type=private')).toEqual(['octo-org/secret']);
    expect(await names(token, '?type=public')).toEqual(['octo-org/hello-world']);
    const query = (as: string): Promise<unknown> =>
      get('/graphql', as, { method: 'POST', body: JSON.stringify({ query: 'query { repository(owner: "octo-org", name: "secret") { name } }' }) }).then((response) => response.json());
    expect(await query(other)).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'octo-org/secret'." }] });
    expect(await query(token)).toEqual({ data: { repository: { name: 'secret' } } });
  });
});
