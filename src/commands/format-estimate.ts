/** `--dry-run`'s estimate as a user reads it (text), and as scripts read it (JSON). */
import { formatDuration } from '../text/format-duration.js';
import { plural } from '../text/plural.js';
import type { BucketPlan, RunEstimate, SourceEstimate } from './dry-run.js';

/** The estimate as a user reads it: a table per repository, then each limit, then the verdict. */
export function formatEstimate(estimate: RunEstimate): string {
  const rows: Array<[string, string, string, string, string]> = [];
  const figure = (value: number, accuracy: SourceEstimate['accuracy']): string =>
    `${accuracy === 'about' ? '~' : accuracy === 'at least' ? '≥' : ''}${value.toLocaleString('en-US')}`;
  const row = (label: string, source: SourceEstimate): void => {
    if (source.api === 'git') {
      rows.push([label, '-', '-', '-', source.note ?? '']);
      return;
    }
    const toAsk = source.requests - source.cached + source.checks;
    const toAskAccuracy = source.accuracy === 'at most' ? 'exact' : source.accuracy;
    const what = source.api === 'graphql' ? ' (GraphQL)' : '';
    rows.push([`${label}${what}`, figure(source.requests, source.accuracy), source.cached.toLocaleString('en-US'), `${source.accuracy === 'at most' ? '≤' : ''}${figure(toAsk, toAskAccuracy)}`, source.note ?? '']);
  };
  for (const repository of estimate.repositories) {
    rows.push([repository.fullName, '', '', '', '']);
    for (const source of repository.sources) row(`  ${source.source}`, source);
  }
  if (estimate.names) row('names', estimate.names);

  const header: [string, string, string, string, string] = ['', 'requests', 'cached', 'to ask', ''];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...rows].map((r) => r[column]?.length ?? 0)));
  const line = (r: readonly string[]): string =>
    [r[0]?.padEnd(widths[0] ?? 0), r[1]?.padStart(widths[1] ?? 0), r[2]?.padStart(widths[2] ?? 0), r[3]?.padStart(widths[3] ?? 0), r[4] ?? '']
      .join('  ')
      .trimEnd();
  const lines = [`Dry run: what a run would ask GitHub (nothing is reported).`, '', line(header), ...rows.map(line)];
  const marks = rows.map((r) => `${r[1]}${r[3]}`).join('');
  const legend = [marks.includes('~') ? '~ about' : null, marks.includes('≥') ? '≥ at least' : null, marks.includes('≤') ? '≤ at most: reviews of pull requests unchanged since an earlier run are not asked again' : null];
  if (legend.some((entry) => entry !== null)) lines.push(`(${legend.filter((entry) => entry !== null).join('; ')})`);

  lines.push('', describeBucket('REST API', 'requests', estimate.rest, estimate.at));
  if (estimate.graphql) lines.push(describeBucket('GraphQL API', 'points', estimate.graphql, estimate.at));
  else lines.push('GraphQL API: not used without a token (reviews are skipped).');
  lines.push(describeBudget(estimate));
  lines.push('', ...verdict(estimate), ...namesAdvice(estimate));
  const { requests, graphqlPoints } = estimate.spent;
  if (requests + graphqlPoints > 0) {
    const asked = `This dry run asked GitHub ${plural(requests, 'request')}${graphqlPoints > 0 ? ` and ${plural(graphqlPoints, 'GraphQL point')}` : ''}, for the first page of each listing`;
    const cached = estimate.cache ? 'They are cached: the run does not ask for them again.' : 'With --no-cache they are not kept: the run asks for them again.';
    lines.push('', ...(graphqlPoints > 0 ? [asked, `and the number of pull requests. ${cached}`] : [`${asked}.`, cached]));
  } else {
    lines.push('', 'This dry run asked GitHub nothing: what it needed was in the cache.');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A token has both budgets each hour, spent side by side: a run costs the larger of its REST requests
 * and its GraphQL points.
 */
export function budgetOf(estimate: RunEstimate): { value: number; of: 'REST requests' | 'GraphQL points'; perHour: number; hours: number } {
  const rest = estimate.rest.cost;
  const points = estimate.graphql?.cost ?? 0;
  const perHour = estimate.rest.limit?.limit ?? (estimate.hasToken ? 5000 : 60);
  const value = Math.max(rest, points);
  return { value, of: points > rest ? 'GraphQL points' : 'REST requests', perHour, hours: perHour === 0 ? Number.POSITIVE_INFINITY : value / perHour };
}

function describeBudget(estimate: RunEstimate): string {
  const budget = budgetOf(estimate);
  const time = Number.isFinite(budget.hours) ? formatDuration(Math.round(budget.hours * 3_600_000), 'minute') : 'forever';
  return `Budget: ${budget.value.toLocaleString('en-US')} ${budget.of}, the larger of the two: about ${time} of one token's ${budget.perHour.toLocaleString('en-US')} an hour.`;
}

function describeBucket(name: string, unit: 'requests' | 'points', plan: BucketPlan, at: Date): string {
  const checks = unit === 'requests' && plan.toAsk > plan.cost ? ` (${(plan.toAsk - plan.cost).toLocaleString('en-US')} of them checks of cached answers, free when unchanged)` : '';
  const toAsk = `${name}: ${plan.toAsk.toLocaleString('en-US')} ${plan.toAsk === 1 ? unit.replace(/s$/, '') : unit} to ask${checks}`;
  if (plan.limit === null) return `${toAsk}; GitHub did not say what is left of its limit.`;
  const left = `${plan.limit.remaining.toLocaleString('en-US')} of ${plan.limit.limit.toLocaleString('en-US')} left`;
  const seconds = Math.max(0, Math.round((plan.limit.resetAt.getTime() - at.getTime()) / 1000));
  return `${toAsk}; ${left}, resets at ${plan.limit.resetAt.toLocaleTimeString()} (in ${formatDuration(seconds * 1000, 'minute')}).`;
}

function verdict(estimate: RunEstimate): string[] {
  const plans: Array<[string, BucketPlan | null]> = [
    ['REST API', estimate.rest],
    ['GraphQL API', estimate.graphql],
  ];
  const short = plans.flatMap(([name, plan]): Array<[string, BucketPlan]> => (plan !== null && plan.fits === false ? [[name, plan]] : []));
  if (short.length === 0) {
    if (plans.some(([, plan]) => plan !== null && plan.fits === null)) return ['Whether it finishes in one go is unknown: GitHub did not say what is left of its limits.'];
    return ['It finishes in one go.'];
  }
  const longest = Math.max(...short.map(([, plan]) => plan.waitMs));
  const resets = short.map(([name, plan]) => `${plural(plan.resets, 'reset')} of the ${name} limit`).join(' and ');
  const lines = [
    `It does not finish in one go: it waits through about ${resets} (about ${formatDuration(longest, 'minute')}).`,
    'With --wait-for-reset it waits them out by itself. Without it, it stops (exit code 75) when the',
    'limit runs out, and the same command resumes where it stopped after the reset.',
  ];
  if (!estimate.hasToken) lines.push('Without a token the REST limit is 60 requests an hour; with one, 5,000: export GH_TOKEN=$(gh auth token)');
  return lines;
}

/** Without a token, names cost a request each: where that alone is more than an hour's budget, say how to do without. */
function namesAdvice(estimate: RunEstimate): string[] {
  const names = estimate.names;
  const perHour = estimate.rest.limit?.limit ?? 60;
  if (estimate.hasToken || names === null || names.api !== 'rest') return [];
  const toAsk = (names.upTo ?? names.requests) - names.cached;
  if (toAsk <= perHour) return [];
  return [
    `Display names alone take about ${(names.requests - names.cached).toLocaleString('en-US')} requests (up to ${toAsk.toLocaleString('en-US')}), 1 a person: more than an hour of the`,
    `${perHour.toLocaleString('en-US')} an hour without a token. Add --no-names to go without them, or set a token (then 100 names a query).`,
  ];
}

/** The estimate as JSON (`--dry-run --format json`), for scripts. */
export function formatEstimateJson(estimate: RunEstimate): string {
  const bucket = (plan: BucketPlan | null) =>
    plan === null
      ? null
      : {
          toAsk: plan.toAsk,
          cost: plan.cost,
          remaining: plan.limit?.remaining ?? null,
          limit: plan.limit?.limit ?? null,
          resetAt: plan.limit?.resetAt.toISOString() ?? null,
          finishesInOneGo: plan.fits,
          resets: plan.resets,
        };
  return `${JSON.stringify(
    {
      repositories: estimate.repositories,
      names: estimate.names,
      rest: bucket(estimate.rest),
      graphql: bucket(estimate.graphql),
      finishesInOneGo: [estimate.rest, estimate.graphql].every((plan) => plan === null || plan.fits !== false),
      budget: budgetOf(estimate),
      spent: estimate.spent,
    },
    null,
    2,
  )}\n`;
}
