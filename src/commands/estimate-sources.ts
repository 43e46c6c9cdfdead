/** --dry-run's estimates of the sources that are not REST listings alone: reviews, discussions, the contents files, triage. */
import type { PolicyContext } from '../collectors/cache-policy.js';
import type { BudgetsLeft } from '../collectors/cost-plan.js';
import { shareOf } from '../collectors/cost-plan.js';
import { planTimelines } from '../collectors/timelines.js';
import { pageUse, planCache } from '../collectors/cache-policy.js';
import { countPullRequests } from '../collectors/reviews.js';
import { countDiscussions } from '../collectors/discussions.js';
import { listingUse } from '../collectors/discussion-listing.js';
import { perPage, sources as declared } from '../collectors/sources.js';
import { plural } from '../text/plural.js';
import type { SourceEstimate } from './dry-run.js';
import type { ListingLook } from './look-at-listings.js';

/**
 * Reviews: one GraphQL query per 100 pull requests (SPEC §3); the pull requests are counted by
 * GraphQL (1 point) unless `pullRequests` says how many there are.
 */
export async function estimateReviews(context: PolicyContext, hasToken: boolean, pullRequests: number | null, keptShare = 0): Promise<SourceEstimate> {
  const source = declared.reviews.label;
  if (!hasToken) return { source, api: 'graphql', requests: 0, cached: 0, checks: 0, accuracy: 'exact', note: 'skipped: GraphQL needs a token' };
  const count = pullRequests ?? (await countPullRequests(context.github, context.repoPath));
  const note = `${count.toLocaleString('en-US')} pull requests`;
  const requests = Math.max(1, Math.ceil(count / perPage));
  // As many as the first page's pull requests whose reviews are kept (a warm cache: all).
  return { source, api: 'graphql', requests, cached: Math.round(requests * keptShare), checks: 0, accuracy: 'at most', note };
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
  // Within --max-age the run uses the kept listing as it is (and the discussions behind it); a refresh
  // asks what changed since, a query as a rule.
  const { use } = listingUse(context);
  const cached = use === 'kept' ? pages : use === 'changed' ? pages - 1 : 0;
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


/**
 * --dry-run's estimate of `triage` with a token and for all time (collectors/triage.ts): the listing
 * of issue events (`listing`, its own estimate), and where GitHub cuts it short the timelines of the
 * items made before its reach, at least a point per 100 items; or every timeline instead, where that
 * spends the smaller share of what is left. Whether the timelines were read before is judged by the
 * oldest 100 items (the issues listing's first page, which the dry run has).
 */
export async function estimateTriage(context: PolicyContext, look: ListingLook, items: number, left: BudgetsLeft): Promise<{ estimate: SourceEstimate; more: SourceEstimate[] }> {
  const listing = look.estimate;
  const sample = (await context.github.firstPage(declared.issues.uri(context.repoPath, null), declared.issues.shape)).items;
  const points = Math.max(1, Math.ceil(items / perPage));
  const kept = sample.length > 0 && planTimelines(context, sample, null).threads.length === 0;
  const timelines: SourceEstimate = { source: declared.timelines.label, api: 'graphql', requests: points, cached: kept ? points : 0, checks: 0, accuracy: 'at least' };
  const older: SourceEstimate | null = look.capped === true ? { ...timelines, accuracy: 'about', note: 'the events the listing cannot reach, from the timelines of the items made before' } : null;
  const restToAsk = listing.requests - listing.cached + listing.checks;
  const olderToAsk = older === null ? 0 : older.requests - older.cached;
  const pointsToAsk = timelines.requests - timelines.cached;
  if (shareOf({ rest: 0, points: pointsToAsk }, left) < shareOf({ rest: restToAsk, points: olderToAsk }, left)) {
    const instead = `instead of ${plural(restToAsk, 'REST request')}${olderToAsk > 0 ? ` and ${plural(olderToAsk, 'point')}` : ''}`;
    return { estimate: { ...timelines, note: `${items.toLocaleString('en-US')} timelines; + a point per 100 further pages; ${instead}` }, more: [] };
  }
  const listed: SourceEstimate = { ...listing, note: older !== null ? 'as far back as GitHub lists; the older events from the timelines' : [listing.note, `the timelines would take at least ${plural(pointsToAsk, 'point')}`].filter(Boolean).join('; ') };
  return { estimate: listed, more: older === null ? [] : [older] };
}
