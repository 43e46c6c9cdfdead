/** Real git repositories for wikis, served to the CLI through a `file://` GITHUB_SERVER_URL. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface WikiCommit {
  name: string;
  email: string;
  /** ISO 8601, as author and committer date (what `git log --since` reads). Default: now. */
  date?: string;
}

/** Makes `<root>/<owner>/<repo>.wiki.git` (bare) with one commit per entry, as those authors. */
export function createWiki(root: string, fullName: string, commits: readonly WikiCommit[]): void {
  const bare = path.join(root, `${fullName}.wiki.git`);
  const work = fs.mkdtempSync(path.join(root, 'work-'));
  const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root, ...env }, stdio: 'pipe' });
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, ['init', '--quiet', '--bare', bare]);
  git(work, ['init', '--quiet']);
  commits.forEach((commit, index) => {
    fs.writeFileSync(path.join(work, 'Home.md'), `edit ${index}\n`);
    git(work, ['add', 'Home.md']);
    const who = { GIT_AUTHOR_NAME: commit.name, GIT_AUTHOR_EMAIL: commit.email, GIT_COMMITTER_NAME: commit.name, GIT_COMMITTER_EMAIL: commit.email };
    const when = commit.date === undefined ? {} : { GIT_AUTHOR_DATE: commit.date, GIT_COMMITTER_DATE: commit.date };
    git(work, ['commit', '--quiet', '-m', `edit ${index}`], { ...who, ...when });
  });
  git(work, ['push', '--quiet', bare, 'HEAD:refs/heads/master']);
  fs.rmSync(work, { recursive: true, force: true });
}
