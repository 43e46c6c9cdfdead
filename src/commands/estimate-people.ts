/**
 * How many people a run will find, from the authors on the listings' first pages: what --dry-run's
 * display-names estimate rests on.
 */
import { namesPerQuery } from '../collectors/names.js';
import { sources as declared } from '../collectors/sources.js';
import { isBot } from '../domain/contribution.js';
import type { GitHubHelper } from '../github/helper.js';
import { loginPattern } from '../report/select.js';
import type { DryRunSettings, SourceEstimate } from './dry-run.js';

/** The authors on a listing's first page, in order, and how many items the whole listing holds. */
export interface AuthorSample {
  logins: readonly string[];
  items: number;
}

/**
 * Display names: 1 GraphQL query per 100 people with a token, 1 request per person without. How many
 * people there are is known only at the end: it is extrapolated from the authors on the first pages.
 */
export function estimateNames(github: GitHubHelper, settings: DryRunSettings, samples: readonly AuthorSample[]): SourceEstimate {
  const patterns = settings.selection.exclude.map(loginPattern);
  const isWanted = (login: string): boolean =>
    login.toLowerCase() !== 'ghost' &&
    !(settings.hasToken && isBot(login, null)) &&
    (settings.selection.bots || !isBot(login, null)) &&
    !patterns.some((pattern) => pattern.test(login));
  const wantedSamples = samples.map(({ logins, items }) => {
    const wanted = logins.filter(isWanted);
    return { logins: wanted, items: logins.length === 0 ? 0 : Math.round((items * wanted.length) / logins.length) };
  });
  const wanted = [...new Set(wantedSamples.flatMap((sample) => sample.logins.map((login) => login.toLowerCase())))];
  const { about: people, upTo } = estimatePeopleRange(wantedSamples);
  // The names the first pages show that are kept (either way of asking keeps each under /users/login):
  // a warm cache asks for none.
  const cachedShare = wanted.length === 0 ? 0 : wanted.filter((login) => github.freshness(`/users/${encodeURIComponent(login)}`) === 'fresh').length / wanted.length;
  const range = upTo > people ? ` (up to ${upTo.toLocaleString('en-US')})` : '';
  if (settings.hasToken) {
    const queries = Math.ceil(people / namesPerQuery);
    return { source: declared.names.label, api: 'graphql', requests: queries, cached: Math.round(queries * cachedShare), checks: 0, accuracy: 'about', note: `about ${people.toLocaleString('en-US')} people${range}`, upTo: Math.ceil(upTo / namesPerQuery) };
  }
  return { source: declared.names.label, api: 'rest', requests: people, cached: Math.round(people * cachedShare), checks: 0, accuracy: 'about', note: `about ${people.toLocaleString('en-US')} people${range}, 1 request each`, upTo: Math.max(people, upTo) };
}

/**
 * How many people: `about` the best guess (estimatePeople), and `upTo` the larger of its two
 * estimates, which the listings may reach when the first pages show few of the regulars.
 */
export function estimatePeopleRange(samples: readonly AuthorSample[]): { about: number; upTo: number } {
  const { best, high } = estimates(samples);
  return { about: Math.round(best), upTo: Math.round(high) };
}

/**
 * Different people among all the items of the listings, from their first pages: the smaller of two
 * estimates, each good where the other is not.
 * - Growth (Heaps' law): among n items of a community's activity, about K·n^β different people. β is
 *   read from the first pages themselves (how many people their halves show, against the whole), and d
 *   people among n items become d·(N/n)^β among N. It cannot see that a community is small.
 * - Pool size (Chao1, bias-corrected, from ecology's species counts): d + f1(f1-1)/(2(f2+1)), where
 *   f1 people were seen once and f2 twice. Made for skewed activity (a few people do most of it); a
 *   lower bound for the community, which a listing much longer than its first page mostly shows whole.
 */
export function estimatePeople(samples: readonly AuthorSample[]): number {
  return estimates(samples).best;
}

function estimates(samples: readonly AuthorSample[]): { best: number; high: number } {
  const distinct = (lists: ReadonlyArray<readonly string[]>): number => new Set(lists.flat().map((login) => login.toLowerCase())).size;
  const sampled = samples.reduce((sum, sample) => sum + sample.logins.length, 0);
  const total = samples.reduce((sum, sample) => sum + Math.max(sample.items, sample.logins.length), 0);
  const seen = distinct(samples.map((sample) => sample.logins));
  if (sampled === 0 || seen === 0 || total <= sampled) return { best: seen, high: seen };
  const halves = [0, 1].map((half) => samples.map(({ logins }) => (half === 0 ? logins.slice(0, Math.ceil(logins.length / 2)) : logins.slice(Math.ceil(logins.length / 2)))));
  const halfSize = halves.reduce((sum, lists) => sum + lists.reduce((count, list) => count + list.length, 0), 0) / 2;
  const halfSeen = halves.reduce((sum, lists) => sum + distinct(lists), 0) / 2;
  const beta = halfSeen > 0 && halfSize > 0 && halfSize < sampled ? Math.min(1, Math.max(0, Math.log(seen / halfSeen) / Math.log(sampled / halfSize))) : 1;
  const growth = seen * (total / sampled) ** beta;
  const times = new Map<string, number>();
  for (const login of samples.flatMap((sample) => sample.logins)) times.set(login.toLowerCase(), (times.get(login.toLowerCase()) ?? 0) + 1);
  const once = [...times.values()].filter((count) => count === 1).length;
  const twice = [...times.values()].filter((count) => count === 2).length;
  const pool = seen + (once * (once - 1)) / (2 * (twice + 1));
  return { best: Math.max(seen, Math.min(total, growth, pool)), high: Math.max(seen, Math.min(total, Math.max(growth, pool))) };
}

