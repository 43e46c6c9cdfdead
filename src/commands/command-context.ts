import type { Environment, Options } from '../options.js';
import type { Session } from '../session.js';

/**
 * What main.ts hands a command instead of the process: the environment, the working directory, where
 * the output goes, the session to ask GitHub through, and the signal that says the run is stopping.
 */
export interface CommandContext {
  env: Environment;
  cwd: string;
  /** The command's output: stdout. */
  write(text: string): void;
  /** Opens the command's session; main.ts closes it, whatever happens. */
  startSession(options: Options): Session;
  /** Aborted on a signal: what runs outside this process (a wiki clone) stops and cleans up at once. */
  signal: AbortSignal;
}
