import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { SYNC_RETRY } from '../defaults';
import { ARGOCD_NAMESPACE, ClusterNames, ownLabels } from '../naming';
import type { EnvironmentRequest } from '../request';

/**
 * A cluster Secret annotation in the ApplicationSet's Go template, by field access. The cluster
 * generator passes annotations as `.metadata.annotations`, a map (argo-cd v3.2.5
 * applicationset/generators/cluster.go, getClusterParameters), and the template runs with our
 * goTemplateOptions (applicationset/utils/utils.go, Replace). With `missingkey=error` a missing
 * map key read as a field fails generation; `index` would silently yield "". Our annotation keys
 * are plain identifiers, so field access can name them.
 */
const annotation = (key: string) => `{{ .metadata.annotations.${key} }}`;

/**
 * The App of Apps parent: one Application per selected cluster Secret, syncing the add-on
 * ApplicationSets. Unlike the lab's, it selects only this cluster (by `cluster_name`), names its
 * Application per cluster, and uses Go templates with missingkey=error so a missing annotation
 * fails generation instead of leaving `{{...}}` in the Application. Its name can be that of a
 * hand-applied ApplicationSet it takes over (`adopt.clusterAddons`).
 */
export function clusterAddonsApplicationSet(
  request: EnvironmentRequest,
  names: ClusterNames,
): IApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {
      name: request.adopt.clusterAddons ?? names.clusterAddonsAppSet,
      namespace: ARGOCD_NAMESPACE,
      labels: ownLabels(names.cluster),
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      syncPolicy: { preserveResourcesOnDeletion: true },
      generators: [
        {
          clusters: {
            selector: {
              matchLabels: {
                'argocd.argoproj.io/secret-type': 'cluster',
                cluster_name: names.cluster,
              },
            },
          },
        },
      ],
      template: {
        metadata: {
          name: 'cluster-addons-{{ .name }}',
          labels: ownLabels(names.cluster),
        },
        spec: {
          project: 'default',
          source: {
            repoURL: annotation('addons_repo_url'),
            path: `${annotation('addons_repo_basepath')}${annotation('addons_repo_path')}`,
            targetRevision: annotation('addons_repo_revision'),
            directory: { recurse: true, exclude: 'exclude/*' },
          },
          destination: { namespace: ARGOCD_NAMESPACE, name: '{{ .name }}' },
          syncPolicy: { automated: {}, retry: SYNC_RETRY },
        },
      },
    },
  };
}
