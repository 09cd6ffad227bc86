/**
 * Everything the stand-in knows: repositories (git data, pull requests, labels), the identity
 * behind each token, and the clock. The HTTP layers only read and change this.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FileDiff,
  type FlatEntry,
  type GitIdentity,
  GitError,
  GitRepository,
  identityAt,
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
  head: { owner: string; ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  maintainerCanModify: boolean;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface RepoRecord {
  id: number;
  git: GitRepository;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  pulls: PullRecord[];
  labels: Map<string, LabelRecord>;
  nextIssueNumber: number;
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
  return (
    (createHash('sha1')
      .update(`${kind}:${name.toLowerCase()}`)
      .digest()
      .readUInt32BE(0) %
      900_000_000) +
    1_000
  );
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
    const id = this.nextId;
    this.nextId += 1;
    return id;
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

  identity(who: Identity): GitIdentity {
    const email =
      who.type === 'Bot'
        ? `${stableId('user', who.login)}+${who.login}@users.noreply.github.com`
        : `${who.login}@users.noreply.github.com`;
    return identityAt(who.login, email, this.now());
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  requireRepo(owner: string, name: string): RepoRecord {
    const repo = this.repo(owner, name);
    if (!repo) throw new NotFoundError(`no repository ${owner}/${name}`);
    return repo;
  }

  allRepos(): RepoRecord[] {
    return [...this.repos.values()].sort((a, b) =>
      `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`),
    );
  }

  owners(): string[] {
    return [...new Set(this.allRepos().map(repo => repo.owner))];
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
    if (!/^[A-Za-z0-9-]+$/.test(owner))
      throw new GitError(`invalid owner ${JSON.stringify(owner)}`);
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..')
      throw new GitError(`invalid repository name ${JSON.stringify(name)}`);
    const stamp = this.timestamp();
    const upstream = this.allRepos().find(
      candidate =>
        candidate.name.toLowerCase() === name.toLowerCase() &&
        candidate.forkOf === undefined,
    );
    this.directory ??= mkdtempSync(join(tmpdir(), 'github-standin-'));
    const record: RepoRecord = {
      id: stableId('repo', `${owner}/${name}`),
      git: new GitRepository(
        join(this.directory, `${this.repos.size + 1}.git`),
        owner,
        name,
        options.defaultBranch,
      ),
      owner,
      name,
      private: options.private,
      description: options.description ?? null,
      createdAt: stamp,
      updatedAt: stamp,
      pushedAt: stamp,
      pulls: [],
      labels: new Map(),
      nextIssueNumber: 1,
      forkOf: upstream,
    };
    // GitHub serves a fork's pull request commits from the base repository too (refs/pull/N/head).
    upstream?.git.borrowObjectsOf(record.git);
    this.repos.set(`${owner}/${name}`.toLowerCase(), record);
    return record;
  }

  /**
   * Commits `changes` (path → content, `null` deletes) on top of `branch` (created from the
   * default branch, or as the first commit) and moves the branch. Returns the commit sha.
   */
  commitChanges(
    repo: RepoRecord,
    branch: string,
    changes: ReadonlyMap<string, Buffer | string | null | FlatEntry>,
    message: string,
  ): string {
    const parent = this.parentFor(repo, branch);
    return this.commitTree(
      repo,
      branch,
      parent,
      applyChanges(
        repo,
        parent ? repo.git.filesOf(parent) : new Map(),
        changes,
      ),
      message,
    );
  }

  /** Commits exactly `files` (the whole tree, nothing kept from the parent) on `branch`. */
  commitSnapshot(
    repo: RepoRecord,
    branch: string,
    files: ReadonlyMap<string, Buffer | string | FlatEntry>,
    message: string,
  ): string {
    return this.commitTree(
      repo,
      branch,
      this.parentFor(repo, branch),
      applyChanges(repo, new Map(), files),
      message,
    );
  }

  private parentFor(repo: RepoRecord, branch: string): string | undefined {
    return repo.git.branch(branch) ?? repo.git.branch(repo.git.defaultBranch);
  }

  private commitTree(
    repo: RepoRecord,
    branch: string,
    parent: string | undefined,
    files: Map<string, FlatEntry>,
    message: string,
  ): string {
    const who = this.identity(this.defaultUser);
    const sha = repo.git.writeCommit({
      tree: repo.git.writeFlat(files),
      parents: parent ? [parent] : [],
      author: who,
      committer: who,
      message,
    });
    const before = repo.git.branch(branch);
    repo.git.setBranch(branch, sha);
    this.touch(repo);
    this.emit({
      kind: 'push',
      repo,
      ref: `refs/heads/${branch}`,
      before,
      after: sha,
      forced: false,
    });
    return sha;
  }

  touch(repo: RepoRecord): void {
    const stamp = this.timestamp();
    repo.updatedAt = stamp;
    repo.pushedAt = stamp;
  }

  /**
   * The repository a pull request's head branch lives in: the base repository, or a fork of it.
   * A fork is `<head owner>/<base name>`, GitHub's default name for a fork (`head: owner:branch`).
   */
  pullHeadRepo(repo: RepoRecord, pull: PullRecord): RepoRecord | undefined {
    return this.headRepo(repo, pull.head.owner);
  }

  /** The repository `owner:branch` names for pull requests into `repo`: itself, or its fork owned by `owner`. */
  headRepo(repo: RepoRecord, owner: string): RepoRecord | undefined {
    if (owner.toLowerCase() === repo.owner.toLowerCase()) return repo;
    const fork = this.repo(owner, repo.name);
    return fork?.forkOf === repo ? fork : undefined;
  }

  /** Head sha of a pull request: the branch tip while open, frozen once closed. */
  pullHeadSha(repo: RepoRecord, pull: PullRecord): string {
    if (pull.state === 'open') {
      const source = this.pullHeadRepo(repo, pull);
      const tip = source?.git.branch(pull.head.ref);
      if (source && tip) {
        pull.head.sha = tip;
      }
    }
    return pull.head.sha;
  }

  pullBaseSha(repo: RepoRecord, pull: PullRecord): string {
    if (pull.state === 'open') {
      const tip = repo.git.branch(pull.base.ref);
      if (tip) pull.base.sha = tip;
    }
    return pull.base.sha;
  }

  /** The pull request's changes: merge base → head (what GitHub's "Files changed" shows). */
  pullDiff(repo: RepoRecord, pull: PullRecord): FileDiff[] {
    const head = this.pullHeadSha(repo, pull);
    const base = this.pullBaseSha(repo, pull);
    // a closed pull request keeps the base it had when it was merged or closed
    return repo.git.diff(repo.git.mergeBase(base, head) ?? base, head);
  }
}

/** `files` with `changes` applied: content becomes a blob (keeping the path's mode), `null` deletes. */
function applyChanges(
  repo: RepoRecord,
  files: Map<string, FlatEntry>,
  changes: ReadonlyMap<string, Buffer | string | null | FlatEntry>,
): Map<string, FlatEntry> {
  const contents = [...changes].filter(
    (change): change is [string, Buffer | string] =>
      typeof change[1] === 'string' || Buffer.isBuffer(change[1]),
  );
  const shas = repo.git.writeBlobs(contents.map(([, content]) => content));
  const written = new Map(
    contents.map(([path], index) => [path, shas[index] ?? '']),
  );
  for (const [path, content] of changes) {
    const sha = written.get(path);
    if (content === null) files.delete(path);
    else if (sha !== undefined)
      files.set(path, { mode: files.get(path)?.mode ?? '100644', sha });
    else if (typeof content !== 'string' && !Buffer.isBuffer(content))
      files.set(path, content);
  }
  return files;
}
