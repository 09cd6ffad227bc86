import { ADDONS, ADDON_IDS } from '../addons';
import {
  CLUSTER_ENTITY_TYPE,
  ClusterNames,
  ClusterPaths,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  OWN_PREFIX,
} from '../naming';
import type { EnvironmentRequest } from '../request';
import type { ResourceEntity } from '../schemas/resourceEntity';

/** A browsable URL of a folder of a GitHub (or GitHub Enterprise) repository. */
export function repoFolderUrl(
  repoUrl: string,
  revision: string,
  folder: string,
): string {
  return `${repoUrl.replace(/\/$/, '').replace(/\.git$/, '')}/tree/${revision}/${folder}`;
}

/** `enable_argo_rollouts` → `argo-rollouts`: the add-on's name as catalog annotations spell it. */
const addonAnnotation = (label: string) =>
  `${OWN_PREFIX}/addon-${label.replace(/^enable_/, '').replace(/_/g, '-')}`;

/** The cluster as a Backstage `Resource`, committed beside its manifests. */
export function buildClusterEntity(
  request: EnvironmentRequest,
  names: ClusterNames,
  paths: ClusterPaths,
): ResourceEntity {
  const { cluster, azure, gitopsRepo, addons } = request;
  const folderUrl = repoFolderUrl(
    gitopsRepo.url,
    gitopsRepo.revision,
    paths.clusterDir,
  );
  const pool = cluster.nodePool;
  const annotations: Record<string, string> = {
    [`${OWN_PREFIX}/mode`]: request.mode,
    [ENVIRONMENT_ANNOTATION]: cluster.environment,
    [`${OWN_PREFIX}/location`]: cluster.location,
    [GITOPS_REPO_ANNOTATION]: gitopsRepo.url,
    [GITOPS_PATH_ANNOTATION]: paths.clusterDir,
    [`${OWN_PREFIX}/azure-subscription-id`]: azure.subscriptionId,
    ...Object.fromEntries(
      ADDON_IDS.map(id => [
        addonAnnotation(ADDONS[id].label),
        String(addons[id]),
      ]),
    ),
    'backstage.io/source-location': `url:${folderUrl}/`,
  };
  const links: ResourceEntity['metadata']['links'] = [
    { url: folderUrl, title: 'GitOps folder', icon: 'github' },
  ];

  if (request.mode === 'new') {
    annotations[`${OWN_PREFIX}/kubernetes-version`] = cluster.kubernetesVersion;
    annotations[`${OWN_PREFIX}/node-pool`] =
      `${pool.vmSize} ${pool.osSku}, ${pool.minCount}-${pool.maxCount} nodes`;
    // azure-aks-aso names the resource group and the AKS cluster after the cluster.
    annotations[`${OWN_PREFIX}/azure-resource-group`] = names.cluster;
    links.push({
      url: `https://portal.azure.com/#@${azure.tenantId}/resource/subscriptions/${azure.subscriptionId}/resourceGroups/${names.cluster}/overview`,
      title: 'Azure resource group',
      icon: 'cloud',
    });
  } else if (cluster.server !== undefined && cluster.caData !== undefined) {
    // What the Kubernetes plugin's catalog cluster locator reads.
    annotations['kubernetes.io/api-server'] = cluster.server;
    annotations['kubernetes.io/api-server-certificate-authority'] =
      cluster.caData;
    annotations['kubernetes.io/auth-provider'] = 'aks';
    if (cluster.resourceGroup !== undefined) {
      annotations[`${OWN_PREFIX}/azure-resource-group`] = cluster.resourceGroup;
      annotations['kubernetes.io/dashboard-app'] = 'aks';
      annotations['kubernetes.io/dashboard-parameters'] = JSON.stringify({
        subscriptionId: azure.subscriptionId,
        resourceGroup: cluster.resourceGroup,
        clusterName: names.cluster,
      });
    }
  }

  const modeText =
    request.mode === 'new'
      ? 'provisioned by Cluster API (CAPZ/ASO) and bootstrapped with Argo CD'
      : 'registered with the management Argo CD';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: names.cluster,
      title: `${names.cluster} (${cluster.environment}, ${cluster.location})`,
      description: `AKS cluster in ${cluster.location}, ${modeText}, managed through GitOps.`,
      tags: ['aks', cluster.environment, cluster.location],
      annotations,
      links,
    },
    spec: {
      type: CLUSTER_ENTITY_TYPE,
      owner: request.owner,
      ...(request.system === '' ? {} : { system: request.system }),
    },
  };
}
