import type { Shape } from '../github/helper.js';
import type { ListingItem } from '../github/shapes.js';
import { shapeListingPage } from '../github/shapes.js';
import type { CollectorContext, Contribution, Kind } from './types.js';

/** GitHub shows a deleted account as `user: null` or as the `ghost` account: one entry, `ghost`. */
export const ghostLogin = 'ghost';

/** Items of a repository-wide listing, de-duplicated by id (a page boundary can repeat an item). */
export async function fetchListingItems(context: CollectorContext, source: string, listingPath: string, shape: Shape<ListingItem[]> = shapeListingPage): Promise<ListingItem[]> {
  const items = await context.github.getListing(`${context.repoPath}${listingPath}`, shape, (progress) => context.progress(source, progress));
  const seen = new Set<number>();
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

/** One contribution per author, counting their items. */
export function countAuthors(context: CollectorContext, source: string, items: readonly ListingItem[], kind: Kind): Contribution[] {
  const byLogin = new Map<string, Contribution>();
  let withoutAuthor = 0;
  for (const item of items) {
    if (item.user === undefined) {
      withoutAuthor += 1;
      continue;
    }
    const login = item.user === null ? ghostLogin : item.user.login;
    const type = item.user === null ? 'User' : item.user.type;
    const key = login.toLowerCase();
    const existing = byLogin.get(key);
    if (existing) existing.count += 1;
    else byLogin.set(key, { who: { login, type }, kind, count: 1 });
  }
  if (withoutAuthor > 0) context.warn(`${source}: ${withoutAuthor} item(s) came without an author and were skipped`);
  return [...byLogin.values()];
}

export async function collectAuthorsOf(context: CollectorContext, source: string, listingPath: string, kind: Kind): Promise<Contribution[]> {
  return countAuthors(context, source, await fetchListingItems(context, source, listingPath), kind);
}
