/**
 * The issue events whose actor curated an issue or a pull request: `triage` (SPEC §3). Every other
 * event (`mentioned`, `subscribed`, `referenced`, `head_ref_deleted`, `renamed`…) is not.
 * https://docs.github.com/rest/using-the-rest-api/issue-event-types
 */
export const triageEvents: ReadonlySet<string> = new Set([
  'labeled',
  'unlabeled',
  'assigned',
  'unassigned',
  'milestoned',
  'demilestoned',
  'closed',
  'reopened',
  'locked',
  'unlocked',
  'marked_as_duplicate',
  'unmarked_as_duplicate',
  'pinned',
  'unpinned',
  'transferred',
  'merged',
]);

/**
 * The same events as the GraphQL types of a timeline's items (`labeled` → `LabeledEvent`), each with
 * an `actor` and a `createdAt`; a merge is a pull request's alone.
 * https://docs.github.com/graphql/reference/unions#issuetimelineitems
 * https://docs.github.com/graphql/reference/unions#pullrequesttimelineitems
 */
export function triageTimelineTypes(pull: boolean): string[] {
  return [...triageEvents].filter((event) => pull || event !== 'merged').map((event) => `${event.replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Event`);
}
