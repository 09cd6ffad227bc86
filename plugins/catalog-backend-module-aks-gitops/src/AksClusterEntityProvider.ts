import {
  CLUSTER_PROVIDERS_CONFIG_KEY,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  createGithubClient,
  githubToken,
  parseRepositoryUrl,
  repositoryKey,
  type GithubClient,
  type GithubTarget,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type LoggerService,
  type SchedulerService,
  type SchedulerServiceTaskScheduleDefinition,
  type SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ConfigReader, type Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
  type GithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import { clusterEntities, type ClusterProblem } from './clusterEntities';
import { Coalescer } from './coalesce';
import type { GithubChange } from './githubEvents';
import { GitopsRepository } from './gitopsRepository';

/**
 * One provider: its id, repository, branch, management cluster, and what it reads GitHub with.
 *
 * @public
 */
export interface AksClusterProviderOptions {
  id: string;
  /** The GitOps repository, e.g. https://github.com/acme/app-project-env. */
  repoUrl: string;
  /** Default: the repository's default branch. */
  branch?: string;
  /** Entity name of the management cluster; default: the repository's only control-plane cluster. */
  managementCluster?: string;
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  logger: LoggerService;
  taskRunner?: SchedulerServiceTaskRunner;
  retryPolicy?: RetryPolicy;
  /**
   * Milliseconds a webhook waits for others before the read they all share (default
   * DEFAULT_COALESCE_MS): a flood of webhooks makes one read per window.
   */
  coalesceMs?: number;
}

/** The window over which webhooks share one read of the repository. */
export const DEFAULT_COALESCE_MS = 2000;

/**
 * A provider's schedule when its config gives none, or the fields it leaves out. Every 30 minutes:
 * a fallback, since GitHub's webhooks (githubEvents.ts) trigger the reads that matter; was 5
 * minutes before webhooks. (Backstage's
 * GitHub provider takes a whole schedule or its default, catalog-backend-module-github 0.14.0
 * GithubEntityProviderConfig.ts; here a partial one is filled from this.)
 */
export const DEFAULT_PROVIDER_SCHEDULE = {
  frequency: { minutes: 30 },
  timeout: { minutes: 3 },
};

/** Backstage's reading of a schedule, its error (which names only the field within) prefixed with the provider's key. */
function readSchedule(
  schedule: JsonObject,
  key: string,
): SchedulerServiceTaskScheduleDefinition {
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      new ConfigReader(schedule),
    );
  } catch (error) {
    throw new Error(
      `${key}: must be a task schedule (frequency, timeout, initialDelay, scope), but ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Keeps the catalog equal to the GitOps repository: clusters on its default branch are active,
 * those of its own open aks-gitops pull requests pending (rebuilt from what an unmerged file may
 * say), the rest removed. Refreshes on its schedule and whenever asked (the register action's
 * event).
 *
 * @public
 */
export class AksClusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly target: GithubTarget;
  private readonly repository: GitopsRepository;
  private readonly coalescer: Coalescer;
  /** Each cluster's owner as last read (kept after the cluster goes, to tell its owner). */
  private readonly owners = new Map<string, string>();

  static fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      scheduler?: SchedulerService;
      credentialsProvider?: GithubCredentialsProvider;
    },
  ): AksClusterEntityProvider[] {
    const integrations = ScmIntegrations.fromConfig(config);
    const credentialsProvider =
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    // catalog.providers.aksGitops.<id>, like catalog.providers.github.<id>; see config.d.ts.
    const providers = config.getOptionalConfig(CLUSTER_PROVIDERS_CONFIG_KEY);
    if (!providers) return [];
    return providers.keys().map(id => {
      const provider = providers.getConfig(id);
      const schedule = readSchedule(
        {
          ...DEFAULT_PROVIDER_SCHEDULE,
          ...provider.getOptionalConfig('schedule')?.get<JsonObject>(),
        },
        `${CLUSTER_PROVIDERS_CONFIG_KEY}.${id}.schedule`,
      );
      const branch = provider.getOptionalString('branch');
      const managementCluster = provider.getOptionalString('managementCluster');
      return new AksClusterEntityProvider({
        id,
        repoUrl: provider.getString('repoUrl'),
        ...(branch ? { branch } : {}),
        ...(managementCluster ? { managementCluster } : {}),
        integrations,
        credentialsProvider,
        logger: options.logger.child({ provider: `aks-gitops-clusters:${id}` }),
        ...(options.scheduler
          ? {
              taskRunner: options.scheduler.createScheduledTaskRunner(schedule),
            }
          : {}),
      });
    });
  }

  constructor(private readonly options: AksClusterProviderOptions) {
    const repository = parseRepositoryUrl(options.repoUrl);
    if (!repository)
      throw new Error(
        `${CLUSTER_PROVIDERS_CONFIG_KEY}.${options.id}.repoUrl: must be https://host/owner/repo, but it is ${options.repoUrl}`,
      );
    this.target = repository;
    this.repository = new GitopsRepository(
      () => this.client(),
      this.target,
      new URL(options.repoUrl).origin,
      options.branch,
    );
    this.coalescer = new Coalescer(
      options.coalesceMs ?? DEFAULT_COALESCE_MS,
      async () => {
        await this.refresh();
      },
    );
  }

  /** A read soon, shared with every other request within the window (Coalescer). */
  requestRefresh(): Promise<void> {
    return this.coalescer.request();
  }

  /** Whether a webhook's change concerns this provider: a push to the branch it reads, or a pull request of ours into it. */
  reactsTo(change: GithubChange): boolean {
    if (
      change.repository.toLowerCase() !==
      `${this.target.owner}/${this.target.repo}`.toLowerCase()
    )
      return false;
    const branch = this.options.branch ?? change.defaultBranch;
    return change.kind === 'push'
      ? change.branch === branch
      : change.base === branch;
  }

  /** The owner (entity reference) of a cluster this provider has read, even one gone since. */
  ownerOf(cluster: string): string | undefined {
    return this.owners.get(cluster);
  }

  getProviderName(): string {
    return `aks-gitops-clusters:${this.options.id}`;
  }

  /** Whether this provider watches the repository at `repoUrl`. */
  watches(repoUrl: string): boolean {
    return repositoryKey(repoUrl) === repositoryKey(this.options.repoUrl);
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  private async client(): Promise<GithubClient> {
    const { token, apiBaseUrl } = await githubToken({
      integrations: this.options.integrations,
      ...(this.options.credentialsProvider
        ? { credentialsProvider: this.options.credentialsProvider }
        : {}),
      target: this.target,
    });
    return createGithubClient({
      token,
      baseUrl: apiBaseUrl,
      logger: this.options.logger,
      ...(this.options.retryPolicy
        ? { retryPolicy: this.options.retryPolicy }
        : {}),
    });
  }

  /** Reads the repository and replaces this provider's entities with what it holds now. */
  async refresh(): Promise<{
    active: number;
    pending: number;
    problems: ClusterProblem[];
  }> {
    if (!this.connection)
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    const read = await this.repository.clusterFiles();
    const { entities, problems: fileProblems } = await clusterEntities(
      read.files,
      this.options.managementCluster,
      read.operations,
    );
    const problems = [...read.problems, ...fileProblems];
    for (const problem of problems) {
      this.options.logger.warn(
        `${problem.outcome === 'skipped' ? 'Skipped' : 'Trimmed'} ${this.options.repoUrl} ${problem.path}: ${problem.message}`,
      );
    }
    for (const entity of entities) {
      const owner = entity.spec?.owner;
      if (typeof owner === 'string')
        this.owners.set(entity.metadata.name, owner);
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    const pending = entities.filter(
      e => e.metadata.labels?.[STATE_LABEL] === 'pending',
    ).length;
    this.options.logger.info(
      `${entities.length - pending} active and ${pending} pending clusters from ${this.options.repoUrl}`,
    );
    return { active: entities.length - pending, pending, problems };
  }
}
