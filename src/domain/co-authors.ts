/**
 * The people a commit message credits in `Co-authored-by: Name <email>` trailers, read by git's own
 * trailer rules (git's trailer.c, as `git log --format=%(trailers)` reads a commit):
 * - the first paragraph is the title and never holds trailers;
 * - the trailers are the message's last paragraph (after a blank line), once the comment lines (`#`),
 *   blank lines and old `Conflicts:` block at its end are set aside; the paragraph counts only if all
 *   of its lines are trailers (`Key: value`, the key of letters, digits and `-`, spaces allowed before
 *   the colon), or if one of them is git's own (`Signed-off-by: `, `(cherry picked from commit `)
 *   and at least a quarter of them are trailers;
 * - a line that begins with white space continues the trailer before it (folded, as in mail headers);
 * - keys are compared case-insensitively: `co-authored-by` is `Co-authored-by`; `Signed-off-by` and
 *   the rest credit nobody here.
 * https://git-scm.com/docs/git-interpret-trailers
 * https://docs.github.com/pull-requests/committing-changes-to-your-project/creating-and-editing-commits/creating-a-commit-with-multiple-authors
 *
 * A message comes from a remote server and may be anything: it is read in one pass over its lines
 * (linear time, no backtracking pattern), a CRLF is read as a line break, and what is kept is bounded.
 */

/** Someone a trailer credits: the email is always there (it says who), the name may not be. */
export interface CoAuthor {
  name: string | null;
  email: string;
}

/** A trailer longer than this (its folded lines joined) is not read: no name or email is that long. */
export const maxTrailerLength = 1000;
/** At most this many different co-authors are kept per commit (the first ones). */
export const maxCoAuthorsPerCommit = 100;

const coAuthoredBy = 'co-authored-by';
/** Trailers git writes itself: a paragraph holding one is trailers when a quarter of its lines are. */
const gitGeneratedPrefixes = ['Signed-off-by: ', '(cherry picked from commit '];
const commentPrefix = '#';
/** One address, as git writes it between `<` and `>`: no white space, brackets or control characters. */
const emailPattern = /^[^\s<>@\u0000-\u001f\u007f]+@[^\s<>@\u0000-\u001f\u007f]+$/;

export function parseCoAuthors(message: string): CoAuthor[] {
  const lines = message.replace(/\r\n/g, '\n').split('\n');
  // A final line break ends the last line; it does not start another.
  const finalBreak = lines.length > 1 && lines[lines.length - 1] === '';
  if (finalBreak) lines.pop();
  const end = endOfLogMessage(lines, finalBreak);
  const start = trailerBlockStart(lines, end);
  const found: CoAuthor[] = [];
  const seen = new Set<string>();
  for (const trailer of trailersIn(lines, start, end)) {
    if (trailer.key.toLowerCase() !== coAuthoredBy) continue;
    const coAuthor = readNameAndEmail(trailer.value);
    if (coAuthor === null || seen.has(coAuthor.email.toLowerCase())) continue;
    seen.add(coAuthor.email.toLowerCase());
    found.push(coAuthor);
    if (found.length === maxCoAuthorsPerCommit) break;
  }
  return found;
}

/** git's white space (`isspace` in git is ASCII space, tab, line feed and carriage return). */
function isGitSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r';
}

function isBlank(line: string): boolean {
  for (const character of line) if (!isGitSpace(character)) return false;
  return true;
}

function trimGit(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && isGitSpace(text[from])) from += 1;
  while (to > from && isGitSpace(text[to - 1])) to -= 1;
  return text.slice(from, to);
}

function isTokenCharacter(character: string): boolean {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || (character >= '0' && character <= '9') || character === '-';
}

/**
 * Where the separator of `Key: value` is (`Key : value` too), or -1 when the line is no trailer;
 * git's `find_separator`. It stops at the first character that cannot be part of a key.
 */
function findSeparator(line: string): number {
  let spaceFound = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index] as string;
    if (character === ':') return index;
    if (!spaceFound && isTokenCharacter(character)) continue;
    if (index > 0 && (character === ' ' || character === '\t')) {
      spaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

/**
 * The end of the message proper: comment lines, empty lines and an old-style `Conflicts:` block at its
 * end are not part of it (git's `ignored_log_message_bytes`).
 */
function endOfLogMessage(lines: readonly string[], finalBreak: boolean): number {
  let ignoredFrom = -1;
  let inConflicts = false;
  lines.forEach((line, index) => {
    if (line === '' || line.startsWith(commentPrefix)) {
      if (ignoredFrom < 0) ignoredFrom = index;
    } else if (line === 'Conflicts:' && (finalBreak || index < lines.length - 1)) {
      // git looks for `Conflicts:` and its line break.
      inConflicts = true;
      if (ignoredFrom < 0) ignoredFrom = index;
    } else if (inConflicts && line.startsWith('\t')) {
      // A path in the conflicts block.
    } else if (ignoredFrom >= 0) {
      ignoredFrom = -1;
      inConflicts = false;
    }
  });
  return ignoredFrom < 0 ? lines.length : ignoredFrom;
}

/** The first line of the trailer paragraph, or `end` when there is none (git's `find_trailer_block_start`). */
function trailerBlockStart(lines: readonly string[], end: number): number {
  // The first paragraph is the title and cannot be trailers.
  let endOfTitle = 0;
  while (endOfTitle < end && (lines[endOfTitle]?.startsWith(commentPrefix) === true || !isBlank(lines[endOfTitle] ?? ''))) endOfTitle += 1;
  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  // Lines that begin with white space: continuations of the trailer above them, or not trailers at all.
  let possibleContinuations = 0;
  for (let index = end - 1; index >= endOfTitle; index -= 1) {
    const line = lines[index] ?? '';
    if (line.startsWith(commentPrefix)) {
      nonTrailerLines += possibleContinuations;
      possibleContinuations = 0;
      continue;
    }
    if (isBlank(line)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuations;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return index + 1;
      if (trailerLines > 0 && nonTrailerLines === 0) return index + 1;
      return end;
    }
    onlySpaces = false;
    if (gitGeneratedPrefixes.some((prefix) => line.startsWith(prefix))) {
      trailerLines += 1;
      possibleContinuations = 0;
      recognizedPrefix = true;
    } else if (findSeparator(line) >= 1 && !isGitSpace(line[0])) {
      trailerLines += 1;
      possibleContinuations = 0;
    } else if (isGitSpace(line[0])) {
      possibleContinuations += 1;
    } else {
      nonTrailerLines += 1 + possibleContinuations;
      possibleContinuations = 0;
    }
  }
  return end;
}

interface Trailer {
  key: string;
  value: string;
}

/**
 * The trailers of lines `start` to `end`, each with its folded lines joined by one space (git's
 * `unfold_value`). One longer than `maxTrailerLength` is left out, and not built past that length.
 */
function* trailersIn(lines: readonly string[], start: number, end: number): Generator<Trailer> {
  let key: string | null = null;
  let parts: string[] = [];
  let length = 0;
  const finished = (): Trailer | null => (key !== null && length <= maxTrailerLength ? { key, value: trimGit(parts.join(' ')) } : null);
  for (let index = start; index < end; index += 1) {
    const line = lines[index] ?? '';
    if (key !== null && isGitSpace(line[0])) {
      length += line.length;
      if (length <= maxTrailerLength) parts.push(trimGit(line));
      continue;
    }
    const trailer = finished();
    if (trailer) yield trailer;
    key = null;
    const separator = line.startsWith(commentPrefix) ? -1 : findSeparator(line);
    if (separator < 1) continue;
    key = trimGit(line.slice(0, separator));
    parts = [line.slice(separator + 1)];
    length = line.length;
  }
  const trailer = finished();
  if (trailer) yield trailer;
}

/** `Name <email>`: the address between the last `<` and the `>` that ends the value; null when malformed. */
function readNameAndEmail(value: string): CoAuthor | null {
  if (!value.endsWith('>')) return null;
  const open = value.lastIndexOf('<');
  if (open < 0) return null;
  const email = trimGit(value.slice(open + 1, -1));
  // Any white space around a name is no part of it (no-break spaces included).
  const name = value.slice(0, open).trim();
  // `A <a@x>, B <b@x>` is two people written as one: which one was meant cannot be told.
  if (!emailPattern.test(email) || name.includes('<') || name.includes('>')) return null;
  return { name: name === '' ? null : name, email };
}
