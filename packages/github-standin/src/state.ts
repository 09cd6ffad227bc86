/**
 * Everything the stand-in knows: repositories (git data and pull requests) and the clock. The
 * HTTP layers only read and change this.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FileDiff,
  type FlatEntry,
  type GitIdentity,
  GitRepository,
  isoSeconds,
} from './git/repository';

export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  user: Identity;
  /** The head's sha is the branch tip while open, frozen once closed; the base's likewise. */
  head: { owner: string; ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
}

export interface RepoRecord {
  id: number;
  git: GitRepository;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  pulls: PullRecord[];
  /**
   * The repository this one is a fork of. The stand-in's forks are `<owner>/<same name>`
   * (GitHub's default name for a fork): a repository created while one of that name exists under
   * another owner is a fork of it.
   */
  forkOf: RepoRecord | undefined;
}

export interface Identity {
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

/** A stable positive integer id for a name (GitHub ids are integers). */
export function stableId(kind: string, name: string): number {
  const hash = createHash('sha1').update(`${kind}:${name.toLowerCase()}`);
  return (hash.digest().readUInt32BE(0) % 900_000_000) + 1_000;
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

export class NotFoundError extends Error {}

/** What happened to a repository, as its webhooks tell it (webhooks.ts): a ref moved, a pull request opened or closed. */
export type StandinEvent =
  | {
      kind: 'push';
      repo: RepoRecord;
      /** refs/heads/<branch> */
      ref: string;
      /** The ref's commit before; undefined when the ref is new. */
      before: string | undefined;
      after: string;
      forced: boolean;
    }
  | {
      kind: 'pull_request';
      repo: RepoRecord;
      pull: PullRecord;
      action: 'opened' | 'closed';
    };

export class StandinState {
  private readonly repos = new Map<string, RepoRecord>();
  private nextId = 1;
  /** Where the repositories' bare git directories live: made with the first one, removed by close(). */
  private directory: string | undefined;
  private readonly listeners = new Set<(event: StandinEvent) => void>();

  constructor(
    readonly now: () => Date,
    readonly defaultUser: Identity,
  ) {}

  /** Calls `listener` with every event from now on (synchronously, after the change); returns its removal. */
  onEvent(listener: (event: StandinEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StandinEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  id(): number {
    return this.nextId++;
  }

  /** Removes every repository from disk. */
  close(): void {
    if (this.directory)
      rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  timestamp(): string {
    return isoSeconds(this.now());
  }

  /** A git author for `who` now, with GitHub's noreply address. */
  identity(who: Identity): GitIdentity {
    const email =
      who.type === 'Bot'
        ? `${stableId('user', who.login)}+${who.login}@users.noreply.github.com`
        : `${who.login}@users.noreply.github.com`;
    return {
      name: who.login,
      email,
      time: Math.floor(this.now().getTime() / 1000),
    };
  }

  /** Owners of repositories, each once. */
  owners(): string[] {
    return [...new Set([...this.repos.values()].map(repo => repo.owner))];
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  createRepo(
    owner: string,
    name: string,
    options: {
      defaultBranch: string;
      private: boolean;
      description?: string | null;
    },
  ): RepoRecord {
    const upstream = [...this.repos.values()].find(
      candidate =>
        candidate.name.toLowerCase() === name.toLowerCase() &&
        candidate.forkOf === undefined,
    );
    this.directory ??= mkdtempSync(join(tmpdir(), 'github-standin-'));
    const record: RepoRecord = {
      id: stableId('repo', `${owner}/${name}`),
      git: new GitRepository(
        join(this.directory, `${this.repos.size + 1}.git`),
        options.defaultBranch,
      ),
      owner,
      name,
      private: options.private,
      description: options.description ?? null,
      pulls: [],
      forkOf: upstream,
    };
    // GitHub serves a fork's pull request commits from the base repository too (refs/pull/N/head).
    upstream?.git.borrowObjectsOf(record.git);
    this.repos.set(`${owner}/${name}`.toLowerCase(), record);
    return record;
  }

  /** Points `ref` at `sha` and tells the webhooks about a branch that moved. */
  moveRef(repo: RepoRecord, ref: string, sha: string, forced = false): void {
    const before = repo.git.ref(ref);
    repo.git.setRef(ref, sha);
    if (ref.startsWith('refs/heads/') && before !== sha)
      this.emit({ kind: 'push', repo, ref, before, after: sha, forced });
  }

  /**
   * Commits `changes` (path → content or entry, `null` deletes) on top of `branch` (created from
   * the default branch, or as the first commit) and moves the branch; `snapshot` starts from no
   * files instead of the parent's. Returns the commit sha.
   */
  commitChanges(
    repo: RepoRecord,
    branch: string,
    changes: ReadonlyMap<string, Buffer | string | null | FlatEntry>,
    message: string,
    snapshot = false,
  ): string {
    const parent =
      repo.git.branch(branch) ?? repo.git.branch(repo.git.defaultBranch);
    const files =
      parent && !snapshot
        ? repo.git.filesOf(parent)
        : new Map<string, FlatEntry>();
    const contents = [...changes].filter(
      (change): change is [string, Buffer | string] =>
        typeof change[1] === 'string' || Buffer.isBuffer(change[1]),
    );
    const shas = repo.git.writeBlobs(contents.map(([, content]) => content));
    const written = new Map(contents.map(([path], i) => [path, shas[i] ?? '']));
    for (const [path, content] of changes) {
      const sha = written.get(path);
      if (content === null) files.delete(path);
      else if (sha !== undefined)
        files.set(path, { mode: files.get(path)?.mode ?? '100644', sha });
      else if (typeof content === 'object' && !Buffer.isBuffer(content))
        files.set(path, content);
    }
    const who = this.identity(this.defaultUser);
    const sha = repo.git.writeCommit({
      tree: repo.git.writeFlat(files),
      parents: parent ? [parent] : [],
      author: who,
      committer: who,
      message,
    });
    this.moveRef(repo, `refs/heads/${branch}`, sha);
    return sha;
  }

  /** Commits exactly `files` (the whole tree, nothing kept from the parent) on `branch`. */
  commitSnapshot(
    repo: RepoRecord,
    branch: string,
    files: ReadonlyMap<string, Buffer | string | FlatEntry>,
    message: string,
  ): string {
    return this.commitChanges(repo, branch, files, message, true);
  }

  /**
   * The repository `owner:branch` names for pull requests into `repo`: itself, or its fork owned
   * by `owner` (`<owner>/<same name>`, GitHub's default name for a fork).
   */
  headRepo(repo: RepoRecord, owner: string): RepoRecord | undefined {
    if (owner.toLowerCase() === repo.owner.toLowerCase()) return repo;
    const fork = this.repo(owner, repo.name);
    return fork?.forkOf === repo ? fork : undefined;
  }

  /** The repository a pull request's head branch lives in: the base repository, or a fork of it. */
  pullHeadRepo(repo: RepoRecord, pull: PullRecord): RepoRecord | undefined {
    return this.headRepo(repo, pull.head.owner);
  }

  /** Head sha of a pull request: the branch tip while open, frozen once closed. */
  pullHeadSha(repo: RepoRecord, pull: PullRecord): string {
    const tip = this.pullHeadRepo(repo, pull)?.git.branch(pull.head.ref);
    if (pull.state === 'open' && tip) pull.head.sha = tip;
    return pull.head.sha;
  }

  pullBaseSha(repo: RepoRecord, pull: PullRecord): string {
    const tip = repo.git.branch(pull.base.ref);
    if (pull.state === 'open' && tip) pull.base.sha = tip;
    return pull.base.sha;
  }

  /** The pull request's changes: merge base → head (what GitHub's "Files changed" shows). */
  pullDiff(repo: RepoRecord, pull: PullRecord): FileDiff[] {
    // a closed pull request keeps the base it had when it was merged or closed
    const base = this.pullBaseSha(repo, pull);
    const head = this.pullHeadSha(repo, pull);
    return repo.git.diff(repo.git.mergeBase(base, head) ?? base, head);
  }
}
