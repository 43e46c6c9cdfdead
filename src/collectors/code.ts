import { HttpStatusError } from '../github/helper.js';
import { shapeContributorsPage } from '../github/shapes.js';
import type { CollectorContext, CollectorResult, Contribution } from './types.js';

/**
 * `code`: GitHub's own contributors list, anonymous (email-only) committers included.
 * https://docs.github.com/rest/repos/repos#list-repository-contributors
 */
export async function collectCode(context: CollectorContext): Promise<CollectorResult> {
  let items;
  try {
    items = await context.github.getListing(`${context.repoPath}/contributors?anon=1&per_page=100`, shapeContributorsPage, (progress) =>
      context.progress('code contributors', progress),
    );
  } catch (error) {
    // GitHub refuses the list for the very largest histories; the other sources still count.
    if (error instanceof HttpStatusError && error.status === 403 && /too large/i.test(error.githubMessage)) {
      context.warn(`${context.fullName}: GitHub says the contributor list is too large to list; code contributors are left out`);
      return { contributions: [], complete: false };
    }
    throw error;
  }
  const contributions: Contribution[] = items.map((item) =>
    item.login !== undefined
      ? { who: { login: item.login, type: item.type === 'Anonymous' ? 'User' : item.type }, kind: 'code', count: item.contributions }
      : {
          who: { login: null, type: null, name: item.name ?? null, ...(item.email ? { email: item.email } : {}) },
          kind: 'code',
          count: item.contributions,
        },
  );
  return { contributions, complete: true };
}
