/**
 * Shared by the fault-injection suites: a medium repository, the report an uninterrupted run gives,
 * running the real CLI until the loopback GitHub has received N requests and then killing it, and
 * checking what a run left in the cache directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, expect } from 'vitest';
import { parseSegment } from '../../src/github/cache.js';
import { generateRepository } from '../fake-github/fixtures.js';
import type { Fixture } from '../fake-github/fixtures.js';
import type { Fault, RequestLogEntry } from '../fake-github/server.js';
import { listFiles, runCli, shows, startCli } from '../e2e/run-cli.js';
import type { CliResult, CliRun } from '../e2e/run-cli.js';
import { signalAt, startWorld } from '../e2e/world.js';
import type { World } from '../e2e/world.js';

export interface FaultSuite {
  /** The report and request count of a run nothing disturbed (set before the first test). */
  reference: Reference;
  /** The current test's world: closed after the test. */
  world: World | null;
  /** A world for the suite's repository with these faults injected, kept as `world`. */
  faultyWorld(faults: Fault[], options?: Parameters<typeof startWorld>[0]): Promise<World>;
}

/**
 * What every fault suite sets up: the uninterrupted reference run before its tests, and each test's
 * world closed after it (`beforeClose` first, e.g. to make a read-only cache removable again).
 */
export function faultSuite(fixture: Fixture, beforeClose: (world: World) => void = () => undefined): FaultSuite {
  const suite: FaultSuite = {
    reference: { stdout: '', requests: 0, answersKept: 0 },
    world: null,
    async faultyWorld(faults, options = {}) {
      const world = await startWorld({ fixture, ...options });
      for (const fault of faults) world.github.addFault(fault);
      suite.world = world;
      return world;
    },
  };
  beforeAll(async () => {
    suite.reference = await uninterrupted(fixture);
  });
  afterEach(async () => {
    if (suite.world) beforeClose(suite.world);
    await suite.world?.close();
    suite.world = null;
  });
  return suite;
}

/** --concurrency's default: the most requests the CLI has in flight at once. */
export const concurrency = 4;

/** A stack trace, or Node's own crash output: never shown to a user. */
export const crashTrace = /\n\s+at [\w.<]+ \(|node:internal|unexpected error; this is a bug/;

/**
 * Big enough that a run has ~35 requests, several listings of several pages fetched side by side
 * (issues 8, review comments 6, commit comments 4), and GraphQL queries for reviews (2 pages), the
 * threads of comments (7 queries of up to 100) and names (3 batches); small enough to run in well
 * under a second. (The issue comments are not a REST listing with a token: their threads are asked
 * through GraphQL, so review and commit comments are numerous enough to page.)
 */
export function mediumRepository(): Fixture {
  return generateRepository({
    owner: 'medium-org',
    name: 'medium-repo',
    issues: 600,
    pullRequests: 200,
    comments: 1200,
    reviewComments: 600,
    commitComments: 400,
    people: 250,
    reviews: 300,
    seed: 5,
  });
}

/** The wiki is left out: it is a git clone, not a GitHub request, and has its own tests. */
export function reportArgs(fixture: Fixture, ...extra: string[]): string[] {
  return [fixture.facts.fullName, '--format', 'json', '--no-wiki', ...extra];
}

/**
 * A request as the tests tell them apart: REST by path, GraphQL by operation and variables (the
 * three batches of names are three different requests).
 */
export function requestId(entry: RequestLogEntry): string {
  return entry.operation ? `${entry.path} ${entry.operation} ${entry.variables ?? ''}` : entry.path;
}

export interface Reference {
  stdout: string;
  /** Every request the run sent. */
  requests: number;
  /** Those whose answers a run keeps: all but GET /rate_limit (isAskedEachRun). */
  answersKept: number;
}

/** The report of a run nothing disturbed, from a GitHub of its own, and the requests it took. */
export async function uninterrupted(fixture: Fixture, extraArgs: string[] = []): Promise<Reference> {
  const reference = await startWorld({ fixture });
  try {
    const result = await runCli(reportArgs(fixture, ...extraArgs), reference.env);
    expect(result.stderr).not.toMatch(crashTrace);
    expect(result.code).toBe(0);
    const { requests } = reference.github;
    return { stdout: result.stdout, requests: requests.length, answersKept: requests.filter((r) => !isAskedEachRun(r)).length };
  } finally {
    await reference.close();
  }
}

export interface Interrupted {
  result: CliResult;
  /** Requests the server had received and not yet answered when the signal was sent (the one that triggered it included). */
  inFlight: number;
  /**
   * Requests answered before the signal was sent (a remembered 404 of an optional file included),
   * GET /rate_limit aside: a rerun asks it afresh by design (isAskedEachRun).
   */
  answeredBefore: Set<string>;
}

/**
 * Runs the CLI (with --verbose) and sends `signal` the moment the loopback GitHub has decided the
 * answer to the `answers`-th request, before sending it: that request, and any other not answered
 * yet, are in flight; the ones answered before are what the run has paid for, and it has read them
 * all (`oneAtATime`). Nothing is answered after the signal.
 */
export async function interruptAt(world: World, args: string[], answers: number, signal: NodeJS.Signals): Promise<Interrupted> {
  const run = startCli([...args, '--verbose'], world.env);
  const answering = oneAtATime(world, run);
  const answered = new Set<RequestLogEntry>();
  const stopCounting = world.onAnswer((_, request) => answered.add(request));
  let inFlight = -1;
  let answeredBefore = new Set<string>();
  const result = await signalAt(world, run, answers, signal, (trigger) => {
    inFlight = world.github.requests.filter((r) => r.status === 0).length + 1;
    answeredBefore = new Set([...answered].filter((r) => r !== trigger && !isAskedEachRun(r)).map(requestId));
  });
  stopCounting();
  await answering;
  return { result, inFlight, answeredBefore };
}

/** A --verbose line of an answer the CLI has read: `GET /repos/… 200 miss · …`, `POST graphql Names 200 miss · …`. */
const answerRead = /^(?:GET|POST) \S.* (?:\d{3}|failed) (?:miss|revalidated|off)\b/gm;

/**
 * Answers a run's requests one at a time, in the order they came, each once the CLI has read the one
 * before (by its --verbose line): as over a network, its requests overlap (up to --concurrency of them
 * wait at once), and at any moment the server knows what the CLI has read. Ends with the run.
 */
async function oneAtATime(world: World, run: CliRun): Promise<void> {
  const { github } = world;
  let stderr = '';
  let onRead = (): void => undefined;
  run.child.stderr?.on('data', (chunk: Buffer | string) => {
    stderr += String(chunk);
    onRead();
  });
  const read = (count: number): Promise<void> =>
    new Promise((resolve) => {
      onRead = () => {
        if ((stderr.match(answerRead)?.length ?? 0) >= count) resolve();
      };
      onRead();
    });
  let ended = false;
  const end = run.done.then(() => {
    ended = true;
  });
  const allowed = new Set<RequestLogEntry>();
  let release = github.hold((request) => !allowed.has(request));
  try {
    for (let next = github.requests.length; !ended; next += 1) {
      await Promise.race([github.arrived(next + 1), end]);
      const request = github.requests[next];
      if (ended || request === undefined) break;
      allowed.add(request);
      // Released, and held again at once by a hold that lets this one through as well.
      release();
      release = github.hold((waiting) => !allowed.has(waiting));
      await Promise.race([read(allowed.size), end]);
    }
  } finally {
    release();
  }
}

/**
 * Every cache file a run left is whole: a segment of the current format that parses, mode 0600,
 * in folders of mode 0700 (temp files of a killed run aside, which the next load sweeps). Returns
 * the keys of its entries.
 */
export function expectValidCache(cacheDir: string): string[] {
  const keys: string[] = [];
  for (const file of listFiles(cacheDir)) {
    const full = path.join(cacheDir, file);
    const base = path.basename(file);
    if (base.startsWith('.') && base.endsWith('.tmp')) continue;
    expect(base, file).toMatch(/\.json$/);
    const segment = parseSegment(fs.readFileSync(full, 'utf8'));
    expect(segment, `${file} is not a whole segment`).not.toBeNull();
    keys.push(...(segment?.keys() ?? []));
    expect(fs.statSync(full).mode & 0o777, file).toBe(0o600);
  }
  for (const dir of listDirs(cacheDir)) expect(fs.statSync(dir).mode & 0o777, dir).toBe(0o700);
  return keys;
}

/** Every folder below `dir` (not `dir` itself: a test makes it). */
export function listDirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * `GET /rate_limit`: what is left of each budget now, for the cost planner. It is free (GitHub counts
 * it against no limit) and about the present, so it is never cached: a rerun that still has to choose
 * between REST and GraphQL asks it again, and that is no answer paid for twice.
 */
export function isAskedEachRun(entry: RequestLogEntry): boolean {
  return entry.path === '/rate_limit';
}

/** A small deterministic PRNG (mulberry32), so that "random" points are reproducible from the seed printed. */
export { createRandom as seededRandom } from '../fake-github/fixtures.js';

/** A failed run: exit 1, no trace, the URL named; then, the fault gone, a rerun that asks for it again and ends right. */
export async function expectCleanFailureThenRecovery(current: World, failed: CliResult, referenceStdout: string, urlPattern: RegExp, refetched: RegExp, args: string[] = ['octo-org/hello-world', '--format', 'json', '--no-wiki']): Promise<void> {
  expect(failed.stderr).not.toMatch(crashTrace);
  expect(failed.code).toBe(1);
  expect(failed.stdout).toBe('');
  expect(failed.stderr).toMatch(urlPattern);
  expectValidCache(current.cacheDir);
  const answeredBefore = new Set(current.github.requests.filter((r) => r.status === 200 && !refetched.test(r.path) && r.operation === undefined && !isAskedEachRun(r)).map(requestId));
  current.github.clearLog();
  const rerun = await runCli(args, current.env);
  expect(rerun.code).toBe(0);
  expect(rerun.stdout).toBe(referenceStdout);
  // The bad answer was not kept: it is asked for again. What was good was kept: not asked again.
  expect(current.github.requests.some((r) => refetched.test(r.path) || refetched.test(`${r.path} ${r.operation ?? ''}`))).toBe(true);
  expect(current.github.requests.filter((r) => answeredBefore.has(requestId(r))).map(requestId)).toEqual([]);
}

/** Resolves when the run has written `pattern` to stderr; fails if it ends first. */
export function stderrShows(run: CliRun, pattern: RegExp): Promise<void> {
  return shows(run, pattern);
}
