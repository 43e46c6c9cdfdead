/**
 * `octohatrack owner/repo… owner…`: the report in the format asked for, or with --dry-run what a run
 * would cost; an owner's repositories are listed first (owner-repositories.ts).
 */
import { keptFor } from '../collectors/cache-policy.js';
import { sources } from '../collectors/sources.js';
import { fetchRateLimitStatus } from '../github/rate-limit-status.js';
import type { RepositoryName } from '../domain/repository-name.js';
import type { Flags, Options } from '../options.js';
import { resolveOptions } from '../options.js';
import { formatReport } from '../report/format.js';
import { formatAllContributorsReport } from './all-contributors.js';
import type { CommandContext } from './command-context.js';
import { estimateRun } from './dry-run.js';
import { formatEstimate, formatEstimateJson } from './format-estimate.js';
import { resolveRepositories } from './owner-repositories.js';
import type { ReportSettings } from './report.js';
import { runReport } from './report.js';

export async function runReportCommand(args: string[], flags: Flags, context: CommandContext): Promise<void> {
  const options = resolveOptions(flags, args, context.env, context.cwd);
  const { ui, github, transport } = context.startSession(options);
  const answeredBefore = github.stats.requests - github.stats.refused;
  const repositories = await resolveRepositories(options.targets, options.ownerRepositories, github, ui);
  if (options.dryRun) {
    const listed = github.stats.requests - github.stats.refused - answeredBefore;
    const estimate = await estimateRun(
      { ...reportSettings(options, context, repositories), wiki: options.kinds.includes('wiki'), cache: options.cache.enabled },
      { github, reporter: ui, rateLimitStatus: () => fetchRateLimitStatus(transport, options.apiUrl, options.timeoutMs) },
    );
    ui.stop();
    // What listing the owners' repositories asked is spent (and cached) by the dry run too.
    const spent = { ...estimate.spent, requests: estimate.spent.requests + listed };
    context.write(options.format === 'json' ? formatEstimateJson({ ...estimate, spent }) : formatEstimate({ ...estimate, spent }));
    return;
  }
  const result = await runReport(reportSettings(options, context, repositories), github, ui);
  ui.stop();
  if (!result.complete) ui.warn('the report is incomplete: some sources could not be counted (see above)');
  if (options.format === 'all-contributors') {
    const document = await formatAllContributorsReport(result, github, options.serverUrl, (message) => ui.warn(message));
    if (document.leftOut.length > 0) {
      const shown = document.leftOut.slice(0, 5).join(', ');
      ui.note(`left out of the all-contributors file, which needs a GitHub login: ${shown}${document.leftOut.length > 5 ? ` and ${document.leftOut.length - 5} more` : ''}`);
    }
    // One file for several repositories names one project: say which, so that it is not a surprise.
    if (result.repositories.length > 1) ui.note(`one all-contributors file for ${result.repositories.length} repositories: its projectOwner/projectName is ${document.project}`);
    context.write(document.text);
  } else {
    context.write(formatReport(result, options.format, options.serverUrl));
  }
}

/** What a run collects, from the options and the repositories they name (owners' listed): shared by a report and `check`. */
export function reportSettings(options: Options, context: Pick<CommandContext, 'env' | 'signal'>, repositories: readonly RepositoryName[]): ReportSettings {
  return {
    repositories,
    names: options.names,
    hasToken: options.token !== null,
    selection: { bots: options.bots, exclude: options.exclude, kinds: new Set(options.kinds) },
    wiki: options.kinds.includes('wiki') ? { serverUrl: options.serverUrl, env: context.env, signal: context.signal } : null,
    since: options.since,
    refresh: options.cache.maxAgeMs > 0 ? 'incremental' : 'revalidate',
    // Display names rarely change: kept a week at least, unless --refresh or --max-age 0 ask again.
    namesMaxAgeMs: keptFor(sources.names.policy, options.cache.maxAgeMs),
    plan: options.plan,
    concurrency: options.concurrency,
  };
}
