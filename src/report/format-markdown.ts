import type { Report, ReportPerson } from './build.js';

/** A table fit for a README: one row per person, linked to their GitHub profile. */
export function formatMarkdown(report: Report, serverUrl = 'https://github.com'): string {
  const lines = ['| Contributor | Contributions |', '| --- | --- |'];
  for (const person of report.contributors) lines.push(`| ${who(person, serverUrl)} | ${person.kinds.map((kind) => `${kind} (${person.counts[kind] ?? 0})`).join(', ')} |`);
  lines.push('');
  for (const repository of report.repositories) {
    lines.push(`${markdownText(repository.fullName)}: ${repository.allContributors} contributors, ${repository.githubContributors} of them listed by GitHub as code contributors.`, '');
  }
  // Several repositories: how many people in all (one row each, whatever they did where).
  if (report.repositories.length > 1) lines.push(`In all: ${report.contributors.length} contributors in ${report.repositories.length} repositories.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function who(person: ReportPerson, serverUrl: string): string {
  if (person.login === null) return markdownText(person.name ?? '');
  // A bot's page is its app's: github.com/apps/dependabot for dependabot[bot].
  const bot = /^(.+)\[bot\]$/.exec(person.login)?.[1];
  const profile = bot === undefined ? `${serverUrl}/${encodeURIComponent(person.login)}` : `${serverUrl}/apps/${encodeURIComponent(bot)}`;
  const link = `[@${markdownText(person.login)}](${profile})`;
  return person.name && person.name !== person.login ? `${markdownText(person.name)} (${link})` : link;
}

/**
 * Text from a remote server, made inert in a table cell: markdown and HTML syntax characters are
 * backslash-escaped (GFM: any ASCII punctuation may be), so a name cannot break the table, inject a
 * link or an image, or carry HTML.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~"'&:=@]/g, (character) => `\\${character}`);
}
