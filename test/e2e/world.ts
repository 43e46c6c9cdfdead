/** A loopback GitHub serving the sample repository, with a cache folder, for one test. */
import fs from 'node:fs';
import { afterEach, expect } from 'vitest';
import { sampleRepository } from '../fake-github/fixtures.js';
import { createStore } from '../fake-github/store.js';
import type { Fixture } from '../fake-github/fixtures.js';
import { startFakeGitHub } from '../fake-github/server.js';
import type { FakeGitHub, FakeGitHubOptions, RequestLogEntry } from '../fake-github/server.js';
import { makeTempDir, runCli } from './run-cli.js';
import type { CliResult, CliRun } from './run-cli.js';

export const token = 'ghp_e2eTestTokenThatMustNeverLeak0000';

export interface World {
  github: FakeGitHub;
  fixture: Fixture;
  cacheDir: string;
  /** GITHUB_SERVER_URL's folder: wikis are `<serverDir>/<owner>/<repo>.wiki.git`. */
  serverDir: string;
  env: Record<string, string>;
  /** Requests that reached the server and were answered with a 2xx or 304. */
  answered(): string[];
  /** Called for each request the server has answered (set by a test to act mid-run). */
  onRequest: ((count: number) => void) | null;
  /**
   * Calls `listener` as the server decides each answer from now on, before sending it, with how many
   * it has decided since and the request; returns what stops it. Several may listen at once.
   */
  onAnswer(listener: (answers: number, request: RequestLogEntry) => void): () => void;
  close(): Promise<void>;
}

/** By default the CLI runs with a token, as most users do (GraphQL needs one); `anonymous` runs without. */
export async function startWorld(options: Partial<FakeGitHubOptions> & { fixture?: Fixture; anonymous?: boolean } = {}): Promise<World> {
  const fixture = options.fixture ?? sampleRepository();
  let count = 0;
  const hooks: { onRequest: ((count: number) => void) | null } = { onRequest: null };
  const listeners = new Set<(request: RequestLogEntry) => void>();
  const { anonymous: _anonymous, fixture: _fixture, ...serverOptions } = options;
  const github = await startFakeGitHub({
    tokens: [token],
    ...serverOptions,
    users: fixture.users,
    repos: [fixture.repo, ...(options.repos ?? [])],
    onRequest: (request) => {
      count += 1;
      hooks.onRequest?.(count);
      for (const listener of [...listeners]) listener(request);
    },
  });
  const cacheDir = makeTempDir('octohatrack-cache-');
  const serverDir = makeTempDir('octohatrack-server-');
  const env: Record<string, string> = { GITHUB_API_URL: github.url, OCTOHATRACK_CACHE_DIR: cacheDir, GITHUB_SERVER_URL: `file://${serverDir}` };
  if (!options.anonymous) env.GH_TOKEN = token;
  return {
    get onRequest() {
      return hooks.onRequest;
    },
    set onRequest(callback) {
      count = 0;
      hooks.onRequest = callback;
    },
    onAnswer(listener) {
      let answers = 0;
      const each = (request: RequestLogEntry): void => listener((answers += 1), request);
      listeners.add(each);
      return () => {
        listeners.delete(each);
      };
    },
    github,
    fixture,
    cacheDir,
    serverDir,
    env,
    answered: () => github.requests.filter((r) => (r.status >= 200 && r.status < 300) || r.status === 304).map(requestKey),
    async close() {
      await github.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
      fs.rmSync(serverDir, { recursive: true, force: true });
    },
  };
}

/**
 * Requests side by side, as over a network, without waiting on time: once the run has had
 * `afterAnswers` answers (by default the repository's, which comes alone), the server holds the
 * requests that follow until `together` of them have arrived, then answers them. Call it before the
 * run starts; it resolves once they are released (never, if the run does not send that many at once:
 * the test then times out).
 */
export function sideBySide(world: World, together: number, afterAnswers = 1): Promise<void> {
  return new Promise((resolve) => {
    const stop = world.onAnswer((answers) => {
      if (answers < afterAnswers) return;
      stop();
      const release = world.github.hold();
      void world.github.arrived(world.github.requests.length + together).then(() => {
        release();
        resolve();
      });
    });
  });
}

/**
 * Sends `signal` to a run the moment the server has decided its `answers`-th answer, before sending
 * it, and holds every request after that until the run has ended: however loaded the machine, the run
 * goes no further, and cannot end, before the signal lands. `atSignal` sees that request first.
 */
export async function signalAt(world: World, run: CliRun, answers: number, signal: NodeJS.Signals, atSignal: (trigger: RequestLogEntry) => void = () => undefined): Promise<CliResult> {
  let release = (): void => undefined;
  const stop = world.onAnswer((count, request) => {
    if (count !== answers) return;
    stop();
    release = world.github.hold();
    atSignal(request);
    run.child.kill(signal);
  });
  try {
    return await run.done;
  } finally {
    stop();
    release();
  }
}

/** Resolves once the request log passes `test`, looked at as each request arrives. */
export async function arrivedWhen(world: World, test: (requests: readonly RequestLogEntry[]) => boolean): Promise<void> {
  for (let count = world.github.requests.length + 1; !test(world.github.requests); count += 1) await world.github.arrived(count);
}

/** The JSON report (`--format json`), as far as the tests read it. */
export interface JsonReport {
  complete: boolean;
  repositories: Array<{ fullName: string; githubContributors: number; allContributors: number }>;
  contributors: Array<{ login: string | null; name: string | null; type: string | null; kinds: string[]; counts: Record<string, number>; repositories: string[] }>;
}

/** Without a token, reviews are skipped and the report says it is incomplete: nothing else may be said. */
const anonymousNotes = [/^warning: \S+: reviews are skipped: GitHub's GraphQL API needs a token.*$/m, /^warning: the report is incomplete: some sources could not be counted \(see above\)$/m];

/**
 * The JSON report of `repository` (without the wiki), from a run that must say nothing on stderr but
 * what a run without a token says (and, without one, without names: they would take a request each).
 */
export async function cleanReport(current: World, repository: string, extra: readonly string[] = []): Promise<JsonReport> {
  const anonymous = current.env.GH_TOKEN === undefined;
  const result = await runCli([repository, '--format', 'json', '--no-wiki', ...(anonymous ? ['--no-names'] : []), ...extra], current.env);
  let stderr = result.stderr;
  if (anonymous) {
    for (const note of anonymousNotes) {
      expect(stderr).toMatch(note);
      stderr = stderr.replace(note, '');
    }
  }
  expect(stderr).not.toMatch(/warning|error|incomplete/i);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** The report's people as `login` (or the name of a name-only entry), for comparing with the facts. */
export function peopleOf(json: { contributors: Array<{ login: string | null; name: string | null }> }): { logins: string[]; nameOnly: string[] } {
  const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en');
  return {
    logins: json.contributors.flatMap((c) => (c.login === null ? [] : [c.login])).sort(byName),
    nameOnly: json.contributors.flatMap((c) => (c.login === null && c.name !== null ? [c.name] : [])).sort(byName),
  };
}

/** A request as the tests tell them apart: REST by path, GraphQL by path and operation. */
export function requestKey(entry: RequestLogEntry): string {
  return entry.operation ? `${entry.path} ${entry.operation}` : entry.path;
}

/** How many people the sample's report lists: every login and every name-only entry. */
export function everyone(world: World | null): number {
  if (!world) throw new Error('no world');
  return world.fixture.facts.logins.length + world.fixture.facts.nameOnly.length;
}

/**
 * Comments per issue or pull request (a thread, by number) of a fixture, as the loopback GitHub
 * serves them (a comment without an `issueNumber` lands where the fake puts it).
 */
export function threadsOf(fixture: Fixture): Map<number, number> {
  const record = createStore(fixture.users, [{ ...fixture.repo, renamedFrom: [] }]).repos[0];
  const threads = new Map<number, number>();
  for (const comment of record?.issueComments ?? []) threads.set(comment.issueNumber, (threads.get(comment.issueNumber) ?? 0) + 1);
  return threads;
}

/**
 * GraphQL `Comments` queries a cold run asks for threads of these lengths, each read from both ends
 * (the listing says how long): a round asks the next page of 100 from its start and, while more than
 * a page is left, one from its end; the pages of a round 100 a query.
 */
export function commentsQueries(lengths: Iterable<number>): number {
  const pages = [...lengths].filter((length) => length > 0).map((length) => Math.ceil(length / 100));
  let queries = 0;
  for (let round = 0; pages.some((count) => count > 2 * round); round++) {
    const asked = pages.reduce((sum, count) => sum + Math.max(0, Math.min(2, count - 2 * round)), 0);
    queries += Math.ceil(asked / 100);
  }
  return queries;
}

/**
 * Worlds for the tests of a file, each closed after its test: `const worlds = worldsPerTest();`
 * at the top, then `const world = await worlds.open(options)` in a test.
 */
export function worldsPerTest(): { open(options?: Parameters<typeof startWorld>[0]): Promise<World> } {
  let opened: World[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((world) => world.close()));
    opened = [];
  });
  return {
    async open(options) {
      const world = await startWorld(options);
      opened.push(world);
      return world;
    },
  };
}
