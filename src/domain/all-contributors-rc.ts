/**
 * Pure: reading an `.all-contributorsrc` (https://allcontributors.org/docs/en/bot/configuration), the one
 * reader for all who read one: the CONTRIBUTORS-files source (a repository's file credits people),
 * `--format all-contributors` (whose entries keep what the file gave them) and `octohatrack check`.
 */
import { isRecord } from '../github/json.js';
import { sanitizeLine, sanitizeMessage, sanitizeText } from '../text/sanitize.js';
import { isAccountLogin } from './contribution.js';

export interface RcContributor {
  login: string;
  name?: string;
  avatar_url?: string;
  profile?: string;
  contributions: string[];
}

export interface AllContributorsRc {
  /** Every field but `contributors`, as the file has them (`projectName`, `files`, `imageSize`…). */
  settings: Record<string, unknown>;
  contributors: RcContributor[];
  /** Entries that could not be read (no valid login), by position. */
  problems: string[];
}

export class RcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RcError';
  }
}

/**
 * Throws RcError when the text is not an `.all-contributorsrc` at all; skips (and names) entries without
 * a valid login: a person's, or an app's bot as `--format all-contributors` writes it (`renovate[bot]`).
 */
export function parseAllContributorsRc(text: string): AllContributorsRc {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new RcError(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(document)) throw new RcError('it is not a JSON object');
  // The file is the repository's: what it says goes to a terminal (`check`) and into the file we
  // write, so escapes, control characters and bidi overrides go wherever they are.
  const { contributors, ...settings } = cleanStrings(document) as Record<string, unknown>;
  if (contributors !== undefined && !Array.isArray(contributors)) throw new RcError('its "contributors" is not a list');
  const found: RcContributor[] = [];
  const problems: string[] = [];
  (contributors ?? []).forEach((entry: unknown, index: number) => {
    const login = isRecord(entry) && typeof entry.login === 'string' ? entry.login.trim() : '';
    if (!isRecord(entry) || !isAccountLogin(login)) {
      problems.push(`entry ${index + 1} has no valid login`);
      return;
    }
    const contributor: RcContributor = {
      login,
      contributions: Array.isArray(entry.contributions) ? entry.contributions.filter((type): type is string => typeof type === 'string') : [],
    };
    if (typeof entry.name === 'string') contributor.name = sanitizeText(entry.name);
    if (typeof entry.avatar_url === 'string') contributor.avatar_url = entry.avatar_url;
    if (typeof entry.profile === 'string') contributor.profile = entry.profile;
    found.push(contributor);
  });
  return { settings, contributors: found, problems };
}

/** Every string in a JSON value without escapes or control characters (line breaks stay: JSON escapes them); keys on one line. */
function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeMessage(value);
  if (Array.isArray(value)) return value.map(cleanStrings);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [sanitizeLine(key), cleanStrings(inner)]));
  return value;
}
