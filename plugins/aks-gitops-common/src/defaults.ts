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

export type ChartVersions = {
  [K in keyof typeof DEFAULT_CHART_VERSIONS]: string;
};

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
  /** A new cluster only: mode existing defaults to false (request.ts `argocdDefault`). */
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

/**
 * The Kubernetes versions a cluster may ask for: the latest patch AKS offers of each minor version
 * in community support late in 2026, newest first. Azure/AKS CHANGELOG.md, release v20260717:
 * "Kubernetes patch versions 1.36.2, 1.35.6, 1.34.9, and 1.33.13 are now available"; AKS release
 * calendar (MicrosoftDocs/azure-aks-docs articles/aks/supported-kubernetes-versions.md, Aug 2026):
 * 1.36 GA Jun 2026 to Jun 2027, 1.35 GA Mar 2026 to Mar 2027; 1.34 ends Nov 2026 and 1.33 is LTS
 * only. 1.37 (GA Oct 2026) joins once a release note names its patch. The form offers this list
 * (templates/*: a test keeps their enums equal to it); the request refuses any other version.
 *
 * @public
 */
export const AKS_KUBERNETES_VERSIONS = ['1.36.2', '1.35.6'] as const;
/** @public */
export const DEFAULT_KUBERNETES_VERSION: (typeof AKS_KUBERNETES_VERSIONS)[number] =
  '1.35.6';
export const DEFAULT_GITOPS_REVISION = 'main';
export const DEFAULT_MANAGEMENT_PATH = 'samples';

/**
 * `syncPolicy.retry` for every automated Application we render. Argo CD does not retry an
 * automated sync that failed on the same revision (argo-cd v3.2.5 controller/appcontroller.go:
 * retries only while `RetryCount < Retry.Limit`; no retry block means no retry), so a sync that
 * fails because a CRD, a cluster or a namespace is not there yet would stay failed until the next
 * commit. 10 attempts, 30s doubling up to 10m: about an hour, enough for AKS to come up.
 */
/**
 * The lab's Sample 1 workload, the AKS Store demo (app-of-apps lab, argocd-apps/aks-store/
 * aks-store-argocd-app.yaml: Azure-Samples/aks-store-demo, kustomize/overlays/dev, HEAD; its
 * store-front Service is in namespace pets, the lab's `kubectl get svc -n pets store-front`).
 * The form's one-click example and the seed's.
 *
 * @public
 */
export const AKS_STORE_DEMO_WORKLOAD = {
  name: 'aks-store-demo',
  repoURL: 'https://github.com/Azure-Samples/aks-store-demo.git',
  path: 'kustomize/overlays/dev',
  targetRevision: 'HEAD',
  namespace: 'pets',
} as const;

export const SYNC_RETRY = {
  limit: 10,
  backoff: { duration: '30s', factor: 2, maxDuration: '10m' },
} as const;
