import { identityAt } from './objects';
import { type FlatEntry, GitError, GitRepository } from './repository';

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
      { mode: '100644', sha: git.writeBlob(content) },
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

function contents(
  git: GitRepository,
  files: Map<string, FlatEntry>,
): Record<string, string> {
  return Object.fromEntries(
    [...files].map(([path, entry]) => [
      path,
      git.blob(entry.sha)?.toString('utf8') ?? '',
    ]),
  );
}

test('a path changed on one side only is taken from that side', () => {
  const git = new GitRepository('o', 'r', 'main');
  const base = commitWith(git, { 'a.txt': 'a', 'b.txt': 'b' }, [], 1);
  const ours = commitWith(git, { 'a.txt': 'A', 'b.txt': 'b' }, [base], 2);
  const theirs = commitWith(
    git,
    { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' },
    [base],
    3,
  );
  const merged = git.threeWayMerge(ours, theirs);
  expect(merged.ok && contents(git, merged.files)).toEqual({
    'a.txt': 'A',
    'b.txt': 'b',
    'c.txt': 'c',
  });
});

test('a path changed differently on both sides is a conflict', () => {
  const git = new GitRepository('o', 'r', 'main');
  const base = commitWith(git, { 'a.txt': 'a' }, [], 1);
  const ours = commitWith(git, { 'a.txt': 'ours' }, [base], 2);
  const theirs = commitWith(git, { 'a.txt': 'theirs' }, [base], 3);
  expect(git.threeWayMerge(ours, theirs)).toEqual({
    ok: false,
    conflicts: ['a.txt'],
  });
});

test('a deletion on one side of an unchanged path is kept', () => {
  const git = new GitRepository('o', 'r', 'main');
  const base = commitWith(git, { 'a.txt': 'a', 'b.txt': 'b' }, [], 1);
  const ours = commitWith(
    git,
    { 'a.txt': 'a', 'b.txt': 'b', 'n.txt': 'n' },
    [base],
    2,
  );
  const theirs = commitWith(git, { 'a.txt': 'a' }, [base], 3);
  const merged = git.threeWayMerge(ours, theirs);
  expect(merged.ok && [...merged.files.keys()].sort()).toEqual([
    'a.txt',
    'n.txt',
  ]);
});

test('the merge base of two branches is their newest common ancestor', () => {
  const git = new GitRepository('o', 'r', 'main');
  const root = commitWith(git, { f: '0' }, [], 1);
  const fork = commitWith(git, { f: '1' }, [root], 2);
  const left = commitWith(git, { f: '2' }, [fork], 3);
  const right = commitWith(git, { f: '3' }, [fork], 4);
  expect(git.mergeBase(left, right)).toBe(fork);
});

test('a tree edit with sha null removes a whole directory', () => {
  const git = new GitRepository('o', 'r', 'main');
  const base = git.writeFlat(
    new Map([
      ['d/x', { mode: '100644', sha: git.writeBlob('x') }],
      ['keep', { mode: '100644', sha: git.writeBlob('k') }],
    ]),
  );
  const edited = git.applyTreeChanges(base, [
    { path: 'd', mode: '040000', type: 'tree', sha: null },
  ]);
  expect([...git.flatten(edited).keys()]).toEqual(['keep']);
});

test('a tree entry whose mode and type disagree is refused', () => {
  const git = new GitRepository('o', 'r', 'main');
  expect(() =>
    git.applyTreeChanges(undefined, [
      { path: 'a', mode: '040000', type: 'blob', content: 'x' },
    ]),
  ).toThrow(GitError);
});
