import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { ARGOCD_NAMESPACE, ClusterNames, ownLabels } from '../naming';

const annotation = (key: string) => `{{ index .metadata.annotations "${key}" }}`;

/**
 * The App of Apps parent: one Application per selected cluster Secret, syncing the add-on
 * ApplicationSets. Unlike the lab's, it selects only this cluster (by `cluster_name`), names its
 * Application per cluster, and uses Go templates with missingkey=error so a missing annotation
 * fails generation instead of leaving `{{...}}` in the Application.
 */
export function clusterAddonsApplicationSet(names: ClusterNames): IApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: names.clusterAddonsAppSet, namespace: ARGOCD_NAMESPACE, labels: ownLabels(names.cluster) },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      syncPolicy: { preserveResourcesOnDeletion: true },
      generators: [
        {
          clusters: {
            selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster', cluster_name: names.cluster } },
          },
        },
      ],
      template: {
        metadata: { name: 'cluster-addons-{{ .name }}', labels: ownLabels(names.cluster) },
        spec: {
          project: 'default',
          source: {
            repoURL: annotation('addons_repo_url'),
            path: `${annotation('addons_repo_basepath')}${annotation('addons_repo_path')}`,
            targetRevision: annotation('addons_repo_revision'),
            directory: { recurse: true, exclude: 'exclude/*' },
          },
          destination: { namespace: ARGOCD_NAMESPACE, name: '{{ .name }}' },
          syncPolicy: { automated: {} },
        },
      },
    },
  };
}
