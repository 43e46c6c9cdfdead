/**
 * `octohatrack cache info` and `octohatrack cache clear [owner/repo]`: what the cache holds, and
 * forgetting it (all of it, or one repository's entries). An entry is a response, or one part of a
 * batched answer (a person's name, a pull request's reviews), or a note kept beside a response.
 */
import type { PartitionSummary } from '../github/cache-inventory.js';
import { clearCache, inspectCache } from '../github/cache-inventory.js';
import { plural } from '../text/plural.js';
import type { RepositoryName } from '../domain/repository-name.js';
import { formatRepositoryName } from '../domain/repository-name.js';

export function describeCacheInfo(rootDir: string): string {
  const inventory = inspectCache(rootDir);
  const lines = [`Cache: ${inventory.dir}`];
  if (inventory.partitions.length === 0) {
    lines.push('Empty.');
  } else {
    const entries = sum(inventory.partitions, 'entries');
    const bytes = sum(inventory.partitions, 'bytes');
    const oldest = Math.min(...inventory.partitions.map((p) => p.oldest ?? Number.POSITIVE_INFINITY));
    const newest = Math.max(...inventory.partitions.map((p) => p.newest ?? 0));
    const files = sum(inventory.partitions, 'files');
    lines.push(`${plural(entries, 'entry', 'entries')}, ${formatBytes(bytes)} in ${plural(files, 'file')}; oldest ${formatTime(oldest)}, newest ${formatTime(newest)} (local time)`, '');
    let host = '';
    for (const partition of inventory.partitions) {
      if (partition.host !== host) {
        host = partition.host;
        lines.push(host);
      }
      lines.push(`  ${describeName(partition).padEnd(40)} ${String(partition.entries).padStart(7)} ${partition.entries === 1 ? 'entry  ' : 'entries'} ${formatBytes(partition.bytes).padStart(9)}  ${formatTime(partition.oldest)} – ${formatTime(partition.newest)}`);
    }
  }
  for (const version of inventory.otherVersions) lines.push(`(${version}: another format version, not read by this octohatrack)`);
  for (const file of inventory.unreadable) lines.push(`(unreadable or corrupt: ${file})`);
  for (const link of inventory.links) lines.push(`(a symbolic link, not followed: ${link})`);
  return `${lines.join('\n')}\n`;
}

export function runCacheClear(rootDir: string, repository: RepositoryName | null): string {
  const { removed, links } = clearCache(rootDir, repository);
  const what = repository ? ` of ${formatRepositoryName(repository)}` : '';
  // A link planted in the cache is removed as a link: what it pointed to is left alone.
  const linksLine = links > 0 ? `Removed ${plural(links, 'symbolic link')} found in the cache (not followed: what ${links === 1 ? 'it points' : 'they point'} to is left alone).\n` : '';
  if (removed.length === 0) return (repository ? `Nothing cached${what} in ${rootDir}.\n` : `The cache in ${rootDir} is already empty.\n`) + linksLine;
  const entries = sum(removed, 'entries');
  return `Removed ${plural(entries, 'cached entry', 'cached entries')}${what} (${formatBytes(sum(removed, 'bytes'))}) from ${rootDir}.\n${linksLine}`;
}

function describeName(partition: PartitionSummary): string {
  const repo = /^repos\/(.+)$/.exec(partition.partition);
  return repo ? (repo[1] ?? '') : `(${partition.partition})`;
}

function sum(partitions: readonly PartitionSummary[], field: 'entries' | 'bytes' | 'files'): number {
  return partitions.reduce((total, partition) => total + partition[field], 0);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatTime(epochMs: number | null): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return '-';
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
