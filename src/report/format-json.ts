import type { Report } from './build.js';

/** One JSON object (SPEC §4); its shape is part of the user contract. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
