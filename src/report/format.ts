import type { OutputFormat } from '../options.js';
import type { Report } from './build.js';
import { formatAllContributors } from './format-all-contributors.js';
import { formatCsv } from './format-csv.js';
import { formatJson } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';
import { formatText } from './format-text.js';

export function formatReport(report: Report, format: OutputFormat, serverUrl: string): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'csv':
      return formatCsv(report);
    case 'markdown':
      return formatMarkdown(report, serverUrl);
    case 'all-contributors':
      // Without the repository's own .all-contributorsrc; commands/all-contributors.ts reads it.
      return formatAllContributors(report, { serverUrl, existing: null }).text;
  }
}
