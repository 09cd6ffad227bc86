import { ADDONS, ADDON_IDS } from '../addons';
import {
  CLUSTER_ENTITY_TYPE,
  ClusterNames,
  ClusterPaths,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  KUBERNETES_VERSION_ANNOTATION,
  LOCATION_ANNOTATION,
  MANAGEMENT_CLUSTER_ANNOTATION,
  MODE_ANNOTATION,
  NODE_POOL_ANNOTATION,
  OWN_PREFIX,
  WORKLOADS_ANNOTATION,
  addonAnnotation,
  clusterEntityRef,
  type NodePoolSummary,
} from '../naming';
import { isManagementCluster, type EnvironmentRequest } from '../request';
import { isProduction } from './provisioning';
import type { ResourceEntity } from '../schemas/resourceEntity';

/** A browsable URL of a folder of a GitHub (or GitHub Enterprise) repository. */
export function repoFolderUrl(
  repoUrl: string,
  revision: string,
  folder: string,
): string {
  return `${repoUrl.replace(/\/$/, '').replace(/\.git$/, '')}/tree/${revision}/${folder}`;
}

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
  const managed = !isManagementCluster(request);
  const annotations: Record<string, string> = {
    [MODE_ANNOTATION]: request.mode,
    [ENVIRONMENT_ANNOTATION]: cluster.environment,
    [LOCATION_ANNOTATION]: cluster.location,
    [GITOPS_REPO_ANNOTATION]: gitopsRepo.url,
    [GITOPS_PATH_ANNOTATION]: paths.clusterDir,
    [`${OWN_PREFIX}/azure-subscription-id`]: azure.subscriptionId,
    ...Object.fromEntries(
      ADDON_IDS.map(id => [
        addonAnnotation(ADDONS[id].label),
        String(addons[id]),
      ]),
    ),
    ...(request.workloads.length === 0
      ? {}
      : {
          [WORKLOADS_ANNOTATION]: request.workloads.map(w => w.name).join(','),
        }),
    ...(managed
      ? { [MANAGEMENT_CLUSTER_ANNOTATION]: request.managementCluster }
      : {}),
    'backstage.io/source-location': `url:${folderUrl}/`,
  };
  const links: ResourceEntity['metadata']['links'] = [
    { url: folderUrl, title: 'GitOps folder', icon: 'github' },
  ];

  if (request.mode === 'new') {
    annotations[KUBERNETES_VERSION_ANNOTATION] = cluster.kubernetesVersion;
    const nodePool: NodePoolSummary = {
      vmSize: pool.vmSize,
      osSku: pool.osSku,
      minCount: pool.minCount,
      maxCount: pool.maxCount,
      modes: isProduction(request) ? ['System', 'User'] : ['System'],
    };
    annotations[NODE_POOL_ANNOTATION] = JSON.stringify(nodePool);
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
      ...(managed
        ? { dependsOn: [clusterEntityRef(request.managementCluster)] }
        : {}),
    },
  };
}
