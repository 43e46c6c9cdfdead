/**
 * Colour on a terminal, as https://no-color.org says: NO_COLOR set to anything but '' turns it off
 * (the spinner's too), FORCE_COLOR turns it on whatever NO_COLOR says. On a pseudo-terminal from
 * script(1), as a user would see it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bin, runCommand } from './run-cli.js';
import { startWorld } from './world.js';
import type { World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** Select Graphic Rendition: colours, dim, bold. Cursor moves and line clearing are not colour. */
const sgr = /\u001b\[[0-9;]*m/;

async function screenWith(colourEnv: string): Promise<string> {
  world ??= await startWorld();
  const env = Object.entries(world.env).map(([name, value]) => `${name}='${value}'`).join(' ');
  // A bad repository name: an error (red), and nothing asked. And a real run's progress, to a file.
  const command = `stty cols 100 rows 40; env -u CI -u NO_COLOR -u FORCE_COLOR TERM=xterm-256color ${env} ${colourEnv} ${process.execPath} ${bin} ${world.fixture.facts.fullName} --no-wiki > /dev/null; env -u CI TERM=xterm-256color ${colourEnv} ${process.execPath} ${bin} 'not a repo'`;
  return (await runCommand('script', ['-qfec', command, '/dev/null'], 30_000)).stdout;
}

describe('colour on a terminal', () => {
  it('is there by default: the error prefix in red, the spinner and its ticks in colour', async () => {
    const screen = await screenWith('');
    expect(screen).toMatch(/\u001b\[31moctohatrack:/);
    expect(screen).toMatch(sgr);
  });

  it.each(['1', 'true', 'anything'])('NO_COLOR=%s: none at all, on errors, progress and the spinner', async (value) => {
    const screen = await screenWith(`NO_COLOR=${value}`);
    expect(screen).toMatch(/octohatrack: invalid owner "not a repo"/);
    expect(screen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔]/);
    expect(screen).not.toMatch(sgr);
  });

  it("NO_COLOR='' is as if unset; FORCE_COLOR wins over NO_COLOR", async () => {
    expect(await screenWith("NO_COLOR=''")).toMatch(/\u001b\[31moctohatrack:/);
    expect(await screenWith('NO_COLOR=1 FORCE_COLOR=1')).toMatch(/\u001b\[31moctohatrack:/);
  });
});
