import type { Report } from './build.js';

const header = ['login', 'name', 'type', 'kinds', 'repositories', 'counts'];

/**
 * RFC 4180 CSV: a header row, `;` inside list cells. A cell a spreadsheet would read as a formula
 * (starting with `=`, `+`, `-`, `@`, or a tab or carriage return) is prefixed with `'` (OWASP CSV injection).
 */
export function formatCsv(report: Report): string {
  const rows = report.contributors.map((person) => [
    person.login ?? '',
    person.name ?? '',
    person.type ?? '',
    person.kinds.join(';'),
    person.repositories.join(';'),
    // How many of each kind, as json's `counts` has them: `code=120;issue=5`.
    person.kinds.map((kind) => `${kind}=${person.counts[kind] ?? 0}`).join(';'),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
