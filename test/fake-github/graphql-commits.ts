/**
 * The default branch's commits through GraphQL (https://docs.github.com/graphql/reference/objects#commit):
 * - `Repository.defaultBranchRef` → `Ref { name, target }`, the head commit; null for an empty
 *   repository. `Repository.object(oid:)` (or `expression:` naming the branch) → that commit; null
 *   for an unknown one.
 * - `Commit.history(first:, after:)`: "the linear commit history starting from (and including) this
 *   commit, in the same order as `git log`" (history.ts), with `totalCount` and cursors.
 * - `Commit.author`, and `Commit.authors`: "the git author and the Co-authored-by message trailer.
 *   The git author will always be first." Each a `GitActor { name, email, date, user }`, whose `user`
 *   is the account GitHub resolves the email to (history.ts `userForEmail`) when it is a `User`.
 *   GitHub's own reading of the trailers is not git's: a lenient one stands for it here (any line
 *   `Co-authored-by: Name <email>`, key in any case, one entry per email).
 */
import { actorOf, connection } from './graphql-resolvers.js';
import { fakeCommitSha } from './render.js';
import { historyOf, userForEmail } from './history.js';
import { commitsOf, formatTimestamp } from './store.js';
import type { RepoRecord, ServedCommit, Store } from './store.js';

type GraphQLObject = Record<string, unknown>;
type Args = Record<string, unknown>;

const webBase = 'https://github.com';
const trailerLine = /^co-authored-by:[ \t]*(.*?)[ \t]*<([^<>\s]+@[^<>\s]+)>[ \t]*$/gim;

/** The `Repository` fields that reach the commits. */
export function commitRefsOf(store: Store, repo: RepoRecord): GraphQLObject {
  return {
    defaultBranchRef: () => {
      const head = commitsOf(repo)[0];
      if (head === undefined) return null;
      return { __typename: 'Ref', name: repo.defaultBranch, prefix: 'refs/heads/', target: commitObject(store, repo, head) };
    },
    object: (args: Args) => {
      const ref = typeof args['oid'] === 'string' ? args['oid'] : typeof args['expression'] === 'string' ? args['expression'] : null;
      const commit = ref === null ? undefined : historyOf(repo, ref)?.[0];
      return commit === undefined ? null : commitObject(store, repo, commit);
    },
  };
}

function gitActor(store: Store, repo: RepoRecord, name: string, email: string, dateMs: number): GraphQLObject {
  return {
    name,
    email,
    date: formatTimestamp(dateMs),
    user: () => {
      const user = userForEmail(store, repo, email);
      return user !== null && user.type === 'User' ? actorOf(user) : null;
    },
  };
}

function commitObject(store: Store, repo: RepoRecord, commit: ServedCommit): GraphQLObject {
  const author = gitActor(store, repo, commit.name, commit.email, commit.dateMs);
  const [headline = '', ...body] = commit.message.replace(/\r?\n$/, '').split('\n');
  return {
    __typename: 'Commit',
    id: Buffer.from(`06:Commit${String(repo.id)}:${commit.sha}`).toString('base64'),
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message.replace(/\r?\n$/, ''),
    messageHeadline: headline,
    messageBody: body.join('\n').trim(),
    authoredDate: formatTimestamp(commit.dateMs),
    committedDate: formatTimestamp(commit.dateMs),
    url: `${webBase}/${repo.fullName}/commit/${commit.sha}`,
    tree: { oid: fakeCommitSha(`tree-${commit.sha}`) },
    author,
    committer: author,
    authors: (args: Args) => {
      const actors = [author];
      const seen = new Set([commit.email.toLowerCase()]);
      for (const [, name = '', email = ''] of commit.message.matchAll(trailerLine)) {
        if (seen.has(email.toLowerCase())) continue;
        seen.add(email.toLowerCase());
        actors.push(gitActor(store, repo, name, email, commit.dateMs));
      }
      return connection(actors, args, (actor) => actor);
    },
    history: (args: Args) => {
      for (const unmodelled of ['path', 'author', 'since', 'until']) {
        if (args[unmodelled] !== undefined && args[unmodelled] !== null) throw new Error(`fake-github does not model Commit.history(${unmodelled}:)`);
      }
      return connection(historyOf(repo, commit.sha) ?? [], args, (item) => commitObject(store, repo, item));
    },
  };
}
