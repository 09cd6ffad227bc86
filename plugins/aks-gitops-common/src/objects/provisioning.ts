import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { CHART_REPOSITORIES, SYNC_RETRY } from '../defaults';
import {
  ARGOCD_NAMESPACE,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  ClusterNames,
  IN_CLUSTER_SERVER,
  KEEP_ON_DELETE_SYNC_OPTIONS,
  ownLabels,
} from '../naming';
import type { EnvironmentRequest } from '../request';
import type { AksAsoValues } from '../schemas/aksAsoValues';

/**
 * Never pruned, never deleted with an Application (gitops-engine, as pinned by argo-cd v3.2.5:
 * pkg/sync/sync_context.go skips pruning a live object whose sync-options hold `Prune=false`;
 * argo-cd controller/appcontroller.go `shouldBeDeleted` keeps one holding `Delete=false`).
 * Removing the environment's folder must not delete the namespace: that would delete the Cluster
 * and the ASO credential Secret together, and ASO could no longer delete the Azure resources
 * (azure-service-operator#4679).
 */
export const KEEP_ON_DELETE = {
  [ARGOCD_SYNC_OPTIONS_ANNOTATION]: KEEP_ON_DELETE_SYNC_OPTIONS,
} as const;

/** The namespace on the management cluster holding this cluster's Cluster API objects. */
export function capiNamespace(names: ClusterNames): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: names.capiNamespace,
      labels: ownLabels(names.cluster),
      annotations: { ...KEEP_ON_DELETE },
    },
  };
}

/** Production clusters get the paid control plane tier, zones and a user pool beside the system pool. */
export function isProduction(request: EnvironmentRequest): boolean {
  return request.cluster.environment === 'prod';
}

export function aksAsoValues(
  request: EnvironmentRequest,
  names: ClusterNames,
): AksAsoValues {
  const { cluster, azure } = request;
  const pool = cluster.nodePool;
  const production = isProduction(request);
  const zones = production
    ? { availabilityZones: ['1', '2', '3'] as ('1' | '2' | '3')[] }
    : {};
  const poolSpec = (mode: 'System' | 'User') => ({
    count: pool.minCount,
    enableAutoScaling: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    mode,
    osSKU: pool.osSku,
    vmSize: pool.vmSize,
    type: 'VirtualMachineScaleSets' as const,
    ...zones,
  });
  return {
    clusterName: names.cluster,
    location: cluster.location,
    subscriptionID: azure.subscriptionId,
    tenantID: azure.tenantId,
    clientID: azure.clientId,
    authMode: 'workloadidentity',
    kubernetesVersion: `v${cluster.kubernetesVersion}`,
    // Per cluster: the chart's fixed `aksasoclass` would be fought over by two clusters.
    clusterClassName: names.clusterClass,
    // CAPZ v1.19 serves AzureASOManaged* templates only in ClusterClass/topology mode.
    withClusterClass: true,
    withClusterTopology: true,
    // Merged by Helm over azure-aks-aso 0.4.3's values.yaml `managedClusterSpec` (which sets
    // `upgradeChannel: stable`, `tier: Free`); ASO ManagedCluster v1api20231001 fields.
    managedClusterSpec: {
      autoUpgradeProfile: {
        upgradeChannel: 'none',
        nodeOSUpgradeChannel: 'NodeImage',
      },
      // The cluster Secret advertises workload identity; these make the cluster able to honour it.
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      // Standard: the uptime SLA a production control plane needs.
      sku: { name: 'Base', tier: production ? 'Standard' : 'Free' },
    },
    managedMachinePoolSpecs: {
      pool0: poolSpec('System'),
      // Production: the workloads' own pool; elsewhere only the pool asked for (null drops the
      // chart's default second pool).
      pool1: production ? poolSpec('User') : null,
    },
  };
}

/**
 * The Application that provisions the AKS cluster through the azure-aks-aso chart. Values go in
 * `helm.values` (text made by the YAML serializer), not `valuesObject`: Argo CD strips `null`
 * from valuesObject (argo-cd#16312), and `pool1: null` is how Helm drops the default pool.
 */
export function provisioningApplication(
  request: EnvironmentRequest,
  names: ClusterNames,
  valuesYaml: string,
): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: names.provisioningApplication,
      namespace: ARGOCD_NAMESPACE,
      labels: ownLabels(names.cluster),
      // Kept when its file goes: the Cluster stays managed until a deliberate teardown.
      annotations: { ...KEEP_ON_DELETE },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: CHART_REPOSITORIES.clusterApiCharts,
        chart: 'azure-aks-aso',
        targetRevision: request.chartVersions.azureAksAso,
        helm: { releaseName: names.provisioningRelease, values: valuesYaml },
      },
      destination: {
        server: IN_CLUSTER_SERVER,
        namespace: names.capiNamespace,
      },
      // No prune: deleting a cluster should be a deliberate act, not a side effect of a Git edit.
      syncPolicy: {
        automated: { prune: false, selfHeal: true },
        retry: structuredClone(SYNC_RETRY),
      },
    },
  };
}
