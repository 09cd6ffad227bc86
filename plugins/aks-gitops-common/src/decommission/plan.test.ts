import { parseDocument } from 'yaml';
import { KEEP_ON_DELETE_SYNC_OPTIONS } from '../naming';
import { RESOURCES_FINALIZER } from '../objects/workloads';
import { renderEnvironment } from '../render';
import type { EnvironmentRequestInput } from '../request';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from '../testing/fixtures';
import {
  applyFileChanges,
  decommissionPlan,
  DecommissionRefusal,
  type DecommissionPhaseId,
} from './plan';

const newCluster = newClusterRequest({
  gitopsRepo: {
    url: 'https://github.com/acme/gitops',
    credentialsSecret: 'gitops-repo-credentials',
  },
});
const remoteCluster = existingClusterRequest();
const managementCluster = managementClusterRequest();

function repository(
  ...requests: EnvironmentRequestInput[]
): Record<string, string> {
  return Object.assign(
    {},
    ...requests.map(request => renderEnvironment(request).files),
  ) as Record<string, string>;
}

interface AppliedPhase {
  id: DecommissionPhaseId;
  /** Each deleted file as it was when deleted. */
  deleted: Record<string, string>;
  edited: string[];
}

/** Applies the next phase until none is left, as the CLI and the pull requests do. */
function decommissionFully(
  start: Record<string, string>,
  cluster: string,
): { files: Record<string, string>; applied: AppliedPhase[] } {
  let files = start;
  const applied: AppliedPhase[] = [];
  for (;;) {
    let next;
    try {
      next = decommissionPlan(files, cluster).phases[0];
    } catch (error) {
      if (
        error instanceof DecommissionRefusal &&
        error.reason === 'unknown-cluster'
      )
        return { files, applied };
      throw error;
    }
    if (next === undefined) throw new Error('a plan without phases');
    const deleted: Record<string, string> = {};
    for (const change of next.changes)
      if (change.content === null) deleted[change.path] = files[change.path]!;
    applied.push({
      id: next.id,
      deleted,
      edited: next.changes
        .filter(change => change.content !== null)
        .map(change => change.path),
    });
    files = applyFileChanges(files, next.changes);
  }
}

function phaseOf(applied: AppliedPhase[], path: string): DecommissionPhaseId {
  const phase = applied.find(p => path in p.deleted);
  if (!phase) throw new Error(`${path} was never deleted`);
  return phase.id;
}

describe('decommissionPlan, mode new', () => {
  const start = repository(managementCluster, newCluster);
  const { files, applied } = decommissionFully(start, 'dev-cluster');

  it('runs the four phases of the procedure in order', () => {
    expect(applied.map(p => p.id)).toEqual([
      'workloads',
      'bootstrap',
      'cluster',
      'namespace',
    ]);
  });

  it('leaves exactly the other environment, byte for byte', () => {
    expect(files).toEqual(repository(managementCluster));
  });

  it('leaves nothing that names the removed cluster', () => {
    const mentions = Object.entries(files)
      .filter(([, text]) => text.includes('dev-cluster'))
      .map(([path]) => path);
    expect(mentions).toEqual([]);
  });

  it('deletes the workloads first, the HelmChartProxies and ClusterResourceSet while the Cluster exists, then the Cluster, then the namespace and the catalog file', () => {
    const m = 'samples/dev-cluster';
    expect({
      workload: phaseOf(
        applied,
        'clusters/dev-cluster/workloads/aks-store-demo.yaml',
      ),
      argoCdProxy: phaseOf(applied, `${m}/argocd-helmchartproxy.yaml`),
      argocdAppsProxy: phaseOf(applied, `${m}/argocd-apps-helmchartproxy.yaml`),
      resourceSet: phaseOf(
        applied,
        `${m}/repo-credentials-clusterresourceset.yaml`,
      ),
      cluster: phaseOf(applied, `${m}/aks-cluster.yaml`),
      clusterSecret: phaseOf(
        applied,
        'clusters/dev-cluster/cluster-secret.yaml',
      ),
      namespace: phaseOf(applied, `${m}/namespace.yaml`),
      catalog: phaseOf(applied, 'clusters/dev-cluster/catalog-info.yaml'),
    }).toEqual({
      workload: 'workloads',
      argoCdProxy: 'bootstrap',
      argocdAppsProxy: 'bootstrap',
      resourceSet: 'bootstrap',
      cluster: 'cluster',
      clusterSecret: 'cluster',
      namespace: 'namespace',
      catalog: 'namespace',
    });
  });

  it('never deletes a file that still holds the keep sync options: they are dropped one phase earlier', () => {
    const deletedWhileKept = applied.flatMap(phase =>
      Object.entries(phase.deleted)
        .filter(([, text]) => text.includes(KEEP_ON_DELETE_SYNC_OPTIONS))
        .map(([path]) => `${phase.id}: ${path}`),
    );
    expect(deletedWhileKept).toEqual([]);
  });

  it('deletes the provisioning Application with the resources finalizer, so Argo CD deletes the Cluster before the Application', () => {
    const text = applied.find(p => p.id === 'cluster')?.deleted[
      'samples/dev-cluster/aks-cluster.yaml'
    ];
    expect(parseDocument(text ?? '').toJS().metadata.finalizers).toEqual([
      RESOURCES_FINALIZER,
    ]);
  });

  it('names the Azure resources that go', () => {
    expect(decommissionPlan(start, 'dev-cluster').azure).toEqual({
      resourceGroup: 'dev-cluster',
      aksCluster: 'dev-cluster',
    });
  });

  it('goes on with the next phase once a phase is in the files, numbered as in the procedure', () => {
    const first = decommissionPlan(start, 'dev-cluster').phases[0]!;
    const after = decommissionPlan(
      applyFileChanges(start, first.changes),
      'dev-cluster',
    );
    expect(after.phases.map(p => `${p.number}/${p.of} ${p.id}`)).toEqual([
      '2/4 bootstrap',
      '3/4 cluster',
      '4/4 namespace',
    ]);
  });
});

describe('decommissionPlan, mode existing (remote)', () => {
  const start = repository(managementCluster, remoteCluster);
  const { files, applied } = decommissionFully(start, 'shared-staging');

  it('removes the workloads and the add-on labels first, then the registration', () => {
    expect(applied.map(p => ({ id: p.id, edited: p.edited }))).toEqual([
      {
        id: 'workloads',
        edited: ['samples/shared-staging/cluster-secret.yaml'],
      },
      { id: 'registration', edited: [] },
    ]);
  });

  it('deletes the cluster Secret only after it stopped enabling add-ons', () => {
    const secret =
      applied[1]?.deleted['samples/shared-staging/cluster-secret.yaml'] ?? '';
    expect(
      Object.keys(parseDocument(secret).toJS().metadata.labels).filter(label =>
        label.startsWith('enable_'),
      ),
    ).toEqual([]);
  });

  it('leaves exactly the other environment and nothing naming the removed cluster', () => {
    expect({
      files,
      mentions: Object.values(files).filter(t => t.includes('shared-staging')),
    }).toEqual({ files: repository(managementCluster), mentions: [] });
  });

  it('has nothing in Azure to delete', () => {
    expect(decommissionPlan(start, 'shared-staging').azure).toBeUndefined();
  });
});

describe('decommissionPlan, mode existing (the management cluster)', () => {
  it('removes it once it is the only environment, keeping its Argo CD add-on label until the Secret goes', () => {
    const { files, applied } = decommissionFully(
      repository(managementCluster),
      'aks-labs-gitops',
    );
    const secret =
      applied[1]?.deleted['samples/aks-labs-gitops/cluster-secret.yaml'] ?? '';
    expect({
      phases: applied.map(p => p.id),
      files,
      labels: Object.keys(parseDocument(secret).toJS().metadata.labels).filter(
        label => label.startsWith('enable_'),
      ),
    }).toEqual({
      phases: ['workloads', 'registration'],
      files: {},
      labels: ['enable_argocd'],
    });
  });

  it('refuses while other clusters depend on it, naming them', () => {
    expect(() =>
      decommissionPlan(
        repository(managementCluster, newCluster, remoteCluster),
        'aks-labs-gitops',
      ),
    ).toThrow(
      'cluster: must not be the management cluster while other clusters depend on it, but aks-labs-gitops runs the Argo CD and add-ons of dev-cluster, shared-staging; decommission those first',
    );
  });
});

describe('decommissionPlan, two environments and refusals', () => {
  it('removes one of two environments and then the other, leaving an empty repository', () => {
    const both = repository(newCluster, remoteCluster);
    const afterNew = decommissionFully(both, 'dev-cluster').files;
    const afterBoth = decommissionFully(afterNew, 'shared-staging').files;
    expect({ afterNew, afterBoth }).toEqual({
      afterNew: repository(remoteCluster),
      afterBoth: {},
    });
  });

  it('refuses a cluster with no file in the repository', () => {
    expect(() =>
      decommissionPlan(repository(managementCluster), 'prod-cluster'),
    ).toThrow(
      'cluster: must name an environment of this repository, but no file of "prod-cluster" is in it (neither clusters/prod-cluster/catalog-info.yaml nor an object labelled aks-gitops.io/cluster: prod-cluster)',
    );
  });

  it('refuses a name no cluster can have', () => {
    expect(() => decommissionPlan({}, '../samples')).toThrow(
      'cluster: must be the name of a cluster, but "../samples" is not a DNS-1123 label of at most 42 characters',
    );
  });

  it('keeps files outside the environment that carry no cluster label', () => {
    const start = {
      ...repository(remoteCluster),
      'samples/root-app.yaml': 'kind: Application\nmetadata:\n  name: root\n',
      'README.md': 'shared-staging is one of our clusters\n',
    };
    expect(decommissionFully(start, 'shared-staging').files).toEqual({
      'samples/root-app.yaml': 'kind: Application\nmetadata:\n  name: root\n',
      'README.md': 'shared-staging is one of our clusters\n',
    });
  });
});
