import { createHash } from 'node:crypto';
import { parseAllContributorsRc, RcError } from '../domain/all-contributors-rc.js';
import type { Contribution, Identity } from '../domain/contribution.js';
import { isLogin } from '../domain/contribution.js';
import type { FileContent } from '../github/shapes.js';
import { shapeFileContent } from '../github/shapes.js';
import { loginFromNoreplyEmail } from './noreply.js';
import { planCache } from './cache-policy.js';
import { sources } from './sources.js';
import type { CollectorContext, CollectorResult } from './types.js';

export const maxContributorsFileBytes = 1024 * 1024;
const maxLineLength = 1000;

export interface ParsedFile {
  people: Identity[];
  /** Lines that could not be read as an entry (kept as names where possible, else dropped). */
  problems: string[];
}

/**
 * The original's CONTRIBUTORS format: `#` comments and blank lines are ignored;
 * `Name <github:@login>`, `Name <twitter:@handle>`, `Name <email@domain>`; any other line is a name.
 */
export function parseContributorsFile(text: string): ParsedFile {
  const people: Identity[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `line ${index + 1}`;
    if (line.length > maxLineLength) {
      problems.push(`${where} is longer than ${maxLineLength} characters`);
      return;
    }
    const match = splitAlias(line);
    if (!match) {
      if (line.includes('<') || line.includes('>')) problems.push(`${where} has an unclosed <…>; kept as a name`);
      people.push({ login: null, type: null, name: line });
      return;
    }
    const { name, alias } = match;
    const service = /^([a-z]+):\s*@?(.*)$/i.exec(alias);
    if (service && service[1]?.toLowerCase() === 'github') {
      const login = (service[2] ?? '').trim();
      if (isLogin(login)) {
        people.push({ login, type: null, ...(name ? { name } : {}) });
        return;
      }
      problems.push(`${where} names a GitHub account that is not a valid login`);
    } else if (!service && /^[^\s@]+@[^\s@]+$/.test(alias)) {
      const login = loginFromNoreplyEmail(alias);
      if (login) people.push({ login, type: null, ...(name ? { name } : {}) });
      else people.push({ login: null, type: null, name: name || null, email: alias.toLowerCase() });
      return;
    } else if (!service || service[1]?.toLowerCase() !== 'twitter') {
      problems.push(`${where} has an unknown <${alias.length > 40 ? `${alias.slice(0, 40)}…` : alias}>; kept as a name`);
    }
    if (name) people.push({ login: null, type: null, name });
  });
  return { people, problems };
}

/** `.all-contributorsrc`: everyone it lists, read by the one reader of such files, as people it credits. */
export function peopleInAllContributorsRc(text: string): ParsedFile {
  try {
    const { contributors, problems } = parseAllContributorsRc(text);
    const people = contributors.map(({ login, name }): Identity => {
      const trimmed = name?.trim();
      return { login, type: null, ...(trimmed ? { name: trimmed } : {}) };
    });
    return { people, problems };
  } catch (error) {
    if (error instanceof RcError) return { people: [], problems: [error.message] };
    throw error;
  }
}

/** `contributors-file`: people credited in CONTRIBUTORS or .all-contributorsrc at the repository root. */
export async function collectContributorsFiles(context: CollectorContext): Promise<CollectorResult> {
  const contributions: Contribution[] = [];
  // A file has no dates: with --since it says nothing about who contributed since.
  if (context.since !== null) return { contributions, complete: true };
  const parsers = { CONTRIBUTORS: parseContributorsFile, '.all-contributorsrc': peopleInAllContributorsRc } as const;
  for (const file of sources.contributorsFiles.files) {
    const parse = parsers[file];
    const text = await readRepositoryFile(context, file);
    if (text === null) continue;
    const { people, problems } = parse(text);
    if (problems.length > 0) {
      const shown = problems.slice(0, 3).join('; ');
      warnOnce(context, file, text, `${context.fullName} ${file}: ${shown}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
    }
    for (const who of people) contributions.push({ who, kind: 'contributors-file', count: 1 });
  }
  return { contributions, complete: true };
}

/**
 * What a file's lines are wrong about is said once for the file as it is: the next run, which finds
 * the same file in the cache, says it no more (a new version of the file is told of again). The
 * digest said is kept beside the file's cached answer.
 */
function warnOnce(context: CollectorContext, file: string, text: string, message: string): void {
  const key = `${context.repoPath}/contents-warned/${encodeURIComponent(file)}`;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
  if (context.github.recall(key, (body) => (typeof body === 'string' ? body : null), Number.POSITIVE_INFINITY) === digest) return;
  context.warn(message);
  context.github.remember(key, digest);
}

async function readRepositoryFile(context: CollectorContext, file: string): Promise<string | null> {
  const declaration = sources.contributorsFiles;
  const uri = declaration.uri(context.repoPath, file);
  // A file on the default branch changes only with a push: while there is none, the cached answer stands.
  const plan = planCache(context, declaration.policy, uri);
  const content: FileContent | null = await context.github.getOptionalJSON(uri, shapeFileContent, { trustCached: plan.walk.trustCached === true });
  plan.settled();
  if (content === null) return null;
  // Files over 1 MB come without their content ("encoding": "none").
  if (content.encoding !== 'base64' || content.size > maxContributorsFileBytes) {
    context.warn(`${context.fullName} ${file} is larger than 1 MiB; skipped`);
    return null;
  }
  const bytes = Buffer.from(content.content, 'base64');
  if (bytes.length > maxContributorsFileBytes) {
    context.warn(`${context.fullName} ${file} is larger than 1 MiB; skipped`);
    return null;
  }
  return bytes.toString('utf8');
}

/**
 * `Name <alias>`: the alias in the line's last `<…>`, which must end it; null for a line without one.
 * Found with two scans, not a pattern: a backtracking one took a second over a hostile 1 MiB file.
 */
export function splitAlias(line: string): { name: string; alias: string } | null {
  if (!line.endsWith('>')) return null;
  const open = line.lastIndexOf('<');
  if (open < 0 || line.indexOf('>', open) !== line.length - 1) return null;
  return { name: line.slice(0, open).trim(), alias: line.slice(open + 1, -1).trim() };
}
