import type { ISecret } from 'kubernetes-models/v1/Secret';
import { ADDONS, ADDON_IDS } from '../addons';
import {
  ARGOCD_NAMESPACE,
  ClusterNames,
  IN_CLUSTER_SERVER,
  ownLabels,
} from '../naming';
import type { EnvironmentRequest } from '../request';

/**
 * Argo CD cluster config. A remote AKS cluster is reached through `argocd-k8s-auth azure` with
 * workload identity, so no credential is ever written; in-cluster needs no credentials at all.
 */
function clusterConfig(request: EnvironmentRequest): string {
  const { cluster, azure } = request;
  if (request.mode === 'new' || cluster.server === undefined) {
    return JSON.stringify({ tlsClientConfig: { insecure: false } }, null, 2);
  }
  return JSON.stringify(
    {
      execProviderConfig: {
        command: 'argocd-k8s-auth',
        args: ['azure'],
        env: {
          AAD_ENVIRONMENT_NAME: 'AzurePublicCloud',
          AAD_LOGIN_METHOD: 'workloadidentity',
          AZURE_CLIENT_ID: azure.clientId,
          AZURE_TENANT_ID: azure.tenantId,
        },
        apiVersion: 'client.authentication.k8s.io/v1beta1',
      },
      tlsClientConfig: { insecure: false, caData: cluster.caData },
    },
    null,
    2,
  );
}

/**
 * The GitOps Bridge cluster Secret: add-on toggles as string labels, where-the-add-ons-are and
 * Azure identity facts as annotations. Its name can be that of a hand-applied Secret it takes over
 * (`adopt.clusterSecret`): two Secrets for one server are not rejected, Argo CD silently uses one of
 * them (argo-cd v3.2.5 util/db/cluster.go, GetCluster: the first Secret of the by-server index).
 */
export function clusterSecret(
  request: EnvironmentRequest,
  names: ClusterNames,
): ISecret {
  const { cluster, azure, addonsRepo, addons, chartVersions } = request;
  const versionLabels: Record<string, string> = {};
  for (const id of ADDON_IDS) {
    const addon: (typeof ADDONS)[typeof id] = ADDONS[id];
    if (addons[id] && 'chartVersion' in addon)
      versionLabels[addon.chartVersion.key] =
        chartVersions[addon.chartVersion.from];
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: request.adopt.clusterSecret ?? names.clusterSecret,
      namespace: ARGOCD_NAMESPACE,
      labels: {
        'argocd.argoproj.io/secret-type': 'cluster',
        ...ownLabels(cluster.name),
        cluster_name: cluster.name,
        environment: cluster.environment,
        ...Object.fromEntries(
          ADDON_IDS.map(id => [ADDONS[id].label, String(addons[id])]),
        ),
        ...versionLabels,
      },
      annotations: {
        addons_repo_url: addonsRepo.url,
        addons_repo_basepath: addonsRepo.basepath,
        addons_repo_path: addonsRepo.path,
        addons_repo_revision: addonsRepo.revision,
        cluster_name: cluster.name,
        environment: cluster.environment,
        infrastructure_provider: 'capz',
        akspe_identity_id: azure.clientId,
        tenant_id: azure.tenantId,
        subscription_id: azure.subscriptionId,
        // Some releases of the add-on ApplicationSets read chart versions from annotations.
        ...versionLabels,
      },
    },
    type: 'Opaque',
    stringData: {
      name: cluster.name,
      server:
        request.mode === 'existing' && cluster.server !== undefined
          ? cluster.server
          : IN_CLUSTER_SERVER,
      config: clusterConfig(request),
    },
  };
}
