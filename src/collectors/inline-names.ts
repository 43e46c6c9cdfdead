/**
 * Display names carried by the GraphQL answers that already name an author: `... on User { name }`
 * beside the author's login is a field on a node, which costs nothing (only connections cost:
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api), and
 * is what the `Names` query asks of each user (names.ts). Only answers read from GitHub in this run
 * (never kept whole: `cacheKey: null`) carry names out, so that a name is as fresh as a `Names`
 * answer would be; who wrote the parts kept from earlier runs is named by the names step as before.
 */
import type { UserProfile } from '../domain/contribution.js';
import type { GitHubHelper } from '../github/helper.js';
import { isRecord } from '../github/shapes.js';

/** Where a person's display name is kept, whoever read it (the `Names` query, an answer that carried it, or REST). */
export function nameKey(login: string): string {
  return `/users/${encodeURIComponent(login)}`;
}

/**
 * Keeps the names an answer has just carried where the names step keeps those it asks, as of now
 * (they were just read): used for the names' max-age from now on, and a run stopped after this
 * answer does not ask for them again. Called beside the answer's own parts, in the same write.
 */
export function keepNames(github: Pick<GitHubHelper, 'remember'>, profiles: readonly UserProfile[]): void {
  const once = new Map(profiles.map((profile) => [profile.login.toLowerCase(), profile]));
  for (const profile of once.values()) github.remember(nameKey(profile.login), profile);
}

/** An author, with the display name of a user (bots and organisations have none the names step would ask). */
export const authorWithName = 'author { __typename login ... on User { name } }';

/**
 * The profile an answer's `author` describes: a user whose `name` the answer holds (null when the
 * account has none, as the `Names` query reads it). Undefined for bots, organisations, deleted
 * accounts and answers that did not ask for the name.
 */
export function toProfile(author: unknown): UserProfile | undefined {
  if (!isRecord(author) || author.__typename !== 'User' || typeof author.login !== 'string' || author.login === '' || !('name' in author)) return undefined;
  return { login: author.login, type: 'User', name: typeof author.name === 'string' && author.name !== '' ? author.name : null };
}

/** Profiles of the nodes' authors, for a collector's result. */
export function profilesOf(nodes: readonly unknown[]): UserProfile[] {
  return nodes.flatMap((node) => {
    const profile = isRecord(node) ? toProfile(node.author) : undefined;
    return profile === undefined ? [] : [profile];
  });
}
