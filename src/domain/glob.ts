/**
 * A simple glob, as a user types one on the command line: `*` is any run of characters (none too),
 * `?` is any one character, everything else stands for itself; case is ignored, as GitHub ignores it
 * in logins and repository names.
 */
export function globPattern(glob: string): RegExp {
  const body = [...glob].map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i');
}
