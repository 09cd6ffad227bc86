import {
  ChangeConflictError,
  changeEnvironmentInRepository,
  clusterPaths,
  describeChange,
  environmentBranch,
  EnvironmentRequestError,
  formatConflict,
  formatIssue,
  PULL_REQUEST_BRANCH_PREFIX,
  show,
  StoredRequestError,
} from '@aks-gitops/plugin-aks-gitops-common';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  createGithubClient,
  githubToken,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  checkAllowedRepository,
  type AllowedRepositories,
} from '../allowedRepositories';
import {
  changePullRequestBody,
  changePullRequestTitle,
} from '../changePullRequestBody';
import { environmentInput, parseEnvironmentInput } from '../environmentInput';
import { publishPullRequest } from '../publishPullRequest';
import { readRepositoryFiles } from '../repositoryFiles';
import { gitopsRepositoryOf, withGitopsRepository } from '../repoUrl';
import { requestHash, requestMark } from '../requestMark';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './changeEnvironment.examples';

export const CHANGE_ENVIRONMENT_ACTION_ID = 'aks-gitops:environment:change';

export interface ChangeEnvironmentActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  credentialsProvider?: GithubCredentialsProvider;
  allowedRepositories: AllowedRepositories;
  retryPolicy?: RetryPolicy;
}

/** The change core's refusals as the scaffolder shows them: one line per problem. */
function changeOf(files: Record<string, string>, environment: unknown) {
  try {
    return changeEnvironmentInRepository(files, environment);
  } catch (error) {
    if (error instanceof EnvironmentRequestError)
      throw new InputError(
        error.issues.map(i => `environment.${formatIssue(i)}`).join('\n'),
      );
    if (error instanceof ChangeConflictError)
      throw new ConflictError(error.conflicts.map(formatConflict).join('\n'));
    if (error instanceof StoredRequestError)
      throw new InputError(error.message);
    throw error;
  }
}

/**
 * Opens (or, on a re-run, updates) the pull request that changes an existing environment: one
 * commit holding only the files that change, as YAML edits of the repository's own files, on the
 * change's own branch `aks-gitops/<cluster>.change-<id>` (id: the new request's hash).
 */
export function createChangeEnvironmentAction(
  options: ChangeEnvironmentActionOptions,
) {
  const {
    integrations,
    config,
    credentialsProvider,
    allowedRepositories,
    retryPolicy,
  } = options;
  const requireUserToken =
    config.getOptionalBoolean('scaffolder.requireScmUserCredentials') ?? false;
  const appBaseUrl = config.getOptionalString('app.baseUrl');
  return createTemplateAction({
    id: CHANGE_ENVIRONMENT_ACTION_ID,
    description:
      'Opens a pull request on GitHub changing an existing AKS environment from its stored request (clusters/<name>/aks-gitops-request.yaml on the base branch) to the given one: one commit with only the changed files, edited in place (comments and hand edits elsewhere kept), on aks-gitops/<cluster>.change-<id>; the same pull request on a re-run of the same request. Only add-ons, Kubernetes version (one minor version at a time), node pool size, workloads, owner and system may change. Same trust rules as aks-gitops:pull-request:open.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The GitOps repository, as RepoUrlPicker writes it: github.com?owner=acme&repo=app-project-env',
            ),
        environment: environmentInput,
        draft: z =>
          z.boolean().optional().describe('Open the pull request as a draft'),
        token: z =>
          z
            .string()
            .optional()
            .describe(
              "The user's own GitHub token; default: the integration's credentials",
            ),
      },
      output: {
        pullRequestUrl: z => z.string().describe('The pull request on GitHub'),
        pullRequestNumber: z => z.number().describe('The pull request number'),
        branchName: z => z.string().describe('The branch holding the commit'),
        changes: z =>
          z.array(z.string()).describe('The typed diff, one line per change'),
        files: z =>
          z
            .array(z.string())
            .describe('The changed files (" (deleted)" for a removed one)'),
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const repository = gitopsRepositoryOf(ctx.input.repoUrl, integrations);
        const { host, owner, repo } = repository;
        const target = { host, owner, repo };
        const environment = withGitopsRepository(
          ctx.input.environment,
          repository,
        );
        const request = parseEnvironmentInput(environment);
        checkAllowedRepository(allowedRepositories, target);
        const base = request.gitopsRepo.revision;
        if (base.startsWith(PULL_REQUEST_BRANCH_PREFIX))
          throw new InputError(
            `environment.gitopsRepo.revision: must be the branch Argo CD syncs, not a pull request branch of aks-gitops (${PULL_REQUEST_BRANCH_PREFIX}...), but it is ${show(base)}`,
          );
        const { token, apiBaseUrl } = await githubToken({
          integrations,
          credentialsProvider,
          target,
          userToken: ctx.input.token,
          requireUserToken,
        });
        const client = createGithubClient({
          token,
          baseUrl: apiBaseUrl,
          logger: ctx.logger,
          retryPolicy,
        });
        const githubTarget = { ...target, apiBaseUrl };
        // Only the environment's folders: what the change reads and edits.
        const folders = clusterPaths(
          request.gitopsRepo.managementPath,
          request.cluster.name,
        );
        const current = await readRepositoryFiles(client, githubTarget, base, [
          folders.clusterDir,
          folders.managementDir,
        ]);
        const result = changeOf(current.files, request);
        if (result.changes.length === 0)
          throw new InputError(
            `environment: must change something, but it is the stored request of ${request.cluster.name} on ${base}`,
          );
        const cluster = request.cluster.name;
        const branch = environmentBranch(
          cluster,
          'change',
          requestHash(result.request).slice(0, 12),
        );
        const changes = result.changes.map(describeChange);
        const files = Object.entries(result.files).map(
          ([path, text]) => `${path}${text === null ? ' (deleted)' : ''}`,
        );
        ctx.output('changes', changes);
        ctx.output('files', files);
        ctx.output('branchName', branch);
        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would open a pull request from ${branch} into ${base} of ${owner}/${repo}: ${changes.join('; ')}; files: ${files.join(', ')}`,
          );
          ctx.output(
            'pullRequestUrl',
            `https://${host}/${owner}/${repo}/pulls`,
          );
          ctx.output('pullRequestNumber', 0);
          return;
        }
        const title = changePullRequestTitle(result);
        const written: Record<string, string> = {};
        const deletions: string[] = [];
        for (const [path, text] of Object.entries(result.files)) {
          if (text === null) deletions.push(path);
          else written[path] = text;
        }
        const { clusterDir, managementDir } = clusterPaths(
          request.gitopsRepo.managementPath,
          cluster,
        );
        const pull = await publishPullRequest({
          client,
          target: githubTarget,
          checkpoint: ctx.checkpoint,
          logger: ctx.logger,
          base,
          branch,
          cluster,
          files: written,
          deletions,
          environmentFolders: {
            cluster: clusterDir,
            management: managementDir,
          },
          existingEnvironment: true,
          commitMessage: `${title}\n\n${changes.join('\n')}`,
          mark: requestMark(result.request, ctx.task.id, ctx.user?.ref),
          title,
          body: changePullRequestBody({
            result,
            ...(appBaseUrl
              ? {
                  taskUrl: `${appBaseUrl.replace(/\/$/, '')}/create/tasks/${ctx.task.id}`,
                }
              : {}),
          }),
          draft: ctx.input.draft ?? false,
          labels: [],
          reviewers: [],
          teamReviewers: [],
        });
        ctx.logger.info(
          `${pull.created ? 'Opened' : 'Updated'} pull request #${pull.number}: ${pull.url}`,
        );
        ctx.output('pullRequestUrl', pull.url);
        ctx.output('pullRequestNumber', pull.number);
      }),
  });
}
