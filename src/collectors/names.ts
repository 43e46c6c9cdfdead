import { HttpStatusError } from '../github/helper.js';
import type { GitHubHelper, PageProgress } from '../github/helper.js';
import type { UserProfile } from '../github/shapes.js';
import { shapeUserProfile } from '../github/shapes.js';
import { ghostLogin } from './listing.js';
import { settleAll } from '../github/settle.js';

/**
 * Display names, one `GET /users/{login}` each, memoised like every other call (so a rerun asks
 * for none of them again). Accounts deleted since they contributed simply have no name.
 * https://docs.github.com/rest/users/users#get-a-user
 */
export async function fetchDisplayNames(
  github: GitHubHelper,
  logins: Iterable<string>,
  progress: (pages: PageProgress) => void,
): Promise<Map<string, UserProfile>> {
  const wanted = [...new Set([...logins].filter((login) => login.toLowerCase() !== ghostLogin))];
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
