import type { OutputFormat } from '../options.js';
import type { Report } from './build.js';
import { formatJson } from './format-json.js';
import { formatText } from './format-text.js';

const formatters: Record<OutputFormat, (report: Report) => string> = {
  text: formatText,
  json: formatJson,
};

export function formatReport(report: Report, format: OutputFormat): string {
  return formatters[format](report);
}
