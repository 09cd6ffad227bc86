import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { CHART_REPOSITORIES, SYNC_RETRY } from '../defaults';
import {
  ARGOCD_NAMESPACE,
  CLUSTER_DIR_EXCLUDE,
  ClusterNames,
  ClusterPaths,
  IN_CLUSTER_SERVER,
  ownLabels,
  PROVISIONED_CLUSTER_SELECTOR,
} from '../naming';
import type { EnvironmentRequest } from '../request';
import type { HelmChartProxy } from '../schemas/helmChartProxy';
import { KEEP_ON_DELETE } from './provisioning';

/**
 * The Helm release of Argo CD on a new cluster: the one the GitOps Bridge `argocd` add-on installs
 * (Azure-Samples/aks-platform-engineering gitops/bootstrap/control-plane/addons/oss/
 * addons-argo-cd-appset.yaml: `releaseName: '{{values.addonChart}}'` = `argo-cd`, namespace
 * `argocd`), so the add-on adopts the bootstrap install instead of installing a second Argo CD.
 * With argo-helm argo-cd 9.3.4 (`nameOverride: argocd`, `argo-cd.fullname`: release name plus
 * `-argocd` unless it contains `argocd`) its objects are `argo-cd-argocd-server`,
 * `argo-cd-argocd-repo-server`, ...; `argocd-cm` and `argocd-secret` keep their fixed names.
 */
export const ARGOCD_RELEASE = 'argo-cd';

/**
 * The Application the new cluster's own Argo CD runs: it syncs this cluster's folder of the
 * GitOps repository (its cluster Secret, the cluster-addons ApplicationSet, its workloads).
 *
 * No `resources-finalizer.argocd.argoproj.io`: the Application is a release of the argocd-apps
 * proxy, whose strategy is CAAPH's default Continuous, which uninstalls the release when the
 * proxy is deleted or stops matching the Cluster (CAAPH v0.3.1 controllers/helmchartproxy/
 * helmchartproxy_controller.go:192-194 deletes orphaned HelmReleaseProxies unless InstallOnce, 216-227 on delete). With the finalizer Argo CD
 * would then cascade to the cluster Secret, the AppProject and every workload; without it they
 * stay, and deleting them is a deliberate step (issue 13).
 */
export function selfManagementApplication(
  request: EnvironmentRequest,
  names: ClusterNames,
  paths: ClusterPaths,
): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: names.selfManagementApplication,
      namespace: ARGOCD_NAMESPACE,
    },
    spec: {
      project: 'default',
      source: {
        repoURL: request.gitopsRepo.url,
        targetRevision: request.gitopsRepo.revision,
        path: paths.clusterDir,
        // The catalog entity and the stored request sit beside the manifests but are not Kubernetes objects.
        directory: { recurse: true, exclude: CLUSTER_DIR_EXCLUDE },
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
        retry: structuredClone(SYNC_RETRY),
      },
    },
  };
}

/** argocd-apps >= 2.0 takes `applications` as a map keyed by Application name. */
export function argocdAppsValues(app: IApplication): {
  applications: Record<string, unknown>;
} {
  const { name, namespace, finalizers } = app.metadata ?? {};
  if (name === undefined)
    throw new Error('the self-management Application has no name');
  return {
    applications: {
      [name]: {
        namespace,
        ...(finalizers === undefined ? {} : { finalizers }),
        ...app.spec,
      },
    },
  };
}

interface Chart {
  name: string;
  version: string;
  release: string;
  /** Unset: CAAPH's default, Continuous (upgrades the release when the proxy changes). */
  reconcileStrategy?: 'InstallOnce';
}

function proxy(
  names: ClusterNames,
  proxyName: string,
  chart: Chart,
  valuesTemplate?: string,
): HelmChartProxy {
  return {
    apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
    kind: 'HelmChartProxy',
    metadata: {
      name: proxyName,
      namespace: names.capiNamespace,
      labels: ownLabels(names.cluster),
      annotations: { ...KEEP_ON_DELETE },
    },
    spec: {
      // A label the chart writes and Argo CD never does (not its tracking label
      // `app.kubernetes.io/instance`, which label tracking would rewrite to the Application's name).
      clusterSelector: { matchLabels: { ...PROVISIONED_CLUSTER_SELECTOR } },
      repoURL: CHART_REPOSITORIES.argoHelm,
      chartName: chart.name,
      version: chart.version,
      releaseName: chart.release,
      namespace: ARGOCD_NAMESPACE,
      ...(chart.reconcileStrategy === undefined
        ? {}
        : { reconcileStrategy: chart.reconcileStrategy }),
      options: {
        wait: true,
        waitForJobs: true,
        timeout: '5m',
        install: { createNamespace: true },
      },
      ...(valuesTemplate === undefined ? {} : { valuesTemplate }),
    },
  };
}

/**
 * Argo CD on the new cluster, installed once: CAAPH v0.3.1 (api/v1alpha1/helmchartproxy_types.go
 * `ReconcileStrategyInstallOnce`; controllers/helmchartproxy/helmchartproxy_controller.go skips
 * deleting orphaned releases, helmreleaseproxy_controller.go skips upgrade and uninstall) never
 * upgrades nor uninstalls it afterwards, even if the Cluster stops matching. From then on the
 * GitOps Bridge `argocd` add-on owns release `argo-cd` (self-management). The field is immutable.
 */
export function argoCdProxy(
  request: EnvironmentRequest,
  names: ClusterNames,
): HelmChartProxy {
  const chart = {
    name: 'argo-cd',
    version: request.chartVersions.argoCd,
    release: ARGOCD_RELEASE,
    reconcileStrategy: 'InstallOnce' as const,
  };
  return proxy(names, names.argoCdProxy, chart);
}

/** `valuesTemplate` is the argocd-apps values as YAML text, escaped for CAAPH's Go templating. */
export function argocdAppsProxy(
  request: EnvironmentRequest,
  names: ClusterNames,
  valuesTemplate: string,
): HelmChartProxy {
  const chart = {
    name: 'argocd-apps',
    version: request.chartVersions.argocdApps,
    release: 'argocd-apps',
  };
  return proxy(names, names.argocdAppsProxy, chart, valuesTemplate);
}
