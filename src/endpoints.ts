/**
 * Where GitHub is for this run, and who the run is: the REST, GraphQL and web addresses (from the
 * environment, or from the host a repository argument names), and the token.
 */
import type { LocatedTarget } from './repository-args.js';
import { UsageError } from './errors.js';
import { redactSecrets } from './text/redact.js';

type Environment = Readonly<Record<string, string | undefined>>;

export const githubUrls = { apiUrl: 'https://api.github.com', serverUrl: 'https://github.com' };

export interface Endpoints {
  apiUrl: string;
  graphqlUrl: string;
  serverUrl: string;
  /** Chosen by the host a repository argument names, not by the environment. */
  enterprise?: boolean;
}

/**
 * The addresses from GITHUB_API_URL, GITHUB_GRAPHQL_URL and GITHUB_SERVER_URL, else github.com's. A
 * repository named on another host (`ghe.example.com/acme/x`), when none of them is set, selects that
 * GitHub Enterprise Server (https://HOST/api/v3, /api/graphql); one host a run. With them set, a host
 * other than github.com's or GITHUB_SERVER_URL's is an error.
 */
export function resolveHost(env: Environment, located: ReadonlyArray<LocatedTarget & { arg: string }>): Endpoints {
  const hosts = [...new Set(located.flatMap(({ host }) => (host === null ? [] : [host])))];
  if (hosts.length > 1) throw new UsageError(`the repositories are on several hosts (${hosts.join(', ')}): give the repositories of one host a run`);
  const configured = nonEmpty(env.GITHUB_API_URL) ?? nonEmpty(env.GITHUB_SERVER_URL) ?? nonEmpty(env.GITHUB_GRAPHQL_URL);
  const [host] = hosts;
  if (host !== undefined && host !== 'github.com' && configured === undefined) {
    const http = located.some((target) => target.host === host && target.http);
    const serverUrl = parseBaseUrl(`${http ? 'http' : 'https'}://${host}`, 'the repository\u2019s host');
    return { apiUrl: `${serverUrl}/api/v3`, graphqlUrl: `${serverUrl}/api/graphql`, serverUrl, enterprise: true };
  }
  const apiUrl = parseBaseUrl(nonEmpty(env.GITHUB_API_URL) ?? githubUrls.apiUrl, 'GITHUB_API_URL');
  const serverUrl = parseBaseUrl(nonEmpty(env.GITHUB_SERVER_URL) ?? githubUrls.serverUrl, 'GITHUB_SERVER_URL');
  const graphqlUrl = nonEmpty(env.GITHUB_GRAPHQL_URL) ? parseBaseUrl(env.GITHUB_GRAPHQL_URL as string, 'GITHUB_GRAPHQL_URL') : deriveGraphqlUrl(apiUrl);
  const known = new Set(['github.com', new URL(serverUrl).host.toLowerCase(), new URL(apiUrl).host.toLowerCase()]);
  const elsewhere = located.find(({ host: named }) => named !== null && !known.has(named));
  if (elsewhere) {
    throw new UsageError(`invalid repository ${JSON.stringify(elsewhere.arg)}: ${elsewhere.host} is neither github.com nor the host of GITHUB_SERVER_URL (${new URL(serverUrl).host}); unset GITHUB_API_URL and GITHUB_SERVER_URL to use it`);
  }
  return { apiUrl, graphqlUrl, serverUrl };
}

export function parseBaseUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${name} is not a URL: ${JSON.stringify(redactSecrets(text, []))}`);
  }
  // It would be printed in messages ("cannot reach GitHub at …"), and fetch refuses it anyway.
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${name} must not hold a user name or password (…@): give the token in GH_TOKEN or GITHUB_TOKEN`);
  }
  if (!['http:', 'https:', 'file:'].includes(url.protocol) || (url.protocol === 'file:' && name !== 'GITHUB_SERVER_URL')) {
    throw new UsageError(`${name} must be an http(s) URL: ${JSON.stringify(text)}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * The token, as given in GH_TOKEN (or else GITHUB_TOKEN), without the white space around it; for a
 * GitHub Enterprise Server named by a repository argument, GH_ENTERPRISE_TOKEN (or GITHUB_ENTERPRISE_TOKEN). A token
 * is one word: one with a line break or other white space or control characters inside (pasted with
 * what followed it) would go into a header that cannot hold it, and the error would print it.
 */
export function resolveToken(env: Environment, enterprise = false): string | null {
  // As `gh` does: a host named on the command line gets GH_ENTERPRISE_TOKEN, never the github.com
  // token (a look-alike host pasted from somewhere would otherwise be handed it).
  for (const name of enterprise ? (['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'] as const) : (['GH_TOKEN', 'GITHUB_TOKEN'] as const)) {
    const token = nonEmpty(env[name]?.trim());
    if (token === undefined) continue;
    if (/[\r\n\u2028\u2029]/.test(token)) throw new UsageError(`${name} contains a line break: set it to the token alone`);
    if (/[\s\u0000-\u001f\u007f-\u009f]/.test(token)) throw new UsageError(`${name} contains a space or a control character: set it to the token alone`);
    return token;
  }
  return null;
}

/** GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3; github.com at /graphql. */
export function deriveGraphqlUrl(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, '/api/graphql') : `${apiUrl}/graphql`;
}


function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
