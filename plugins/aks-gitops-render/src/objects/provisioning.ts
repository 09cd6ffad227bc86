import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { CHART_REPOSITORIES } from '../defaults';
import { ARGOCD_NAMESPACE, ClusterNames, IN_CLUSTER_SERVER, ownLabels } from '../naming';
import type { EnvironmentRequest } from '../request';
import type { AksAsoValues } from '../schemas/aksAsoValues';

/** The namespace on the management cluster holding this cluster's Cluster API objects. */
export function capiNamespace(names: ClusterNames): INamespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: names.capiNamespace, labels: ownLabels(names.cluster) } };
}

export function aksAsoValues(request: EnvironmentRequest, names: ClusterNames): AksAsoValues {
  const { cluster, azure } = request;
  const pool = cluster.nodePool;
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
    managedMachinePoolSpecs: {
      pool0: {
        count: pool.minCount,
        enableAutoScaling: true,
        minCount: pool.minCount,
        maxCount: pool.maxCount,
        mode: 'System',
        osSKU: pool.osSku,
        vmSize: pool.vmSize,
        type: 'VirtualMachineScaleSets',
      },
      // Only the pools asked for: drop the chart's default second pool.
      pool1: null,
    },
  };
}

/**
 * The Application that provisions the AKS cluster through the azure-aks-aso chart. Values go in
 * `helm.values` (text made by the YAML serializer), not `valuesObject`: Argo CD strips `null`
 * from valuesObject (argo-cd#16312), and `pool1: null` is how Helm drops the default pool.
 */
export function provisioningApplication(request: EnvironmentRequest, names: ClusterNames, valuesYaml: string): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: names.provisioningApplication, namespace: ARGOCD_NAMESPACE, labels: ownLabels(names.cluster) },
    spec: {
      project: 'default',
      source: {
        repoURL: CHART_REPOSITORIES.clusterApiCharts,
        chart: 'azure-aks-aso',
        targetRevision: request.chartVersions.azureAksAso,
        helm: { releaseName: names.provisioningRelease, values: valuesYaml },
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: names.capiNamespace },
      // No prune: deleting a cluster should be a deliberate act, not a side effect of a Git edit.
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    },
  };
}
