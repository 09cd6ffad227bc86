import { isAksCluster, nodePoolText, readCluster } from './clusters';
import { clusterEntity } from './testing';

describe('readCluster', () => {
  it('reads every value the card shows from the entity the provider emits', () => {
    const cluster = readCluster(
      clusterEntity('dev-one', {
        state: 'pending',
        pullRequest: 'https://github.com/acme/app-project-env/pull/3',
      }),
    );
    expect(cluster).toEqual({
      name: 'dev-one',
      entityRef: 'resource:default/dev-one',
      state: 'pending',
      pullRequestUrl: 'https://github.com/acme/app-project-env/pull/3',
      mode: 'new',
      environment: 'dev',
      location: 'eastus',
      kubernetesVersion: '1.32.7',
      nodePool: {
        vmSize: 'Standard_DS2_v2',
        osSku: 'AzureLinux',
        minCount: 1,
        maxCount: 3,
        modes: ['System'],
      },
      addons: [
        { id: 'argocd', title: 'Argo CD', enabled: true },
        { id: 'argoEvents', title: 'Argo Events', enabled: false },
        { id: 'argoRollouts', title: 'Argo Rollouts', enabled: true },
        { id: 'argoWorkflows', title: 'Argo Workflows', enabled: false },
        { id: 'certManager', title: 'cert-manager', enabled: true },
        { id: 'kargo', title: 'Kargo', enabled: true },
      ],
      workloads: ['aks-store-demo'],
      gitopsFolder: {
        path: 'clusters/dev-one',
        url: 'https://github.com/acme/app-project-env/tree/main/clusters/dev-one',
      },
      managementCluster: 'resource:default/aks-labs-gitops',
      owner: 'group:default/platform-team',
    });
  });

  it('shows a malformed node pool annotation (from an unreviewed file) as missing, not as an error', () => {
    const entity = clusterEntity('dev-one');
    entity.metadata.annotations!['aks-gitops.io/node-pool'] = '{"vmSize": 3';
    expect(readCluster(entity).nodePool).toBeUndefined();
  });

  it('prefers the dependency the provider computed over the annotation of the file', () => {
    const entity = clusterEntity('dev-one');
    entity.spec = { ...entity.spec, dependsOn: ['resource:default/hub'] };
    expect(readCluster(entity).managementCluster).toBe('resource:default/hub');
  });
});

describe('isAksCluster', () => {
  it('holds for a cluster of the provider, not for another Resource or a Component', () => {
    const cluster = clusterEntity('dev-one');
    const database = {
      ...cluster,
      spec: { type: 'database', owner: 'group:default/platform-team' },
    };
    const unmarked = {
      ...cluster,
      metadata: { name: 'handmade', annotations: {} },
    };
    const component = { ...cluster, kind: 'Component' };
    expect([cluster, database, unmarked, component].map(isAksCluster)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('nodePoolText', () => {
  it('reads as a person says it, with both pools of a production cluster', () => {
    expect(
      nodePoolText({
        vmSize: 'Standard_D4s_v5',
        osSku: 'Ubuntu',
        minCount: 2,
        maxCount: 5,
        modes: ['System', 'User'],
      }),
    ).toBe('Standard_D4s_v5 Ubuntu, 2-5 nodes (System + User pools)');
  });
});
