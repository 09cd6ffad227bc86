import { STATE_LABEL } from '@aks-gitops/plugin-aks-gitops-common';
import { createGithubClient, githubToken, repositoryKey, type GithubClient, type GithubTarget, type RetryPolicy } from '@aks-gitops/plugin-aks-gitops-node';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type LoggerService,
  type SchedulerService,
  type SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { DefaultGithubCredentialsProvider, ScmIntegrations, type GithubCredentialsProvider, type ScmIntegrationRegistry } from '@backstage/integration';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { clusterEntities, type ClusterProblem } from './clusterEntities';
import { GitopsRepository } from './gitopsRepository';

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
}

/**
 * Keeps the catalog equal to the GitOps repository: clusters on its default branch are active,
 * those of its own open aks-gitops pull requests pending (rebuilt from what an unmerged file may
 * say), the rest removed. Refreshes on its schedule and whenever asked (the register action's
 * event).
 */
export class AksClusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly target: GithubTarget;
  private readonly repository: GitopsRepository;

  static fromConfig(
    config: Config,
    options: { logger: LoggerService; scheduler?: SchedulerService; credentialsProvider?: GithubCredentialsProvider },
  ): AksClusterEntityProvider[] {
    const integrations = ScmIntegrations.fromConfig(config);
    const credentialsProvider = options.credentialsProvider ?? DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    return (config.getOptionalConfigArray('aksGitops.catalog.providers') ?? []).map((provider) => {
      const id = provider.getString('id');
      const schedule = provider.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(provider.getConfig('schedule'))
        : { frequency: { minutes: 5 }, timeout: { minutes: 3 } };
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
        ...(options.scheduler ? { taskRunner: options.scheduler.createScheduledTaskRunner(schedule) } : {}),
      });
    });
  }

  constructor(private readonly options: AksClusterProviderOptions) {
    const url = new URL(options.repoUrl);
    const [owner, repo] = url.pathname.replace(/^\//, '').replace(/\.git$/, '').split('/');
    if (!owner || !repo) throw new Error(`aksGitops.catalog.providers[${options.id}].repoUrl must be https://host/owner/repo, but it is ${options.repoUrl}`);
    this.target = { host: url.host, owner, repo };
    this.repository = new GitopsRepository(() => this.client(), this.target, url.origin, options.branch);
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
      ...(this.options.credentialsProvider ? { credentialsProvider: this.options.credentialsProvider } : {}),
      target: this.target,
    });
    return createGithubClient({ token, baseUrl: apiBaseUrl, logger: this.options.logger, ...(this.options.retryPolicy ? { retryPolicy: this.options.retryPolicy } : {}) });
  }

  /** Reads the repository and replaces this provider's entities with what it holds now. */
  async refresh(): Promise<{ active: number; pending: number; problems: ClusterProblem[] }> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    const read = await this.repository.clusterFiles();
    const { entities, problems: fileProblems } = await clusterEntities(read.files, this.options.managementCluster);
    const problems = [...read.problems, ...fileProblems];
    for (const problem of problems) {
      this.options.logger.warn(`${problem.outcome === 'skipped' ? 'Skipped' : 'Trimmed'} ${this.options.repoUrl} ${problem.path}: ${problem.message}`);
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map((entity) => ({ entity, locationKey: this.getProviderName() })),
    });
    const pending = entities.filter((e) => e.metadata.labels?.[STATE_LABEL] === 'pending').length;
    this.options.logger.info(`${entities.length - pending} active and ${pending} pending clusters from ${this.options.repoUrl}`);
    return { active: entities.length - pending, pending, problems };
  }
}
