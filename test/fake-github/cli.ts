/**
 * Runs the loopback GitHub on its own, serving `sampleRepository()` (octo-org/hello-world):
 *
 *   npx tsx test/fake-github/cli.ts [--port N] [--rate-limit N] [--graphql-rate-limit N] [--token T …]
 *
 * The first line on stdout is the URL (`http://127.0.0.1:PORT`), for GITHUB_API_URL; GraphQL is
 * at `POST {url}/graphql`. Every request is logged on stderr, one line each (GraphQL ones with
 * their operation and cost). Stops on SIGINT/SIGTERM. Without --token any token is accepted;
 * --rate-limit sets both the authenticated and the anonymous REST limit, --graphql-rate-limit
 * the GraphQL points per hour.
 */
import { sampleRepository } from './fixtures.js';
import { startFakeGitHub } from './server.js';
import type { FakeGitHubOptions } from './types.js';

const usage =
  'usage: tsx test/fake-github/cli.ts [--port N] [--rate-limit N] [--graphql-rate-limit N] [--token T]...';

function readNumber(flag: string, value: string | undefined): number {
  const parsed = value === undefined ? Number.NaN : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    process.stderr.write(`${flag} needs a non-negative integer\n${usage}\n`);
    process.exit(2);
  }
  return parsed;
}

async function main(argv: readonly string[]): Promise<void> {
  const { users, repo } = sampleRepository();
  const options: FakeGitHubOptions = { users, repos: [repo] };
  const tokens: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '--port') options.port = readNumber(flag, value);
    else if (flag === '--rate-limit') {
      const limit = readNumber(flag, value);
      options.rateLimit = { ...options.rateLimit, authenticated: limit, anonymous: limit };
    } else if (flag === '--graphql-rate-limit') {
      options.rateLimit = { ...options.rateLimit, graphql: readNumber(flag, value) };
    } else if (flag === '--token' && value !== undefined) tokens.push(value);
    else {
      process.stderr.write(`${flag === '--help' || flag === '-h' ? '' : `unknown argument: ${String(flag)}\n`}${usage}\n`);
      process.exit(flag === '--help' || flag === '-h' ? 0 : 2);
    }
    index++;
  }
  if (tokens.length > 0) options.tokens = tokens;
  options.onRequest = (entry) => {
    const auth = entry.token === null ? 'anonymous' : 'token';
    const conditional = entry.ifNoneMatch === null ? '' : ' if-none-match';
    const counted = entry.countedAgainstLimit ? '' : ' (not counted)';
    const operation =
      entry.operation === undefined ? '' : ` ${entry.operation}${entry.cost === undefined ? '' : ` cost ${String(entry.cost)}`}`;
    process.stderr.write(`${entry.method} ${entry.path}${operation} → ${String(entry.status)} ${auth}${conditional}${counted}\n`);
  };

  const github = await startFakeGitHub(options);
  process.stdout.write(`${github.url}\n`);

  const stop = (): void => {
    github.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`fake-github: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
