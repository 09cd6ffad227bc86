import {
  clusterEntityRef,
  clusterPaths,
  decommissionPlan,
  DecommissionRefusal,
  environmentBranch,
  PULL_REQUEST_BRANCH_PREFIX,
  show,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  CLUSTER_EVENTS_TOPIC,
  createGithubClient,
  type ClusterRegisteredEvent,
  type GithubClient,
  type GithubClientOptions,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  checkAllowedRepository,
  type AllowedRepositories,
} from '../allowedRepositories';
import {
  decommissionPullRequestBody,
  decommissionPullRequestTitle,
} from '../decommissionPullRequestBody';
import { publishPullRequest } from '../publishPullRequest';
import {
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
import { gitopsRepositoryOf } from '../repoUrl';
import { operationMark } from '../requestMark';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './decommissionEnvironment.examples';

/** @public */
export const DECOMMISSION_ENVIRONMENT_ACTION_ID =
  'aks-gitops:environment:decommission';

/** @public */
export interface DecommissionEnvironmentActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  catalog: CatalogService;
  /** When given, the catalog module is asked to read the repository now, so the cluster shows decommissioning in seconds. */
  events?: EventsService;
  credentialsProvider?: GithubCredentialsProvider;
  /** The repositories it may write to (readAllowedRepositories, read once at start). */
  allowedRepositories: AllowedRepositories;
  /** Asked whether the task's user may decommission the cluster (environmentDecommissionPermission on its catalog entity). */
  permissions: PermissionsService;
  retryPolicy?: RetryPolicy;
}

/** The cluster's name from its name or its entity reference `resource:default/<name>`. */
function clusterNameOf(input: string): string {
  if (!input.includes(':') && !input.includes('/')) return input;
  let ref;
  try {
    ref = parseEntityRef(input);
  } catch {
    ref = undefined;
  }
  if (
    ref?.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    ref.namespace !== 'default'
  )
    throw new InputError(
      `cluster: must be a cluster's name or its entity reference resource:default/<name>, but it is ${show(input)}`,
    );
  return ref.name;
}

/** @public */
export function createDecommissionEnvironmentAction(
  options: DecommissionEnvironmentActionOptions,
) {
  return decommissionEnvironmentAction(options, createGithubClient);
}

/** With the GitHub client given: tests pass one whose waits last milliseconds. Not exported from the package. */
export function decommissionEnvironmentAction(
  options: DecommissionEnvironmentActionOptions,
  createClient: (options: GithubClientOptions) => GithubClient,
) {
  const {
    integrations,
    config,
    catalog,
    events,
    credentialsProvider,
    allowedRepositories,
    permissions,
    retryPolicy,
  } = options;
  const settings = readPullRequestSettings(config);
  return createTemplateAction({
    id: DECOMMISSION_ENVIRONMENT_ACTION_ID,
    description: `Opens (or, on a re-run, updates) the pull request of the next phase of removing one AKS environment from the GitOps repository, in the order the stack can carry out (workloads and add-ons, bootstrap charts, the cluster in Azure, the namespace and catalog entry). The user repeats the cluster's name to confirm. Refused while catalog entities dependsOn the cluster, and for the management cluster while other clusters have files in the repository. Writes only its own branch ${PULL_REQUEST_BRANCH_PREFIX}<cluster>.decommission-<phase> of a repository of aksGitops.scaffolder.allowedRepositories.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: repoUrlInput,
        cluster: z =>
          z
            .string()
            .describe(
              "The cluster to decommission: its name, or its catalog entity reference resource:default/<name> (as the cluster page's link and an EntityPicker give it)",
            ),
        confirmation: z =>
          z
            .string()
            .describe(
              "The cluster's name typed again by the user: anything else is refused",
            ),
        targetBranchName: z =>
          z
            .string()
            .optional()
            .describe('The branch Argo CD syncs (default: main)'),
        ...pullRequestInput,
      },
      output: {
        ...pullRequestOutput,
        phase: z =>
          z
            .string()
            .describe(
              'The phase this pull request applies, e.g. "1 of 4: ..."',
            ),
        phasesRemaining: z =>
          z
            .number()
            .describe('How many phases remain after this one (0: the last)'),
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const cluster = clusterNameOf(ctx.input.cluster);
        const { confirmation } = ctx.input;
        const repository = gitopsRepositoryOf(ctx.input.repoUrl, integrations);
        const { host, owner, repo } = repository;
        const target = { host, owner, repo };
        checkAllowedRepository(allowedRepositories, target);
        if (confirmation !== cluster)
          throw new InputError(
            `confirmation: must repeat the cluster's name ${show(cluster)} exactly to confirm its decommission, but it is ${show(confirmation)}`,
          );
        const credentials = await ctx.getInitiatorCredentials();
        await authorizeClusterOperation({
          permissions,
          operation: 'decommission',
          cluster,
          field: 'cluster',
          credentials,
        });
        const base = ctx.input.targetBranchName ?? 'main';
        if (base.startsWith(PULL_REQUEST_BRANCH_PREFIX))
          throw new InputError(
            `targetBranchName: must be the branch Argo CD syncs, not a pull request branch of aks-gitops (${PULL_REQUEST_BRANCH_PREFIX}...), but it is ${show(base)}`,
          );

        // Who still needs the cluster: as the task's user sees the catalog.
        const entityRef = clusterEntityRef(cluster);
        const { items: dependents } = await catalog.getEntities(
          {
            filter: { 'relations.dependsOn': entityRef },
            fields: ['kind', 'metadata.namespace', 'metadata.name'],
          },
          { credentials },
        );
        if (dependents.length > 0)
          throw new ConflictError(
            `cluster: must have no catalog entity depending on it, but ${dependents
              .map(entity => stringifyEntityRef(entity))
              .sort()
              .join(
                ', ',
              )} ${dependents.length === 1 ? 'dependsOn' : 'depend on'} ${entityRef}; move or decommission ${dependents.length === 1 ? 'it' : 'them'} first`,
          );

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
        const { files, commit } = await readRepositoryFiles(
          client,
          { ...target, apiBaseUrl },
          base,
        );
        let plan;
        try {
          plan = decommissionPlan(files, cluster);
        } catch (error) {
          if (error instanceof DecommissionRefusal)
            throw new InputError(error.message);
          throw error;
        }
        const [phase, ...later] = plan.phases;
        if (phase === undefined)
          throw new Error('a decommission plan without phases');
        const branch = environmentBranch(
          cluster,
          'decommission',
          `${phase.number}-${phase.id}`,
        );
        const phaseText = `${phase.number} of ${phase.of}: ${phase.title}`;

        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would open a pull request from ${branch} into ${base} of ${owner}/${repo} for phase ${phaseText} (${phase.changes.length} file changes)`,
          );
          ctx.output(
            'pullRequestUrl',
            `https://${host}/${owner}/${repo}/pulls`,
          );
          ctx.output('pullRequestNumber', 0);
          ctx.output('branchName', branch);
          ctx.output('targetBranchName', base);
          ctx.output('created', false);
          ctx.output('phase', phaseText);
          ctx.output('phasesRemaining', later.length);
          return;
        }

        const title = decommissionPullRequestTitle(plan, phase);
        const paths = clusterPaths('', cluster);
        const pull = await publishPullRequest({
          client,
          target: { ...target, apiBaseUrl },
          checkpoint: ctx.checkpoint,
          logger: ctx.logger,
          base,
          branch,
          cluster,
          files: Object.fromEntries(
            phase.changes.flatMap(c =>
              c.content === null ? [] : [[c.path, c.content]],
            ),
          ),
          deletions: phase.changes
            .filter(c => c.content === null)
            .map(c => c.path),
          // The environment exists: that is what is being removed.
          environmentFolders: {
            cluster: paths.clusterDir,
            management: paths.clusterDir,
          },
          existingEnvironment: true,
          computedOn: commit,
          commitMessage: `${title}\n\nWritten by aks-gitops from the "Decommission an AKS environment" request.`,
          mark: operationMark(
            {
              operation: 'decommission',
              cluster,
              phase: phase.id,
              changes: phase.changes,
            },
            ctx.task.id,
            ctx.user?.ref,
          ),
          ...(settings.author ? { author: settings.author } : {}),
          title,
          body: decommissionPullRequestBody({
            plan,
            ...(ctx.user?.ref ? { requester: ctx.user.ref } : {}),
            ...taskUrlOf(settings, ctx.task.id),
          }),
          ...reviewOptions(ctx.input),
        });
        if (events) {
          const event: ClusterRegisteredEvent = {
            repoUrl: repository.url,
            clusterName: cluster,
          };
          await ctx.checkpoint({
            key: `aks-gitops.refresh.${cluster}.${pull.number}`,
            fn: () =>
              events.publish({
                topic: CLUSTER_EVENTS_TOPIC,
                eventPayload: event,
              }),
          });
        }
        ctx.logger.info(
          `${pull.created ? 'Opened' : 'Updated'} pull request #${pull.number} for phase ${phaseText}: ${pull.url}`,
        );
        outputPullRequest(ctx.output, pull);
        ctx.output('phase', phaseText);
        ctx.output('phasesRemaining', later.length);
      }),
  });
}
