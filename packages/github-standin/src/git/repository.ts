/**
 * One repository as a bare git repository on disk, read and written by the `git` binary
 * (plumbing commands run synchronously, so the library API stays synchronous): objects, refs,
 * merge bases, history, three-way merges (`git merge-tree --write-tree`) and archives.
 *
 * Nothing a client sends reaches git as an option: object ids are checked against SHA_PATTERN,
 * refs always start with `refs/` and are checked with `git check-ref-format`, ref updates and
 * paths go through stdin (`update-ref --stdin -z`, `update-index -z --index-info`).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

/** Modes as GitHub's API spells them (git itself writes a tree's mode as `40000`). */
export type FileMode = '100644' | '100755' | '040000' | '160000' | '120000';

const FILE_MODES: readonly string[] = [
  '100644',
  '100755',
  '040000',
  '160000',
  '120000',
];

export function isFileMode(value: unknown): value is FileMode {
  return typeof value === 'string' && FILE_MODES.includes(value);
}

/** The object type an entry of the given mode points at. */
export function typeOfMode(mode: FileMode): 'blob' | 'tree' | 'commit' {
  if (mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

export interface TreeEntry {
  mode: FileMode;
  name: string;
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** Offset from UTC in minutes (east positive), as written after the time: +0200 = 120. */
  tzOffsetMinutes: number;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

/** An identity at an instant; `date` may carry an offset (`2024-05-01T10:00:00+02:00`), kept as git keeps it. */
export function identityAt(
  rawName: string,
  rawEmail: string,
  date: Date | string,
): GitIdentity {
  // git strips what would break the `Name <email>` line
  const name = rawName.replace(/[<>\n]/g, '').trim();
  const email = rawEmail.replace(/[<>\n]/g, '').trim();
  const parsed = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(parsed.getTime()))
    throw new Error(`invalid date ${JSON.stringify(date)}`);
  const offset =
    typeof date === 'string' ? /([+-])(\d{2}):?(\d{2})$/.exec(date) : null;
  const tzOffsetMinutes = offset
    ? (offset[1] === '-' ? -1 : 1) *
      (Number(offset[2]) * 60 + Number(offset[3]))
    : 0;
  return {
    name,
    email,
    time: Math.floor(parsed.getTime() / 1000),
    tzOffsetMinutes,
  };
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

export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** One file of a diff. */
export interface FileDiff {
  path: string;
  status: 'added' | 'removed' | 'modified';
  additions: number;
  deletions: number;
  /** As `git diff` prints it, from `diff --git`. */
  patch: string;
}

export type MergeOutcome =
  { ok: true; tree: string } | { ok: false; conflicts: string[] };

type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

interface StoredObject {
  type: ObjectType;
  data: Buffer;
}

/** git with no system, global or user configuration, so the machine's settings change nothing. */
const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

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

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function parseIdentity(line: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) ([+-])(\d{2})(\d{2})$/.exec(line);
  if (!match) throw new Error(`unreadable identity ${JSON.stringify(line)}`);
  const [
    ,
    name = '',
    email = '',
    time = '0',
    sign,
    hours = '0',
    minutes = '0',
  ] = match;
  return {
    name,
    email,
    time: Number(time),
    tzOffsetMinutes:
      (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)),
  };
}

/** A tree object's entries, in git's order. */
function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(32, at);
    const nul = data.indexOf(0, space);
    const mode = data.subarray(at, space).toString('latin1');
    entries.push({
      mode: (mode === '40000' ? '040000' : mode) as FileMode,
      name: data.subarray(space + 1, nul).toString('utf8'),
      sha: data.subarray(nul + 1, nul + 21).toString('hex'),
    });
    at = nul + 21;
  }
  return entries;
}

export class GitRepository {
  /** Objects read so far: git objects never change, so each is read once. */
  private readonly objects = new Map<string, StoredObject>();
  /** Results of queries about immutable objects (merge bases, merges, listings), by query. */
  private readonly memo = new Map<string, unknown>();
  /** Full ref name (`refs/heads/main`) → commit sha; git's refs, written through. */
  private readonly refs = new Map<string, string>();

  constructor(
    /** The bare repository's directory (created here). */
    readonly dir: string,
    readonly owner: string,
    readonly name: string,
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
      allowed?: number[];
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
    if (status !== 0 && !(options.allowed ?? []).includes(status)) {
      const reason = result.stderr
        .toString('utf8')
        .trim()
        .replace(/^(fatal|error): /, '');
      throw new GitError(
        reason || `git ${args[0] ?? ''} failed with exit code ${status}`,
      );
    }
    return { stdout: result.stdout, status };
  }

  private memoized<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /**
   * Makes sure `shas` are read, if git has them. At a miss it reads every object of the repository
   * (and its alternates) not read yet, in one `git cat-file --batch`: objects never change, so each
   * is read once, and a walk over many (a recursive tree, a GraphQL query with many aliases) costs
   * two git runs instead of one per object.
   */
  private load(shas: readonly string[]): void {
    if (shas.every(sha => !SHA_PATTERN.test(sha) || this.objects.has(sha)))
      return;
    const unread = this.git([
      'cat-file',
      '--batch-all-objects',
      '--batch-check=%(objectname)',
    ])
      .stdout.toString('latin1')
      .split('\n')
      .filter(sha => sha !== '' && !this.objects.has(sha));
    if (unread.length === 0) return;
    const out = this.git(['cat-file', '--batch'], {
      input: `${unread.join('\n')}\n`,
    }).stdout;
    let at = 0;
    while (at < out.length) {
      const end = out.indexOf(10, at);
      const [sha = '', type = '', size] = out
        .subarray(at, end)
        .toString('latin1')
        .split(' ');
      at = end + 1;
      if (size === undefined) continue; // `<sha> missing`
      const data = out.subarray(at, at + Number(size));
      at += Number(size) + 1;
      this.objects.set(sha, {
        type: type as ObjectType,
        data: Buffer.from(data),
      });
    }
  }

  private object(sha: string): StoredObject | undefined {
    this.load([sha]);
    return this.objects.get(sha);
  }

  typeOf(sha: string): ObjectType | undefined {
    return this.object(sha)?.type;
  }

  blob(sha: string): Buffer | undefined {
    const object = this.object(sha);
    return object?.type === 'blob' ? object.data : undefined;
  }

  /** Blob contents of many objects, read in one go. */
  blobs(shas: readonly string[]): Map<string, Buffer> {
    this.load(shas);
    const out = new Map<string, Buffer>();
    for (const sha of shas) {
      const object = this.objects.get(sha);
      if (object?.type === 'blob') out.set(sha, object.data);
    }
    return out;
  }

  tree(sha: string): TreeEntry[] | undefined {
    const object = this.object(sha);
    if (object?.type !== 'tree') return undefined;
    return this.memoized(`tree ${sha}`, () => parseTree(object.data));
  }

  commit(sha: string): CommitData | undefined {
    const object = this.object(sha);
    if (object?.type !== 'commit') return undefined;
    const text = object.data.toString('utf8');
    const split = text.indexOf('\n\n');
    const headers = (split === -1 ? text : text.slice(0, split)).split('\n');
    const value = (key: string): string[] =>
      headers
        .filter(line => line.startsWith(`${key} `))
        .map(line => line.slice(key.length + 1));
    return {
      tree: value('tree')[0] ?? '',
      parents: value('parent'),
      author: parseIdentity(value('author')[0] ?? ''),
      committer: parseIdentity(value('committer')[0] ?? ''),
      message: split === -1 ? '' : text.slice(split + 2),
    };
  }

  /** Writes blobs (one `git fast-import` for many) and returns their ids in order. */
  writeBlobs(contents: readonly (Buffer | string)[]): string[] {
    const shas = this.hashAndWrite(contents);
    shas.forEach((sha, index) => {
      const content = contents[index] ?? '';
      this.objects.set(sha, {
        type: 'blob',
        data: typeof content === 'string' ? Buffer.from(content) : content,
      });
    });
    return shas;
  }

  private hashAndWrite(contents: readonly (Buffer | string)[]): string[] {
    const buffers = contents.map(content =>
      typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    );
    if (buffers.length === 0) return [];
    if (buffers.length === 1)
      return [
        this.git(['hash-object', '-w', '--stdin'], { input: buffers[0] })
          .stdout.toString('latin1')
          .trim(),
      ];
    const marks = join(this.dir, 'standin-marks');
    const stream: Buffer[] = [];
    buffers.forEach((buffer, index) =>
      stream.push(
        Buffer.from(`blob\nmark :${index + 1}\ndata ${buffer.length}\n`),
        buffer,
        Buffer.from('\n'),
      ),
    );
    this.git(['fast-import', '--quiet', `--export-marks=${marks}`], {
      input: Buffer.concat(stream),
    });
    const ids = new Map<string, string>();
    for (const line of readFileSync(marks, 'latin1').split('\n')) {
      const [mark = '', sha = ''] = line.split(' ');
      ids.set(mark, sha);
    }
    rmSync(marks, { force: true });
    return buffers.map((_, index) => ids.get(`:${index + 1}`) ?? '');
  }

  writeBlob(content: Buffer | string): string {
    return this.writeBlobs([content])[0] ?? '';
  }

  /** Writes the nested trees for a flat path map (a temporary index and `git write-tree`); returns the root tree. */
  writeFlat(files: ReadonlyMap<string, FlatEntry>): string {
    const dirs = new Set<string>();
    const leaves = new Set<string>();
    const lines: string[] = [];
    for (const [path, entry] of files) {
      const clean = normalizePath(path);
      const segments = clean.split('/');
      for (let i = 1; i < segments.length; i += 1) {
        const parent = segments.slice(0, i).join('/');
        if (leaves.has(parent))
          throw new GitError(`${path}: a parent path is a file`);
        dirs.add(parent);
      }
      if (dirs.has(clean)) throw new GitError(`${path}: is a directory`);
      leaves.add(clean);
      lines.push(`${entry.mode} ${entry.sha}\t${clean}\0`);
    }
    for (const leaf of leaves)
      if (dirs.has(leaf)) throw new GitError(`${leaf}: is a directory`);
    const index = join(this.dir, 'standin-index');
    rmSync(index, { force: true });
    try {
      const env = { GIT_INDEX_FILE: index };
      if (lines.length > 0)
        this.git(['update-index', '-z', '--add', '--index-info'], {
          input: lines.join(''),
          env,
        });
      return this.git(['write-tree'], { env }).stdout.toString('latin1').trim();
    } finally {
      rmSync(index, { force: true });
    }
  }

  writeCommit(commit: CommitData): string {
    if (!SHA_PATTERN.test(commit.tree) || !this.tree(commit.tree))
      throw new GitError(`tree ${commit.tree} does not exist`);
    for (const parent of commit.parents)
      if (!SHA_PATTERN.test(parent) || !this.commit(parent))
        throw new GitError(`parent ${parent} is not a commit`);
    const identity = (role: 'AUTHOR' | 'COMMITTER', who: GitIdentity) => ({
      [`GIT_${role}_NAME`]: who.name,
      [`GIT_${role}_EMAIL`]: who.email,
      [`GIT_${role}_DATE`]: `@${who.time} ${formatOffset(who.tzOffsetMinutes)}`,
    });
    const args = [
      'commit-tree',
      commit.tree,
      ...commit.parents.flatMap(parent => ['-p', parent]),
    ];
    return this.git(args, {
      input: commit.message,
      env: {
        ...identity('AUTHOR', commit.author),
        ...identity('COMMITTER', commit.committer),
      },
    })
      .stdout.toString('latin1')
      .trim();
  }

  /** Every leaf (blob, symlink, submodule) under a tree, by slash-separated path (`git ls-tree -r`). */
  flatten(
    treeSha: string,
    prefix = '',
    into = new Map<string, FlatEntry>(),
  ): Map<string, FlatEntry> {
    if (!this.tree(treeSha))
      throw new GitError(`tree ${treeSha} does not exist`);
    const listing = this.memoized(`ls-tree ${treeSha}`, () =>
      this.git(['ls-tree', '-r', '-z', '--full-tree', treeSha])
        .stdout.toString('utf8')
        .split('\0')
        .filter(line => line !== '')
        .map(line => {
          const tab = line.indexOf('\t');
          const [mode = '', , sha = ''] = line.slice(0, tab).split(' ');
          return [
            line.slice(tab + 1),
            { mode: mode as FileMode, sha },
          ] as const;
        }),
    );
    for (const [path, entry] of listing)
      into.set(prefix === '' ? path : `${prefix}/${path}`, entry);
    return into;
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
      for (const path of [...files.keys()])
        if (path.startsWith(`${prefix}/`) && files.delete(path)) removed += 1;
      return removed;
    };
    /** Frees `path` for a new entry: whatever was under it, and files where its folders go. */
    const clear = (path: string): void => {
      files.delete(path);
      removeUnder(path);
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i += 1)
        files.delete(segments.slice(0, i).join('/'));
    };
    const written = this.writeBlobs(
      changes.flatMap(change =>
        change.content !== undefined && change.sha === undefined
          ? [change.content]
          : [],
      ),
    );
    for (const change of changes) {
      const path = normalizePath(change.path);
      if (typeOfMode(change.mode) !== change.type)
        throw new GitError(
          `tree.${path}: mode ${change.mode} does not go with type ${change.type}`,
        );
      if (change.sha !== undefined && change.content !== undefined)
        throw new GitError(`tree.${path}: use either sha or content, not both`);
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
        clear(path);
        files.set(path, { mode: change.mode, sha: written.shift() ?? '' });
        continue;
      }
      const sha = change.sha;
      if (sha === undefined || !SHA_PATTERN.test(sha))
        throw new GitError(`tree.${path}: sha or content is required`);
      if (change.type === 'tree' && !this.tree(sha))
        throw new GitError(`tree.sha ${sha} is not a valid tree`);
      if (change.type === 'blob' && !this.blob(sha))
        throw new GitError(`tree.sha ${sha} is not a valid blob`);
      clear(path);
      if (change.type === 'tree') this.flatten(sha, path, files);
      else files.set(path, { mode: change.mode, sha });
    }
    return this.writeFlat(files);
  }

  /** The entry at a path of a tree ('' is the tree itself). */
  entryAt(treeSha: string, path: string): FlatEntry | undefined {
    const clean = path.replace(/^\/+|\/+$/g, '');
    let current: FlatEntry = { mode: '040000', sha: treeSha };
    if (clean === '') return current;
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

  /** Throws a GitError unless `ref` is a valid full ref name (`git check-ref-format`). */
  checkRef(ref: string): void {
    if (
      !ref.startsWith('refs/') ||
      this.git(['check-ref-format', ref], { allowed: [1] }).status !== 0
    )
      throw new GitError(`${ref} is not a valid ref name.`);
  }

  ref(name: string): string | undefined {
    return this.refs.get(name);
  }

  /** Points a full ref at a commit (`git update-ref`). */
  setRef(name: string, sha: string): void {
    if (!SHA_PATTERN.test(sha) || !this.commit(sha))
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

  /** A branch name, `heads/x`, `refs/heads/x`, a full sha or a unique abbreviated one → commit sha. */
  resolve(ref: string): string | undefined {
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/${ref}`]) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    if (SHA_PATTERN.test(ref)) return this.commit(ref) ? ref : undefined;
    if (!/^[0-9a-f]{7,39}$/.test(ref)) return undefined;
    const found = this.git(
      ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
      { allowed: [1, 128] },
    );
    return found.status === 0
      ? found.stdout.toString('latin1').trim()
      : undefined;
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
    if (!SHA_PATTERN.test(sha)) return [];
    return this.memoized(`rev-list ${sha}`, () =>
      this.git(['rev-list', sha])
        .stdout.toString('latin1')
        .split('\n')
        .filter(line => line !== ''),
    );
  }

  /** How many commits `to` has that `from` does not (`git rev-list --count from..to`). */
  commitsBetween(from: string, to: string): number {
    return this.memoized(`count ${from} ${to}`, () =>
      Number(
        this.git(['rev-list', '--count', `${from}..${to}`])
          .stdout.toString('latin1')
          .trim(),
      ),
    );
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.memoized(
      `is-ancestor ${ancestor} ${descendant}`,
      () =>
        this.git(['merge-base', '--is-ancestor', ancestor, descendant], {
          allowed: [1],
        }).status === 0,
    );
  }

  /** The best common ancestor (`git merge-base`). */
  mergeBase(a: string, b: string): string | undefined {
    return this.memoized(`merge-base ${a} ${b}`, () => {
      const found = this.git(['merge-base', a, b], { allowed: [1] });
      return found.status === 0
        ? found.stdout.toString('latin1').trim()
        : undefined;
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
   * so changes to different lines of one file merge; the result's tree, or the conflicted paths.
   */
  merge(ours: string, theirs: string): MergeOutcome {
    return this.memoized(`merge-tree ${ours} ${theirs}`, (): MergeOutcome => {
      const result = this.git(
        [
          'merge-tree',
          '--write-tree',
          // as the stand-in's pull requests between unrelated histories (a fork seeded apart) did
          '--allow-unrelated-histories',
          '--name-only',
          '--no-messages',
          '-z',
          ours,
          theirs,
        ],
        {
          allowed: [1],
        },
      );
      const [tree = '', ...conflicts] = result.stdout
        .toString('utf8')
        .split('\0')
        .filter(part => part !== '');
      return result.status === 0
        ? { ok: true, tree }
        : { ok: false, conflicts: [...new Set(conflicts)] };
    });
  }

  /**
   * `git diff from to` file by file (no rename detection, as the stand-in's pull requests show
   * adds and deletes): status, line counts (`--numstat`; 0 for a binary file) and the patch.
   * `from` may be EMPTY_TREE_SHA.
   */
  diff(from: string, to: string): FileDiff[] {
    return this.memoized(`diff ${from} ${to}`, () => {
      const base = ['diff', '--no-renames', '--no-color', '--no-ext-diff'];
      const counts = this.git([...base, '--numstat', '-z', from, to])
        .stdout.toString('utf8')
        .split('\0')
        .filter(part => part !== '')
        .map(line => line.split('\t'));
      const patches = this.git([...base, from, to])
        .stdout.toString('utf8')
        .split(/^(?=diff --git )/m)
        .filter(part => part.startsWith('diff --git '));
      return counts.map(([added = '0', deleted = '0', path = ''], index) => {
        const patch = patches[index] ?? '';
        const header = patch.slice(0, patch.search(/^(@@|---|Binary)/m));
        return {
          path,
          status: /^new file mode/m.test(header)
            ? 'added'
            : /^deleted file mode/m.test(header)
              ? 'removed'
              : 'modified',
          additions: Number(added) || 0,
          deletions: Number(deleted) || 0,
          patch,
        };
      });
    });
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
    const file = join(this.dir, 'objects', 'info', 'alternates');
    const line = join(other.dir, 'objects');
    if (
      existsSync(file) &&
      readFileSync(file, 'utf8').split('\n').includes(line)
    )
      return;
    mkdirSync(join(this.dir, 'objects', 'info'), { recursive: true });
    appendFileSync(file, `${line}\n`);
  }

  /** Copies the bare repository for the git command line: `git --git-dir DIR log`, `git clone DIR`. */
  exportTo(dir: string): void {
    cpSync(this.dir, dir, { recursive: true });
  }
}
