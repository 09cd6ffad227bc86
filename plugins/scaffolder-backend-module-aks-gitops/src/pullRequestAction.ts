/**
 * What every action of ours that opens a pull request shares: the optional review inputs, the
 * pull-request outputs, the settings read once at start, and the GitHub client for a task.
 */
import {
  githubToken,
  type GithubClient,
  type GithubClientOptions,
  type GithubTarget,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  PULL_REQUEST_BRANCH_PREFIX,
  show,
} from '@aks-gitops/plugin-aks-gitops-common';
import { InputError } from '@backstage/errors';
import type { z as zod } from 'zod/v3';
import type { PublishedPullRequest } from './publishPullRequest';

/** The repository input of every action that writes, as RepoUrlPicker fills it. */
export const repoUrlInput = (z: typeof zod) =>
  z
    .string()
    .describe(
      'The GitOps repository, as RepoUrlPicker writes it: github.com?owner=acme&repo=app-project-env',
    );

/** The review inputs: draft, labels, reviewers, team reviewers, and the user's own token. */
export const pullRequestInput = {
  draft: (z: typeof zod) =>
    z.boolean().optional().describe('Open the pull request as a draft'),
  labels: (z: typeof zod) =>
    z
      .array(z.string())
      .optional()
      .describe('Labels to add to the pull request'),
  reviewers: (z: typeof zod) =>
    z.array(z.string()).optional().describe('Users asked to review'),
  teamReviewers: (z: typeof zod) =>
    z.array(z.string()).optional().describe('Teams (slugs) asked to review'),
  token: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        "The user's own GitHub token (RepoUrlPicker requestUserCredentials); default: the integration's credentials",
      ),
};

export const pullRequestOutput = {
  pullRequestUrl: (z: typeof zod) =>
    z.string().describe('The pull request on GitHub'),
  pullRequestNumber: (z: typeof zod) =>
    z.number().describe('The pull request number'),
  branchName: (z: typeof zod) =>
    z.string().describe('The branch holding the commit'),
  targetBranchName: (z: typeof zod) =>
    z.string().describe('The branch the pull request merges into'),
  created: (z: typeof zod) =>
    z
      .boolean()
      .describe(
        'False when an open pull request of an earlier run was updated',
      ),
};

/** Read once, when the module creates an action at start-up, not per task. */
export interface PullRequestSettings {
  requireUserToken: boolean;
  appBaseUrl?: string;
  author?: { name: string; email: string };
}

export function readPullRequestSettings(config: Config): PullRequestSettings {
  const appBaseUrl = config.getOptionalString('app.baseUrl');
  const name = config.getOptionalString('scaffolder.defaultAuthor.name');
  const email = config.getOptionalString('scaffolder.defaultAuthor.email');
  return {
    requireUserToken:
      config.getOptionalBoolean('scaffolder.requireScmUserCredentials') ??
      false,
    ...(appBaseUrl ? { appBaseUrl } : {}),
    ...(name && email ? { author: { name, email } } : {}),
  };
}

/** The task's page in the portal, for the pull request body, when app.baseUrl is set. */
export function taskUrlOf(
  settings: PullRequestSettings,
  taskId: string,
): { taskUrl?: string } {
  return settings.appBaseUrl
    ? {
        taskUrl: `${settings.appBaseUrl.replace(/\/$/, '')}/create/tasks/${taskId}`,
      }
    : {};
}

/** The review options of publishPullRequest from the action's inputs. */
export function reviewOptions(input: {
  draft?: boolean;
  labels?: string[];
  reviewers?: string[];
  teamReviewers?: string[];
}) {
  return {
    draft: input.draft ?? false,
    labels: input.labels ?? [],
    reviewers: input.reviewers ?? [],
    teamReviewers: input.teamReviewers ?? [],
  };
}

/** The GitHub client of a task: the user's token or the integration's credentials. */
export async function taskGithubClient(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  target: GithubTarget;
  userToken?: string;
  settings: PullRequestSettings;
  logger: LoggerService;
  retryPolicy?: RetryPolicy;
  createClient: (options: GithubClientOptions) => GithubClient;
}): Promise<{ client: GithubClient; apiBaseUrl: string }> {
  const { token, apiBaseUrl } = await githubToken({
    integrations: options.integrations,
    credentialsProvider: options.credentialsProvider,
    target: options.target,
    userToken: options.userToken,
    requireUserToken: options.settings.requireUserToken,
  });
  const client = options.createClient({
    token,
    baseUrl: apiBaseUrl,
    logger: options.logger,
    retryPolicy: options.retryPolicy,
  });
  return { client, apiBaseUrl };
}

/** Writes the pull-request outputs. */
export function outputPullRequest(
  output: (
    name: keyof typeof pullRequestOutput,
    value: string | number | boolean,
  ) => void,
  pull: PublishedPullRequest,
): void {
  output('pullRequestUrl', pull.url);
  output('pullRequestNumber', pull.number);
  output('branchName', pull.branch);
  output('targetBranchName', pull.base);
  output('created', pull.created);
}

/** The base branch of a pull request must be the one Argo CD syncs, never a branch of ours; `field` names where it came from. */
export function checkBaseBranch(base: string, field: string): void {
  if (base.startsWith(PULL_REQUEST_BRANCH_PREFIX))
    throw new InputError(
      `${field}: must be the branch Argo CD syncs, not a pull request branch of aks-gitops (${PULL_REQUEST_BRANCH_PREFIX}...), but it is ${show(base)}`,
    );
}
