import { createHash } from 'node:crypto';
import { HttpStatusError, ShapeError } from '../github/helper.js';
import type { GitHubHelper, PageProgress } from '../github/helper.js';
import type { UserProfile } from '../domain/contribution.js';
import { ghostLogin, isBot } from '../domain/contribution.js';
import { graphqlErrors } from '../github/json.js';
import { isRecord, shapeUserProfile } from '../github/shapes.js';
import { settleAll } from '../github/settle.js';
import { askInBatches } from './batches.js';
import { keptParts } from './cache-policy.js';
import { nameKey } from './inline-names.js';

/** GraphQL: 100 logins a query (aliases u0…u99), SPEC §7. */
export const namesPerQuery = 100;

/**
 * Display names. With a token, 100 logins a GraphQL query; without one, `GET /users/{login}` each.
 * Either way memoised like every other call, so a rerun asks for none of them again. Accounts deleted
 * since they contributed simply have no name; bots and `ghost` have none to ask for. `described`:
 * the profiles (by lower-case login) that the collectors' GraphQL answers of this run carried
 * (inline-names.ts), not asked again.
 * https://docs.github.com/rest/users/users#get-a-user
 */
export async function fetchDisplayNames(
  github: GitHubHelper,
  logins: Iterable<string>,
  progress: (pages: PageProgress) => void,
  useGraphQL: boolean,
  namesMaxAgeMs: number,
  described: ReadonlyMap<string, UserProfile> = new Map(),
): Promise<Map<string, UserProfile>> {
  const wanted = [...new Set(logins)].filter((login) => login.toLowerCase() !== ghostLogin && !(useGraphQL && isBot(login, null)));
  return useGraphQL ? namesByGraphQL(github, wanted, progress, namesMaxAgeMs, described) : namesByRest(github, wanted, progress);
}

/**
 * Who of `wanted` is named already, and who is still to ask: a name an answer of this run carried
 * (`described`: as fresh as a `Names` answer, and kept as it came, inline-names.ts `keepNames`), else
 * a kept name within the names' max-age (`recall` finds nothing older); else the login is `unknown`.
 */
export function mergeDescribed(
  wanted: readonly string[],
  recall: (login: string) => UserProfile | undefined,
  described: ReadonlyMap<string, UserProfile>,
): { profiles: Map<string, UserProfile>; unknown: string[] } {
  const profiles = new Map<string, UserProfile>();
  const unknown: string[] = [];
  for (const login of wanted) {
    const known = described.get(login.toLowerCase()) ?? recall(login);
    if (known !== undefined) profiles.set(login.toLowerCase(), known);
    else unknown.push(login);
  }
  return { profiles, unknown };
}

async function namesByRest(github: GitHubHelper, wanted: readonly string[], progress: (pages: PageProgress) => void): Promise<Map<string, UserProfile>> {
  const profiles = new Map<string, UserProfile>();
  let done = 0;
  await settleAll(
    wanted.map(async (login) => {
      try {
        const profile = await github.getJSON(`/users/${encodeURIComponent(login)}`, shapeUserProfile);
        profiles.set(login.toLowerCase(), profile);
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 404)) throw error;
      } finally {
        done += 1;
        progress({ pagesDone: done, pagesKnown: wanted.length });
      }
    }),
  );
  return profiles;
}

/**
 * Each name a batch brings is kept under the person's own key (`/users/{login}`, as REST keeps it),
 * so a later run asks only for people it has no name for yet, or whose name is older than
 * `namesMaxAgeMs`. Display names rarely change: a refresh of the contributions does not ask again
 * for everyone's (SPEC §2 --max-age; --refresh and --max-age 0 do).
 */
async function namesByGraphQL(
  github: GitHubHelper,
  wanted: readonly string[],
  progress: (pages: PageProgress) => void,
  namesMaxAgeMs: number,
  described: ReadonlyMap<string, UserProfile>,
): Promise<Map<string, UserProfile>> {
  // Each person's name kept on its own, under the key REST would keep it under (cache-policy.ts).
  const kept = keptParts(github, shapeUserProfile, namesMaxAgeMs);
  const { profiles, unknown } = mergeDescribed(wanted, (login) => kept.recall(nameKey(login)), described);
  // Sorted, so that the same people make the same batches, and a rerun finds them in the cache.
  const sorted = [...unknown].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  // 100 logins a query, fewer where GitHub finds that too heavy (batches.ts).
  const plan = { largest: namesPerQuery, sizeKey: '/users/graphql/batch-size/names', progress };
  await askInBatches(github, sorted, plan, async (batch, splittable) => {
    const hash = createHash('sha256').update(batch.join('\n').toLowerCase()).digest('hex').slice(0, 16);
    const variables = Object.fromEntries(batch.map((login, index) => [`l${index}`, login]));
    const { found, withheld } = await github.postGraphQL({ name: 'Names', query: namesQuery(batch.length), variables, cacheKey: `/users/graphql/names?batch=${hash}`, splittable }, shapeNames);
    for (const profile of found) profiles.set(profile.login.toLowerCase(), profile);
    batch.forEach((login, index) => {
      // Withheld (FORBIDDEN…): unknown, not "no name"; asked again next run.
      if (withheld.has(`u${index}`)) return;
      // Not found (deleted since, or not a user): remembered as no name, not asked again.
      const profile = profiles.get(login.toLowerCase()) ?? { login, type: 'User' as const, name: null };
      kept.keep(nameKey(login), profile);
    });
  });
  return profiles;
}

export function namesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return `query Names(${indexes.map((index) => `$l${index}: String!`).join(', ')}) {
${indexes.map((index) => `  u${index}: user(login: $l${index}) { login name }`).join('\n')}
  rateLimit { cost remaining resetAt }
}`;
}

/**
 * Each alias is a user, or null with a NOT_FOUND error (deleted since, or not a user): no name. Null
 * with any other error (FORBIDDEN: the token may not see it) is partial data, not an answer: the
 * alias is `withheld`. https://docs.github.com/graphql/guides/forming-calls-with-graphql
 */
function shapeNames(json: unknown): { found: UserProfile[]; withheld: Set<string> } {
  if (!isRecord(json) || !isRecord(json.data)) throw new ShapeError('the answer has no data');
  const withheld = new Set<string>();
  for (const error of graphqlErrors(json)) {
    const alias = Array.isArray(error.path) ? error.path[0] : undefined;
    if (error.type !== 'NOT_FOUND' && typeof alias === 'string') withheld.add(alias);
  }
  const found = Object.entries(json.data)
    .filter(([alias]) => /^u\d+$/.test(alias))
    .flatMap(([, user]) =>
      isRecord(user) && typeof user.login === 'string' ? [{ login: user.login, type: 'User' as const, name: typeof user.name === 'string' && user.name !== '' ? user.name : null }] : [],
    );
  return { found, withheld };
}
