/**
 * Test helper: what a contributor does with GitHub's REST API (Octokit against the GitHub
 * stand-in), not through our portal.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  REQUEST_TRAILER,
  TASK_TRAILER,
} from '@aks-gitops/plugin-aks-gitops-common';
import { createGithubClient } from '@aks-gitops/plugin-aks-gitops-node';
import { mockServices } from '@backstage/backend-test-utils';

export interface ContributorPullOptions {
  token: string;
  /** The repository the pull request goes into (its default branch `main`). */
  owner: string;
  repo: string;
  /** Whose copy of the repository the branch is pushed to: `owner` itself, or a fork's owner (`<forkOwner>/<repo>`). */
  headOwner: string;
  branch: string;
  files: Record<string, string>;
  /** The commit message (default `Update <branch>`, without our trailers). */
  message?: string;
}

/**
 * A commit message with our request trailers, as withMark writes them, typed by hand: what a
 * contributor who may push can forge (only the ruleset on aks-gitops/** stops that; README,
 * Security model). Tests about what the catalog takes from a pending file use it to get past the
 * trailer check.
 */
export function forgedRequestMessage(subject: string): string {
  return `${subject}\n\n${REQUEST_TRAILER}: ${'ab'.repeat(32)}\n${TASK_TRAILER}: forged-task\n`;
}

/** A commit with `files` on a new `branch` of `headOwner`'s copy of the repository, then a pull request into `main`. */
export async function contributorPull(
  standin: GithubStandin,
  options: ContributorPullOptions,
): Promise<{ number: number; url: string }> {
  const {
    token,
    owner,
    repo,
    headOwner,
    branch,
    files,
    message = `Update ${branch}`,
  } = options;
  const github = createGithubClient({
    token,
    baseUrl: standin.apiBaseUrl,
    logger: mockServices.logger.mock(),
  });
  const copy = { owner: headOwner, repo };
  const { data: main } = await github.rest.git.getRef({
    ...copy,
    ref: 'heads/main',
  });
  const { data: base } = await github.rest.git.getCommit({
    ...copy,
    commit_sha: main.object.sha,
  });
  const { data: tree } = await github.rest.git.createTree({
    ...copy,
    base_tree: base.tree.sha,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644' as const,
      type: 'blob' as const,
      content,
    })),
  });
  const { data: commit } = await github.rest.git.createCommit({
    ...copy,
    message,
    tree: tree.sha,
    parents: [main.object.sha],
  });
  await github.rest.git.createRef({
    ...copy,
    ref: `refs/heads/${branch}`,
    sha: commit.sha,
  });
  const head = headOwner === owner ? branch : `${headOwner}:${branch}`;
  const { data: pull } = await github.rest.pulls.create({
    owner,
    repo,
    head,
    base: 'main',
    title: `Update ${branch}`,
  });
  return { number: pull.number, url: pull.html_url };
}
