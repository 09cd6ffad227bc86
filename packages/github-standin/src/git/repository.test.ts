import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FlatEntry,
  GitError,
  GitRepository,
  identityAt,
} from './repository';

let work: string;
let count = 0;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'standin-repository-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function newRepository(): GitRepository {
  count += 1;
  return new GitRepository(join(work, `${count}.git`), 'main');
}

const who = identityAt('t', 't@example.com', new Date('2025-01-01T00:00:00Z'));

function commitWith(
  git: GitRepository,
  files: Record<string, string>,
  parents: string[],
  second = 0,
): string {
  const flat = new Map<string, FlatEntry>(
    Object.entries(files).map(([path, content]) => [
      path,
      { mode: '100644', sha: git.writeBlobs([content])[0] ?? '' },
    ]),
  );
  const at = { ...who, time: who.time + second };
  return git.writeCommit({
    tree: git.writeFlat(flat),
    parents,
    author: at,
    committer: at,
    message: `c${second}`,
  });
}

function contents(git: GitRepository, tree: string): Record<string, string> {
  return Object.fromEntries(
    [...git.flatten(tree)].map(([path, entry]) => [
      path,
      git.blob(entry.sha)?.toString('utf8') ?? '',
    ]),
  );
}

test('a path changed on one side only is taken from that side', () => {
  const git = newRepository();
  const base = commitWith(git, { 'a.txt': 'a', 'b.txt': 'b' }, [], 1);
  const ours = commitWith(git, { 'a.txt': 'A', 'b.txt': 'b' }, [base], 2);
  const theirs = commitWith(
    git,
    { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' },
    [base],
    3,
  );
  const merged = git.merge(ours, theirs);
  expect(merged.ok && contents(git, merged.tree)).toEqual({
    'a.txt': 'A',
    'b.txt': 'b',
    'c.txt': 'c',
  });
});

test('a path changed differently on both sides is a conflict', () => {
  const git = newRepository();
  const base = commitWith(git, { 'a.txt': 'a' }, [], 1);
  const ours = commitWith(git, { 'a.txt': 'ours' }, [base], 2);
  const theirs = commitWith(git, { 'a.txt': 'theirs' }, [base], 3);
  expect(git.merge(ours, theirs)).toEqual({ ok: false });
});

test('changes to different lines of one file on both sides merge (git merges content, not paths)', () => {
  const git = newRepository();
  const base = commitWith(git, { 'a.txt': '1\n2\n3\n4\n5\n' }, [], 1);
  const ours = commitWith(git, { 'a.txt': 'one\n2\n3\n4\n5\n' }, [base], 2);
  const theirs = commitWith(git, { 'a.txt': '1\n2\n3\n4\nfive\n' }, [base], 3);
  const merged = git.merge(ours, theirs);
  expect(merged.ok && contents(git, merged.tree)).toEqual({
    'a.txt': 'one\n2\n3\n4\nfive\n',
  });
});

test('a deletion on one side of an unchanged path is kept', () => {
  const git = newRepository();
  const base = commitWith(git, { 'a.txt': 'a', 'b.txt': 'b' }, [], 1);
  const ours = commitWith(
    git,
    { 'a.txt': 'a', 'b.txt': 'b', 'n.txt': 'n' },
    [base],
    2,
  );
  const theirs = commitWith(git, { 'a.txt': 'a' }, [base], 3);
  const merged = git.merge(ours, theirs);
  expect(merged.ok && [...git.flatten(merged.tree).keys()].sort()).toEqual([
    'a.txt',
    'n.txt',
  ]);
});

test('the merge base of two branches is their newest common ancestor', () => {
  const git = newRepository();
  const root = commitWith(git, { f: '0' }, [], 1);
  const fork = commitWith(git, { f: '1' }, [root], 2);
  const left = commitWith(git, { f: '2' }, [fork], 3);
  const right = commitWith(git, { f: '3' }, [fork], 4);
  expect(git.mergeBase(left, right)).toBe(fork);
});

test('a tree edit with sha null removes a whole directory', () => {
  const git = newRepository();
  const base = git.writeFlat(
    new Map([
      ['d/x', { mode: '100644', sha: git.writeBlobs(['x'])[0] ?? '' }],
      ['keep', { mode: '100644', sha: git.writeBlobs(['k'])[0] ?? '' }],
    ]),
  );
  const edited = git.applyTreeChanges(base, [
    { path: 'd', mode: '040000', type: 'tree', sha: null },
  ]);
  expect([...git.flatten(edited).keys()]).toEqual(['keep']);
});

test('a tree entry whose mode and type disagree is refused', () => {
  const git = newRepository();
  expect(() =>
    git.applyTreeChanges(undefined, [
      { path: 'a', mode: '040000', type: 'blob', content: 'x' },
    ]),
  ).toThrow(GitError);
});
