/**
 * One commit holding every file, on the environment's own branch, behind one pull request, in five
 * GitHub requests whatever the number of files: read (GraphQL), tree (inline contents), commit,
 * ref, pull request. Each step below is one GitHub side effect inside its own checkpoint, so a
 * retry of the task repeats none. The branch is written only when it is ours (its head commit
 * carries our mark) and only by a fast-forward; an open pull request is updated only by a re-run of
 * the request that opened it.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { REQUEST_TRAILER } from '@aks-gitops/plugin-aks-gitops-common';
import {
  explainedGithubCall,
  explainGithubError,
  isHttpError,
  type GithubClient,
  type GithubTarget,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  isSameRequest,
  readMark,
  withMark,
  type RequestMark,
} from './requestMark';

/**
 * The scaffolder's `ctx.checkpoint`: runs `fn` once per task and key, replaying its result on a retry.
 *
 * @public
 */
export type Checkpoint = <T extends JsonValue | void>(options: {
  key: string;
  fn: () => Promise<T> | T;
}) => Promise<T>;

/**
 * What publishPullRequest commits, where, and as whose request.
 *
 * @public
 */
export interface PublishOptions {
  client: GithubClient;
  target: GithubTarget;
  checkpoint: Checkpoint;
  logger: LoggerService;
  /** Branch the pull request merges into: the one Argo CD syncs. */
  base: string;
  /** The environment's branch (naming.ts `environmentBranch`): the only one written. */
  branch: string;
  cluster: string;
  /** Repository path → UTF-8 content. */
  files: Record<string, string>;
  /** Repository paths the commit deletes (a decommission phase). */
  deletions?: string[];
  /** Folders whose presence on `base` means the environment exists already. */
  environmentFolders: { cluster: string; management: string };
  /** The pull request changes an environment that exists (change, decommission): its folders on `base` are expected, not refused. */
  existingEnvironment?: boolean;
  /** The commit of `base` the files were computed from (edits of its files): refused when `base` has moved since, so no edit undoes a newer commit. */
  computedOn?: string;
  /** The commit message; our mark is appended as its trailers. */
  commitMessage: string;
  mark: RequestMark;
  author?: { name: string; email: string };
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
}

/** @public */
export interface PublishedPullRequest {
  number: number;
  url: string;
  branch: string;
  base: string;
  /** False when an open pull request of an earlier run was updated instead. */
  created: boolean;
}

/** The one read: base commit, the branch's head commit and open pull requests, whether the environment exists. */
const STATE_QUERY = `query AksGitopsPullRequestState($owner: String!, $repo: String!, $base: String!, $head: String!, $clusterFolder: String!, $managementFolder: String!) {
  repository(owner: $owner, name: $repo) {
    baseRef: ref(qualifiedName: $base) { target { oid ... on Commit { tree { oid } } } }
    headRef: ref(qualifiedName: $head) {
      target { oid ... on Commit { message tree { oid } parents(first: 2) { nodes { oid } } } }
      associatedPullRequests(states: [OPEN], first: 5) { nodes { number url baseRefName } }
    }
    clusterFolder: object(expression: $clusterFolder) { oid }
    managementFolder: object(expression: $managementFolder) { oid }
  }
}`;

interface StateResponse {
  repository: {
    baseRef: { target: { oid: string; tree: { oid: string } } } | null;
    headRef: {
      target: {
        oid: string;
        message: string;
        tree: { oid: string };
        parents: { nodes: Array<{ oid: string }> };
      };
      associatedPullRequests: {
        nodes: Array<{ number: number; url: string; baseRefName: string }>;
      };
    } | null;
    clusterFolder: { oid: string } | null;
    managementFolder: { oid: string } | null;
  } | null;
}

interface BranchHead {
  oid: string;
  tree: string;
  parents: string[];
  mark: RequestMark | undefined;
}

interface RepositoryState {
  baseCommit: { oid: string; tree: string };
  /** The environment's branch, or null when it does not exist yet. */
  head: BranchHead | null;
  /** Open pull requests from the branch (into any base). */
  openPulls: Array<{ number: number; url: string; baseRefName: string }>;
  existingFolders: string[];
}

/** A type, not an interface: a checkpoint's value must be JSON (an interface has no index signature). */
type PullRequest = {
  number: number;
  url: string;
  created: boolean;
};

/** The options plus what every step shares: the GitHub call wrapper and the checkpoint keys. */
interface Publish extends PublishOptions {
  github: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
  /** `aks-gitops.<step>.<owner>.<repo>.<branch>`, then `.<what it builds on>` when given. */
  key: (step: string, on?: string) => string;
}

/** @public */
export async function publishPullRequest(
  options: PublishOptions,
): Promise<PublishedPullRequest> {
  const { target, branch, base } = options;
  const run: Publish = {
    ...options,
    github: (operation, call) => explainedGithubCall(operation, target, call),
    key: (step, on) =>
      `aks-gitops.${step}.${target.owner}.${target.repo}.${branch}${on ? `.${on}` : ''}`,
  };

  const state = await readState(run);
  refuseExistingEnvironment(run, state);
  refuseMovedBase(run, state);
  refuseBranchNotOurs(run, state.head);
  refuseAnotherRequestsPullRequest(run, state);
  const tree = await createTree(run, state.baseCommit);
  if (isUpToDate(run, state, tree)) {
    run.logger.info(
      `Branch ${branch} already holds these files on top of ${base}`,
    );
  } else {
    const commit = await createCommit(run, tree, state);
    await writeBranch(run, state.head, commit, tree);
  }
  const pull = await openOrUpdatePullRequest(
    run,
    state.openPulls.find(p => p.baseRefName === base),
  );
  await labelPullRequest(run, pull.number);
  await requestReviewers(run, pull.number);
  return { ...pull, branch, base };
}

async function readState(run: Publish): Promise<RepositoryState> {
  const { owner, repo } = run.target;
  const operation = `read branch ${run.base}`;
  const { repository } = await run.github(operation, () =>
    run.client.graphql<StateResponse>(STATE_QUERY, {
      owner,
      repo,
      base: `refs/heads/${run.base}`,
      head: `refs/heads/${run.branch}`,
      // Fully qualified: a short `main:` could name a tag called main (issue 9 review, E3). Git
      // revision syntax, as others query GitHub (renovatebot/renovate, platform/github tests:
      // object(expression: "refs/heads/<branch>:<path>")).
      clusterFolder: `refs/heads/${run.base}:${run.environmentFolders.cluster}`,
      managementFolder: `refs/heads/${run.base}:${run.environmentFolders.management}`,
    }),
  );
  if (!repository?.baseRef) {
    throw explainGithubError(
      { status: 404, message: `Branch ${run.base} not found` },
      operation,
      run.target,
    );
  }
  const headRef = repository.headRef;
  const { cluster, management } = run.environmentFolders;
  return {
    baseCommit: {
      oid: repository.baseRef.target.oid,
      tree: repository.baseRef.target.tree.oid,
    },
    head: headRef && {
      oid: headRef.target.oid,
      tree: headRef.target.tree.oid,
      parents: headRef.target.parents.nodes.map(p => p.oid),
      mark: readMark(headRef.target.message),
    },
    openPulls: headRef?.associatedPullRequests.nodes ?? [],
    existingFolders: [
      repository.clusterFolder && cluster,
      repository.managementFolder && management,
    ].filter((f): f is string => Boolean(f)),
  };
}

function refuseExistingEnvironment(run: Publish, state: RepositoryState): void {
  if (!run.existingEnvironment && state.existingFolders.length > 0) {
    throw new ConflictError(
      `The environment already exists on ${run.base} of ${run.target.owner}/${run.target.repo} (${state.existingFolders.join(', ')}); choose another cluster name, or change the existing environment in a pull request of its own`,
    );
  }
}

/** Files edited from one commit of `base` must not be written on another: the edit could undo what came since. */
function refuseMovedBase(run: Publish, state: RepositoryState): void {
  if (run.computedOn === undefined || run.computedOn === state.baseCommit.oid)
    return;
  throw new ConflictError(
    `branch ${run.base} of ${run.target.owner}/${run.target.repo}: must not move while this task reads and edits its files, but it moved from ${run.computedOn.slice(0, 7)} to ${state.baseCommit.oid.slice(0, 7)} meanwhile; run the task again`,
  );
}

/** A branch of our name that someone else wrote (or added a commit to) is never overwritten. */
function refuseBranchNotOurs(run: Publish, head: BranchHead | null): void {
  if (head && !head.mark) {
    throw new ConflictError(
      `branch ${run.branch} of ${run.target.owner}/${run.target.repo}: must hold only what aks-gitops wrote, but its head commit ${head.oid.slice(0, 7)} has no ${REQUEST_TRAILER} trailer (someone else pushed it); delete the branch or move that commit elsewhere, then run the task again`,
    );
  }
}

/** An open pull request is someone's request: only a re-run of that same request may change it. */
function refuseAnotherRequestsPullRequest(
  run: Publish,
  state: RepositoryState,
): void {
  const theirs = state.head?.mark;
  const pull = state.openPulls[0];
  if (!pull || !theirs || isSameRequest(theirs, run.mark)) return;
  throw new ConflictError(
    `environment.cluster.name: must not name a cluster with a pending request, but cluster ${run.cluster} is already requested in PR #${pull.number} by ${theirs.requester ?? 'a task without a user'} (${pull.url}); ask them to change that pull request, or close it and run this task again`,
  );
}

async function createTree(
  run: Publish,
  baseCommit: RepositoryState['baseCommit'],
): Promise<string> {
  const { owner, repo } = run.target;
  return run.checkpoint({
    key: run.key('tree', baseCommit.tree),
    fn: () =>
      run.github('create the tree of the environment files', async () => {
        const { data } = await run.client.rest.git.createTree({
          owner,
          repo,
          base_tree: baseCommit.tree,
          tree: [
            ...Object.entries(run.files).map(([path, content]) => ({
              path,
              mode: '100644' as const,
              type: 'blob' as const,
              content,
            })),
            // GitHub's create-a-tree: `sha: null` deletes the path from base_tree.
            ...(run.deletions ?? []).map(path => ({
              path,
              mode: '100644' as const,
              type: 'blob' as const,
              sha: null,
            })),
          ],
        });
        return data.sha;
      }),
  });
}

/** A retry after the branch was written finds these files, on this base, by this request and requester. */
function isUpToDate(
  run: Publish,
  state: RepositoryState,
  tree: string,
): boolean {
  const head = state.head;
  return (
    head !== null &&
    head.tree === tree &&
    head.parents.includes(state.baseCommit.oid) &&
    head.mark?.request === run.mark.request &&
    head.mark.requester === run.mark.requester
  );
}

/**
 * The commit's first parent is the base; on an existing branch its second parent is the head we
 * read and checked, so that writing the branch is a fast-forward, and the pull request still shows
 * only the environment's files (its merge base is the base commit).
 */
async function createCommit(
  run: Publish,
  tree: string,
  state: RepositoryState,
): Promise<string> {
  const { owner, repo } = run.target;
  const parents = state.head
    ? [state.baseCommit.oid, state.head.oid]
    : [state.baseCommit.oid];
  return run.checkpoint({
    key: run.key('commit', [tree, ...parents].join('-')),
    fn: () =>
      run.github('create the commit', async () => {
        const { data } = await run.client.rest.git.createCommit({
          owner,
          repo,
          message: withMark(run.commitMessage, run.mark),
          tree,
          parents,
          ...(run.author ? { author: run.author } : {}),
        });
        return data.sha;
      }),
  });
}

/**
 * Creates the branch, or fast-forwards it: never a force, so GitHub refuses (422) if anything was
 * pushed after our read, and nothing is lost. Losing that race to another run of the same request
 * that wrote the same files is fine; anything else is a conflict.
 */
async function writeBranch(
  run: Publish,
  head: BranchHead | null,
  commit: string,
  tree: string,
): Promise<void> {
  const { owner, repo } = run.target;
  await run.checkpoint({
    key: run.key('branch', commit),
    fn: async () => {
      const written = await run.github(
        `point branch ${run.branch} at the commit`,
        async () => {
          try {
            if (head === null) {
              await run.client.rest.git.createRef({
                owner,
                repo,
                ref: `refs/heads/${run.branch}`,
                sha: commit,
              });
            } else {
              await run.client.rest.git.updateRef({
                owner,
                repo,
                ref: `heads/${run.branch}`,
                sha: commit,
                force: false,
              });
            }
            return true;
          } catch (error) {
            if (isHttpError(error) && error.status === 422) return false;
            throw error;
          }
        },
      );
      if (!written) await acceptConcurrentWrite(run, tree);
    },
  });
}

/** The branch moved after our read: two more reads say whether a run of this same request moved it. */
async function acceptConcurrentWrite(
  run: Publish,
  tree: string,
): Promise<void> {
  const { owner, repo } = run.target;
  const current = await run.github(
    `read branch ${run.branch} again`,
    async () => {
      const { data: ref } = await run.client.rest.git.getRef({
        owner,
        repo,
        ref: `heads/${run.branch}`,
      });
      const { data: commit } = await run.client.rest.git.getCommit({
        owner,
        repo,
        commit_sha: ref.object.sha,
      });
      return {
        oid: commit.sha,
        tree: commit.tree.sha,
        mark: readMark(commit.message),
      };
    },
  );
  if (
    current.mark &&
    isSameRequest(current.mark, run.mark) &&
    current.tree === tree
  ) {
    run.logger.info(
      `Branch ${run.branch} was written with the same files by another run of this request`,
    );
    return;
  }
  throw new ConflictError(
    `branch ${run.branch} of ${owner}/${repo}: must not change while this task writes it, but it moved to ${current.oid.slice(0, 7)} meanwhile; run the task again`,
  );
}

/**
 * The checkpoint of an earlier attempt may name a pull request that was closed since (a retried
 * task whose pull request a reviewer closed meanwhile): the read above found no such open pull
 * request, so a recorded one other than the open one is stale and the step runs again under a key
 * that names it (`after-<n>`), which a further retry finds in turn.
 */
async function openOrUpdatePullRequest(
  run: Publish,
  openPull: { number: number; url: string } | undefined,
): Promise<PullRequest> {
  let key = run.key('pull-request');
  for (;;) {
    let ran = false;
    const pull = await run.checkpoint({
      key,
      fn: async () => {
        ran = true;
        return openOrUpdatePullRequestNow(run, openPull);
      },
    });
    if (ran || pull.number === openPull?.number) return pull;
    run.logger.info(
      `Pull request #${pull.number} of an earlier attempt is no longer open`,
    );
    key = run.key('pull-request', `after-${pull.number}`);
  }
}

async function openOrUpdatePullRequestNow(
  run: Publish,
  openPull: { number: number; url: string } | undefined,
): Promise<PullRequest> {
  const { owner, repo } = run.target;
  const { title, body } = run;
  return run.github('open the pull request', async () => {
    if (openPull) {
      await run.client.rest.pulls.update({
        owner,
        repo,
        pull_number: openPull.number,
        title,
        body,
      });
      return { number: openPull.number, url: openPull.url, created: false };
    }
    try {
      const { data } = await run.client.rest.pulls.create({
        owner,
        repo,
        head: run.branch,
        base: run.base,
        title,
        body,
        draft: run.draft,
      });
      return { number: data.number, url: data.html_url, created: true };
    } catch (error) {
      if (!isHttpError(error) || error.status !== 422) throw error;
      // A concurrent run of this request opened it first (the branch step made sure of whose branch it is): update that one.
      const { data: open } = await run.client.rest.pulls.list({
        owner,
        repo,
        head: `${owner}:${run.branch}`,
        base: run.base,
        state: 'open',
      });
      const existing = open[0];
      if (!existing) throw error;
      await run.client.rest.pulls.update({
        owner,
        repo,
        pull_number: existing.number,
        title,
        body,
      });
      return {
        number: existing.number,
        url: existing.html_url,
        created: false,
      };
    }
  });
}

async function labelPullRequest(
  run: Publish,
  pullNumber: number,
): Promise<void> {
  if (run.labels.length === 0) return;
  const { owner, repo } = run.target;
  await run.checkpoint({
    key: run.key(`labels-${pullNumber}`),
    fn: () =>
      run.github('label the pull request', async () => {
        await run.client.rest.issues.addLabels({
          owner,
          repo,
          issue_number: pullNumber,
          labels: run.labels,
        });
      }),
  });
}

async function requestReviewers(
  run: Publish,
  pullNumber: number,
): Promise<void> {
  if (run.reviewers.length === 0 && run.teamReviewers.length === 0) return;
  const { owner, repo } = run.target;
  await run.checkpoint({
    key: run.key(`reviewers-${pullNumber}`),
    fn: () =>
      run.github('request reviewers', async () => {
        await run.client.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: pullNumber,
          reviewers: run.reviewers,
          team_reviewers: run.teamReviewers,
        });
      }),
  });
}
