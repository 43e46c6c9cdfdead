import type { Report, ReportPerson } from './build.js';

/** The original's shape: everyone, then a summary per repository. */
export function formatText(report: Report): string {
  const lines = ['All Contributors:', ...report.contributors.map(formatPerson), ''];
  for (const repository of report.repositories) {
    lines.push(`Repo: ${repository.fullName}`, `GitHub Contributors: ${repository.githubContributors}`, `All Contributors: ${repository.allContributors} 👏`);
  }
  if (report.repositories.length > 1) lines.push('', `All repositories: ${report.contributors.length} contributors 👏`);
  return `${lines.join('\n')}\n`;
}

function formatPerson(person: ReportPerson): string {
  if (person.login === null) return person.name ?? '';
  if (person.name && person.name !== person.login) return `${person.name} (${person.login})`;
  return person.login;
}
