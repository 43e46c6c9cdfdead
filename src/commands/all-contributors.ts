/**
 * The all-contributors bridge: `--format all-contributors` (the report as an `.all-contributorsrc`,
 * keeping what the repository's own file already says) and `octohatrack check` (who is missing from a
 * local `.all-contributorsrc`, and who is in it but not found).
 */
import type { AllContributorsRc } from '../domain/all-contributors-rc.js';
import { parseAllContributorsRc, RcError } from '../domain/all-contributors-rc.js';
import { splitFullName } from '../domain/repository-name.js';
import type { GitHubHelper } from '../github/helper.js';
import { shapeFileContent } from '../github/shapes.js';
import type { Report } from '../report/build.js';
import { allContributorsTypes, formatAllContributors } from '../report/format-all-contributors.js';
import type { AllContributorsDocument } from '../report/format-all-contributors.js';
import { plural } from '../text/plural.js';
import { sanitizeText } from '../text/sanitize.js';

const maxRcBytes = 1024 * 1024;

/**
 * The report as an `.all-contributorsrc`. The repositories' own files (the first one's settings, and
 * everyone they list with the types they give) come from the same request the CONTRIBUTORS-files
 * source made, so from the memo or the cache.
 */
export async function formatAllContributorsReport(report: Report, github: GitHubHelper, serverUrl: string, warn: (message: string) => void): Promise<AllContributorsDocument> {
  return formatAllContributors(report, { serverUrl, existing: await readRepositoriesRc(report, github, warn) });
}

/** The repositories' own `.all-contributorsrc` files, merged: the first one's settings, everyone they list. */
export async function readRepositoriesRc(report: Report, github: GitHubHelper, warn: (message: string) => void): Promise<AllContributorsRc | null> {
  let existing: AllContributorsRc | null = null;
  for (const { fullName } of report.repositories) {
    const rc = await readRepositoryRc(github, fullName, warn);
    if (rc === null) continue;
    if (existing === null) existing = rc;
    else {
      const known = new Set(existing.contributors.map((entry) => entry.login.toLowerCase()));
      existing.contributors.push(...rc.contributors.filter((entry) => !known.has(entry.login.toLowerCase())));
    }
  }
  return existing;
}

async function readRepositoryRc(github: GitHubHelper, fullName: string, warn: (message: string) => void): Promise<AllContributorsRc | null> {
  const { owner, repo } = splitFullName(fullName);
  // https://docs.github.com/rest/repos/contents#get-repository-content (404: no such file)
  const content = await github.getOptionalJSON(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/contents/${encodeURIComponent('.all-contributorsrc')}`, shapeFileContent);
  if (content === null || content.encoding !== 'base64' || content.size > maxRcBytes) return null;
  try {
    return parseAllContributorsRc(Buffer.from(content.content, 'base64').toString('utf8'));
  } catch (error) {
    if (!(error instanceof RcError)) throw error;
    warn(`${fullName} .all-contributorsrc: ${error.message}; its settings and types are not kept`);
    return null;
  }
}

export interface CheckResult {
  text: string;
  /** Found, with a GitHub login, and not in the file: `check` exits 1. */
  missing: number;
}

/**
 * Compares a local `.all-contributorsrc` with the report (`regenerate`: the command that rewrites it). "Missing": found, with a login, and not in
 * the file. "Not found": in the file, but found by nothing else than the repository's own
 * `.all-contributorsrc` (which, being the same file as a rule, would find everyone in it): not in the
 * report, or credited by a contributors file once, and that file is the repository's `.all-contributorsrc`.
 */
export function compareWithRc(report: Report, rc: AllContributorsRc, rcPath: string, repositoryRc: AllContributorsRc | null, regenerate: string): CheckResult {
  const listed = new Set(rc.contributors.map((entry) => entry.login.toLowerCase()));
  const inRepositoryRc = new Set((repositoryRc?.contributors ?? []).map((entry) => entry.login.toLowerCase()));
  const byLogin = new Map(report.contributors.flatMap((person) => (person.login === null ? [] : [[person.login.toLowerCase(), person] as const])));
  const missing = report.contributors.filter((person) => person.login !== null && !listed.has(person.login.toLowerCase()));
  const notFound = rc.contributors.filter((entry) => {
    const person = byLogin.get(entry.login.toLowerCase());
    if (person === undefined) return true;
    const onlyCredited = person.kinds.every((kind) => kind === 'contributors-file');
    return onlyCredited && inRepositoryRc.has(entry.login.toLowerCase()) && (person.counts['contributors-file'] ?? 0) <= 1;
  });
  const repositories = report.repositories.map((r) => r.fullName).join(', ');
  const nameOnly = report.contributors.filter((person) => person.login === null).length;
  const found = `${plural(report.contributors.length, 'contributor', 'contributors')} found${nameOnly > 0 ? ` (${nameOnly} known only by name, who cannot be listed)` : ''}`;
  const lines = [`${rcPath}: ${plural(rc.contributors.length, 'person', 'people')} listed; ${repositories}: ${found}.`];
  if (missing.length > 0) {
    lines.push('', `Missing from ${rcPath} (${missing.length}):`);
    for (const person of missing) {
      const types = typesOf(person.kinds);
      const name = person.name && person.name !== person.login ? ` (${person.name})` : '';
      lines.push(`  ${person.login}${name}: ${person.kinds.join(', ')}${types ? `  →  npx all-contributors add ${person.login} ${types}` : ''}`);
    }
  }
  if (notFound.length > 0) {
    lines.push('', `In ${rcPath} but not found in ${repositories}'s activity (${notFound.length}):`);
    for (const entry of notFound) lines.push(`  ${sanitizeText(entry.login)}${entry.name ? ` (${sanitizeText(entry.name)})` : ''}`);
    lines.push('(Credited by hand, or left out by --no-bots, --exclude or --since: nothing to fix unless you expected them to be found.)');
  }
  if (rc.problems.length > 0) lines.push('', `Not read from ${rcPath}: ${rc.problems.slice(0, 3).join('; ')}${rc.problems.length > 3 ? ` (and ${rc.problems.length - 3} more)` : ''}`);
  lines.push('', missing.length === 0 ? `Everyone found is in ${rcPath}.` : `To add them all, rewrite it: ${regenerate}`);
  return { text: `${lines.join('\n')}\n`, missing: missing.length };
}

/** all-contributors types for the kinds, in the order of the mapping (`code,bug,review`). */
function typesOf(kinds: readonly string[]): string {
  return [...new Set(Object.entries(allContributorsTypes).flatMap(([kind, type]) => (kinds.includes(kind) ? [type] : [])))].join(',');
}
