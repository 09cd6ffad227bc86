import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ARGOCD_NAMESPACE, IN_CLUSTER_SERVER, ownLabels, workloadApplicationName } from '../naming';
import type { EnvironmentRequest, Workload } from '../request';

/**
 * A workload Application. Mode new: the new cluster's own Argo CD deploys it in-cluster.
 * Mode existing: the management Argo CD deploys it to the registered cluster by name.
 */
export function workloadApplication(request: EnvironmentRequest, workload: Workload): IApplication {
  const cluster = request.cluster.name;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: workloadApplicationName(cluster, workload.name),
      namespace: ARGOCD_NAMESPACE,
      labels: ownLabels(cluster),
    },
    spec: {
      project: 'default',
      source: { repoURL: workload.repoURL, path: workload.path, targetRevision: workload.targetRevision },
      destination:
        request.mode === 'new'
          ? { server: IN_CLUSTER_SERVER, namespace: workload.namespace }
          : { name: cluster, namespace: workload.namespace },
      // syncOptions belongs under syncPolicy; under spec Argo CD silently drops it.
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}
