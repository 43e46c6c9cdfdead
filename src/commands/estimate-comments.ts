/**
 * --dry-run's estimate of `comment` with a token and for all time, where the cost planner weighs the
 * REST listing against reading each thread through GraphQL (collectors/comments.ts). The run knows
 * every item's comment count from the whole issues listing; the dry run has two first pages: the
 * oldest 100 items (how many of them hold comments at all) and the 100 busiest (`sort=comments`: the
 * longest threads, which set how many rounds the follow-up pages take).
 */
import type { PolicyContext } from '../collectors/cache-policy.js';
import type { BudgetsLeft } from '../collectors/cost-plan.js';
import { cheaperWay, pagesFor, threadPoints } from '../collectors/cost-plan.js';
import { sources as declared } from '../collectors/sources.js';
import { planThreads } from '../collectors/threads.js';
import type { ListingItem } from '../github/shapes.js';
import type { SourceEstimate } from './dry-run.js';

/**
 * `rest`: the REST listing's own estimate; `items`: how many issues and pull requests there are.
 * Returns the estimate of the way the run will take.
 */
export async function estimateComments(context: PolicyContext, rest: SourceEstimate, items: number, left: BudgetsLeft, incremental: boolean): Promise<SourceEstimate> {
  const { github, repoPath } = context;
  const oldest = (await github.firstPage(declared.issues.uri(repoPath, null), declared.issues.shape)).items;
  const busiest = (await github.firstPage(declared.busiestThreads.uri(repoPath), declared.busiestThreads.shape)).items;
  const withComments = (sample: readonly ListingItem[]): ListingItem[] => sample.filter((item) => (item.comments ?? 1) > 0);
  const share = oldest.length === 0 ? 0 : withComments(oldest).length / oldest.length;
  const busy = withComments(busiest);
  const threads = Math.max(busy.length, Math.round(items * share));
  // The busiest threads' own pages; every other thread with comments takes one page.
  const pages = [...busy.map((item) => Math.max(1, pagesFor(item.comments ?? 1))), ...Array.from({ length: threads - busy.length }, () => 1)];
  const points = threadPoints(pages, 100, true);
  // Threads read before and unchanged since are not asked again: judged by the two samples.
  const sampled = [...withComments(oldest), ...busy];
  const kept = sampled.length > 0 && planThreads(context, sampled).threads.length === 0;
  const changes = kept && incremental ? 1 : 0;
  const estimate: SourceEstimate = {
    source: declared.threads.label,
    api: 'graphql',
    requests: points + changes,
    cached: kept ? points : 0,
    checks: 0,
    accuracy: 'about',
  };
  const restToAsk = rest.requests - rest.cached + rest.checks;
  const pointsToAsk = estimate.requests - estimate.cached;
  if (cheaperWay({ rest: restToAsk, points: pointsToAsk }, left) === 'rest') {
    return { ...rest, note: [rest.note, `GraphQL would take about ${pointsToAsk.toLocaleString('en-US')} points`].filter(Boolean).join('; ') };
  }
  const busiestThread = busy[0]?.comments ?? 0;
  const longest = busiestThread > 100 ? `, the longest ${busiestThread.toLocaleString('en-US')} comments` : '';
  return { ...estimate, note: `${threads.toLocaleString('en-US')} threads${longest}; instead of ${restToAsk.toLocaleString('en-US')} REST requests${changes > 0 ? '; +1 for what changed since' : ''}` };
}
