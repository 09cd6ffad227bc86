/**
 * One repository as a bare git repository on disk, read and written by the `git` binary
 * (plumbing commands run synchronously, so the store stays synchronous): objects, refs, merge
 * bases, three-way merges (`git merge-tree --write-tree`), diffs and archives.
 *
 * Nothing a client sends reaches git as an option: object ids are checked against SHA_PATTERN,
 * refs always start with `refs/` and are checked with `git check-ref-format`, ref updates and
 * paths go through stdin (`update-ref --stdin -z`, `update-index -z --index-info`).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

/** Modes as GitHub's API spells them (git itself writes a tree's mode as `40000`). */
export type FileMode = '100644' | '100755' | '040000' | '160000' | '120000';

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

export interface TreeEntry {
  mode: FileMode;
  name: string;
  sha: string;
}

export interface FlatEntry {
  mode: FileMode;
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch (written as UTC). */
  time: number;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

/** One entry of `POST /git/trees`: `sha: null` deletes, `content` writes a blob. */
export interface TreeChange {
  path?: string;
  mode?: FileMode;
  type?: 'blob' | 'tree' | 'commit';
  sha?: string | null;
  content?: string;
}

/** One file of a diff. */
export interface FileDiff {
  path: string;
  status: 'added' | 'removed' | 'modified';
  additions: number;
  deletions: number;
  /** As `git diff` prints it, from `diff --git`. */
  patch: string;
}

/** GitHub's timestamp form: ISO 8601 in UTC, no milliseconds. */
export function isoSeconds(time: number | Date): string {
  const date = typeof time === 'number' ? new Date(time * 1000) : time;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A failed git operation a client caused (GitHub answers these with 422). */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

/** An identity at an instant, as git writes it (what would break `Name <email>` is dropped). */
export function identityAt(
  name: string,
  email: string,
  date: Date | string,
): GitIdentity {
  const time = new Date(date).getTime();
  if (Number.isNaN(time))
    throw new GitError(`invalid date ${JSON.stringify(date)}`);
  const clean = (text: string) => text.replace(/[<>\n]/g, '').trim();
  return {
    name: clean(name),
    email: clean(email),
    time: Math.floor(time / 1000),
  };
}

/** git with no system, global or user configuration, so the machine's settings change nothing. */
const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

/** A repository path without empty, `.` or `..` segments (git would silently skip those). */
function normalizePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed.split('/').some(segment => ['', '.', '..'].includes(segment)))
    throw new GitError(`invalid path ${JSON.stringify(path)}`);
  return trimmed;
}

export class GitRepository {
  /** Objects read so far: git objects never change, so each is read once. */
  private readonly objects = new Map<string, { type: string; data: Buffer }>();
  /** Results of queries about immutable objects (merge bases, merges, listings), by query. */
  private readonly memo = new Map<string, unknown>();
  /** Full ref name (`refs/heads/main`) → commit sha; git's refs, written through. */
  private readonly refs = new Map<string, string>();

  constructor(
    /** The bare repository's directory (created here). */
    readonly dir: string,
    readonly defaultBranch: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.git(['init', '--bare', '--quiet']);
    this.checkRef(`refs/heads/${defaultBranch}`);
    this.git(['symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`]);
  }

  /** Runs git on this repository; exit codes other than 0 and `allowed` throw a GitError with git's message. */
  private git(
    args: readonly string[],
    options: {
      input?: string | Buffer;
      env?: NodeJS.ProcessEnv;
      allowed?: number;
    } = {},
  ): { stdout: Buffer; status: number } {
    const result = spawnSync('git', args, {
      input: options.input ?? '',
      env: { ...GIT_ENV, ...options.env, GIT_DIR: this.dir },
      maxBuffer: 1024 * 1024 * 1024,
    });
    if (result.error)
      throw new Error(
        `github-standin: git ${args[0] ?? ''} could not run (the stand-in needs git 2.38 or later on PATH): ${result.error.message}`,
      );
    const status = result.status ?? -1;
    if (status !== 0 && status !== options.allowed)
      throw new GitError(
        result.stderr
          .toString('utf8')
          .trim()
          .replace(/^(fatal|error): /, '') ||
          `git ${args[0] ?? ''} failed with exit code ${status}`,
      );
    return { stdout: result.stdout, status };
  }

  /** git's output as text, its last newline removed. */
  private text(args: readonly string[]): string {
    return this.git(args).stdout.toString('utf8').replace(/\n$/, '');
  }

  private memoized<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /**
   * The object `sha`, if git has it. At a miss it reads every object of the repository (and its
   * alternates) not read yet, in one `git cat-file --batch`: a walk over many objects (a
   * recursive tree, a GraphQL query with many aliases) costs two git runs, not one per object.
   */
  private object(sha: string): { type: string; data: Buffer } | undefined {
    if (!SHA_PATTERN.test(sha) || this.objects.has(sha))
      return this.objects.get(sha);
    const unread = this.text([
      'cat-file',
      '--batch-all-objects',
      '--batch-check=%(objectname)',
    ])
      .split('\n')
      .filter(each => each !== '' && !this.objects.has(each));
    if (unread.length === 0) return undefined;
    const out = this.git(['cat-file', '--batch'], {
      input: `${unread.join('\n')}\n`,
    }).stdout;
    for (let at = 0; at < out.length;) {
      const end = out.indexOf(10, at);
      const [id = '', type = '', size] = out
        .subarray(at, end)
        .toString('latin1')
        .split(' ');
      const data = out.subarray(end + 1, end + 1 + Number(size ?? 0));
      if (size !== undefined)
        this.objects.set(id, { type, data: Buffer.from(data) });
      at = end + 1 + (size === undefined ? 0 : data.length + 1);
    }
    return this.objects.get(sha);
  }

  typeOf(sha: string): string | undefined {
    return this.object(sha)?.type;
  }

  blob(sha: string): Buffer | undefined {
    const object = this.object(sha);
    return object?.type === 'blob' ? object.data : undefined;
  }

  /** Blob contents of many objects. */
  blobs(shas: readonly string[]): Map<string, Buffer> {
    return new Map(
      shas.flatMap(sha => {
        const data = this.blob(sha);
        return data ? [[sha, data] as const] : [];
      }),
    );
  }

  /** A tree object's entries, in git's order. */
  tree(sha: string): TreeEntry[] | undefined {
    const object = this.object(sha);
    if (object?.type !== 'tree') return undefined;
    return this.memoized(`tree ${sha}`, () => {
      const entries: TreeEntry[] = [];
      for (let at = 0; at < object.data.length;) {
        const space = object.data.indexOf(32, at);
        const nul = object.data.indexOf(0, space);
        const mode = object.data.subarray(at, space).toString('latin1');
        entries.push({
          mode: mode.padStart(6, '0') as FileMode,
          name: object.data.subarray(space + 1, nul).toString('utf8'),
          sha: object.data.subarray(nul + 1, nul + 21).toString('hex'),
        });
        at = nul + 21;
      }
      return entries;
    });
  }

  commit(sha: string): CommitData | undefined {
    const object = this.object(sha);
    if (object?.type !== 'commit') return undefined;
    const text = object.data.toString('utf8');
    const split = text.indexOf('\n\n');
    const headers = text.slice(0, split).split('\n');
    const values = (key: string): string[] =>
      headers
        .filter(line => line.startsWith(`${key} `))
        .map(line => line.slice(key.length + 1));
    const identity = (key: string): GitIdentity => {
      const [, name = '', email = '', time = '0'] =
        /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(values(key)[0] ?? '') ?? [];
      return { name, email, time: Number(time) };
    };
    return {
      tree: values('tree')[0] ?? '',
      parents: values('parent'),
      author: identity('author'),
      committer: identity('committer'),
      message: text.slice(split + 2),
    };
  }

  /** Writes blobs (one `git fast-import` for all) and returns their ids in order. */
  writeBlobs(contents: readonly (Buffer | string)[]): string[] {
    if (contents.length === 0) return [];
    const buffers = contents.map(content => Buffer.from(content));
    const marks = join(this.dir, 'standin-marks');
    this.git(['fast-import', '--quiet', `--export-marks=${marks}`], {
      input: Buffer.concat(
        buffers.flatMap((buffer, index) => [
          Buffer.from(`blob\nmark :${index + 1}\ndata ${buffer.length}\n`),
          buffer,
          Buffer.from('\n'),
        ]),
      ),
    });
    const ids = new Map(
      readFileSync(marks, 'latin1')
        .split('\n')
        .map(line => line.split(' ') as [string, string]),
    );
    rmSync(marks, { force: true });
    return buffers.map((data, index) => {
      const sha = ids.get(`:${index + 1}`) ?? '';
      this.objects.set(sha, { type: 'blob', data });
      return sha;
    });
  }

  writeBlob(content: Buffer | string): string {
    return this.writeBlobs([content])[0] ?? '';
  }

  /** Writes the nested trees for a flat path map (a temporary index and `git write-tree`); returns the root tree. */
  writeFlat(files: ReadonlyMap<string, FlatEntry>): string {
    const index = join(this.dir, 'standin-index');
    const env = { GIT_INDEX_FILE: index };
    rmSync(index, { force: true });
    try {
      this.git(['update-index', '-z', '--add', '--index-info'], {
        input: [...files]
          .map(([path, e]) => `${e.mode} ${e.sha}\t${normalizePath(path)}\0`)
          .join(''),
        env,
      });
      return this.git(['write-tree'], { env }).stdout.toString('latin1').trim();
    } finally {
      rmSync(index, { force: true });
    }
  }

  writeCommit(commit: CommitData): string {
    if (!this.tree(commit.tree))
      throw new GitError(`tree ${commit.tree} does not exist`);
    for (const parent of commit.parents)
      if (!this.commit(parent))
        throw new GitError(`parent ${parent} is not a commit`);
    const identity = (role: string, who: GitIdentity) => ({
      [`GIT_${role}_NAME`]: who.name,
      [`GIT_${role}_EMAIL`]: who.email,
      [`GIT_${role}_DATE`]: `@${who.time} +0000`,
    });
    return this.git(
      ['commit-tree', commit.tree, ...commit.parents.flatMap(p => ['-p', p])],
      {
        input: commit.message,
        env: {
          ...identity('AUTHOR', commit.author),
          ...identity('COMMITTER', commit.committer),
        },
      },
    )
      .stdout.toString('latin1')
      .trim();
  }

  /** Every leaf (blob, symlink, submodule) under a tree, by slash-separated path (`git ls-tree -r`). */
  flatten(treeSha: string): Map<string, FlatEntry> {
    if (!this.tree(treeSha))
      throw new GitError(`tree ${treeSha} does not exist`);
    const listing = this.memoized(`ls-tree ${treeSha}`, () =>
      this.text(['ls-tree', '-r', '-z', '--full-tree', treeSha])
        .split('\0')
        .filter(line => line !== '')
        .map(line => {
          const [mode = '', , sha = ''] = line.split(/[ \t]/);
          const entry: FlatEntry = { mode: mode as FileMode, sha };
          return [line.slice(line.indexOf('\t') + 1), entry] as const;
        }),
    );
    return new Map(listing);
  }

  /**
   * GitHub's tree edit: files replace paths of `baseTree` (or build a tree from nothing), nested
   * paths create subtrees, `sha: null` deletes a file or a whole directory.
   */
  applyTreeChanges(
    baseTree: string | undefined,
    changes: readonly TreeChange[],
  ): string {
    const files =
      baseTree === undefined
        ? new Map<string, FlatEntry>()
        : this.flatten(baseTree);
    /** Removes `path` and whatever is under it; whether anything was there. */
    const remove = (path: string): boolean =>
      [...files.keys()]
        .filter(each => each === path || each.startsWith(`${path}/`))
        .map(each => files.delete(each))
        .includes(true);
    const written = this.writeBlobs(
      changes.flatMap(change =>
        change.content !== undefined && change.sha === undefined
          ? [change.content]
          : [],
      ),
    );
    for (const change of changes) {
      const path = normalizePath(change.path ?? '');
      if (change.sha === null) {
        if (!remove(path))
          throw new GitError(
            `GitRPC::BadObjectState: ${path} does not exist in the base tree`,
          );
        continue;
      }
      const sha =
        change.content !== undefined && change.sha === undefined
          ? written.shift()
          : change.sha;
      // files only: no product request writes a subtree or a submodule entry
      const { type = 'blob', mode = '100644' } = change;
      if (type !== 'blob' || mode === '040000' || !this.blob(sha ?? ''))
        throw new GitError(
          `tree.${path}: must be a file with an existing blob sha or content`,
        );
      remove(path);
      // a file where one of the new path's folders goes gives way
      path
        .split('/')
        .forEach((_, i, segments) =>
          files.delete(segments.slice(0, i).join('/')),
        );
      files.set(path, { mode, sha: sha ?? '' });
    }
    return this.writeFlat(files);
  }

  /** The entry at a path of a tree ('' is the tree itself). */
  entryAt(treeSha: string, path: string): FlatEntry | undefined {
    let current: FlatEntry | undefined = { mode: '040000', sha: treeSha };
    for (const name of path.split('/').filter(segment => segment !== ''))
      current = this.tree(current?.sha ?? '')?.find(
        entry => entry.name === name,
      );
    return current;
  }

  /** Throws a GitError unless `ref` is a valid full ref name (`git check-ref-format`). */
  checkRef(ref: string): void {
    if (
      !ref.startsWith('refs/') ||
      this.git(['check-ref-format', ref], { allowed: 1 }).status !== 0
    )
      throw new GitError(`${ref} is not a valid ref name.`);
  }

  ref(name: string): string | undefined {
    return this.refs.get(name);
  }

  /** Points a full ref at a commit (`git update-ref`). */
  setRef(name: string, sha: string): void {
    if (!this.commit(sha))
      throw new GitError(`Object does not exist: ${sha} is not a commit`);
    if (!this.refs.has(name)) this.checkRef(name);
    this.git(['update-ref', '--stdin', '-z'], {
      input: `update ${name}\0${sha}\0\0`,
    });
    this.refs.set(name, sha);
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
    this.setRef(`refs/heads/${name}`, sha);
  }

  /** A branch name, `heads/x`, `refs/heads/x` or a commit sha → commit sha. */
  resolve(ref: string): string | undefined {
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/${ref}`]) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    return this.commit(ref) ? ref : undefined;
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

  /** Commits reachable from `sha`, newest first (`git rev-list`). */
  history(sha: string): string[] {
    return this.memoized(`rev-list ${sha}`, () =>
      this.text(['rev-list', sha]).split('\n'),
    );
  }

  /** How many commits `to` has that `from` does not (`git rev-list --count from..to`). */
  commitsBetween(from: string, to: string): number {
    return this.memoized(`count ${from} ${to}`, () =>
      Number(this.text(['rev-list', '--count', `${from}..${to}`])),
    );
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.memoized(
      `is-ancestor ${ancestor} ${descendant}`,
      () =>
        this.git(['merge-base', '--is-ancestor', ancestor, descendant], {
          allowed: 1,
        }).status === 0,
    );
  }

  /** The best common ancestor (`git merge-base`); undefined for unrelated histories. */
  mergeBase(a: string, b: string): string | undefined {
    return this.memoized(`merge-base ${a} ${b}`, () => {
      const found = this.git(['merge-base', a, b], { allowed: 1 });
      return found.stdout.toString('latin1').trim() || undefined;
    });
  }

  /** Files of a commit. */
  filesOf(commitSha: string): Map<string, FlatEntry> {
    const commit = this.commit(commitSha);
    if (!commit) throw new GitError(`${commitSha} is not a commit`);
    return this.flatten(commit.tree);
  }

  /**
   * Git's three-way merge of `theirs` into `ours` (`git merge-tree --write-tree`): content-level,
   * so changes to different lines of one file merge; the result's tree, or no tree on a conflict.
   */
  merge(
    ours: string,
    theirs: string,
  ): { ok: true; tree: string } | { ok: false } {
    return this.memoized(`merge-tree ${ours} ${theirs}`, () => {
      const result = this.git(
        // unrelated histories: a fork seeded apart from its upstream
        [
          'merge-tree',
          '--write-tree',
          '--allow-unrelated-histories',
          '--no-messages',
          ours,
          theirs,
        ],
        { allowed: 1 },
      );
      const tree = result.stdout.toString('latin1').split('\n')[0] ?? '';
      return result.status === 0 ? { ok: true, tree } : { ok: false };
    });
  }

  /**
   * `git diff from to` file by file (no rename detection, as GitHub's pull requests show adds and
   * deletes): status, lines added and deleted, and the patch.
   */
  diff(from: string, to: string): FileDiff[] {
    return this.memoized(`diff ${from} ${to}`, () =>
      this.text([
        'diff',
        '--no-renames',
        '--no-color',
        '--no-ext-diff',
        from,
        to,
      ])
        .split(/^(?=diff --git )/m)
        .filter(patch => patch.startsWith('diff --git '))
        .map(patch => {
          const lines = patch.split('\n');
          const start = lines.findIndex(line => /^(@@|Binary)/.test(line));
          const header = start === -1 ? lines : lines.slice(0, start);
          const body = start === -1 ? [] : lines.slice(start);
          const named = (prefix: string) =>
            header.find(line => line.startsWith(prefix))?.slice(prefix.length);
          const count = (sign: string) =>
            body.filter(line => line.startsWith(sign)).length;
          return {
            path:
              named('+++ b/') ??
              named('--- a/') ??
              (lines[0] ?? '').replace(/^diff --git a\/.* b\//, ''),
            status:
              named('new file mode') !== undefined
                ? 'added'
                : named('deleted file mode') !== undefined
                  ? 'removed'
                  : 'modified',
            additions: count('+'),
            deletions: count('-'),
            patch,
          };
        }),
    );
  }

  /** A gzipped `git archive` of a commit with every entry under `prefix/` (the pax header carries the commit id). */
  archive(commitSha: string, prefix: string): Buffer {
    return this.git([
      'archive',
      '--format=tar.gz',
      `--prefix=${prefix}/`,
      commitSha,
    ]).stdout;
  }

  /** Lets this repository read another one's objects (a fork's pull request commits), as git alternates do. */
  borrowObjectsOf(other: GitRepository): void {
    mkdirSync(join(this.dir, 'objects', 'info'), { recursive: true });
    appendFileSync(
      join(this.dir, 'objects', 'info', 'alternates'),
      `${join(other.dir, 'objects')}\n`,
    );
  }

  /** Copies the bare repository for the git command line: `git --git-dir DIR log`, `git clone DIR`. */
  exportTo(dir: string): void {
    cpSync(this.dir, dir, { recursive: true });
  }
}
