/**
 * Every derived name, label and repository path, in one place: a naming rule changes here only.
 */

/**
 * The longest name an upstream ApplicationSet derives from ours is the add-on Application
 * `addon-<cluster>-argo-workflows` (aks-platform-engineering); it must stay a 63-character
 * DNS-1123 label, which leaves 42 characters for the cluster name. Every name derived below is
 * shorter.
 */
export const CLUSTER_NAME_MAX_LENGTH = 42;
export const DNS_LABEL_MAX_LENGTH = 63;

export const ARGOCD_NAMESPACE = 'argocd';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * Folder of the GitOps repo holding one sub-folder per cluster (never under the management path).
 *
 * @public
 */
export const CLUSTERS_DIR = 'clusters';
/** @public */
export const CATALOG_FILE = 'catalog-info.yaml';
/**
 * The environment's request as it was last rendered (validated, defaults applied), stored beside
 * the catalog file: what `aks-gitops change` and the change action read as the current request.
 * Not a Kubernetes object: every Argo CD directory source syncing the cluster's folder excludes it
 * ({@link CLUSTER_DIR_EXCLUDE}).
 *
 * @public
 */
export const REQUEST_FILE = 'aks-gitops-request.yaml';
/**
 * The `directory.exclude` of an Application syncing a cluster's folder: the files of ours there
 * that are not Kubernetes objects. argo-cd v3.2.5 reposerver/repository/repository.go:1939 matches
 * `exclude` against each file's path relative to the source path with util/glob (gobwas/glob),
 * whose `{a,b}` matches either (docs/user-guide/directory.md: `exclude: '{config.json,env-usw2/*}'`).
 *
 * @public
 */
export const CLUSTER_DIR_EXCLUDE = `{${CATALOG_FILE},${REQUEST_FILE}}`;

/**
 * Label and annotation prefix for what this tool adds of its own.
 *
 * @public
 */
export const OWN_PREFIX = 'aks-gitops.io';
export const CLUSTER_LABEL = `${OWN_PREFIX}/cluster`;

/**
 * Names the scaffolder actions write and the catalog provider reads back: one definition each,
 * imported by both sides.
 */
/**
 * The catalog entity's label (and annotation) saying where the cluster is in its lifecycle.
 *
 * @public
 */
export const STATE_LABEL = `${OWN_PREFIX}/state`;
/**
 * `active`: on the GitOps default branch; `pending`: only in an open pull request of ours that
 * creates it; `changing`: active, with an open pull request of ours that changes it;
 * `decommissioning`: active, with an open pull request of ours that removes it (or a phase of it).
 *
 * @public
 */
export type ClusterState =
  'active' | 'pending' | 'changing' | 'decommissioning';
/**
 * Annotation holding the URL of the open pull request a non-active cluster waits on.
 *
 * @public
 */
export const PULL_REQUEST_ANNOTATION = `${OWN_PREFIX}/pull-request`;
/**
 * Annotation with the cluster's environment (dev, staging, prod, control-plane).
 *
 * @public
 */
export const ENVIRONMENT_ANNOTATION = `${OWN_PREFIX}/environment`;
/**
 * Annotation with the GitOps repository the cluster's files live in (computed by the catalog provider for a pending one).
 *
 * @public
 */
export const GITOPS_REPO_ANNOTATION = `${OWN_PREFIX}/gitops-repo`;
/**
 * Annotation with the cluster's folder in that repository (computed by the catalog provider for a pending one).
 *
 * @public
 */
export const GITOPS_PATH_ANNOTATION = `${OWN_PREFIX}/gitops-path`;
/**
 * The `spec.type` of a cluster's catalog Resource; only the aks-gitops provider may bring one into the catalog.
 *
 * @public
 */
export const CLUSTER_ENTITY_TYPE = 'kubernetes-cluster';

/**
 * Annotations of the cluster's catalog entity the "AKS environment" card and the fleet view
 * (@aks-gitops/plugin-aks-gitops) read; the render writes them (objects/catalogEntity.ts).
 */
/**
 * `new` (provisioned by Cluster API) or `existing` (registered).
 *
 * @public
 */
export const MODE_ANNOTATION = `${OWN_PREFIX}/mode`;
/**
 * The Azure region, e.g. eastus.
 *
 * @public
 */
export const LOCATION_ANNOTATION = `${OWN_PREFIX}/location`;
/**
 * Mode new: the AKS Kubernetes version asked for, e.g. 1.32.7.
 *
 * @public
 */
export const KUBERNETES_VERSION_ANNOTATION = `${OWN_PREFIX}/kubernetes-version`;
/**
 * Mode new: the node pools, JSON of {@link NodePoolSummary}.
 *
 * @public
 */
export const NODE_POOL_ANNOTATION = `${OWN_PREFIX}/node-pool`;
/**
 * The names of the cluster's workloads (Argo CD Applications), comma-separated; absent when none.
 *
 * @public
 */
export const WORKLOADS_ANNOTATION = `${OWN_PREFIX}/workloads`;
/**
 * The management cluster whose Argo CD (and, for a new cluster, Cluster API) runs this one; absent on the management cluster.
 *
 * @public
 */
export const MANAGEMENT_CLUSTER_ANNOTATION = `${OWN_PREFIX}/management-cluster`;
/**
 * The management cluster of the lab: the in-cluster one Argo CD runs in.
 *
 * @public
 */
export const DEFAULT_MANAGEMENT_CLUSTER = 'aks-labs-gitops';

/**
 * What {@link NODE_POOL_ANNOTATION} holds: the pool's size and its modes (azure-aks-aso
 * `managedMachinePoolSpecs`: one System pool, and a User pool of the same shape in prod).
 *
 * @public
 */
export interface NodePoolSummary {
  vmSize: string;
  osSku: string;
  minCount: number;
  maxCount: number;
  modes: ('System' | 'User')[];
}

/**
 * The annotation of an add-on, by its GitOps Bridge label: `enable_argo_rollouts` → `aks-gitops.io/addon-argo-rollouts`.
 *
 * @public
 */
export function addonAnnotation(label: string): string {
  return `${OWN_PREFIX}/addon-${label.replace(/^enable_/, '').replace(/_/g, '-')}`;
}

/**
 * Every branch our actions write starts with this; nothing else of ours writes to the repository.
 *
 * @public
 */
export const PULL_REQUEST_BRANCH_PREFIX = 'aks-gitops/';
const CLUSTER_NAME_SHAPE = new RegExp(
  `^[a-z]([-a-z0-9]{0,${CLUSTER_NAME_MAX_LENGTH - 2}}[a-z0-9])?$`,
);

/**
 * The lowercase words YAML 1.1 reads as booleans or null (yaml.org/type/bool.html and null.html;
 * Helm's YAML reader, go-yaml, resolves them so). A cluster name must not be one: see the
 * `clusterName` rule (rules.ts) for why.
 */
export const YAML_1_1_WORDS = [
  'y',
  'yes',
  'n',
  'no',
  'true',
  'false',
  'on',
  'off',
  'null',
] as const;

/**
 * What, beyond its characters and length, keeps `name` from being a cluster name (a first letter,
 * a last letter or digit, not a YAML 1.1 word), or undefined. The `clusterName` rule and
 * {@link clusterOfBranch} share it.
 */
export function clusterNameShapeProblem(name: string): string | undefined {
  if (!/^[a-z]/.test(name))
    return `${JSON.stringify(name)} does not start with a letter`;
  if (name.endsWith('-')) return `${JSON.stringify(name)} ends with "-"`;
  if ((YAML_1_1_WORDS as readonly string[]).includes(name))
    return `${JSON.stringify(name)} is a YAML 1.1 word`;
  return undefined;
}

/**
 * What a pull request of ours does to an environment: create it (branch `aks-gitops/<cluster>`),
 * change it (`aks-gitops/<cluster>.change-<id>`, one branch per change), or remove one phase of it
 * (`aks-gitops/<cluster>.decommission-<id>`). A cluster name has no dot, so the cluster and the
 * operation read back unambiguously, and `aks-gitops/<cluster>` never collides with a ref below it
 * (git cannot hold both `a/b` and `a/b/c`; `a/b.c` is a sibling).
 *
 * @public
 */
export type EnvironmentOperation = 'create' | 'change' | 'decommission';

/** What an operation's branch id may be: short, lowercase, a git ref component. */
const OPERATION_ID_SHAPE = /^[a-z0-9][-a-z0-9]{0,39}$/;

/**
 * The branch of the pull request that applies `operation` (default: create) to the environment of
 * `cluster`; `id` (required for change and decommission) tells one change or phase from another.
 *
 * @public
 */
export function environmentBranch(
  cluster: string,
  operation: EnvironmentOperation = 'create',
  id?: string,
): string {
  if (operation === 'create') return `${PULL_REQUEST_BRANCH_PREFIX}${cluster}`;
  if (id === undefined || !OPERATION_ID_SHAPE.test(id))
    throw new Error(
      `id: must match ${OPERATION_ID_SHAPE} for a ${operation} branch, but it is ${JSON.stringify(id)}`,
    );
  return `${PULL_REQUEST_BRANCH_PREFIX}${cluster}.${operation}-${id}`;
}

/** @public */
export interface EnvironmentBranch {
  cluster: string;
  operation: EnvironmentOperation;
  /** Undefined for create. */
  id?: string;
}

/**
 * The environment and operation of a branch of ours, or undefined when the branch does not follow
 * {@link environmentBranch}'s rule exactly (another prefix, a nested path, a name no cluster can
 * have, an unknown operation).
 *
 * @public
 */
export function parseEnvironmentBranch(
  branch: string,
): EnvironmentBranch | undefined {
  if (!branch.startsWith(PULL_REQUEST_BRANCH_PREFIX)) return undefined;
  const rest = branch.slice(PULL_REQUEST_BRANCH_PREFIX.length);
  const dot = rest.indexOf('.');
  const cluster = dot === -1 ? rest : rest.slice(0, dot);
  if (
    !CLUSTER_NAME_SHAPE.test(cluster) ||
    clusterNameShapeProblem(cluster) !== undefined
  )
    return undefined;
  if (dot === -1) return { cluster, operation: 'create' };
  const [, operation, id] =
    /^(change|decommission)-(.*)$/.exec(rest.slice(dot + 1)) ?? [];
  if (
    operation === undefined ||
    id === undefined ||
    !OPERATION_ID_SHAPE.test(id)
  )
    return undefined;
  return { cluster, operation: operation as EnvironmentOperation, id };
}

/**
 * The cluster whose environment a branch of ours creates, or undefined when the branch does not
 * follow the rule exactly (another prefix, a nested path, a name no cluster can have, a change or
 * decommission branch).
 *
 * @public
 */
export function clusterOfBranch(branch: string): string | undefined {
  const parsed = parseEnvironmentBranch(branch);
  return parsed?.operation === 'create' ? parsed.cluster : undefined;
}

/**
 * Git trailers ending the message of every commit our actions write: which request (sha256 of
 * the validated request), whose (the task's user entity ref) and which task. A branch head
 * without them was not written by us.
 *
 * @public
 */
export const REQUEST_TRAILER = 'Aks-Gitops-Request';
/** @public */
export const REQUESTER_TRAILER = 'Aks-Gitops-Requester';
/** @public */
export const TASK_TRAILER = 'Aks-Gitops-Task';

/**
 * Where the catalog module's providers are configured, one entry per id, shaped like Backstage's
 * own providers (`catalog.providers.github.<id>`); the scaffolder module's default allow-list is
 * their `repoUrl`s.
 *
 * @public
 */
export const CLUSTER_PROVIDERS_CONFIG_KEY = 'catalog.providers.aksGitops';

/**
 * The cluster's catalog entity reference, e.g. `resource:default/dev-cluster`.
 *
 * @public
 */
export function clusterEntityRef(cluster: string): string {
  return `resource:default/${cluster}`;
}

/**
 * Path of the cluster's entity page in a Backstage app, e.g. `/catalog/default/resource/dev-cluster`.
 *
 * @public
 */
export function clusterEntityPath(cluster: string): string {
  return `/catalog/default/resource/${cluster}`;
}

export interface ClusterNames {
  cluster: string;
  /** Namespace on the management cluster for the Cluster API objects and HelmChartProxies. */
  capiNamespace: string;
  /** Helm release of azure-aks-aso; every CAPI object it renders carries it as app.kubernetes.io/instance. */
  provisioningRelease: string;
  provisioningApplication: string;
  clusterClass: string;
  clusterSecret: string;
  clusterAddonsAppSet: string;
  argoCdProxy: string;
  argocdAppsProxy: string;
  /** Application the new cluster's Argo CD runs to sync its own folder. */
  selfManagementApplication: string;
  /** ClusterResourceSet copying the GitOps repository credentials into the new cluster. */
  repoCredentialsResourceSet: string;
  /** Azure resource group: azure-aks-aso 0.4.3 names it after the cluster (`capz.azureASOManagedClusterSpec`). */
  resourceGroup: string;
}

/** The prefix of each cluster's namespace on the management cluster (its Cluster API objects, ASO credentials). */
export const CLUSTER_NAMESPACE_PREFIX = 'cluster-';

export function clusterNames(cluster: string): ClusterNames {
  return {
    cluster,
    // A prefix keeps cluster names like `argocd` or `default` away from system namespaces.
    capiNamespace: `${CLUSTER_NAMESPACE_PREFIX}${cluster}`,
    provisioningRelease: cluster,
    provisioningApplication: `aks-${cluster}`,
    clusterClass: `${cluster}-class`,
    clusterSecret: `cluster-${cluster}`,
    clusterAddonsAppSet: `cluster-addons-${cluster}`,
    argoCdProxy: `${cluster}-argocd`,
    argocdAppsProxy: `${cluster}-argocd-apps`,
    selfManagementApplication: `${cluster}-gitops`,
    repoCredentialsResourceSet: `${cluster}-repo-credentials`,
    resourceGroup: cluster,
  };
}

export function workloadApplicationName(
  cluster: string,
  workload: string,
): string {
  return `${cluster}-${workload}`;
}

/** The AppProject holding a cluster's workloads: only their repositories and namespaces. */
export function workloadProjectName(cluster: string): string {
  return `${cluster}-workloads`;
}

/** Longest workload name that keeps `<cluster>-<workload>` a DNS-1123 label. */
export function workloadNameMaxLength(cluster: string): number {
  return DNS_LABEL_MAX_LENGTH - cluster.length - 1;
}

/** @public */
export interface ClusterPaths {
  /** What the new cluster's own Argo CD syncs (mode new), and where the catalog entity lives. */
  clusterDir: string;
  /** What the management cluster's root Application syncs for this cluster. */
  managementDir: string;
  catalogFile: string;
  /** The stored environment request ({@link REQUEST_FILE}), beside the catalog file. */
  requestFile: string;
}

/** @public */
export function clusterPaths(
  managementPath: string,
  cluster: string,
): ClusterPaths {
  const clusterDir = `${CLUSTERS_DIR}/${cluster}`;
  return {
    clusterDir,
    managementDir: `${managementPath}/${cluster}`,
    catalogFile: `${clusterDir}/${CATALOG_FILE}`,
    requestFile: `${clusterDir}/${REQUEST_FILE}`,
  };
}

/**
 * The label the azure-aks-aso chart (0.4.3, templates/_helpers.tpl `capz.commonLabels`) puts on
 * the Cluster it renders, and that Argo CD never writes (its tracking label is
 * `app.kubernetes.io/instance`). One azure-aks-aso release per cluster namespace makes it select
 * exactly this cluster there (HelmChartProxy and ClusterResourceSet select in their own namespace).
 */
export const PROVISIONED_CLUSTER_SELECTOR = {
  'app.kubernetes.io/name': 'azure-aks-aso',
} as const;

/** Argo CD's per-resource sync options annotation (argo-cd v3.2.5, gitops-engine `AnnotationSyncOptions`). */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/**
 * Never pruned on a sync, never deleted with its Application: what holds a cluster (and the Azure
 * credentials ASO needs to delete it) must go only in a deliberate, ordered teardown.
 */
export const KEEP_ON_DELETE_SYNC_OPTIONS = 'Prune=false,Delete=false';

/** Labels on every Kubernetes object we render: who made it, and for which cluster. */
export function ownLabels(cluster: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'aks-gitops',
    [CLUSTER_LABEL]: cluster,
  };
}

/** File names inside a cluster's folders: one object per file. */
export const FILES = {
  namespace: 'namespace.yaml',
  provisioning: 'aks-cluster.yaml',
  argoCdProxy: 'argocd-helmchartproxy.yaml',
  argocdAppsProxy: 'argocd-apps-helmchartproxy.yaml',
  clusterSecret: 'cluster-secret.yaml',
  clusterAddons: 'cluster-addons-applicationset.yaml',
  workloadProject: 'workloads-appproject.yaml',
  repoCredentials: 'repo-credentials-clusterresourceset.yaml',
  workload: (workload: string) => `workloads/${workload}.yaml`,
} as const;
