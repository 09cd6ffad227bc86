/**
 * One repository as a bare git repository on disk, read and written by the `git` binary
 * (plumbing commands run synchronously, so the store stays synchronous).
 *
 * Nothing a client sends reaches git as an option: object ids are checked against SHA_PATTERN,
 * refs always start with `refs/` and are checked with `git check-ref-format`, ref updates and
 * paths go through stdin (`update-ref --stdin -z`, `update-index -z --index-info`).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Modes as GitHub's API spells them (git itself writes a tree's mode as `40000`). */
export type FileMode = '100644' | '100755' | '040000' | '160000' | '120000';

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

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
  override name = 'GitError';
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
    const stderr = result.stderr.toString('utf8').trim();
    if (status !== 0 && status !== options.allowed)
      throw new GitError(
        stderr.replace(/^(fatal|error): /, '') ||
          `git ${args[0] ?? ''} failed with exit code ${status}`,
      );
    return { stdout: result.stdout, status };
  }

  /** git's output as text, its last newline removed. */
  private text(...run: Parameters<GitRepository['git']>): string {
    const { stdout } = this.git(...run);
    return stdout.toString('utf8').replace(/\n$/, '');
  }

  /**
   * The object `sha`, if git has it. At a miss it reads every object of the repository (and its
   * alternates) not read yet, in one `git cat-file --batch`: a walk over many objects (a
   * recursive tree, a GraphQL query with many aliases) costs two git runs, not one per object.
   */
  object(sha: string): { type: string; data: Buffer } | undefined {
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
    const input = `${unread.join('\n')}\n`;
    const out = this.git(['cat-file', '--batch'], { input }).stdout;
    // each object: `<sha> <type> <size>\n<data>\n`
    for (let at = 0; at < out.length;) {
      const end = out.indexOf(10, at);
      const [id = '', type = '', size = '0'] = out
        .subarray(at, end)
        .toString('latin1')
        .split(' ');
      const data = out.subarray(end + 1, end + 1 + Number(size));
      this.objects.set(id, { type, data: Buffer.from(data) });
      at = end + 1 + data.length + 1;
    }
    return this.objects.get(sha);
  }

  blob(sha: string): Buffer | undefined {
    const object = this.object(sha);
    return object?.type === 'blob' ? object.data : undefined;
  }

  /** A tree object's entries, in git's order. */
  tree(sha: string): (FlatEntry & { name: string })[] | undefined {
    const object = this.object(sha);
    if (object?.type !== 'tree') return undefined;
    // each entry `<mode> <name>\0<20-byte id>`, read as latin1 (one character a byte)
    const entries = object.data
      .toString('latin1')
      .matchAll(/(\d+) ([^\0]*)\0([\s\S]{20})/gy);
    const bytes = (text: string) => Buffer.from(text, 'latin1');
    return [...entries].map(([, mode = '', name = '', id = '']) => ({
      mode: mode.padStart(6, '0') as FileMode,
      name: bytes(name).toString('utf8'),
      sha: bytes(id).toString('hex'),
    }));
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

  /** Writes blobs in one `git fast-import` (`get-mark` prints each id) and returns their ids in order. */
  writeBlobs(contents: readonly (Buffer | string)[]): string[] {
    if (contents.length === 0) return [];
    const buffers = contents.map(content => Buffer.from(content));
    const ids = this.text(['fast-import', '--quiet'], {
      input: Buffer.concat(
        buffers.flatMap((buffer, index) => [
          Buffer.from(`blob\nmark :${index + 1}\ndata ${buffer.length}\n`),
          buffer,
          Buffer.from(`\nget-mark :${index + 1}\n`),
        ]),
      ),
    }).split('\n');
    return buffers.map((data, index) => {
      const sha = ids[index] ?? '';
      this.objects.set(sha, { type: 'blob', data });
      return sha;
    });
  }

  /** `git write-tree` of a temporary index that the git command `args` fills. */
  private writeIndex(args: readonly string[], input = ''): string {
    const env = { GIT_INDEX_FILE: join(this.dir, 'standin-index') };
    rmSync(env.GIT_INDEX_FILE, { force: true });
    try {
      this.git(args, { input, env });
      return this.text(['write-tree'], { env });
    } finally {
      rmSync(env.GIT_INDEX_FILE, { force: true });
    }
  }

  /** Writes the nested trees for a flat path map; returns the root tree. */
  writeFlat(files: ReadonlyMap<string, FlatEntry>): string {
    const input = [...files]
      .map(([path, e]) => `${e.mode} ${e.sha}\t${normalizePath(path)}\0`)
      .join('');
    const args = ['update-index', '-z', '--add', '--index-info'];
    return this.writeIndex(args, input);
  }

  /** A folder's files as `git add` takes them (modes, symlinks; `.git` skipped), as a tree. */
  writeFolder(folder: string): string {
    return this.writeIndex(['--work-tree', folder, 'add', '--all', '--force']);
  }

  /**
   * `changes` (path → content, `null` deletes; a changed file keeps its mode) on the files of
   * `base` (a tree or a commit; none when undefined), as a tree.
   */
  writeFiles(
    changes: Readonly<Record<string, Buffer | string | null>>,
    base?: string,
  ): string {
    const files = this.flatten(base);
    const entries = Object.entries(changes);
    const contents = entries.flatMap(([, content]) => content ?? []);
    const shas = this.writeBlobs(contents);
    for (const [path, content] of entries) {
      const mode = files.get(path)?.mode ?? '100644';
      if (content === null) files.delete(path);
      else files.set(path, { mode, sha: shas.shift() ?? '' });
    }
    return this.writeFlat(files);
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
    const env = {
      ...identity('AUTHOR', commit.author),
      ...identity('COMMITTER', commit.committer),
    };
    const parents = commit.parents.flatMap(parent => ['-p', parent]);
    const args = ['commit-tree', commit.tree, ...parents];
    return this.text(args, { input: commit.message, env });
  }

  /** Every leaf (blob, symlink, submodule) under a tree or a commit's tree, by slash-separated path (`git ls-tree -r`); none under undefined. */
  flatten(treeOrCommit: string | undefined): Map<string, FlatEntry> {
    if (treeOrCommit === undefined) return new Map();
    if (!this.object(treeOrCommit))
      throw new GitError(`${treeOrCommit} is not a tree or a commit`);
    return new Map(
      this.text(['ls-tree', '-r', '-z', '--full-tree', treeOrCommit])
        .split('\0')
        .filter(line => line !== '')
        .map(line => {
          // `<mode> <type> <sha>\t<path>`
          const [mode = '', , sha = ''] = line.split(/[ \t]/);
          const entry: FlatEntry = { mode: mode as FileMode, sha };
          return [line.slice(line.indexOf('\t') + 1), entry] as const;
        }),
    );
  }

  /**
   * GitHub's tree edit: files replace paths of `baseTree` (or build a tree from nothing), nested
   * paths create subtrees, `sha: null` deletes a file or a whole directory.
   */
  applyTreeChanges(
    baseTree: string | undefined,
    changes: readonly TreeChange[],
  ): string {
    const files = this.flatten(baseTree);
    /** Removes `path` and whatever is under it; whether anything was there. */
    const remove = (path: string): boolean =>
      [...files.keys()]
        .filter(each => each === path || each.startsWith(`${path}/`))
        .map(each => files.delete(each))
        .includes(true);
    const isContent = (change: TreeChange) =>
      change.content !== undefined && change.sha === undefined;
    const written = this.writeBlobs(
      changes.filter(isContent).map(change => change.content ?? ''),
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
      const sha = (isContent(change) ? written.shift() : change.sha) ?? '';
      // files only: no product request writes a subtree or a submodule entry
      const { type = 'blob', mode = '100644' } = change;
      if (type !== 'blob' || mode === '040000' || !this.blob(sha))
        throw new GitError(
          `tree.${path}: must be a file with an existing blob sha or content`,
        );
      remove(path);
      // a file where one of the new path's folders goes gives way
      for (const { index } of path.matchAll(/\//g))
        files.delete(path.slice(0, index));
      files.set(path, { mode, sha });
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

  /** A branch name, `heads/x`, `refs/heads/x` or a commit sha → commit sha. */
  resolve(ref: string): string | undefined {
    const names = [ref, `refs/heads/${ref}`, `refs/${ref}`];
    const sha = names.map(name => this.refs.get(name)).find(Boolean);
    return sha ?? (this.commit(ref) ? ref : undefined);
  }

  /** Commits reachable from `sha`, newest first (`git rev-list`). */
  history(sha: string): string[] {
    return this.text(['rev-list', sha]).split('\n');
  }

  /** How many commits `to` has that `from` does not (`git rev-list --count from..to`). */
  commitsBetween(from: string, to: string): number {
    return Number(this.text(['rev-list', '--count', `${from}..${to}`]));
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    const args = ['merge-base', '--is-ancestor', ancestor, descendant];
    return this.git(args, { allowed: 1 }).status === 0;
  }

  /** The best common ancestor (`git merge-base`); undefined for unrelated histories. */
  mergeBase(a: string, b: string): string | undefined {
    return this.text(['merge-base', a, b], { allowed: 1 }) || undefined;
  }

  /**
   * Git's three-way merge of `theirs` into `ours` (`git merge-tree --write-tree`): content-level,
   * so changes to different lines of one file merge; the result's tree, or no tree on a conflict.
   */
  merge(
    ours: string,
    theirs: string,
  ): { ok: true; tree: string } | { ok: false } {
    // unrelated histories: a fork seeded apart from its upstream
    const options = ['--allow-unrelated-histories', '--no-messages'];
    const args = ['merge-tree', '--write-tree', ...options, ours, theirs];
    const result = this.git(args, { allowed: 1 });
    const tree = result.stdout.toString('latin1').split('\n')[0] ?? '';
    return result.status === 0 ? { ok: true, tree } : { ok: false };
  }

  /**
   * `git diff from to` file by file (no rename detection, as GitHub's pull requests show adds and
   * deletes): status, lines added and deleted, and the patch.
   */
  diff(from: string, to: string): FileDiff[] {
    const options =
      '--no-renames --no-color --no-ext-diff --raw --numstat --patch -z';
    const output = this.text(['diff', ...options.split(' '), from, to]);
    // -z: each file's `:<modes> <ids> <status>` and path, then each file's `<added>\t<deleted>\t<path>`, then the patch
    const [records = '', patch = ''] = output.split(/\0\0(?=diff --git )/);
    const fields = records.split('\0');
    const patches = patch.split(/^(?=diff --git )/m).filter(Boolean);
    return patches.map((text, index) => {
      const status = fields[2 * index]?.at(-1);
      const [added = '', deleted = ''] =
        fields[2 * patches.length + index]?.split('\t') ?? [];
      return {
        path: fields[2 * index + 1] ?? '',
        status:
          status === 'A' ? 'added' : status === 'D' ? 'removed' : 'modified',
        // `-` for a binary file
        additions: Number(added) || 0,
        deletions: Number(deleted) || 0,
        patch: text,
      };
    });
  }

  /** A gzipped `git archive` of a commit with every entry under `prefix/` (the pax header carries the commit id). */
  archive(commitSha: string, prefix: string): Buffer {
    const args = ['archive', '--format=tar.gz', `--prefix=${prefix}/`];
    return this.git([...args, commitSha]).stdout;
  }

  /** Lets this repository read another one's objects (a fork's pull request commits), as git alternates do. */
  borrowObjectsOf(other: GitRepository): void {
    // `git init` made objects/info
    const alternates = join(this.dir, 'objects', 'info', 'alternates');
    appendFileSync(alternates, `${join(other.dir, 'objects')}\n`);
  }
}
