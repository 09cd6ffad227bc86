/**
 * The stand-in's repositories are real git repositories: the git command line (installed on every
 * machine here) is the oracle.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startGithubStandin, type GithubStandin } from '../index';
import { GitRepository } from './repository';

function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, {
    cwd,
    input,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  })
    .toString('utf8')
    .trim();
}

let work: string;
let standin: GithubStandin;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'standin-git-'));
  standin = await startGithubStandin({ log: () => undefined });
});

afterAll(async () => {
  await standin.close();
  rmSync(work, { recursive: true, force: true });
});

test.each([
  ['text', Buffer.from('apiVersion: v1\nkind: Namespace\n')],
  ['empty', Buffer.alloc(0)],
  ['binary', Buffer.from([0, 1, 2, 255, 254, 10, 0])],
  ['unicode', Buffer.from('ünïcödé ✓\n')],
])('a %s blob has the id git hash-object gives', (_kind, content) => {
  const file = join(work, `blob-${_kind}`);
  writeFileSync(file, content);
  const repo = new GitRepository(join(work, `blobs-${_kind}.git`), 'main');
  expect(repo.writeBlobs([content])[0]).toBe(git(work, ['hash-object', file]));
});

test('a seeded folder has the tree id git write-tree gives (entry order, modes, subtrees)', () => {
  const folder = join(work, 'seed');
  const files: Record<string, string> = {
    'a.b': 'dot\n',
    'a-b': 'dash\n',
    'a/b.txt': 'in a\n',
    'a/c/deep.yaml': 'deep\n',
    'ab/x': 'x\n',
    'README.md': '# readme\n',
    'run.sh': '#!/bin/sh\necho hi\n',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  chmodSync(join(folder, 'run.sh'), 0o755);
  const seeded = standin.seedRepository('acme', 'tree-order', { folder });
  git(folder, ['init', '-q']);
  git(folder, ['add', '-A']);
  expect(seeded.tree).toBe(git(folder, ['write-tree']));
});

test('an exported repository passes git fsck and git reads the same history and files', () => {
  standin.seedRepository('acme', 'exported', {
    files: { 'one.txt': '1\n', 'dir/two.txt': '2\n' },
  });
  const head = standin.commitFiles('acme', 'exported', {
    branch: 'main',
    files: { 'one.txt': 'uno\n', 'dir/three.txt': '3\n' },
    message: 'Second commit\n\nwith a body',
  });
  const dir = join(work, 'exported.git');
  standin.exportRepository('acme', 'exported', dir);
  git(work, ['--git-dir', dir, 'fsck', '--strict', '--no-dangling']);
  expect(git(work, ['--git-dir', dir, 'rev-parse', 'main'])).toBe(head);
  expect(
    git(work, ['--git-dir', dir, 'log', '--format=%s', 'main']).split('\n'),
  ).toEqual(['Second commit', 'Initial commit']);
  expect(git(work, ['--git-dir', dir, 'show', 'main:one.txt'])).toBe('uno');
  expect(
    git(work, ['--git-dir', dir, 'ls-tree', '-r', '--name-only', 'main']).split(
      '\n',
    ),
  ).toEqual(['dir/three.txt', 'dir/two.txt', 'one.txt']);
});
