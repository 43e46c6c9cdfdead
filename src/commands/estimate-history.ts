/**
 * --dry-run's estimate of `co-author` without --since: the default branch's history, as
 * collectors/history.ts reads it. The head is asked as the run asks it (with a token, the GraphQL
 * query that brings the first page and the history's `totalCount`; without, the REST listing's first
 * page) and kept, so the run that follows does not ask it again; the pages are split between the two
 * budgets as the run would split them, and each counted cached when it is kept under the head.
 */
import type { PolicyContext } from '../collectors/cache-policy.js';
import type { BudgetsLeft } from '../collectors/cost-plan.js';
import { graphqlPagesOf } from '../collectors/cost-plan.js';
import { recallPage } from '../collectors/history-graphql.js';
import { findHead, headOf, recallRecord, recallSplit } from '../collectors/history-head.js';
import { withPage } from '../github/helper.js';
import { sources } from '../collectors/sources.js';
import { plural } from '../text/plural.js';
import type { SourceEstimate } from './dry-run.js';

export async function estimateHistory(context: PolicyContext & { fullName: string; warn(message: string): void }, hasToken: boolean, left: BudgetsLeft, concurrency: number): Promise<SourceEstimate[]> {
  const source = sources.coAuthors.label;
  const api = hasToken ? 'graphql' : 'rest';
  const head = await findHead(context, hasToken);
  if (head.head === null) return [{ source, api, requests: 1, cached: 1, checks: 0, accuracy: 'exact', note: 'an empty repository' }];
  const record = recallRecord(context);
  if (record !== undefined && headOf(record) !== head.head) {
    return [{ source, api: 'rest', requests: 1, cached: 0, checks: 0, accuracy: 'at least', note: 'pushed since the history was read: 1 request per 100 new commits' }];
  }
  const graphqlPages = record?.graphqlPages ?? recallSplit(context, head.head) ?? (hasToken ? graphqlPagesOf(head.pages, left, concurrency) : 0);
  const restPages = head.pages - graphqlPages;
  const uri = sources.coAuthors.historyUri(context.repoPath, head.head);
  let restCached = 0;
  for (let page = graphqlPages + 1; page <= head.pages; page += 1) if (context.github.freshness(page === 1 ? uri : withPage(uri, page)) !== 'absent') restCached += 1;
  // The GraphQL pages kept so far, one cursor after the other.
  let graphqlCached = 0;
  for (let page = recallPage(context, head.head, null); page !== undefined && graphqlCached < graphqlPages; page = page.after === null ? undefined : recallPage(context, head.head, page.after)) graphqlCached += 1;
  const note = head.total === null ? undefined : `${plural(head.total, 'commit')}: ${plural(graphqlPages, 'page')} through GraphQL, ${restPages} through REST`;
  const estimates: SourceEstimate[] = [];
  if (graphqlPages > 0) estimates.push({ source, api: 'graphql', requests: graphqlPages, cached: graphqlCached, checks: 0, accuracy: 'exact', ...(note ? { note } : {}) });
  if (restPages > 0) estimates.push({ source, api: 'rest', requests: restPages, cached: restCached, checks: 0, accuracy: 'exact', ...(note && graphqlPages === 0 ? { note } : {}) });
  return estimates;
}
