/**
 * One commit holding every file, on a branch of its own, behind one pull request, in five GitHub
 * requests whatever the number of files: read (GraphQL), tree (inline contents), commit, ref,
 * pull request. Re-runs and retries update the same branch and the same open pull request.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { explainGithubError, isHttpError, type GithubClient, type GithubTarget } from '@aks-gitops/plugin-aks-gitops-node';

export type Checkpoint = <T extends JsonValue | void>(options: { key: string; fn: () => Promise<T> | T }) => Promise<T>;

export interface PublishOptions {
  client: GithubClient;
  target: GithubTarget;
  checkpoint: Checkpoint;
  logger: LoggerService;
  /** Branch the pull request merges into: the one Argo CD syncs. */
  base: string;
  branch: string;
  /** Repository path → UTF-8 content. */
  files: Record<string, string>;
  /** Folders whose presence on `base` means the environment exists already. */
  environmentFolders: { cluster: string; management: string };
  commitMessage: string;
  author?: { name: string; email: string };
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
}

export interface PublishedPullRequest {
  number: number;
  url: string;
  branch: string;
  base: string;
  /** False when an open pull request of an earlier run was updated instead. */
  created: boolean;
}

/** The one read: base and head commits, the open pull request, and whether the environment exists. */
const STATE_QUERY = `query AksGitopsPullRequestState($owner: String!, $repo: String!, $base: String!, $head: String!, $clusterFolder: String!, $managementFolder: String!) {
  repository(owner: $owner, name: $repo) {
    baseRef: ref(qualifiedName: $base) { target { oid ... on Commit { tree { oid } } } }
    headRef: ref(qualifiedName: $head) {
      target { oid ... on Commit { tree { oid } parents(first: 2) { nodes { oid } } } }
      associatedPullRequests(states: [OPEN], first: 1) { nodes { number url } }
    }
    clusterFolder: object(expression: $clusterFolder) { oid }
    managementFolder: object(expression: $managementFolder) { oid }
  }
}`;

interface StateResponse {
  repository: {
    baseRef: { target: { oid: string; tree: { oid: string } } } | null;
    headRef: {
      target: { oid: string; tree: { oid: string }; parents: { nodes: Array<{ oid: string }> } };
      associatedPullRequests: { nodes: Array<{ number: number; url: string }> };
    } | null;
    clusterFolder: { oid: string } | null;
    managementFolder: { oid: string } | null;
  } | null;
}

export async function publishPullRequest(options: PublishOptions): Promise<PublishedPullRequest> {
  const { client, target, checkpoint, logger, base, branch } = options;
  const { owner, repo } = target;
  const key = (step: string) => `aks-gitops.${step}.${owner}.${repo}.${branch}`;
  const github = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw explainGithubError(error, operation, target);
    }
  };

  const state = await github(`read branch ${base}`, () =>
    client.graphql<StateResponse>(STATE_QUERY, {
      owner,
      repo,
      base: `refs/heads/${base}`,
      head: `refs/heads/${branch}`,
      clusterFolder: `${base}:${options.environmentFolders.cluster}`,
      managementFolder: `${base}:${options.environmentFolders.management}`,
    }),
  );
  const repository = state.repository;
  if (!repository?.baseRef) {
    throw explainGithubError({ status: 404, message: `Branch ${base} not found` }, `read branch ${base}`, target);
  }
  const { cluster, management } = options.environmentFolders;
  const existing = [repository.clusterFolder && cluster, repository.managementFolder && management].filter(Boolean);
  if (existing.length > 0) {
    throw new ConflictError(
      `The environment already exists on ${base} of ${owner}/${repo} (${existing.join(', ')}); choose another cluster name, or change the existing environment in a pull request of its own`,
    );
  }
  const baseCommit = repository.baseRef.target;
  const head = repository.headRef;

  const tree = await checkpoint({
    key: key('tree'),
    fn: () =>
      github('create the tree of the environment files', async () => {
        const { data } = await client.rest.git.createTree({
          owner,
          repo,
          base_tree: baseCommit.tree.oid,
          tree: Object.entries(options.files).map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content })),
        });
        return data.sha;
      }),
  });

  // A retry after the branch was already written finds it up to date: no new commit, no ref update.
  const upToDate = head !== null && head.target.tree.oid === tree && head.target.parents.nodes.map((p) => p.oid).join() === baseCommit.oid;
  if (upToDate) {
    logger.info(`Branch ${branch} already holds these files on top of ${base}`);
  } else {
    const commit = await checkpoint({
      key: key('commit'),
      fn: () =>
        github('create the commit', async () => {
          const { data } = await client.rest.git.createCommit({
            owner,
            repo,
            message: options.commitMessage,
            tree,
            parents: [baseCommit.oid],
            ...(options.author ? { author: options.author } : {}),
          });
          return data.sha;
        }),
    });
    await checkpoint({
      key: key('branch'),
      fn: () =>
        github(`point branch ${branch} at the commit`, async () => {
          if (head === null) {
            try {
              await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit });
              return;
            } catch (error) {
              // A concurrent run created it first: ours has the same files, take its place.
              if (!isHttpError(error) || error.status !== 422) throw error;
            }
          }
          await client.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit, force: true });
        }),
    });
  }

  const openPull = head?.associatedPullRequests.nodes[0];
  const pull = await checkpoint({
    key: key('pull-request'),
    fn: () =>
      github('open the pull request', async () => {
        if (openPull) {
          await client.rest.pulls.update({ owner, repo, pull_number: openPull.number, title: options.title, body: options.body });
          return { number: openPull.number, url: openPull.url, created: false };
        }
        try {
          const { data } = await client.rest.pulls.create({
            owner,
            repo,
            head: branch,
            base,
            title: options.title,
            body: options.body,
            draft: options.draft,
          });
          return { number: data.number, url: data.html_url, created: true };
        } catch (error) {
          if (!isHttpError(error) || error.status !== 422) throw error;
          // A concurrent run opened it first: update that one.
          const { data: open } = await client.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, base, state: 'open' });
          const existingPull = open[0];
          if (!existingPull) throw error;
          await client.rest.pulls.update({ owner, repo, pull_number: existingPull.number, title: options.title, body: options.body });
          return { number: existingPull.number, url: existingPull.html_url, created: false };
        }
      }),
  });

  if (options.labels.length > 0) {
    await checkpoint({
      key: key(`labels-${pull.number}`),
      fn: () =>
        github('label the pull request', async () => {
          await client.rest.issues.addLabels({ owner, repo, issue_number: pull.number, labels: options.labels });
        }),
    });
  }
  if (options.reviewers.length > 0 || options.teamReviewers.length > 0) {
    await checkpoint({
      key: key(`reviewers-${pull.number}`),
      fn: () =>
        github('request reviewers', async () => {
          await client.rest.pulls.requestReviewers({
            owner,
            repo,
            pull_number: pull.number,
            reviewers: options.reviewers,
            team_reviewers: options.teamReviewers,
          });
        }),
    });
  }
  return { ...pull, branch, base };
}
