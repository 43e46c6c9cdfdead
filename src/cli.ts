/**
 * The commander program: flags declared without defaults (they are resolved in options.ts), help text,
 * and the hand-off to the command. It never exits the process: main.ts does.
 */
import { Command, Option } from 'commander';
import type { Flags } from './options.js';
import { defaults, outputFormats } from './options.js';
import { kinds } from './domain/contribution.js';
import { UsageError } from './errors.js';
import { version } from './version.js';

/** `octohatrack check`: the run's options that matter to it, and the file to check. */
export type CheckFlags = Omit<Flags, 'format' | 'names' | 'dryRun'> & { rc?: string };

export interface ProgramHandlers {
  report(repositories: string[], flags: Flags): Promise<void>;
  check(repository: string, flags: CheckFlags): Promise<void>;
  cacheInfo(flags: Pick<Flags, 'cacheDir'>): Promise<void>;
  cacheClear(repository: string | undefined, flags: Pick<Flags, 'cacheDir'>): Promise<void>;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const examples = `
Examples:
  $ octohatrack LABHR/octohatrack
  $ octohatrack https://github.com/LABHR/octohatrack --format json > contributors.json
  $ octohatrack my-org --exclude-repo 'legacy-*'  # every repository of an organisation or user
  $ octohatrack nodejs/node --dry-run             # what a run would cost, before running it
  $ GH_TOKEN=$(gh auth token) octohatrack nodejs/node --wait-for-reset
  $ octohatrack my-org/app --no-bots --format all-contributors > .all-contributorsrc
  $ octohatrack check my-org/app --no-bots        # exit 1 if .all-contributorsrc misses someone

Environment:
  GH_TOKEN, GITHUB_TOKEN   token (without one: anonymous, 60 requests an hour, and no reviews)
  GH_ENTERPRISE_TOKEN      token for a GitHub Enterprise Server host named in a repository argument
  GITHUB_API_URL           REST base URL (default ${defaults.apiUrl})
  GITHUB_GRAPHQL_URL       GraphQL endpoint (default: derived from GITHUB_API_URL)
  GITHUB_SERVER_URL        web and git base, for the wiki (default ${defaults.serverUrl})
  OCTOHATRACK_CACHE_DIR    default cache directory
  NO_COLOR, FORCE_COLOR    colour on stderr

Exit codes: 0 complete, 1 failed, 2 usage error, 75 stopped by the rate limit (progress saved:
run the same command again after the reset to resume), 130/143 interrupted (progress saved).
`;

/** How the subcommands are listed in --help (commander's default, `check [options] <repository>`, widens every column). */
const subcommandTerms: Record<string, string> = { check: 'check <owner/repo>', cache: 'cache info|clear', help: 'help [command]' };

export function createProgram(handlers: ProgramHandlers): Command {
  // One prefix for every error, commander's own (`error: unknown option`) too.
  const output = { writeOut: handlers.writeOut, writeErr: (text: string) => handlers.writeErr(text.replace(/^error: /, 'octohatrack: ')) };
  const program = new Command('octohatrack');
  program
    .description(
      'List everyone who contributed to a GitHub repository: code and co-authors, issues, pull requests, comments, reviews, review comments, commit comments, triage, discussions, the wiki and CONTRIBUTORS files.',
    )
    .usage('[options] <owner/repo|owner...>\n       octohatrack check [--rc FILE] [options] <owner/repo>\n       octohatrack cache info|clear [owner/repo]')
    .argument('[repository...]', 'owner/repo, or any address of it (https://github.com/owner/repo/issues/3, git@github.com:owner/repo.git, ghe.example.com/owner/repo); an owner alone (my-org, or my-org/*): every repository of that organisation or user');
  for (const option of cacheOptions()) program.addOption(option);
  program
    .option('--dry-run', 'report nothing: estimate the requests a run needs, minus what is cached, against the rate limit left (fetches only the first page of each listing)')
    .addOption(new Option('--format <format>', 'output format (default text); all-contributors: an .all-contributorsrc').choices(outputFormats))
    .option('--no-names', 'skip display-name look-ups (fewer requests)');
  for (const option of [...selectionOptions(), ...ownerOptions(), ...runOptions()]) program.addOption(option);
  program
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', examples)
    .configureHelp({ subcommandTerm: (command) => subcommandTerms[command.name()] ?? command.name() })
    .showHelpAfterError('(run octohatrack --help for usage)')
    .allowExcessArguments(false)
    // `cache info --cache-dir x`: options after a subcommand are the subcommand's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(output)
    .action(async (repositories: string[], flags: Flags) => {
      await handlers.report(repositories, flags);
    });

  const check = program
    .command('check')
    .description('compare an .all-contributorsrc with everyone found: list who is missing from it (exit 1) and who is in it but not found')
    .usage('[--rc FILE] [options] <owner/repo>')
    .argument('<repository>', 'owner/repo, or any address of it')
    .option('--rc <file>', 'the file to check (default .all-contributorsrc)');
  for (const option of [...cacheOptions(), ...selectionOptions(), ...runOptions()]) check.addOption(option);
  // Its own options only: merged with the program's, the program's defaults (`--no-bots` → bots: true) would win.
  check.action(async (repository: string, flags: CheckFlags) => {
    await handlers.check(repository, flags);
  });

  const cache = program.command('cache').description('show or clear the cache of GitHub responses');
  cache
    .command('info')
    .description('where the cache is, its size, responses per repository, oldest and newest')
    .option('--cache-dir <dir>', 'the cache to look at')
    .action(async (_flags: Pick<Flags, 'cacheDir'>, command: Command) => {
      await handlers.cacheInfo(command.optsWithGlobals());
    });
  cache
    .command('clear')
    .description("remove all cached responses, or one repository's")
    .argument('[repository]', 'owner/repo')
    .option('--cache-dir <dir>', 'the cache to clear')
    .action(async (repository: string | undefined, _flags: Pick<Flags, 'cacheDir'>, command: Command) => {
      await handlers.cacheClear(repository, command.optsWithGlobals());
    });
  // `octohatrack help [command]`, as `gh help` and `git help`: the same as --help.
  program.helpCommand('help [command]', 'show help for a command');
  for (const command of [check, cache, ...cache.commands]) {
    command.exitOverride().configureOutput(output);
  }
  return program;
}

/* Options shared by a report and `check` (each command needs its own Option objects). */

function cacheOptions(): Option[] {
  return [
    new Option('--no-cache', 'neither read nor write the cache: fetch every response fresh'),
    new Option('--max-age <duration>', `use cached responses younger than this without asking GitHub (default ${defaults.maxAge}; 0 = always revalidate; 90s, 30m, 6h, 7d)`),
    new Option('--cache-dir <dir>', `where the cache lives (default $OCTOHATRACK_CACHE_DIR, else ${defaults.cacheDir})`),
    new Option('--refresh', 'revalidate every cached response with a conditional request (304s cost no rate limit with a token)'),
    new Option('--wait-for-reset', 'when the rate limit runs out, wait for it to reset and go on instead of stopping'),
  ];
}

function selectionOptions(): Option[] {
  return [
    new Option('--kinds <kinds>', `count only these kinds, comma-separated: ${kinds.join(', ')} (default all)`),
    new Option('--skip-kinds <kinds>', 'count all kinds but these, comma-separated; a kind left out is not asked of GitHub'),
    new Option('--no-wiki', 'skip the wiki (it is read with git, from $GITHUB_SERVER_URL/owner/repo.wiki.git); same as --skip-kinds wiki'),
    new Option('--no-bots', 'leave bot accounts out of the report'),
    new Option('--exclude <logins...>', 'leave these people out; * wildcards allowed (renovate*, *-ci); give repositories first'),
    new Option('--since <date>', 'count only contributions made on or after this ISO date (2026-01-31); CONTRIBUTORS files, having no dates, are left out'),
  ];
}

/** Which of an owner's repositories a report covers (`octohatrack my-org`); a report only. */
function ownerOptions(): Option[] {
  return [
    new Option('--include-forks', 'with an owner: report its forks too (left out by default)'),
    new Option('--include-archived', 'with an owner: report its archived repositories too (left out by default)'),
    new Option('--exclude-repo <glob>', 'with an owner: leave out its repositories whose name matches this glob (* and ?: legacy-*, test-?); repeatable').argParser(
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    ),
  ];
}

function runOptions(): Option[] {
  return [
    // As `gh` has it: never on the command line. Not in --help; there to say where the token goes.
    new Option('--token <token>').hideHelp().argParser(() => {
      throw new UsageError('use GH_TOKEN or GITHUB_TOKEN for the token (a token on the command line ends up in your shell history): export GH_TOKEN=$(gh auth token)');
    }),
    new Option('--concurrency <n>', `requests in flight at once, 1-${defaults.maxConcurrency} (default ${defaults.concurrency})`),
    new Option('--timeout <duration>', 'give up on a request that has not answered in this long, and retry (default 30s)'),
    new Option('-q, --quiet', 'no progress output on stderr; warnings and errors only'),
    new Option('-v, --verbose', 'log every request on stderr (never the token)'),
  ];
}
