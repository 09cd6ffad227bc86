import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { CHART_REPOSITORIES } from '../defaults';
import { ARGOCD_NAMESPACE, CATALOG_FILE, ClusterNames, ClusterPaths, IN_CLUSTER_SERVER, ownLabels } from '../naming';
import type { EnvironmentRequest } from '../request';
import type { HelmChartProxy } from '../schemas/helmChartProxy';

/**
 * The Application the new cluster's own Argo CD runs: it syncs this cluster's folder of the
 * GitOps repository (its cluster Secret, the cluster-addons ApplicationSet, its workloads).
 */
export function selfManagementApplication(request: EnvironmentRequest, names: ClusterNames, paths: ClusterPaths): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: names.selfManagementApplication,
      namespace: ARGOCD_NAMESPACE,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      source: {
        repoURL: request.gitopsRepo.url,
        targetRevision: request.gitopsRepo.revision,
        path: paths.clusterDir,
        // The catalog entity sits beside the manifests but is not a Kubernetes object.
        directory: { recurse: true, exclude: CATALOG_FILE },
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

/** argocd-apps >= 2.0 takes `applications` as a map keyed by Application name. */
export function argocdAppsValues(app: IApplication): { applications: Record<string, unknown> } {
  const { name, namespace, finalizers } = app.metadata ?? {};
  if (name === undefined) throw new Error('the self-management Application has no name');
  return { applications: { [name]: { namespace, finalizers, ...app.spec } } };
}

interface Chart {
  name: string;
  version: string;
  release: string;
}

function proxy(names: ClusterNames, proxyName: string, chart: Chart, valuesTemplate?: string): HelmChartProxy {
  return {
    apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
    kind: 'HelmChartProxy',
    metadata: { name: proxyName, namespace: names.capiNamespace, labels: ownLabels(names.cluster) },
    spec: {
      // Every Cluster the azure-aks-aso release renders carries its release as instance label;
      // with the per-cluster namespace this selects this cluster and no other.
      clusterSelector: { matchLabels: { 'app.kubernetes.io/instance': names.provisioningRelease } },
      repoURL: CHART_REPOSITORIES.argoHelm,
      chartName: chart.name,
      version: chart.version,
      releaseName: chart.release,
      namespace: ARGOCD_NAMESPACE,
      options: { wait: true, waitForJobs: true, timeout: '5m', install: { createNamespace: true } },
      ...(valuesTemplate === undefined ? {} : { valuesTemplate }),
    },
  };
}

export function argoCdProxy(request: EnvironmentRequest, names: ClusterNames): HelmChartProxy {
  // Release `argocd` gives the conventional `argocd-server`, `argocd-repo-server` names.
  return proxy(names, names.argoCdProxy, { name: 'argo-cd', version: request.chartVersions.argoCd, release: 'argocd' });
}

/** `valuesTemplate` is the argocd-apps values as YAML text, escaped for CAAPH's Go templating. */
export function argocdAppsProxy(request: EnvironmentRequest, names: ClusterNames, valuesTemplate: string): HelmChartProxy {
  const chart = { name: 'argocd-apps', version: request.chartVersions.argocdApps, release: 'argocd-apps' };
  return proxy(names, names.argocdAppsProxy, chart, valuesTemplate);
}
