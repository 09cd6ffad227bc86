/**
 * Everything the stand-in knows: repositories (git data and pull requests, from opening to merge
 * or close) and the clock. The HTTP layers only read and change this.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FileDiff,
  type GitIdentity,
  GitRepository,
  isoSeconds,
} from './git/repository';
import { ApiError, notFound, unprocessable } from './rest/api';

/** One side of a pull request: the branch tip while open, the commit it closed with once closed. */
export interface PullSide {
  /** The head's repository is the base's, or a fork of it. */
  repo: RepoRecord;
  ref: string;
  sha: string;
}

/** A pull request under GitHub's field names (its JSON, shapes.ts, shows the plain ones as they are). */
export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  /** Set when merged (GitHub's `merged` is whether it is). */
  merged_at: string | null;
  merged_by: Identity | null;
  merge_commit_sha: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  user: Identity;
  head: PullSide;
  base: PullSide;
  labels: string[];
  /** Logins, and team slugs of the base repository's owner. */
  requested_reviewers: string[];
  requested_teams: string[];
}

export interface RepoRecord {
  id: number;
  git: GitRepository;
  owner: string;
  name: string;
  private: boolean;
  pulls: PullRecord[];
  /** A repository created while one of its name exists under another owner is a fork of it (GitHub's default fork name). */
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

/** Pull request `number` of `repo`; GitHub's 404 when either is missing. */
export function findPull(repo: RepoRecord | undefined, number: number) {
  const pull = repo?.pulls.find(candidate => candidate.number === number);
  if (!pull) throw notFound();
  return pull;
}

/** The pull request's changes: merge base → head (what GitHub's "Files changed" shows). */
export function pullDiff({ head, base }: PullRecord): FileDiff[] {
  const git = base.repo.git;
  return git.diff(git.mergeBase(base.sha, head.sha) ?? base.sha, head.sha);
}

/** GitHub's `mergeable_state`: unknown once closed, dirty when git's three-way merge conflicts. */
export function mergeableState({ state, draft, head, base }: PullRecord) {
  if (state !== 'open') return 'unknown';
  if (!base.repo.git.merge(base.sha, head.sha).ok) return 'dirty';
  return draft ? 'draft' : 'clean';
}

/** `branch` or `owner:branch` of a pull request into `repo`. */
function parseHead(repo: RepoRecord, head: string) {
  const [owner = '', ref = ''] = head.includes(':')
    ? head.split(/:(.*)/)
    : [repo.owner, head];
  return { owner, ref };
}

/** Whether a pull request comes from `branch` or `owner:branch`. */
export function isFrom(pull: PullRecord, head: string): boolean {
  const { owner, ref } = parseHead(pull.base.repo, head);
  return (
    pull.head.ref === ref &&
    pull.head.repo.owner.toLowerCase() === owner.toLowerCase()
  );
}

/** The store; it emits each StandinEvent as `event`, synchronously after the change. */
export class StandinState extends EventEmitter<{ event: [StandinEvent] }> {
  private readonly repos = new Map<string, RepoRecord>();
  private nextId = 1;
  /** Where the repositories' bare git directories live (removed by close()). */
  private readonly directory = mkdtempSync(join(tmpdir(), 'github-standin-'));

  constructor(
    readonly now: () => Date,
    readonly defaultUser: Identity,
  ) {
    super();
  }

  close(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  timestamp(): string {
    return isoSeconds(this.now());
  }

  /** A git author for `who` now, with GitHub's noreply address. */
  identity({ login, type }: Identity): GitIdentity {
    const user = type === 'Bot' ? `${stableId('user', login)}+${login}` : login;
    const time = Math.floor(this.now().getTime() / 1000);
    return { name: login, email: `${user}@users.noreply.github.com`, time };
  }

  owners(): string[] {
    return [...new Set([...this.repos.values()].map(repo => repo.owner))];
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** A repository whose default branch is `main`, as on GitHub. */
  createRepo(owner: string, name: string, isPrivate: boolean): RepoRecord {
    const upstream = [...this.repos.values()].find(
      candidate =>
        candidate.name.toLowerCase() === name.toLowerCase() &&
        candidate.forkOf === undefined,
    );
    const dir = join(this.directory, `${this.repos.size + 1}.git`);
    const record: RepoRecord = {
      id: stableId('repo', `${owner}/${name}`),
      git: new GitRepository(dir, 'main'),
      owner,
      name,
      private: isPrivate,
      pulls: [],
      forkOf: upstream,
    };
    // GitHub serves a fork's pull request commits from the base repository too (refs/pull/N/head).
    upstream?.git.borrowObjectsOf(record.git);
    this.repos.set(`${owner}/${name}`.toLowerCase(), record);
    return record;
  }

  /** Points `ref` at `sha`: open pull requests on that branch follow it, and the webhooks hear of a moved branch. */
  moveRef(repo: RepoRecord, ref: string, sha: string, forced = false): void {
    const before = repo.git.ref(ref);
    repo.git.setRef(ref, sha);
    if (!ref.startsWith('refs/heads/') || before === sha) return;
    const sides = [...this.repos.values()]
      .flatMap(each => each.pulls)
      .filter(pull => pull.state === 'open')
      .flatMap(pull => [pull.head, pull.base]);
    for (const side of sides)
      if (side.repo === repo && `refs/heads/${side.ref}` === ref)
        side.sha = sha;
    this.emit('event', { kind: 'push', repo, ref, before, after: sha, forced });
  }

  /**
   * Commits `tree` as the default user on top of `branch` (created from the default branch, or as
   * the first commit) and moves the branch. Returns the commit sha.
   */
  commitTree(
    repo: RepoRecord,
    branch: string,
    tree: string,
    message: string,
  ): string {
    const parent =
      repo.git.branch(branch) ?? repo.git.branch(repo.git.defaultBranch);
    const who = this.identity(this.defaultUser);
    const sha = repo.git.writeCommit({
      tree,
      parents: parent ? [parent] : [],
      author: who,
      committer: who,
      message,
    });
    this.moveRef(repo, `refs/heads/${branch}`, sha);
    return sha;
  }

  /**
   * Opens a pull request with GitHub's checks (422 Validation Failed, as ApiError). `head` is
   * `branch`, or `owner:branch` for a branch of `owner`'s fork (`<owner>/<same name>`).
   */
  openPull(
    repo: RepoRecord,
    options: {
      title: string;
      head: string;
      base: string;
      body?: string | null;
      draft?: boolean;
    },
    author: Identity,
  ): PullRecord {
    const head = parseHead(repo, options.head);
    // the base repository itself, or its fork owned by `owner`
    const source = [repo, this.repo(head.owner, repo.name)].find(
      candidate =>
        candidate?.owner.toLowerCase() === head.owner.toLowerCase() &&
        (candidate === repo || candidate.forkOf === repo),
    );
    const headSha = source?.git.branch(head.ref);
    const baseSha = repo.git.branch(options.base);
    const invalid = (error: Parameters<typeof unprocessable>[1]) =>
      unprocessable('PullRequest', error);
    if (!source || !headSha || !baseSha)
      throw invalid({ field: headSha ? 'base' : 'head', code: 'invalid' });
    if (options.title.trim() === '')
      throw invalid({ field: 'title', code: 'missing_field' });
    const label = `${source.owner}:${head.ref}`;
    const duplicate = repo.pulls.some(
      pull =>
        pull.state === 'open' &&
        pull.base.ref === options.base &&
        isFrom(pull, label),
    );
    if (duplicate)
      throw invalid({
        code: 'custom',
        message: `A pull request already exists for ${label}.`,
      });
    if (repo.git.isAncestor(headSha, baseSha))
      throw invalid({
        code: 'custom',
        message: `No commits between ${options.base} and ${head.ref}`,
      });
    const stamp = this.timestamp();
    const pull: PullRecord = {
      id: this.nextId++,
      number: repo.pulls.length + 1,
      title: options.title,
      body: options.body ?? null,
      state: 'open',
      draft: options.draft ?? false,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: null,
      closed_at: null,
      created_at: stamp,
      updated_at: stamp,
      user: author,
      head: { repo: source, ref: head.ref, sha: headSha },
      base: { repo, ref: options.base, sha: baseSha },
      labels: [],
      requested_reviewers: [],
      requested_teams: [],
    };
    repo.pulls.push(pull);
    this.emit('event', { kind: 'pull_request', repo, pull, action: 'opened' });
    return pull;
  }

  /**
   * Merges as GitHub's merge button does (a merge commit; 405 when it conflicts, 409 when the head
   * is not `expected.sha`); returns the merge commit.
   */
  mergePull(pull: PullRecord, expected: { sha?: string }, actor: Identity) {
    const { head, base } = pull;
    const merged =
      pull.state === 'open' && !pull.draft
        ? base.repo.git.merge(base.sha, head.sha)
        : undefined;
    if (!merged?.ok) throw new ApiError(405, 'Pull Request is not mergeable');
    if (expected.sha !== undefined && expected.sha !== head.sha)
      throw new ApiError(
        409,
        'Head branch was modified. Review and try the merge again.',
      );
    const who = this.identity(actor);
    const sha = base.repo.git.writeCommit({
      tree: merged.tree,
      parents: [base.sha, head.sha],
      author: who,
      committer: who,
      message: `Merge pull request #${pull.number} from ${head.repo.owner}/${head.ref}\n\n${pull.title}`,
    });
    this.closePull(pull, { sha, by: actor });
    return sha;
  }

  /** Closes an open pull request (its head and base stay where they are); a merge moves the base branch to its commit. */
  closePull(pull: PullRecord, merge?: { sha: string; by: Identity }): void {
    if (pull.state !== 'open') return;
    const stamp = this.timestamp();
    Object.assign(
      pull,
      { state: 'closed', closed_at: stamp, updated_at: stamp },
      merge && {
        merged_at: stamp,
        merged_by: merge.by,
        merge_commit_sha: merge.sha,
      },
    );
    const repo = pull.base.repo;
    if (merge) this.moveRef(repo, `refs/heads/${pull.base.ref}`, merge.sha);
    this.emit('event', { kind: 'pull_request', repo, pull, action: 'closed' });
  }
}
