/**
 * `octohatrack check [--rc FILE] owner/repo`: who is missing from a local `.all-contributorsrc` (exit 1
 * when someone is), and who is in it but not found.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CheckFlags } from '../cli.js';
import type { AllContributorsRc } from '../domain/all-contributors-rc.js';
import { parseAllContributorsRc, RcError } from '../domain/all-contributors-rc.js';
import { CliError, UsageError } from '../errors.js';
import type { RepositoryName } from '../domain/repository-name.js';
import type { Environment, Options } from '../options.js';
import { resolveOptions } from '../options.js';
import { plural } from '../text/plural.js';
import { compareWithRc, readRepositoriesRc } from './all-contributors.js';
import type { CommandContext } from './command-context.js';
import { kinds } from '../domain/contribution.js';
import { runReport } from './report.js';
import { reportSettings } from './report-command.js';

const defaultRcPath = '.all-contributorsrc';

export async function runCheck(repository: string, flags: CheckFlags, context: CommandContext): Promise<void> {
  const { rc: given, ...rest } = flags;
  const rc = given ?? defaultRcPath;
  const { options, name } = resolveCheckOptions(repository, rest, context.env, context.cwd);
  const listed = readLocalRc(rc, given === undefined, repository, context.cwd);
  const { ui, github } = context.startSession(options);
  const result = await runReport(reportSettings(options, context, [name]), github, ui);
  ui.stop();
  if (!result.complete) ui.warn('some sources could not be counted (see above): who is missing may be incomplete');
  const repositoryRc = await readRepositoriesRc(result, github, (message) => ui.warn(message));
  const { text: comparison, missing } = compareWithRc(result, listed, rc, repositoryRc, regenerateCommand(repository, options, rc));
  context.write(comparison);
  if (missing > 0) throw new CliError(`${plural(missing, 'contributor is', 'contributors are')} missing from ${rc}`);
}

/** The options of `check`, and its one repository: an owner (`acme`) is a usage error, for a file belongs to one repository. */
export function resolveCheckOptions(repository: string, flags: Omit<CheckFlags, 'rc'>, env: Environment, cwd: string): { options: Options; name: RepositoryName } {
  // Only logins are compared: no display names to ask for.
  const options = resolveOptions({ ...flags, names: false }, [repository], env, cwd);
  const [target] = options.targets;
  if (target?.kind !== 'repository') {
    throw new UsageError(`invalid repository ${JSON.stringify(repository)} for check: it compares one repository with its .all-contributorsrc; give owner/repo, not an owner`);
  }
  return { options, name: target.name };
}

/** The local file, read before anything is asked of GitHub: a missing or broken one says how to make it. */
function readLocalRc(rc: string, isDefault: boolean, repository: string, cwd: string): AllContributorsRc {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, rc), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const where = isDefault ? `there is no ${rc} in ${cwd}: give its path with --rc FILE` : `there is no file ${rc}`;
      throw new CliError(`${where}, or make one with: octohatrack ${repository} --format all-contributors > ${rc}`);
    }
    throw new CliError(`cannot read ${rc}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return parseAllContributorsRc(text);
  } catch (error) {
    if (error instanceof RcError) throw new CliError(`${rc} is not an .all-contributorsrc: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The command that rewrites the file with everyone found, under the same selection. */
function regenerateCommand(repository: string, options: Options, rc: string): string {
  const chosen = options.kinds.length < kinds.length ? ['--kinds', options.kinds.join(',')] : [];
  const selection = [...chosen, ...(options.bots ? [] : ['--no-bots']), ...(options.exclude.length > 0 ? ['--exclude', ...options.exclude.map((p) => `'${p}'`)] : []), ...(options.since ? ['--since', options.since] : [])];
  return ['octohatrack', repository, ...selection, '--format', 'all-contributors', '>', rc].join(' ');
}
