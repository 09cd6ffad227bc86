/**
 * Decommissioning one environment: the ordered phases that remove it from a GitOps repository so
 * that the real stack deletes everything it made, in an order it can finish (the procedure, with
 * the upstream code it rests on, is in this package's README, "Decommissioning an environment").
 *
 * Pure: the repository's files in, the phases still to do and the next phase's file changes out.
 * Which phase is next is read from the files alone: a phase is done once its changes are in them,
 * so the next pull request can only be built once the previous one is merged.
 */
import { parseDocument } from 'yaml';
import type { AddonId } from '../addons';
import {
  CATALOG_FILE,
  CLUSTER_LABEL,
  CLUSTERS_DIR,
  clusterNames,
  clusterNameShapeProblem,
  IN_CLUSTER_SERVER,
  CLUSTER_NAME_MAX_LENGTH,
} from '../naming';
import { show } from '../rules';
import {
  armedForCascadingDelete,
  withoutAddonLabels,
  withoutKeepOptions,
} from './edits';

/**
 * `new`: provisioned through Cluster API; `existing`: registered, in-cluster (the management cluster) or remote.
 *
 * @public
 */
export type DecommissionMode =
  'new' | 'existing-in-cluster' | 'existing-remote';

/** @public */
export type DecommissionPhaseId =
  'workloads' | 'bootstrap' | 'cluster' | 'namespace' | 'registration';

/**
 * One file change: new content, or `null` to delete the file.
 *
 * @public
 */
export interface FileChange {
  path: string;
  content: string | null;
}

/** @public */
export interface DecommissionPhase {
  id: DecommissionPhaseId;
  /** 1-based position in the mode's procedure (phases with nothing to do keep their number). */
  number: number;
  /** Of the mode's procedure. */
  of: number;
  title: string;
  /** What Argo CD, Cluster API and ASO do once this phase is merged. */
  then: string[];
  /** What the platform team checks before merging the next phase. */
  checkBeforeNext: string[];
  /** Sorted by path. */
  changes: FileChange[];
}

/** @public */
export interface DecommissionPlan {
  cluster: string;
  mode: DecommissionMode;
  /** The phases still to do, in order, each with its changes as they will be when its turn comes. */
  phases: DecommissionPhase[];
  /** Mode new: what goes in Azure (azure-aks-aso 0.4.3 names the resource group after the cluster). */
  azure?: { resourceGroup: string; aksCluster: string };
}

/** @public */
export type DecommissionRefusalReason =
  'invalid-name' | 'unknown-cluster' | 'management-cluster-in-use';

/**
 * A decommission that is refused before anything changes; the message is one sentence.
 *
 * @public
 */
export class DecommissionRefusal extends Error {
  override name = 'DecommissionRefusal';
  constructor(
    readonly reason: DecommissionRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

type Role =
  | 'namespace'
  | 'provisioning'
  | 'proxy'
  | 'resourceSet'
  | 'clusterSecret'
  | 'clusterAddons'
  | 'project'
  | 'workload'
  | 'other';

interface LabelledObject {
  kind?: unknown;
  metadata?: { name?: unknown; labels?: Record<string, unknown> };
  stringData?: { server?: unknown };
}

function readObject(path: string, text: string): LabelledObject | undefined {
  if (!/\.ya?ml$/.test(path)) return undefined;
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length > 0) return undefined;
  const value: unknown = doc.toJS();
  return typeof value === 'object' && value !== null
    ? (value as LabelledObject)
    : undefined;
}

function ownerOf(object: LabelledObject | undefined): string | undefined {
  const owner = object?.metadata?.labels?.[CLUSTER_LABEL];
  return typeof owner === 'string' ? owner : undefined;
}

function roleOf(cluster: string, path: string, object: LabelledObject): Role {
  const names = clusterNames(cluster);
  switch (object.kind) {
    case 'Namespace':
      return 'namespace';
    case 'Application':
      return object.metadata?.name === names.provisioningApplication
        ? 'provisioning'
        : 'workload';
    case 'HelmChartProxy':
      return 'proxy';
    case 'ClusterResourceSet':
      return 'resourceSet';
    case 'Secret':
      return 'clusterSecret';
    case 'ApplicationSet':
      return 'clusterAddons';
    case 'AppProject':
      return 'project';
    default:
      return path.includes('/workloads/') ? 'workload' : 'other';
  }
}

interface Inventory {
  cluster: string;
  mode: DecommissionMode;
  /** Every file of the environment, by role. */
  roles: Map<string, Role>;
  /** Other clusters with files in the repository. */
  others: string[];
}

function clusterOfCatalogPath(path: string): string | undefined {
  const match = new RegExp(
    `^${CLUSTERS_DIR}/([^/]+)/${CATALOG_FILE.replace('.', '\\.')}$`,
  ).exec(path);
  return match?.[1];
}

function checkName(cluster: string): void {
  const problem =
    cluster.length > CLUSTER_NAME_MAX_LENGTH || !/^[-a-z0-9]+$/.test(cluster)
      ? `${show(cluster)} is not a DNS-1123 label of at most ${CLUSTER_NAME_MAX_LENGTH} characters`
      : clusterNameShapeProblem(cluster);
  if (problem !== undefined)
    throw new DecommissionRefusal(
      'invalid-name',
      `cluster: must be the name of a cluster, but ${problem}`,
    );
}

function inventory(files: Record<string, string>, cluster: string): Inventory {
  const roles = new Map<string, Role>();
  const others = new Set<string>();
  const folders = new Set<string>([`${CLUSTERS_DIR}/${cluster}/`]);
  let server: unknown;
  for (const [path, text] of Object.entries(files)) {
    const catalogOf = clusterOfCatalogPath(path);
    if (catalogOf !== undefined && catalogOf !== cluster) others.add(catalogOf);
    const object = readObject(path, text);
    const owner = ownerOf(object);
    if (owner === undefined || object === undefined) continue;
    if (owner !== cluster) {
      others.add(owner);
      continue;
    }
    const role = roleOf(cluster, path, object);
    roles.set(path, role);
    if (role === 'clusterSecret') server = object.stringData?.server;
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    // Only the environment's own folders, never a shared parent a stray file sits in.
    if (role !== 'workload' && folder.endsWith(`/${cluster}/`))
      folders.add(folder);
  }
  // Whatever else lies in the environment's folders (its catalog file, a stored request, a file
  // added by hand) goes with the last phase.
  for (const path of Object.keys(files)) {
    if (
      !roles.has(path) &&
      [...folders].some(folder => path.startsWith(folder))
    )
      roles.set(path, 'other');
  }
  if (roles.size === 0)
    throw new DecommissionRefusal(
      'unknown-cluster',
      `cluster: must name an environment of this repository, but no file of ${show(cluster)} is in it (neither ${CLUSTERS_DIR}/${cluster}/${CATALOG_FILE} nor an object labelled ${CLUSTER_LABEL}: ${cluster})`,
    );
  const has = (role: Role) => [...roles.values()].includes(role);
  let mode: DecommissionMode = 'existing-remote';
  if (has('namespace') || has('provisioning') || has('proxy')) mode = 'new';
  else if (server === IN_CLUSTER_SERVER) mode = 'existing-in-cluster';
  return { cluster, mode, roles, others: [...others].sort() };
}

interface PhaseDefinition {
  id: DecommissionPhaseId;
  title: string;
  deletes: Role[];
  edits: Array<{ role: Role; edit: (text: string) => string }>;
  then: (cluster: string) => string[];
  checkBeforeNext: (cluster: string) => string[];
}

const EVERYTHING_LEFT: Role[] = [
  'namespace',
  'provisioning',
  'proxy',
  'resourceSet',
  'clusterSecret',
  'clusterAddons',
  'project',
  'workload',
  'other',
];

/**
 * Mode new. Sources: argo-cd v3.2.5, cluster-api-addon-provider-helm v0.3.1, cluster-api v1.9.10
 * (the release CAPZ v1.19.6 builds on), cluster-api-provider-azure v1.19.6, azure-aks-aso 0.4.3;
 * each step is explained in the README.
 */
const NEW_CLUSTER_PHASES: PhaseDefinition[] = [
  {
    id: 'workloads',
    title: 'Remove the workloads from the cluster',
    deletes: ['workload'],
    edits: [
      { role: 'proxy', edit: withoutKeepOptions },
      { role: 'resourceSet', edit: withoutKeepOptions },
    ],
    then: c => [
      `The cluster's own Argo CD (Application ${clusterNames(c).selfManagementApplication}) prunes the workload Applications; their resources finalizer deletes their resources (load balancers, volumes) while the cluster runs.`,
      `The management Argo CD syncs the HelmChartProxies and the ClusterResourceSet without their keep sync options, so the next phase can prune them.`,
    ],
    checkBeforeNext: c => [
      `kubectl --context ${c} -n argocd get applications.argoproj.io -l ${CLUSTER_LABEL}=${c}: no workload Application is left.`,
    ],
  },
  {
    id: 'bootstrap',
    title: 'Uninstall the bootstrap charts while the kubeconfig exists',
    deletes: ['proxy', 'resourceSet'],
    edits: [{ role: 'provisioning', edit: armedForCascadingDelete }],
    then: c => [
      `The management Argo CD prunes the HelmChartProxies: CAAPH uninstalls argocd-apps from ${c} through the cluster's kubeconfig and leaves argo-cd (InstallOnce), which goes with the cluster.`,
      `The provisioning Application ${clusterNames(c).provisioningApplication} loses its keep sync options and gets Argo CD's resources finalizer, so pruning it in the next phase deletes the Cluster.`,
    ],
    checkBeforeNext: c => [
      `kubectl -n ${clusterNames(c).capiNamespace} get helmchartproxies,helmreleaseproxies: none left (CAAPH needs the kubeconfig to finish, which goes with the Cluster).`,
    ],
  },
  {
    id: 'cluster',
    title: 'Delete the AKS cluster and its resource group',
    deletes: ['provisioning', 'clusterSecret', 'clusterAddons', 'project'],
    edits: [{ role: 'namespace', edit: withoutKeepOptions }],
    then: c => [
      `The management Argo CD prunes ${clusterNames(c).provisioningApplication}; its finalizer deletes the Cluster ${c} and keeps the ASO credential Secret (helm.sh/resource-policy: keep).`,
      `Cluster API deletes the machine pools, then the control plane, then the infrastructure cluster; CAPZ deletes their ASO resources and ASO deletes the AKS cluster ${c} and the resource group ${clusterNames(c).resourceGroup} in Azure with the credentials still there.`,
    ],
    checkBeforeNext: c => [
      `kubectl -n ${clusterNames(c).capiNamespace} get cluster ${c}: NotFound.`,
      `az group exists --name ${clusterNames(c).resourceGroup}: false.`,
    ],
  },
  {
    id: 'namespace',
    title: 'Remove the namespace and the catalog entry',
    deletes: EVERYTHING_LEFT,
    edits: [],
    then: c => [
      `The management Argo CD prunes the namespace ${clusterNames(c).capiNamespace}, and with it the ASO credential Secret nothing needs any more.`,
      `The catalog entity of ${c} disappears.`,
    ],
    checkBeforeNext: c => [
      `kubectl get namespace ${clusterNames(c).capiNamespace}: NotFound.`,
    ],
  },
];

function existingClusterPhases(keepAddons: AddonId[]): PhaseDefinition[] {
  return [
    {
      id: 'workloads',
      title: 'Remove the workloads and the add-ons from the cluster',
      deletes: ['workload'],
      edits: [
        {
          role: 'clusterSecret',
          edit: text => withoutAddonLabels(text, keepAddons),
        },
      ],
      then: c => [
        `The management Argo CD prunes the workload Applications; their resources finalizer deletes their resources from ${c} while its cluster Secret still lets Argo CD reach it.`,
        `The hub's add-on ApplicationSets stop selecting the cluster Secret and delete their add-on Applications for ${c}, whose default resources finalizer uninstalls the add-ons while the cluster is still reachable${keepAddons.length > 0 ? ' (the argocd add-on label stays: its Application would uninstall the Argo CD doing the work)' : ''}.`,
      ],
      checkBeforeNext: c => [
        `kubectl -n argocd get applications.argoproj.io -l ${CLUSTER_LABEL}=${c}: no workload Application is left, and argocd app list shows no addon-${c}-* Application.`,
      ],
    },
    {
      id: 'registration',
      title: 'Remove the registration and the catalog entry',
      deletes: EVERYTHING_LEFT,
      edits: [],
      then: c => [
        `The management Argo CD prunes the cluster Secret, the workloads' AppProject and any cluster-addons ApplicationSet of ${c}; Argo CD no longer knows the cluster (nothing in Azure is deleted: the cluster was registered, not provisioned).`,
        `The catalog entity of ${c} disappears.`,
      ],
      checkBeforeNext: c => [
        `kubectl -n argocd get secrets -l ${CLUSTER_LABEL}=${c}: none left.`,
      ],
    },
  ];
}

function phaseDefinitions(mode: DecommissionMode): PhaseDefinition[] {
  if (mode === 'new') return NEW_CLUSTER_PHASES;
  return existingClusterPhases(
    mode === 'existing-in-cluster' ? ['argocd'] : [],
  );
}

/**
 * The files after `changes`.
 *
 * @public
 */
export function applyFileChanges(
  files: Record<string, string>,
  changes: readonly FileChange[],
): Record<string, string> {
  const next = { ...files };
  for (const { path, content } of changes) {
    if (content === null) delete next[path];
    else next[path] = content;
  }
  return next;
}

function phaseChanges(
  definition: PhaseDefinition,
  roles: Map<string, Role>,
  files: Record<string, string>,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, role] of roles) {
    const text = files[path];
    if (text === undefined) continue;
    if (definition.deletes.includes(role)) {
      changes.push({ path, content: null });
      continue;
    }
    for (const { role: edited, edit } of definition.edits) {
      if (edited !== role) continue;
      const content = edit(text);
      if (content !== text) changes.push({ path, content });
    }
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The phases that still remove `cluster`'s environment from `files` (repository path → content),
 * in order, each with its file changes. Refuses (DecommissionRefusal, one sentence) a name no
 * cluster can have, a cluster with no file in the repository, and the management cluster while
 * other clusters have files there (they run on its Argo CD, its add-on ApplicationSets and, for a
 * new cluster, its Cluster API). An empty `phases` never happens: a fully removed environment has
 * no file left, which reads as an unknown cluster.
 *
 * @public
 */
export function decommissionPlan(
  files: Record<string, string>,
  cluster: string,
): DecommissionPlan {
  checkName(cluster);
  const found = inventory(files, cluster);
  if (found.mode === 'existing-in-cluster' && found.others.length > 0)
    throw new DecommissionRefusal(
      'management-cluster-in-use',
      `cluster: must not be the management cluster while other clusters depend on it, but ${cluster} runs the Argo CD and add-ons of ${found.others.join(', ')}; decommission those first`,
    );
  const definitions = phaseDefinitions(found.mode);
  const phases: DecommissionPhase[] = [];
  let current = files;
  definitions.forEach((definition, index) => {
    const changes = phaseChanges(definition, found.roles, current);
    if (changes.length === 0) return;
    phases.push({
      id: definition.id,
      number: index + 1,
      of: definitions.length,
      title: definition.title,
      then: definition.then(cluster),
      checkBeforeNext: definition.checkBeforeNext(cluster),
      changes,
    });
    current = applyFileChanges(current, changes);
  });
  const names = clusterNames(cluster);
  return {
    cluster,
    mode: found.mode,
    phases,
    ...(found.mode === 'new'
      ? {
          azure: { resourceGroup: names.resourceGroup, aksCluster: cluster },
        }
      : {}),
  };
}
