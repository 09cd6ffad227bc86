import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import {
  ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  ownLabels,
  workloadProjectName,
} from '../naming';
import type { EnvironmentRequest } from '../request';

/** Where a workload of this environment is deployed: the same destination its Application names. */
export function workloadDestination(
  request: EnvironmentRequest,
  namespace: string,
): { server: string; namespace: string } | { name: string; namespace: string } {
  // Mode new: the new cluster's own Argo CD deploys in-cluster. Mode existing: the management
  // Argo CD deploys to the registered cluster by name.
  return request.mode === 'new'
    ? { server: IN_CLUSTER_SERVER, namespace }
    : { name: request.cluster.name, namespace };
}

/**
 * The cluster's workload AppProject: its workloads may come only from their own repositories and
 * deploy only into their own namespaces on this cluster, instead of `default`, which the add-on
 * values leave open to every repository and cluster-scoped kind.
 *
 * Cluster-scoped kinds: only `Namespace`, which `CreateNamespace=true` needs. Argo CD checks the
 * namespace it creates against the project like any other resource (argo-cd v3.2.5
 * controller/sync.go, WithPermissionValidator; pkg/apis/application/v1alpha1/app_project_types.go,
 * IsGroupKindPermitted: an empty clusterResourceWhitelist permits no cluster-scoped kind; argo-cd
 * issues #20233, #22869). Applied before the Applications that name it (sync wave -1).
 */
export function workloadProject(request: EnvironmentRequest): IAppProject {
  const cluster = request.cluster.name;
  const repos = [...new Set(request.workloads.map(w => w.repoURL))].sort();
  const namespaces = [
    ...new Set(request.workloads.map(w => w.namespace)),
  ].sort();
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: workloadProjectName(cluster),
      namespace: ARGOCD_NAMESPACE,
      labels: ownLabels(cluster),
      annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
    },
    spec: {
      description: `Workloads of ${cluster}: their repositories, their namespaces, no cluster-scoped kinds but Namespace`,
      sourceRepos: repos,
      destinations: namespaces.map(namespace =>
        workloadDestination(request, namespace),
      ),
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    },
  };
}
