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
