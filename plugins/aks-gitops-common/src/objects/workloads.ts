import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { SYNC_RETRY } from '../defaults';
import {
  ARGOCD_NAMESPACE,
  ownLabels,
  workloadApplicationName,
  workloadProjectName,
} from '../naming';
import type { EnvironmentRequest, Workload } from '../request';
import { workloadDestination } from './appProject';

/**
 * Argo CD's cascading-delete finalizer: deleting the Application (removing its file) deletes the
 * workload's resources first (argo-cd v3.2.5
 * pkg/apis/application/v1alpha1/application_defaults.go, ResourcesFinalizerName).
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * A workload Application in the cluster's workload AppProject. Mode new: the new cluster's own
 * Argo CD deploys it in-cluster. Mode existing: the management Argo CD deploys it to the
 * registered cluster by name.
 */
export function workloadApplication(
  request: EnvironmentRequest,
  workload: Workload,
): IApplication {
  const cluster = request.cluster.name;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: workloadApplicationName(cluster, workload.name),
      namespace: ARGOCD_NAMESPACE,
      labels: ownLabels(cluster),
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: workloadProjectName(cluster),
      source: {
        repoURL: workload.repoURL,
        path: workload.path,
        targetRevision: workload.targetRevision,
      },
      destination: workloadDestination(request, workload.namespace),
      // syncOptions belongs under syncPolicy; under spec Argo CD silently drops it. A failed
      // automated sync is retried only with `retry` (see SYNC_RETRY).
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
        retry: SYNC_RETRY,
      },
    },
  };
}
