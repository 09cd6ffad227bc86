import {
  ClusterNames,
  ownLabels,
  PROVISIONED_CLUSTER_SELECTOR,
} from '../naming';
import type { ClusterResourceSet } from '../schemas/clusterResourceSet';
import { KEEP_ON_DELETE } from './provisioning';

/**
 * The Secret type cluster-api's ClusterResourceSet controller accepts (cluster-api v1.10
 * api/addons/v1beta1/clusterresourceset_types.go `ClusterResourceSetSecretType`; any other type
 * is refused with reason WrongSecretType).
 */
export const RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';

/**
 * Copies the GitOps repository credentials into the new cluster, with no secret in Git: the
 * platform team creates `secretName` (type {@link RESOURCE_SET_SECRET_TYPE}) in the cluster's
 * namespace on the management cluster, holding the `argocd` Namespace and an Argo CD repository
 * Secret as manifests; cluster-api applies them to the new cluster once its control plane is up.
 *
 * From cluster-api v1.10 (internal/controllers/clusterresourceset): referenced Secrets are read
 * from the ClusterResourceSet's own namespace; Clusters are selected in that namespace only;
 * `Reconcile` re-applies when the Secret's data changes (a rotated token reaches the cluster),
 * `ApplyOnce` (the default) would not; a Secret created after the ClusterResourceSet is picked up
 * (the controller watches Secrets); data keys are applied in key order, Namespaces first.
 */
export function repoCredentialsResourceSet(
  names: ClusterNames,
  secretName: string,
): ClusterResourceSet {
  return {
    apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
    kind: 'ClusterResourceSet',
    metadata: {
      name: names.repoCredentialsResourceSet,
      namespace: names.capiNamespace,
      labels: ownLabels(names.cluster),
      // The controller sets itself as owner of the Secret: deleting this would delete the Secret.
      annotations: { ...KEEP_ON_DELETE },
    },
    spec: {
      clusterSelector: { matchLabels: { ...PROVISIONED_CLUSTER_SELECTOR } },
      resources: [{ kind: 'Secret', name: secretName }],
      strategy: 'Reconcile',
    },
  };
}
