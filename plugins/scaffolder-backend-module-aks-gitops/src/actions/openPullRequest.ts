import {
  clusterPaths,
  environmentBranch,
  PULL_REQUEST_BRANCH_PREFIX,
  renderEnvironment,
  show,
} from '@aks-gitops/plugin-aks-gitops-common';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseEnvironmentInput, environmentInput } from '../environmentInput';
import {
  createGithubClient,
  type GithubClient,
  type GithubClientOptions,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  checkAllowedRepository,
  type AllowedRepositories,
} from '../allowedRepositories';
import { publishPullRequest } from '../publishPullRequest';
import {
  outputPullRequest,
  pullRequestInput,
  pullRequestOutput,
  readPullRequestSettings,
  reviewOptions,
  taskGithubClient,
  taskUrlOf,
  checkBaseBranch,
  repoUrlInput,
} from '../pullRequestAction';
import { pullRequestBody, pullRequestTitle } from '../pullRequestBody';
import { gitopsRepositoryOf, withGitopsRepository } from '../repoUrl';
import { requestMark } from '../requestMark';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './openPullRequest.examples';

/** @public */
export const OPEN_PULL_REQUEST_ACTION_ID = 'aks-gitops:pull-request:open';

/** @public */
export interface OpenPullRequestActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  credentialsProvider?: GithubCredentialsProvider;
  /** The repositories it may write to (readAllowedRepositories, read once at start); anything else is refused. */
  allowedRepositories: AllowedRepositories;
  /** Retries and waits for GitHub errors (default: at most 4 retries, never a wait over 60 s). */
  retryPolicy?: RetryPolicy;
}

/**
 * Opens (or, on a re-run, updates) the pull request that adds one environment to the GitOps
 * repository: every rendered file in one commit, in at most five GitHub requests.
 *
 * @public
 */
export function createOpenPullRequestAction(
  options: OpenPullRequestActionOptions,
) {
  return openPullRequestAction(options, createGithubClient);
}

/**
 * createOpenPullRequestAction with the GitHub client it uses given: tests pass one whose waits
 * last milliseconds (createTestGithubClient). Not exported from the package.
 */
export function openPullRequestAction(
  options: OpenPullRequestActionOptions,
  createClient: (options: GithubClientOptions) => GithubClient,
) {
  const {
    integrations,
    config,
    credentialsProvider,
    allowedRepositories,
    retryPolicy,
  } = options;
  // Read once, when the module creates the action at start-up, not per task.
  const settings = readPullRequestSettings(config);
  return createTemplateAction({
    id: OPEN_PULL_REQUEST_ACTION_ID,
    description:
      "Opens a pull request on GitHub adding the rendered GitOps files of an AKS environment: one commit on the branch aks-gitops/<cluster name>, at most five GitHub requests, the same branch and pull request on every re-run of the same request. Writes only repositories of aksGitops.scaffolder.allowedRepositories, only its own branch (never one someone else pushed to, never by force), and never another request's open pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: repoUrlInput,
        environment: environmentInput,
        branchName: z =>
          z
            .string()
            .optional()
            .describe(
              `Branch of the pull request: always ${PULL_REQUEST_BRANCH_PREFIX}<cluster name>, the only branch this action writes; any other value is refused (leave it out)`,
            ),
        title: z =>
          z
            .string()
            .optional()
            .describe(
              'Pull request title (default: "Create AKS environment <name> (<environment>, <region>)")',
            ),
        ...pullRequestInput,
      },
      output: {
        ...pullRequestOutput,
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const repository = gitopsRepositoryOf(ctx.input.repoUrl, integrations);
        const { host, owner, repo } = repository;
        const target = { host, owner, repo };
        // The pull request goes to the repository the rendered files tell Argo CD to watch.
        const request = parseEnvironmentInput(
          withGitopsRepository(ctx.input.environment, repository),
        );
        checkAllowedRepository(allowedRepositories, target);
        const branch = environmentBranch(request.cluster.name);
        if (
          ctx.input.branchName !== undefined &&
          ctx.input.branchName !== branch
        ) {
          throw new InputError(
            `branchName: must be ${branch}, the only branch this action writes for cluster ${request.cluster.name} (leave it out), but it is ${show(ctx.input.branchName)}`,
          );
        }
        const base = request.gitopsRepo.revision;
        checkBaseBranch(base, 'environment.gitopsRepo.revision');
        const { files } = renderEnvironment(request);
        const paths = clusterPaths(
          request.gitopsRepo.managementPath,
          request.cluster.name,
        );

        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would open a pull request from ${branch} into ${base} of ${owner}/${repo} with ${Object.keys(files).length} files`,
          );
          ctx.output(
            'pullRequestUrl',
            `https://${host}/${owner}/${repo}/pulls`,
          );
          ctx.output('pullRequestNumber', 0);
          ctx.output('branchName', branch);
          ctx.output('targetBranchName', base);
          ctx.output('created', false);
          return;
        }

        const { client, apiBaseUrl } = await taskGithubClient({
          integrations,
          credentialsProvider,
          target,
          userToken: ctx.input.token,
          settings,
          logger: ctx.logger,
          retryPolicy,
          createClient,
        });
        const title = ctx.input.title ?? pullRequestTitle(request);

        const pull = await publishPullRequest({
          client,
          target: { ...target, apiBaseUrl },
          checkpoint: ctx.checkpoint,
          logger: ctx.logger,
          base,
          branch,
          cluster: request.cluster.name,
          files,
          environmentFolders: {
            cluster: paths.clusterDir,
            management: paths.managementDir,
          },
          commitMessage: `${title}\n\nRendered by aks-gitops from the "New AKS environment" request.`,
          mark: requestMark(request, ctx.task.id, ctx.user?.ref),
          ...(settings.author ? { author: settings.author } : {}),
          title,
          body: pullRequestBody({
            request,
            files: Object.keys(files),
            ...taskUrlOf(settings, ctx.task.id),
          }),
          ...reviewOptions(ctx.input),
        });
        ctx.logger.info(
          `${pull.created ? 'Opened' : 'Updated'} pull request #${pull.number}: ${pull.url}`,
        );
        outputPullRequest(ctx.output, pull);
      }),
  });
}
