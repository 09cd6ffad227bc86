import {
  ChangeConflictError,
  changeEnvironmentInRepository,
  clusterEntityRef,
  clusterPaths,
  describeChange,
  environmentBranch,
  EnvironmentRequestError,
  formatConflict,
  formatIssue,
  StoredRequestError,
} from '@aks-gitops/plugin-aks-gitops-common';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
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
import {
  changePullRequestBody,
  changePullRequestTitle,
} from '../changePullRequestBody';
import { environmentInput, parseEnvironmentInput } from '../environmentInput';
import { publishPullRequest } from '../publishPullRequest';
import {
  checkBaseBranch,
  outputPullRequest,
  pullRequestInput,
  pullRequestOutput,
  readPullRequestSettings,
  reviewOptions,
  taskGithubClient,
  taskUrlOf,
  repoUrlInput,
} from '../pullRequestAction';
import { authorizeClusterOperation } from '../clusterPermission';
import { readRepositoryFiles } from '../repositoryFiles';
import { gitopsRepositoryOf, withGitopsRepository } from '../repoUrl';
import { requestHash, requestMark } from '../requestMark';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './changeEnvironment.examples';

/** @public */
export const CHANGE_ENVIRONMENT_ACTION_ID = 'aks-gitops:environment:change';

/** @public */
export interface ChangeEnvironmentActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  credentialsProvider?: GithubCredentialsProvider;
  /** The repositories it may write to (readAllowedRepositories, read once at start); anything else is refused. */
  allowedRepositories: AllowedRepositories;
  /** Asked whether the task's user may change the cluster (environmentChangePermission on its catalog entity). */
  permissions: PermissionsService;
  /** Retries and waits for GitHub errors; tests shorten the waits. */
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
 *
 * @public
 */
export function createChangeEnvironmentAction(
  options: ChangeEnvironmentActionOptions,
) {
  return changeEnvironmentAction(options, createGithubClient);
}

/** The action with the GitHub client it uses (tests give one with short waits). */
export function changeEnvironmentAction(
  options: ChangeEnvironmentActionOptions,
  createClient: (options: GithubClientOptions) => GithubClient,
) {
  const {
    integrations,
    config,
    credentialsProvider,
    allowedRepositories,
    permissions,
  } = options;
  const settings = readPullRequestSettings(config);
  return createTemplateAction({
    id: CHANGE_ENVIRONMENT_ACTION_ID,
    description:
      'Opens a pull request on GitHub changing an existing AKS environment from its stored request (clusters/<name>/aks-gitops-request.yaml on the base branch) to the given one: one commit with only the changed files, edited in place (comments and hand edits elsewhere kept), on aks-gitops/<cluster>.change-<id>; the same pull request on a re-run of the same request. Only add-ons, Kubernetes version (one minor version at a time), node pool size, workloads, owner and system may change. Same trust rules as aks-gitops:pull-request:open.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: repoUrlInput,
        environment: environmentInput,
        ...pullRequestInput,
      },
      output: {
        ...pullRequestOutput,
        changes: z =>
          z.array(z.string()).describe('The typed diff, one line per change'),
        files: z =>
          z
            .array(z.string())
            .describe('The changed files (" (deleted)" for a removed one)'),
        entityRef: z =>
          z
            .string()
            .describe(
              "The changed cluster's entity, e.g. resource:default/dev-cluster (the template's link to it)",
            ),
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const repository = gitopsRepositoryOf(ctx.input.repoUrl, integrations);
        const { host, owner, repo } = repository;
        const target = { host, owner, repo };
        const request = parseEnvironmentInput(
          withGitopsRepository(ctx.input.environment, repository),
        );
        checkAllowedRepository(allowedRepositories, target);
        await authorizeClusterOperation({
          permissions,
          operation: 'change',
          cluster: request.cluster.name,
          field: 'environment.cluster.name',
          credentials: await ctx.getInitiatorCredentials(),
        });
        const base = request.gitopsRepo.revision;
        checkBaseBranch(base, 'environment.gitopsRepo.revision');
        const { client, apiBaseUrl } = await taskGithubClient({
          integrations,
          credentialsProvider,
          target,
          userToken: ctx.input.token,
          settings,
          logger: ctx.logger,
          retryPolicy: options.retryPolicy,
          createClient,
        });
        const githubTarget = { ...target, apiBaseUrl };
        const cluster = request.cluster.name;
        // Only the environment's folders: what the change reads and edits.
        const { clusterDir, managementDir } = clusterPaths(
          request.gitopsRepo.managementPath,
          cluster,
        );
        const current = await readRepositoryFiles(client, githubTarget, base, [
          clusterDir,
          managementDir,
        ]);
        const result = changeOf(current.files, request);
        if (result.changes.length === 0)
          throw new InputError(
            `environment: must change something, but it is the stored request of ${cluster} on ${base}`,
          );
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
        ctx.output('entityRef', clusterEntityRef(cluster));
        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would open a pull request from ${branch} into ${base} of ${owner}/${repo}: ${changes.join('; ')}; files: ${files.join(', ')}`,
          );
          outputPullRequest(ctx.output, {
            url: `https://${host}/${owner}/${repo}/pulls`,
            number: 0,
            branch,
            base,
            created: false,
          });
          return;
        }
        const title = changePullRequestTitle(result);
        const written: Record<string, string> = {};
        const deletions: string[] = [];
        for (const [path, text] of Object.entries(result.files)) {
          if (text === null) deletions.push(path);
          else written[path] = text;
        }
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
          ...(settings.author ? { author: settings.author } : {}),
          title,
          body: changePullRequestBody({
            result,
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
