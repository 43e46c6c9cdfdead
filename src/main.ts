/**
 * The process boundary: argv, environment, stdout/stderr, signals and exit codes live here and
 * nowhere else. Whatever happens, the cache is saved before the process ends.
 */
import { Chalk, chalkStderr } from 'chalk';
import { CommanderError } from 'commander';
import { createProgram } from './cli.js';
import { describeCacheInfo, runCacheClear } from './commands/cache.js';
import { runCheck } from './commands/check.js';
import type { CommandContext } from './commands/command-context.js';
import { runReportCommand } from './commands/report-command.js';
import { CliError, exitCodes, RateLimitedError, RetryLaterError, UsageError } from './errors.js';
import { parseRepository, resolveCacheDir } from './options.js';
import type { Session } from './session.js';
import { describeRateLimitStop, startSession } from './session.js';
import { redactSecrets, secretsOf } from './text/redact.js';
import { sanitizeMessage } from './text/sanitize.js';
import { colorLevel } from './ui/color.js';

const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = {
  SIGINT: exitCodes.interrupted,
  SIGTERM: exitCodes.terminated,
  SIGHUP: 129,
};

const stdout = process.stdout;
const stderr = process.stderr;
const color = new Chalk({ level: colorLevel(process.env, chalkStderr.level) });

function printError(message: string): void {
  // An error may quote the server (GitHub's message, a body that is not JSON): no escapes reach the terminal.
  // Nor the token, if a server quoted it back.
  stderr.write(`${color.red('octohatrack:')} ${sanitizeMessage(redactSecrets(message, secretsOf(process.env)))}\n`);
}

async function main(): Promise<number> {
  /** The running command's session, once it has one: closed whatever happens, before anything is printed. */
  let session: Session | null = null;
  const close = (): void => session?.close();
  /** Aborted on a signal: what runs outside this process (a wiki clone) stops and cleans up at once. */
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    stopping.abort();
    close();
    const saved = !session?.cache.dir ? 'nothing was cached (--no-cache)' : session.github.stats.stored > 0 ? 'progress saved; run the same command again to resume' : 'nothing was fetched yet';
    stderr.write(`\n${color.yellow(`interrupted by ${signal}`)}: ${saved}\n`);
    process.exit(signalExitCodes[signal] ?? exitCodes.failed);
  };
  for (const signal of Object.keys(signalExitCodes) as NodeJS.Signals[]) process.once(signal, onSignal);
  // Nobody reads stderr any more (`2>&1 >/dev/null | head`): go on without progress; the report and
  // the cache matter more.
  stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // `octohatrack o/r | head`: the reader went away; what it wanted was printed, and the cache is safe.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    close();
    process.exit(exitCodes.ok);
  });
  const context: CommandContext = {
    env: process.env,
    cwd: process.cwd(),
    write: (text) => stdout.write(text),
    startSession: (options) => (session = startSession(options, { stderr, color, env: process.env })),
    signal: stopping.signal,
  };
  const program = createProgram({
    report: (repositories, flags) => runReportCommand(repositories, flags, context),
    check: (repository, flags) => runCheck(repository, flags, context),
    cacheInfo: async (flags) => {
      stdout.write(describeCacheInfo(resolveCacheDir(flags, process.env, process.cwd())));
    },
    cacheClear: async (repository, flags) => {
      const dir = resolveCacheDir(flags, process.env, process.cwd());
      stdout.write(runCacheClear(dir, repository === undefined ? null : parseRepository(repository)));
    },
    writeOut: (text) => stdout.write(text),
    writeErr: (text) => stderr.write(text.replace(/^octohatrack: /, `${color.red('octohatrack:')} `)),
  });
  try {
    await program.parseAsync(process.argv);
    return exitCodes.ok;
  } catch (error) {
    // The spinner stops and the cache is saved before the error is printed.
    close();
    return exitCodeOf(error, session);
  } finally {
    close();
  }
}

/** Prints what went wrong, and says with which exit code the process ends. */
function exitCodeOf(error: unknown, session: Session | null): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (and the hint to --help).
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof RateLimitedError) {
    printError(describeRateLimitStop(error, session));
    return error.exitCode;
  }
  if (error instanceof RetryLaterError) {
    // "Progress is saved" only when something was: not with --no-cache, nor before any answer.
    const saved = session?.cache.dir && (session.github.stats.stored ?? 0) > 0 ? 'progress is saved, ' : '';
    printError(`${error.message}; ${saved}rerun ${error.when}`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    printError(`${error.message}\n(run octohatrack --help for usage)`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    printError(error.message);
    return error.exitCode;
  }
  printError(`unexpected error; this is a bug, please report it with the command you ran:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return exitCodes.failed;
}

/**
 * Resolves once what was written to `stream` has left the process. Writes to a pipe are queued when
 * the reader is slower than the report is long, and `process.exit` would drop what is queued.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await main();
await Promise.all([drained(stdout), drained(stderr)]);
process.exit(code);
