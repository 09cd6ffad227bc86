/**
 * Every pinned version and lab default lives here, so an upgrade is a one-line change.
 * Chart versions can be overridden per request through `chartVersions`.
 */
export const DEFAULT_CHART_VERSIONS = {
  /** azure-aks-aso (Cluster API + CAPZ + ASO objects for one AKS cluster), as pinned by the lab. */
  azureAksAso: 'v0.4.3',
  /** argo-cd: bootstraps Argo CD on the new cluster, and the `argocd_chart_version` add-on label. */
  argoCd: '9.3.4',
  /** argocd-apps >= 2.0 takes `applications` as a map keyed by name. */
  argocdApps: '2.0.2',
  /** `argo_rollouts_chart_version` add-on label. */
  argoRollouts: '2.37.7',
  /** `kargo_chart_version` add-on label. */
  kargo: '1.10.8',
} as const;

export type ChartVersions = { [K in keyof typeof DEFAULT_CHART_VERSIONS]: string };

export const CHART_REPOSITORIES = {
  argoHelm: 'https://argoproj.github.io/argo-helm',
  clusterApiCharts: 'https://mboersma.github.io/cluster-api-charts',
} as const;

/** The add-ons repository of the lab (Azure-Samples/aks-platform-engineering). */
export const DEFAULT_ADDONS_REPO = {
  url: 'https://github.com/Azure-Samples/aks-platform-engineering',
  basepath: 'gitops/',
  path: 'bootstrap/control-plane/addons',
  revision: 'main',
} as const;

/** The lab's add-on toggles for a new cluster. */
export const DEFAULT_ADDONS = {
  argocd: true,
  argoEvents: false,
  argoRollouts: false,
  argoWorkflows: false,
  certManager: false,
  kargo: true,
} as const;

/** The lab's system pool (azure-aks-aso `managedMachinePoolSpecs.pool0`). */
export const DEFAULT_NODE_POOL = {
  vmSize: 'Standard_DS2_v2',
  minCount: 1,
  maxCount: 3,
  osSku: 'AzureLinux',
} as const;

export const DEFAULT_KUBERNETES_VERSION = '1.32.7';
export const DEFAULT_GITOPS_REVISION = 'main';
export const DEFAULT_MANAGEMENT_PATH = 'samples';
