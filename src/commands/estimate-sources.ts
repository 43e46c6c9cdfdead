/** --dry-run's estimates of the sources that are not REST listings: reviews, and the contents files. */
import type { PolicyContext } from '../collectors/cache-policy.js';
import { pageUse, planCache } from '../collectors/cache-policy.js';
import { countPullRequests } from '../collectors/reviews.js';
import { countDiscussions, firstDiscussionsPageKey } from '../collectors/discussions.js';
import { perPage, sources as declared } from '../collectors/sources.js';
import type { SourceEstimate } from './dry-run.js';

/**
 * Reviews: one GraphQL query per 100 pull requests (SPEC §3); the pull requests are counted by
 * GraphQL (1 point) unless `pullRequests` says how many there are.
 */
export async function estimateReviews(context: PolicyContext, hasToken: boolean, pullRequests: number | null): Promise<SourceEstimate> {
  const source = declared.reviews.label;
  if (!hasToken) return { source, api: 'graphql', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'skipped: GraphQL needs a token' };
  const count = pullRequests ?? (await countPullRequests(context.github, context.repoPath));
  const note = `${count.toLocaleString('en-US')} pull requests`;
  return { source, api: 'graphql', requests: Math.max(1, Math.ceil(count / perPage)), cached: 0, checks: 0, accuracy: 'at most', note };
}

/**
 * Discussions: one GraphQL query (1 point) per 100 discussions, at least; their comments and replies
 * add about a point per 100 (collectors/discussions.ts), which only reading them tells. The
 * discussions are counted by GraphQL (1 point, cached); nothing is asked where they are off.
 */
export async function estimateDiscussions(context: PolicyContext, hasToken: boolean, hasDiscussions: boolean): Promise<SourceEstimate> {
  const source = declared.discussions.label;
  if (!hasDiscussions) return { source, api: 'graphql', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'discussions are off' };
  if (!hasToken) return { source, api: 'graphql', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'skipped: GraphQL needs a token' };
  const count = await countDiscussions(context.github, context.repoPath);
  const pages = Math.max(1, Math.ceil(count / perPage));
  // Within --max-age the run uses the kept pages as they are (and the discussions behind them).
  const cached = context.github.freshness(firstDiscussionsPageKey(context.repoPath)) === 'fresh' ? pages : 0;
  const note = `${count.toLocaleString('en-US')} discussions; + about 1 point per 100 comments and replies`;
  return { source, api: 'graphql', requests: pages, cached, checks: 0, accuracy: 'at least', note };
}

/**
 * `CONTRIBUTORS` and `.all-contributorsrc`: 1 request each (a 404 is remembered too), none when
 * cached and nothing was pushed since; none with --since.
 */
export function contentsEstimates(context: PolicyContext, since: string | null): SourceEstimate[] {
  const declaration = declared.contributorsFiles;
  if (since !== null) return [{ source: declaration.label, api: 'rest', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'left out with --since' }];
  const uses = declaration.files.map((file) => {
    const uri = declaration.uri(context.repoPath, file);
    const plan = planCache(context, declaration.policy, uri);
    return pageUse(plan, plan.base, true);
  });
  return [
    {
      source: declaration.label,
      api: 'rest',
      requests: uses.length,
      cached: uses.filter((use) => use !== 'ask').length,
      checks: uses.filter((use) => use === 'check').length,
      accuracy: 'exact',
    },
  ];
}

