/**
 * One repository's object database and branches, with the operations GitHub's git data API and
 * pull requests need: trees from flat path maps, tree edits (GitHub's `POST /git/trees`),
 * ancestry, merge bases and a path-level three-way merge.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  type CommitData,
  type FileMode,
  type GitObject,
  type TreeEntry,
  makeBlob,
  makeCommit,
  makeTree,
  objectBytes,
  SHA_PATTERN,
  typeOfMode,
} from './objects';

/** A failed git operation a client caused (GitHub answers these with 422). */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

export interface FlatEntry {
  mode: FileMode;
  sha: string;
}

/** One entry of `POST /git/trees`: `sha: null` deletes, `content` writes a blob. */
export interface TreeChange {
  path: string;
  mode: FileMode;
  type: 'blob' | 'tree' | 'commit';
  sha?: string | null;
  content?: string;
}

export type MergeOutcome =
  | { ok: true; files: Map<string, FlatEntry> }
  | { ok: false; conflicts: string[] };

export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function sameEntry(
  a: FlatEntry | undefined,
  b: FlatEntry | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.mode === b.mode && a.sha === b.sha;
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const segments = trimmed.split('/');
  if (
    trimmed === '' ||
    segments.some(
      segment => segment === '' || segment === '.' || segment === '..',
    )
  ) {
    throw new GitError(`invalid path ${JSON.stringify(path)}`);
  }
  return segments.join('/');
}

export class GitRepository {
  readonly objects = new Map<string, GitObject>();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();

  constructor(
    readonly owner: string,
    readonly name: string,
    public defaultBranch: string,
  ) {}

  put(object: GitObject): string {
    if (!this.objects.has(object.sha)) this.objects.set(object.sha, object);
    return object.sha;
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }

  blob(sha: string): Buffer | undefined {
    const object = this.objects.get(sha);
    return object?.type === 'blob' ? object.content : undefined;
  }

  tree(sha: string): TreeEntry[] | undefined {
    if (sha === EMPTY_TREE_SHA && !this.objects.has(sha))
      this.put(makeTree([]));
    const object = this.objects.get(sha);
    return object?.type === 'tree' ? object.entries : undefined;
  }

  commit(sha: string): CommitData | undefined {
    const object = this.objects.get(sha);
    return object?.type === 'commit' ? object.commit : undefined;
  }

  writeBlob(content: Buffer | string): string {
    return this.put(
      makeBlob(
        typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
      ),
    );
  }

  writeTree(entries: readonly TreeEntry[]): string {
    return this.put(makeTree(entries));
  }

  writeCommit(commit: CommitData): string {
    if (!this.tree(commit.tree))
      throw new GitError(`tree ${commit.tree} does not exist`);
    for (const parent of commit.parents) {
      if (!this.commit(parent))
        throw new GitError(`parent ${parent} is not a commit`);
    }
    return this.put(makeCommit(commit));
  }

  /** Every leaf (blob, symlink, submodule) under a tree, by slash-separated path. */
  flatten(
    treeSha: string,
    prefix = '',
    into = new Map<string, FlatEntry>(),
  ): Map<string, FlatEntry> {
    const entries = this.tree(treeSha);
    if (!entries) throw new GitError(`tree ${treeSha} does not exist`);
    for (const entry of entries) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.mode === '040000') this.flatten(entry.sha, path, into);
      else into.set(path, { mode: entry.mode, sha: entry.sha });
    }
    return into;
  }

  /** Writes the nested trees for a flat path map and returns the root tree's sha. */
  writeFlat(files: ReadonlyMap<string, FlatEntry>): string {
    interface Dir {
      leaves: Map<string, FlatEntry>;
      dirs: Map<string, Dir>;
    }
    const root: Dir = { leaves: new Map(), dirs: new Map() };
    for (const [path, entry] of files) {
      const segments = normalizePath(path).split('/');
      const leaf = segments.pop() as string;
      let dir = root;
      for (const segment of segments) {
        if (dir.leaves.has(segment))
          throw new GitError(`${path}: a parent path is a file`);
        let next = dir.dirs.get(segment);
        if (!next) {
          next = { leaves: new Map(), dirs: new Map() };
          dir.dirs.set(segment, next);
        }
        dir = next;
      }
      if (dir.dirs.has(leaf)) throw new GitError(`${path}: is a directory`);
      dir.leaves.set(leaf, entry);
    }
    const write = (dir: Dir): string => {
      const entries: TreeEntry[] = [];
      for (const [name, entry] of dir.leaves)
        entries.push({ name, mode: entry.mode, sha: entry.sha });
      for (const [name, child] of dir.dirs)
        entries.push({ name, mode: '040000', sha: write(child) });
      return this.writeTree(entries);
    };
    return write(root);
  }

  /**
   * GitHub's tree edit: entries replace paths of `baseTree` (or build a tree from nothing),
   * nested paths create subtrees, `sha: null` deletes a file or a whole directory.
   */
  applyTreeChanges(
    baseTree: string | undefined,
    changes: readonly TreeChange[],
  ): string {
    const files =
      baseTree === undefined
        ? new Map<string, FlatEntry>()
        : this.flatten(baseTree);
    const removeUnder = (prefix: string): number => {
      let removed = 0;
      for (const path of [...files.keys()]) {
        if (path.startsWith(`${prefix}/`)) {
          files.delete(path);
          removed += 1;
        }
      }
      return removed;
    };
    const removeParentsThatAreFiles = (path: string): void => {
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i += 1)
        files.delete(segments.slice(0, i).join('/'));
    };
    for (const change of changes) {
      const path = normalizePath(change.path);
      if (typeOfMode(change.mode) !== change.type) {
        throw new GitError(
          `tree.${path}: mode ${change.mode} does not go with type ${change.type}`,
        );
      }
      if (change.sha !== undefined && change.content !== undefined) {
        throw new GitError(`tree.${path}: use either sha or content, not both`);
      }
      if (change.sha === null) {
        const existed = files.delete(path);
        const removed = removeUnder(path);
        if (!existed && removed === 0)
          throw new GitError(
            `GitRPC::BadObjectState: ${path} does not exist in the base tree`,
          );
        continue;
      }
      if (change.content !== undefined) {
        if (change.type !== 'blob')
          throw new GitError(`tree.${path}: content can only create a blob`);
        removeUnder(path);
        removeParentsThatAreFiles(path);
        files.set(path, {
          mode: change.mode,
          sha: this.writeBlob(change.content),
        });
        continue;
      }
      const sha = change.sha;
      if (sha === undefined || !SHA_PATTERN.test(sha))
        throw new GitError(`tree.${path}: sha or content is required`);
      if (change.type === 'tree') {
        if (!this.tree(sha))
          throw new GitError(`tree.sha ${sha} is not a valid tree`);
        files.delete(path);
        removeUnder(path);
        removeParentsThatAreFiles(path);
        this.flatten(sha, path, files);
        continue;
      }
      if (change.type === 'blob' && !this.blob(sha))
        throw new GitError(`tree.sha ${sha} is not a valid blob`);
      removeUnder(path);
      removeParentsThatAreFiles(path);
      files.set(path, { mode: change.mode, sha });
    }
    return this.writeFlat(files);
  }

  /** The entry at a path of a tree ('' is the tree itself). */
  entryAt(
    treeSha: string,
    path: string,
  ): { mode: FileMode; sha: string } | undefined {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean === '') return { mode: '040000', sha: treeSha };
    let current: { mode: FileMode; sha: string } = {
      mode: '040000',
      sha: treeSha,
    };
    for (const segment of clean.split('/')) {
      if (current.mode !== '040000') return undefined;
      const entry = this.tree(current.sha)?.find(
        candidate => candidate.name === segment,
      );
      if (!entry) return undefined;
      current = { mode: entry.mode, sha: entry.sha };
    }
    return current;
  }

  branch(name: string): string | undefined {
    return this.refs.get(`refs/heads/${name}`);
  }

  branchNames(): string[] {
    return [...this.refs.keys()]
      .filter(ref => ref.startsWith('refs/heads/'))
      .map(ref => ref.slice('refs/heads/'.length))
      .sort();
  }

  setBranch(name: string, sha: string): void {
    if (!this.commit(sha))
      throw new GitError(`Object does not exist: ${sha} is not a commit`);
    this.refs.set(`refs/heads/${name}`, sha);
  }

  /** A branch name, `heads/x`, `refs/heads/x`, a full sha or a unique abbreviated one → commit sha. */
  resolve(ref: string): string | undefined {
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/${ref}`]) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    if (SHA_PATTERN.test(ref)) return this.commit(ref) ? ref : undefined;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...this.objects.values()].filter(
        object => object.type === 'commit' && object.sha.startsWith(ref),
      );
      return matches.length === 1 ? matches[0]?.sha : undefined;
    }
    return undefined;
  }

  /**
   * Splits `segments` (from a URL like `/tree/feature/x/docs/a.md`) into a ref and a path, taking
   * the longest prefix that names a branch (or a commit sha).
   */
  splitRefAndPath(
    segments: readonly string[],
  ): { ref: string; sha: string; path: string } | undefined {
    for (let count = segments.length; count >= 1; count -= 1) {
      const ref = segments.slice(0, count).join('/');
      const sha = this.resolve(ref);
      if (sha) return { ref, sha, path: segments.slice(count).join('/') };
    }
    return undefined;
  }

  /** Commits reachable from `sha`, newest committer date first (git log's default order, roughly). */
  history(sha: string, limit = Number.POSITIVE_INFINITY): string[] {
    const out: string[] = [];
    const seen = new Set<string>([sha]);
    const queue: string[] = [sha];
    while (queue.length > 0 && out.length < limit) {
      queue.sort(
        (a, b) =>
          (this.commit(b)?.committer.time ?? 0) -
          (this.commit(a)?.committer.time ?? 0),
      );
      const next = queue.shift() as string;
      out.push(next);
      for (const parent of this.commit(next)?.parents ?? []) {
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    return out;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commit(next)?.parents ?? []));
    }
    return seen;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  /** The best common ancestor (one not reachable from another common ancestor). */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    const common = [...this.ancestors(b)].filter(sha => ofA.has(sha));
    // everything strictly below some common ancestor, in one walk
    const below = new Set<string>();
    const stack = common.flatMap(sha => this.commit(sha)?.parents ?? []);
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (below.has(next)) continue;
      below.add(next);
      stack.push(...(this.commit(next)?.parents ?? []));
    }
    const best = common.filter(candidate => !below.has(candidate));
    best.sort(
      (x, y) =>
        (this.commit(y)?.committer.time ?? 0) -
        (this.commit(x)?.committer.time ?? 0),
    );
    return best[0];
  }

  /** Files of a commit. */
  filesOf(commitSha: string): Map<string, FlatEntry> {
    const commit = this.commit(commitSha);
    if (!commit) throw new GitError(`${commitSha} is not a commit`);
    return this.flatten(commit.tree);
  }

  /**
   * Path-level three-way merge of `theirs` into `ours`: a path changed on one side only takes that
   * side; changed on both sides to different results is a conflict.
   */
  threeWayMerge(ours: string, theirs: string): MergeOutcome {
    const base = this.mergeBase(ours, theirs);
    const baseFiles = base ? this.filesOf(base) : new Map<string, FlatEntry>();
    const ourFiles = this.filesOf(ours);
    const theirFiles = this.filesOf(theirs);
    const merged = new Map<string, FlatEntry>();
    const conflicts: string[] = [];
    const paths = new Set([
      ...baseFiles.keys(),
      ...ourFiles.keys(),
      ...theirFiles.keys(),
    ]);
    for (const path of [...paths].sort()) {
      const b = baseFiles.get(path);
      const o = ourFiles.get(path);
      const t = theirFiles.get(path);
      let result: FlatEntry | undefined;
      if (sameEntry(o, t)) result = o;
      else if (sameEntry(b, o)) result = t;
      else if (sameEntry(b, t)) result = o;
      else {
        conflicts.push(path);
        continue;
      }
      if (result) merged.set(path, result);
    }
    if (conflicts.length > 0) return { ok: false, conflicts };
    // a file on one side and a directory at the same path on the other is a conflict too
    for (const path of merged.keys()) {
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i += 1) {
        const parent = segments.slice(0, i).join('/');
        if (merged.has(parent)) conflicts.push(parent);
      }
    }
    return conflicts.length > 0
      ? { ok: false, conflicts: [...new Set(conflicts)] }
      : { ok: true, files: merged };
  }

  /**
   * Writes the repository as a bare git repository (loose objects, branches, HEAD) that the git
   * command line can read: `git --git-dir DIR log`, `git clone DIR`.
   */
  exportTo(dir: string): void {
    mkdirSync(join(dir, 'objects'), { recursive: true });
    mkdirSync(join(dir, 'refs', 'heads'), { recursive: true });
    mkdirSync(join(dir, 'refs', 'tags'), { recursive: true });
    writeFileSync(join(dir, 'HEAD'), `ref: refs/heads/${this.defaultBranch}\n`);
    writeFileSync(
      join(dir, 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n',
    );
    for (const object of this.objects.values()) {
      const folder = join(dir, 'objects', object.sha.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, object.sha.slice(2)),
        deflateSync(objectBytes(object)),
      );
    }
    for (const [ref, sha] of this.refs) {
      const target = join(dir, ...ref.split('/'));
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, `${sha}\n`);
    }
  }
}
