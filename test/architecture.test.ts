/**
 * The rooms of the house (STYLE.md) keep to their walls: collectors and the report speak to each other
 * only through `src/domain/`, neither calls a command, and only `main.ts` touches the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(src, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file));
}

/** Every module a file imports or re-exports, statically or dynamically, as a path below src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(src, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((match) => match[1] ?? match[2] ?? '');
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => path.relative(src, path.resolve(path.dirname(path.join(src, file)), specifier)));
}

function crossings(from: string, forbidden: readonly string[]): string[] {
  return sourceFiles(from).flatMap((file) => importsOf(file).filter((target) => forbidden.some((room) => target.startsWith(`${room}${path.sep}`))).map((target) => `${file} → ${target}`));
}

describe('architecture', () => {
  it('reads the imports it checks', () => {
    expect(importsOf(path.join('collectors', 'names.ts'))).toContain(path.join('domain', 'contribution.js'));
    expect(importsOf(path.join('report', 'format.ts'))).toContain(path.join('report', 'build.js'));
  });

  it('keeps collectors out of the report and of commands', () => {
    expect(crossings('collectors', ['report', 'commands'])).toEqual([]);
  });

  it('keeps the report out of collectors and of commands', () => {
    expect(crossings('report', ['collectors', 'commands'])).toEqual([]);
  });

  it('keeps the domain below everything: it imports no collector, report, command or UI', () => {
    expect(crossings('domain', ['collectors', 'report', 'commands', 'ui'])).toEqual([]);
  });

  it('lets only main.ts touch the process: its environment, streams, arguments and exit', () => {
    const touching = sourceFiles('.').filter((file) => file !== 'main.ts' && /\bprocess\.(?:env|exit|stdout|stderr|stdin|argv|cwd|on|once)\b/.test(fs.readFileSync(path.join(src, file), 'utf8')));
    expect(touching).toEqual([]);
  });
});
