import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import type { GithubStandin } from '@aks-gitops/github-standin';
import type { Entity } from '@backstage/catalog-model';
import { environmentDecommissionPermission } from '@aks-gitops/plugin-aks-gitops-node';
import { mockServices } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import { actionContext } from '../testing/actionContext';
import {
  environmentFor,
  FAST_RETRIES,
  fastGithubClient,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  startSeededStandin,
} from '../testing/standin';
import { readAllowedRepositories } from '../allowedRepositories';
import {
  createDecommissionEnvironmentAction,
  decommissionEnvironmentAction,
} from './decommissionEnvironment';

type DecommissionAction = ReturnType<
  typeof createDecommissionEnvironmentAction
>;

let standin: GithubStandin;
let seeded: Record<string, string>;
let permissions: PermissionsService;
beforeEach(async () => {
  standin = await startSeededStandin();
  permissions = mockServices.permissions();
  seeded = Object.fromEntries(standin.files(OWNER, REPO, 'main'));
  // dev-cluster (mode new, with a workload) merged on main.
  standin.commitFiles(OWNER, REPO, {
    branch: 'main',
    files: renderEnvironment(environmentFor(standin)).files,
    message: 'Create AKS environment dev-cluster',
  });
});
afterEach(() => standin.close());

function action(
  entities: Entity[] = [],
  events?: EventsService,
  createClient = fastGithubClient,
) {
  const config = standinConfig(standin);
  return decommissionEnvironmentAction(
    {
      integrations: standinIntegrations(standin),
      config,
      catalog: catalogServiceMock({ entities }),
      ...(events ? { events } : {}),
      allowedRepositories: readAllowedRepositories(config),
      permissions,
      retryPolicy: FAST_RETRIES,
    },
    createClient,
  );
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
    cluster: 'dev-cluster',
    confirmation: 'dev-cluster',
    ...overrides,
  };
}

async function run(entities: Entity[] = [], overrides = {}, taskId = 'task-1') {
  const context = actionContext<DecommissionAction>({
    input: input(overrides),
    taskId,
    user: 'user:default/alice',
  });
  await action(entities).handler(context.ctx);
  return context.outputs;
}

const githubRequests = () =>
  standin.requests().filter(r => !r.path.startsWith('/_standin'));

describe('aks-gitops:environment:decommission', () => {
  it('opens one pull request per phase, each once the previous one is merged, until only the other files remain', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 4; i++) {
      const outputs = await run([], {}, `task-${i}`);
      opened.push(
        `${String(outputs.branchName)} | ${String(outputs.phase)} | ${String(outputs.phasesRemaining)} left`,
      );
      standin.mergePull(OWNER, REPO, Number(outputs.pullRequestNumber));
    }
    expect({
      opened,
      main: Object.fromEntries(standin.files(OWNER, REPO, 'main')),
    }).toEqual({
      opened: [
        'aks-gitops/dev-cluster.decommission-1-workloads | 1 of 4: Remove the workloads from the cluster | 3 left',
        'aks-gitops/dev-cluster.decommission-2-bootstrap | 2 of 4: Uninstall the bootstrap charts while the kubeconfig exists | 2 left',
        'aks-gitops/dev-cluster.decommission-3-cluster | 3 of 4: Delete the AKS cluster and its resource group | 1 left',
        'aks-gitops/dev-cluster.decommission-4-namespace | 4 of 4: Remove the namespace and the catalog entry | 0 left',
      ],
      main: seeded,
    });
  }, 60_000);

  it('refuses once nothing of the environment is left', async () => {
    for (let i = 0; i < 4; i++)
      standin.mergePull(
        OWNER,
        REPO,
        Number((await run([], {}, `task-${i}`)).pullRequestNumber),
      );
    await expect(run([], {}, 'task-5')).rejects.toThrow(
      new InputError(
        'cluster: must name an environment of this repository, but no file of "dev-cluster" is in it (neither clusters/dev-cluster/catalog-info.yaml nor an object labelled aks-gitops.io/cluster: dev-cluster)',
      ),
    );
  }, 60_000);

  it("names in the pull request body the user who asked, for the reviewer to check with the cluster's owner", async () => {
    const outputs = await run();
    const body =
      standin.pull(OWNER, REPO, Number(outputs.pullRequestNumber)).body ?? '';
    expect(body).toContain(
      "Requested by `user:default/alice`: check with the cluster's owner in the catalog that it is theirs to remove.",
    );
  }, 60_000);

  it('lists in the pull request body every file it deletes and the Azure resources the procedure deletes', async () => {
    const outputs = await run();
    const body =
      standin.pull(OWNER, REPO, Number(outputs.pullRequestNumber)).body ?? '';
    expect({
      workload: body.includes(
        '- `clusters/dev-cluster/workloads/aks-store-demo.yaml`',
      ),
      aksCluster: body.includes('the AKS cluster `dev-cluster`'),
      resourceGroup: body.includes('the resource group `dev-cluster`'),
      nextCheck: body.includes('kubectl --context dev-cluster -n argocd'),
    }).toEqual({
      workload: true,
      aksCluster: true,
      resourceGroup: true,
      nextCheck: true,
    });
  });

  it('updates its own open pull request when run again for the same phase', async () => {
    const first = await run();
    const second = await run([], {}, 'task-2');
    expect({
      second: [second.pullRequestNumber, second.created],
      open: standin.pulls(OWNER, REPO).filter(p => p.state === 'open').length,
    }).toEqual({ second: [first.pullRequestNumber, false], open: 1 });
  });

  it('opens the phase again after its pull request was closed unmerged', async () => {
    const first = await run();
    standin.closePull(OWNER, REPO, Number(first.pullRequestNumber));
    const again = await run([], {}, 'task-2');
    expect({
      branch: again.branchName,
      created: again.created,
      isNew: again.pullRequestNumber !== first.pullRequestNumber,
    }).toEqual({
      branch: 'aks-gitops/dev-cluster.decommission-1-workloads',
      created: true,
      isNew: true,
    });
  });

  it("refuses, before any GitHub request, a confirmation that is not the cluster's name", async () => {
    await expect(run([], { confirmation: 'dev-clustr' })).rejects.toThrow(
      new InputError(
        'confirmation: must repeat the cluster\'s name "dev-cluster" exactly to confirm its decommission, but it is "dev-clustr"',
      ),
    );
    expect(githubRequests()).toEqual([]);
  });

  it('asks the permission policy for environmentDecommissionPermission on the cluster, and refuses a user it denies before reading GitHub', async () => {
    const asked = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.DENY })),
    });
    permissions = asked;
    standin.clearRequests();
    await expect(run()).rejects.toThrow(
      new NotAllowedError(
        'cluster: must be a cluster you may decommission, but the permission policy denies you aks-gitops.environment.decommission on resource:default/dev-cluster',
      ),
    );
    expect({
      asked: asked.authorize.mock.calls.map(([requests]) => requests),
      githubRequests: githubRequests().length,
    }).toEqual({
      asked: [
        [
          {
            permission: environmentDecommissionPermission,
            resourceRef: 'resource:default/dev-cluster',
          },
        ],
      ],
      githubRequests: 0,
    });
  }, 60_000);

  it('refuses, naming them, while catalog entities depend on the cluster', async () => {
    const component = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: {},
      relations: [
        { type: 'dependsOn', targetRef: 'resource:default/dev-cluster' },
      ],
    });
    await expect(run([component('pets'), component('orders')])).rejects.toThrow(
      new ConflictError(
        'cluster: must have no catalog entity depending on it, but component:default/orders, component:default/pets depend on resource:default/dev-cluster; move or decommission them first',
      ),
    );
    expect(githubRequests()).toEqual([]);
  });

  it('asks the catalog module to read the repository now, so the cluster shows decommissioning at once', async () => {
    const published: EventParams[] = [];
    const events: EventsService = {
      async publish(params) {
        published.push(params);
      },
      async subscribe() {},
    };
    const { ctx } = actionContext<DecommissionAction>({ input: input() });
    await action([], events).handler(ctx);
    expect(published).toEqual([
      {
        topic: 'aks-gitops.clusters',
        eventPayload: {
          repoUrl: `https://${standin.host}/${OWNER}/${REPO}`,
          clusterName: 'dev-cluster',
        },
      },
    ]);
  });

  it('takes the cluster as its entity reference, as the cluster page links it', async () => {
    const outputs = await run([], { cluster: 'resource:default/dev-cluster' });
    expect(outputs.branchName).toBe(
      'aks-gitops/dev-cluster.decommission-1-workloads',
    );
  });

  it('refuses, before any GitHub request, an entity reference that is not a cluster', async () => {
    await expect(
      run([], { cluster: 'component:default/dev-cluster' }),
    ).rejects.toThrow(
      new InputError(
        'cluster: must be a cluster\'s name or its entity reference resource:default/<name>, but it is "component:default/dev-cluster"',
      ),
    );
    expect(githubRequests()).toEqual([]);
  });

  it('refuses to write edits when main moved after it read the files, opening nothing', async () => {
    // Someone merges between the action's read of main and its commit.
    const movingMain = (options: Parameters<typeof fastGithubClient>[0]) => {
      const client = fastGithubClient(options);
      client.hook.after('request', (_response, request) => {
        if (String(request.url).includes('/git/trees/'))
          standin.commitFiles(OWNER, REPO, {
            branch: 'main',
            files: { 'README.md': 'merged meanwhile\n' },
          });
      });
      return client;
    };
    const { ctx } = actionContext<DecommissionAction>({ input: input() });
    await expect(
      action([], undefined, movingMain).handler(ctx),
    ).rejects.toThrow(
      /^branch main of acme\/app-project-env: must not move while this task reads and edits its files, but it moved from [0-9a-f]{7} to [0-9a-f]{7} meanwhile; run the task again$/,
    );
    expect(standin.pulls(OWNER, REPO)).toEqual([]);
  });
});
