/**
 * The one promise that keeps the token safe, tried on generated input: whatever `Link` header or
 * redirect a server sends, the helper only ever asks the API's own origin, under its own path
 * (GitHub Enterprise Server's `/api/v3` included), and otherwise stops with a clear error.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { ShapeError } from '../../src/github/helper.js';
import type { TransportRequest, TransportResponse } from '../../src/github/transport.js';
import { testHelper } from '../github/support.js';
import { createCounter, hostileString } from './arbitraries.js';

const counter = createCounter();
afterAll(() => {
  console.log(`helper-origin.test.ts: ${counter.total().toLocaleString('en-US')} generated inputs tried`);
});

const list = (body: unknown): unknown[] => {
  if (!Array.isArray(body)) throw new ShapeError('expected a list');
  return body;
};

/** A server that answers the first request with `first`, and every later one with an empty page. */
function helperAnswering(apiUrl: string, first: Partial<TransportResponse>) {
  const calls: TransportRequest[] = [];
  const github = testHelper({
    apiUrl,
    transport: async (request) => {
      calls.push(request);
      if (calls.length === 1) return { status: 200, headers: {}, text: '[{"id":1}]', errorBody: null, ...first };
      return { status: 200, headers: {}, text: '[]', errorBody: null };
    },
    sleep: async () => undefined,
  });
  return { github, calls };
}

const hosts = ['api.example.test', 'API.Example.Test', 'api.example.test.', 'evil.example', 'api.example.test.evil.example', 'api.example.test@evil.example', 'evil.example@api.example.test', 'api.example.test%2F@evil.example', 'api.example.test\\@evil.example', '127.0.0.1', '[::1]', 'api.example.test:443', 'api.example.test:8443', 'api.example.test\t.evil.example', 'xn--pi-7ba.example.test', 'ghe.example', 'GHE.example:443'];
const paths = ['/repos/o/r/issues?page=2', '/api/v3/repos/o/r/issues?page=2', '/api/v3/../../steal?page=2', '/api/v3evil/x?page=2', '/api/v3%2F..%2Fsteal?page=2', '//evil.example/x?page=2', '/repositories/1/issues?page=3&per_page=100', '/steal?after=Y3Vyc29y', '', '/'];
const targetArb = fc.oneof(
  fc.tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'javascript:', '//', 'https:/', 'https:\\\\'), fc.constantFrom(...hosts), fc.constantFrom(...paths)).map(([scheme, host, path]) => `${scheme}${host}${path}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  hostileString(20),
  fc.constantFrom(...paths),
);

describe.each(['https://api.example.test', 'https://ghe.example/api/v3'])('with GITHUB_API_URL=%s', (apiUrl) => {
  const api = new URL(`${apiUrl}/`);
  const expectOwnOrigin = (calls: readonly TransportRequest[]): void => {
    for (const call of calls) {
      const url = new URL(call.url);
      expect(url.origin, call.url).toBe(api.origin);
      expect(url.pathname.startsWith(api.pathname), call.url).toBe(true);
      expect(url.username + url.password).toBe('');
    }
  };

  it('a Link header to anywhere: only the API origin is asked, or the run stops with a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(targetArb, fc.constantFrom('next', 'last'), async (target, rel) => {
        const { github, calls } = helperAnswering(apiUrl, { headers: { link: `<${target}>; rel="${rel}"` } });
        try {
          await github.getListing('/repos/o/r/issues?per_page=100', list);
        } catch (error) {
          expect(error).toBeInstanceOf(CliError);
        }
        expectOwnOrigin(calls);
      }),
      counter.tried(3000),
    );
  });

  it('a redirect to anywhere: only the API origin is asked, or the run stops with a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(targetArb, fc.constantFrom(301, 302, 307, 308), async (target, status) => {
        const { github, calls } = helperAnswering(apiUrl, { status, headers: { location: target }, text: null });
        try {
          await github.getJSON('/repos/o/r', (body) => body);
        } catch (error) {
          expect(error).toBeInstanceOf(CliError);
        }
        expectOwnOrigin(calls);
      }),
      counter.tried(3000),
    );
  });
});
