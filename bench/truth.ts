/**
 * The benchmark's correctness check: a run's JSON report against the fixture's truth, kind by kind
 * (recall and precision: who is missing, who should not be there) and the display names.
 */
import type { ContributionKind, FixtureFacts } from '../test/fake-github/fixtures.js';
import { contributionKinds } from '../test/fake-github/fixtures.js';

interface ReportedPerson {
  login?: unknown;
  name?: unknown;
  kinds?: unknown;
}

const few = (logins: readonly string[]): string => `${logins.slice(0, 3).join(', ')}${logins.length > 3 ? ', …' : ''}`;

/** What differs from the truth, one line per kind (or for the names) that differs; empty when the report is exact. */
export function differencesFromTruth(stdout: string, facts: FixtureFacts): string[] {
  let contributors: ReportedPerson[];
  try {
    const json = JSON.parse(stdout) as { contributors?: unknown };
    if (!Array.isArray(json.contributors)) return ['the report has no contributors array'];
    contributors = json.contributors as ReportedPerson[];
  } catch {
    return ['the report is not JSON'];
  }
  const found = new Map<ContributionKind, Set<string>>(contributionKinds.map((kind) => [kind, new Set<string>()]));
  const names = new Map<string, unknown>();
  for (const person of contributors) {
    if (typeof person.login !== 'string') continue;
    const login = person.login.toLowerCase();
    names.set(login, person.name ?? null);
    for (const kind of Array.isArray(person.kinds) ? person.kinds : []) found.get(kind as ContributionKind)?.add(login);
  }
  const differences: string[] = [];
  for (const kind of contributionKinds) {
    const truth = new Set(facts.loginsByKind[kind].map((login) => login.toLowerCase()));
    const reported = found.get(kind) ?? new Set<string>();
    const missing = [...truth].filter((login) => !reported.has(login));
    const extra = [...reported].filter((login) => !truth.has(login));
    if (missing.length > 0 || extra.length > 0) differences.push(`${kind}: ${missing.length} missing${missing.length > 0 ? ` (${few(missing)})` : ''}, ${extra.length} not in the fixture${extra.length > 0 ? ` (${few(extra)})` : ''}`);
  }
  // `ghost` stands for every deleted account: nobody's name is asked for it. Nor an app's bot's: GraphQL
  // has no user of that login (`user(login: "x[bot]")` is null), so a run with a token names none.
  const wrongNames = Object.entries(facts.displayNames)
    .filter(([login, name]) => login !== 'ghost' && !/\[bot\]$/i.test(login) && names.has(login.toLowerCase()) && (names.get(login.toLowerCase()) ?? null) !== name)
    .map(([login]) => login);
  if (wrongNames.length > 0) differences.push(`display names: ${wrongNames.length} differ from the accounts' (${few(wrongNames)})`);
  return differences;
}
