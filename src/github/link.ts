/**
 * The `Link` response header of GitHub's paginated listings:
 * `<https://api.github.com/…&page=2>; rel="next", <…&page=5>; rel="last"`.
 * https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export type LinkRelations = Partial<Record<'next' | 'last' | 'prev' | 'first', string>>;

export function parseLinkHeader(header: string | undefined | null): LinkRelations {
  const relations: LinkRelations = {};
  if (!header) return relations;
  for (const part of header.split(',')) {
    const match = /^\s*<([^<>]*)>\s*((?:;\s*[^;]*)*)$/.exec(part);
    if (!match?.[1]) continue;
    const target = match[1];
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    for (const name of rel?.trim().split(/\s+/) ?? []) {
      if (name === 'next' || name === 'last' || name === 'prev' || name === 'first') relations[name] = target;
    }
  }
  return relations;
}

/** The `page` number of a page-numbered link (absolute, or a path), or null for cursor-based links. */
export function pageNumberOf(url: string): number | null {
  try {
    const page = new URL(url, 'http://x').searchParams.get('page');
    return page !== null && /^\d{1,9}$/.test(page) ? Number(page) : null;
  } catch {
    return null;
  }
}
