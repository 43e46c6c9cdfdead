import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contribution } from '../domain/contribution.js';
import { formatDuration } from '../text/format-duration.js';
import { sanitizeText } from '../text/sanitize.js';
import { loginFromNoreplyEmail } from './noreply.js';
import { cloneFolderPrefix, removeStaleClones } from './wiki-leftovers.js';
import type { CollectorResult } from './types.js';

export interface WikiSettings {
  /** GITHUB_SERVER_URL, e.g. https://github.com or file:///tmp/x (tests). No trailing slash. */
  serverUrl: string;
  /** owner/repo as GitHub spells it now. */
  fullName: string;
  /** For the whole clone (and, separately, for reading its log). */
  timeoutMs?: number;
  /** The git executable. */
  git?: string;
  /** The environment git runs in (cleaned of tokens below): main.ts hands over its own. */
  env: Readonly<Record<string, string | undefined>>;
  /** `--since` (ISO 8601): only edits made on or after it. */
  since?: string | null;
  /** Aborted when the run is stopped (Ctrl-C): git is killed and the temporary clone removed at once. */
  signal?: AbortSignal;
}

const defaults = { timeoutMs: 120_000, git: 'git' } as const;

export { wikiTempPrefix } from './wiki-leftovers.js';
/** Clones left by runs killed before they could remove them are removed once a process, before its first clone. */
let leftoversRemoved = false;

/**
 * Authors only: `-z` ends each commit with a NUL and `%x00` separates name from email, so a name holding
 * any character git allows (quotes, `;`, newlines are impossible, unicode) parses safely.
 */
const logArgs = ['log', '--all', '--no-show-signature', '-z', '--format=%an%x00%ae'] as const;

/** Enough of git's stderr to find its last `fatal:` line. */
const maxStderrChars = 8192;

/** Tokens `gh auth git-credential` and other helpers would pick up from the environment: never handed to git. */
const tokenVariables = ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];
/** Set when running inside a git hook or another repository's tooling; they would point git at the wrong repository. */
const repositoryVariables = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE'];

/**
 * What a server says when there is no wiki to clone. GitHub answers a missing (or private) wiki of a public
 * repository with an authentication request, which git reports as "could not read Username" once prompts are off.
 */
const noWikiPattern =
  /repository not found|repository '[^']*' not found|does not appear to be a git repository|could not read (?:username|password)|terminal prompts disabled|authentication failed|returned error: 40[14]\b/i;

/**
 * `wiki`: authors of commits in `$GITHUB_SERVER_URL/owner/repo.wiki.git` (SPEC §3), read from a bare clone
 * in a temporary directory that is removed whatever happens.
 *
 * Never throws for a clone that fails: no wiki is an empty source (one note); git missing, a timeout or any
 * other failure of the clone is a warning that says where the wiki was looked for and how to skip it,
 * and an incomplete result.
 */
export async function collectWiki(settings: WikiSettings, note: (message: string) => void, warn: (message: string) => void = note): Promise<CollectorResult> {
  const git = settings.git ?? defaults.git;
  const timeoutMs = settings.timeoutMs ?? defaults.timeoutMs;
  // No token, ever: the URL carries none, and the environment is cleaned of the ones we know.
  const url = `${settings.serverUrl}/${settings.fullName}.wiki.git`;
  let directory: string;
  if (!leftoversRemoved) {
    leftoversRemoved = true;
    removeStaleClones();
  }
  try {
    // Named with this pid, removed when the collector returns: a later run removes it if this process is killed first.
    directory = await mkdtemp(cloneFolderPrefix());
  } catch (error) {
    note(`${settings.fullName}: could not make a temporary directory for the wiki (${clean(String(error))}); skipped`);
    return { contributions: [], complete: false };
  }
  // On Ctrl-C the process exits right after this listener: it must clean up synchronously.
  const onAbort = (): void => rmSync(directory, { recursive: true, force: true });
  settings.signal?.addEventListener('abort', onAbort, { once: true });
  const run = (args: readonly string[]): Promise<GitRun> => runGit(git, args, timeoutMs, gitEnvironment(settings.env), settings.signal);
  try {
    const clonePath = join(directory, 'wiki.git');
    // `--bare` implies `--no-checkout`. `--filter=blob:none` is left out: a server that does not allow
    // partial clone (file://, some GitHub Enterprise Server set-ups) makes git warn, and a wiki's blobs are small.
    const clone = await run(['clone', '--bare', '--quiet', '--', url, clonePath]);
    const cloneFailure = describeFailure(settings.fullName, 'clone', clone, git, timeoutMs);
    if (cloneFailure !== null) {
      if (cloneFailure.noWiki) note(cloneFailure.message);
      else if (cloneFailure.refused) warn(`${cloneFailure.message} (it is cloned from ${settings.serverUrl}, $GITHUB_SERVER_URL: set that to your GitHub's address, or give --no-wiki)`);
      else warn(`${cloneFailure.message} (give --no-wiki not to ask for it)`);
      return { contributions: [], complete: cloneFailure.noWiki };
    }
    const log = await run([`--git-dir=${clonePath}`, ...logArgs, ...(settings.since ? [`--since=${settings.since}`] : [])]);
    const logFailure = describeFailure(settings.fullName, 'log', log, git, timeoutMs);
    if (logFailure !== null) {
      note(logFailure.message);
      return { contributions: [], complete: false };
    }
    return { contributions: parseGitLog(log.stdout), complete: true };
  } finally {
    settings.signal?.removeEventListener('abort', onAbort);
    // maxRetries: a git killed on timeout may still be letting go of its files for a moment.
    await rm(directory, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) => {
      note(`${settings.fullName}: could not remove the wiki's temporary clone ${directory} (${clean(String(error))})`);
    });
  }
}

/**
 * Reads `git log -z --format=%an%x00%ae` (NUL between name and email, NUL after each commit; git's log is
 * newest first) into one `wiki` contribution per author, counting commits.
 *
 * - A no-reply email (`ID+login@users.noreply.github.com`, `login@users.noreply.github.com`) is that login,
 *   merged case-insensitively.
 * - Any other author is a name-only entry merged by email, case-insensitively (emails are lower-cased);
 *   without an email, by exact name. An author with neither is left out.
 * - The name kept is the most recent non-empty one (the first met, as the log is newest first).
 */
export function parseGitLog(output: string): Contribution[] {
  const fields = output.split('\0');
  if (fields.at(-1) === '') fields.pop();
  const people = new Map<string, { login: string | null; name: string; email: string; count: number }>();
  for (let index = 0; index < fields.length; index += 2) {
    const name = (fields[index] ?? '').trim();
    const email = (fields[index + 1] ?? '').trim();
    const login = email ? loginFromNoreplyEmail(email) : null;
    const key = login !== null ? `login:${login.toLowerCase()}` : email ? `email:${email.toLowerCase()}` : name ? `name:${name}` : null;
    if (key === null) continue;
    const known = people.get(key);
    if (known) {
      known.count += 1;
      if (!known.name) known.name = name;
    } else {
      people.set(key, { login, name, email: email.toLowerCase(), count: 1 });
    }
  }
  return [...people.values()].map(({ login, name, email, count }): Contribution => ({
    who:
      login !== null
        ? { login, type: null, ...(name ? { name } : {}) }
        : { login: null, type: null, name: name || null, ...(email ? { email } : {}) },
    kind: 'wiki',
    count,
  }));
}

interface GitRun {
  /** Exit code, or null when git was killed or never started. */
  code: number | null;
  stdout: string;
  /** The end of stderr only. */
  stderr: string;
  timedOut: boolean;
  /** Set when git could not be started (ENOENT: not installed). */
  spawnError: NodeJS.ErrnoException | null;
}

/**
 * Runs git with an argument array (no shell), stdin closed, prompts off, and a deadline. On POSIX git gets
 * its own process group, so a timeout kills git together with its helpers (git-remote-https, ssh) and
 * none of them can hold the pipes open, or read a password from the terminal.
 */
function runGit(git: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<GitRun> {
  const ownGroup = process.platform !== 'win32';
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    let stderr = '';
    let settled = false;
    let timedOut = false;
    const settle = (run: Omit<GitRun, 'stdout' | 'stderr' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', killAll);
      resolve({ ...run, stdout: Buffer.concat(stdout).toString('utf8'), stderr, timedOut });
    };
    const child = spawn(git, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownGroup,
      windowsHide: true,
    });
    const killAll = (): void => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    signal?.addEventListener('abort', killAll, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
      // Do not wait for the pipes: whatever still holds them is being killed.
      child.stdout.destroy();
      child.stderr.destroy();
      settle({ code: null, spawnError: null });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-maxStderrChars);
    });
    child.on('error', (error: NodeJS.ErrnoException) => settle({ code: null, spawnError: error }));
    child.on('close', (code) => settle({ code, spawnError: null }));
  });
}

function gitEnvironment(base: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  // Git still needs PATH, HOME (its config), proxies and certificates from the environment.
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of [...tokenVariables, ...repositoryVariables]) delete env[name];
  return {
    ...env,
    // Git must never wait for a password: GitHub answers a missing public wiki with an authentication request.
    GIT_TERMINAL_PROMPT: '0',
    // An empty GIT_ASKPASS also overrides core.askPass and SSH_ASKPASS (git's prompt.c), so no dialog opens either.
    GIT_ASKPASS: '',
    // Git Credential Manager: fail instead of opening a sign-in window.
    GCM_INTERACTIVE: 'never',
  };
}

function describeFailure(
  fullName: string,
  step: 'clone' | 'log',
  run: GitRun,
  git: string,
  timeoutMs: number,
): { message: string; noWiki: boolean; refused?: boolean } | null {
  if (run.spawnError !== null) {
    if (run.spawnError.code === 'ENOENT') {
      const which = git === defaults.git ? 'git is not installed' : `git is not installed (${git} not found)`;
      return { message: `${fullName}: ${which}: the wiki is skipped`, noWiki: false };
    }
    return { message: `${fullName}: could not run git (${clean(run.spawnError.message)}): the wiki is skipped`, noWiki: false };
  }
  if (run.timedOut) {
    return { message: `${fullName}: wiki ${step} timed out after ${formatDuration(timeoutMs)}; skipped`, noWiki: false };
  }
  if (run.code === 0) return null;
  const reason = gitReason(run.stderr) ?? `git exited with ${run.code ?? 'a signal'}`;
  if (step === 'clone' && noWikiPattern.test(run.stderr)) {
    return { message: `${fullName}: no wiki found (${reason})`, noWiki: true };
  }
  return { message: `${fullName}: wiki ${step} failed (${reason}); skipped`, noWiki: false, refused: true };
}

/**
 * The one line of git's stderr that says why: its first `fatal:`/`error:` line (git follows it with generic
 * ones, "Could not read from remote repository.", and advice), else its last line; trimmed.
 */
function gitReason(stderr: string): string | null {
  const lines = stderr
    .split(/\r\n|\r|\n/)
    .map((line) => clean(line))
    .filter((line) => line !== '');
  const line = lines.find((candidate) => /^(?:fatal|error):/i.test(candidate)) ?? lines.at(-1);
  // Cut short by sanitizeText already (200 characters).
  return line === undefined ? null : line.replace(/^(?:fatal|error):\s*/i, '');
}

/**
 * One line of what git or the system said: no `user:password@` in a URL (taken out first, so that no
 * cut can leave half of one), then no escape sequences or control characters, as for any server text.
 */
function clean(text: string): string {
  return sanitizeText(text.replace(/(\/\/)[^/\s@]+@/g, '$1'));
}
