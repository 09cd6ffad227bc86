/**
 * A cluster's catalog entity as the card and the fleet view read it: every name comes from the
 * common library (the render writes these annotations, the catalog provider the state and the
 * pull request), and every value is read defensively: a pending entity's annotations come from an
 * unreviewed file (the provider keeps only short plain `aks-gitops.io/*` values), so anything
 * malformed shows as missing, never as an error.
 */
import {
  ADDON_IDS,
  ADDONS,
  CLUSTER_ENTITY_TYPE,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  KUBERNETES_VERSION_ANNOTATION,
  LOCATION_ANNOTATION,
  MANAGEMENT_CLUSTER_ANNOTATION,
  MODE_ANNOTATION,
  NODE_POOL_ANNOTATION,
  PULL_REQUEST_ANNOTATION,
  STATE_LABEL,
  WORKLOADS_ANNOTATION,
  addonAnnotation,
  clusterEntityRef,
  type AddonId,
  type NodePoolSummary,
} from '@aks-gitops/plugin-aks-gitops-common';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';

/**
 * What the card and the fleet view show of one cluster.
 *
 * @public
 */
export interface AksCluster {
  name: string;
  /** Full entity reference, e.g. resource:default/dev-cluster. */
  entityRef: string;
  /** `active`, `pending`, `changing`, `decommissioning`, or whatever a later state is called. */
  state?: string;
  pullRequestUrl?: string;
  mode?: string;
  environment?: string;
  location?: string;
  kubernetesVersion?: string;
  nodePool?: NodePoolSummary;
  addons: { id: AddonId; title: string; enabled?: boolean }[];
  workloads: string[];
  gitopsFolder?: { path: string; url?: string };
  /** Entity reference of the management cluster this one depends on. */
  managementCluster?: string;
  owner?: string;
}

/**
 * Our clusters: Resources of our type that the aks-gitops provider marked with a state.
 *
 * @public
 */
export function isAksCluster(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      CLUSTER_ENTITY_TYPE &&
    entity.metadata.annotations?.[STATE_LABEL] !== undefined
  );
}

/** The catalog query for the fleet: the same clusters as {@link isAksCluster}. */
export const FLEET_FILTER = {
  kind: 'Resource',
  'spec.type': CLUSTER_ENTITY_TYPE,
  [`metadata.annotations.${STATE_LABEL}`]: CATALOG_FILTER_EXISTS,
};

function parseNodePool(text: string | undefined): NodePoolSummary | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const pool = value as Partial<NodePoolSummary>;
    if (
      typeof pool.vmSize !== 'string' ||
      typeof pool.osSku !== 'string' ||
      typeof pool.minCount !== 'number' ||
      typeof pool.maxCount !== 'number' ||
      !Array.isArray(pool.modes)
    )
      return undefined;
    return {
      vmSize: pool.vmSize,
      osSku: pool.osSku,
      minCount: pool.minCount,
      maxCount: pool.maxCount,
      modes: pool.modes.filter(
        (mode): mode is 'System' | 'User' =>
          mode === 'System' || mode === 'User',
      ),
    };
  } catch {
    return undefined;
  }
}

/** A resource reference, fully qualified, or undefined when `ref` is not one. */
function resourceRef(ref: string): string | undefined {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
    return parsed.kind.toLowerCase() === 'resource'
      ? stringifyEntityRef(parsed)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The management cluster: the resource the entity depends on (the catalog provider computes it,
 * also for a pending cluster), else the one its annotation names.
 */
function managementClusterOf(entity: Entity): string | undefined {
  const dependsOn = (entity.spec as { dependsOn?: unknown } | undefined)
    ?.dependsOn;
  const fromSpec = Array.isArray(dependsOn)
    ? dependsOn
        .filter((ref): ref is string => typeof ref === 'string')
        .map(resourceRef)
        .find(ref => ref !== undefined)
    : undefined;
  const named = entity.metadata.annotations?.[MANAGEMENT_CLUSTER_ANNOTATION];
  return fromSpec ?? (named ? resourceRef(clusterEntityRef(named)) : undefined);
}

function gitopsFolderOf(entity: Entity): AksCluster['gitopsFolder'] {
  const annotations = entity.metadata.annotations ?? {};
  const path = annotations[GITOPS_PATH_ANNOTATION];
  if (path === undefined) return undefined;
  // Both the rendered file and the provider's pending entity link the folder under this title.
  const link = entity.metadata.links?.find(l => l.title === 'GitOps folder');
  const repo = annotations[GITOPS_REPO_ANNOTATION];
  const url =
    link?.url ??
    (repo ? `${repo.replace(/\/$/, '')}/tree/HEAD/${path}` : undefined);
  return url === undefined ? { path } : { path, url };
}

function booleanText(text: string | undefined): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

/**
 * What the card and the fleet view show of a cluster entity; missing or malformed values left out.
 *
 * @public
 */
export function readCluster(entity: Entity): AksCluster {
  const annotations = entity.metadata.annotations ?? {};
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  const workloads = annotations[WORKLOADS_ANNOTATION];
  return {
    name: entity.metadata.name,
    entityRef: stringifyEntityRef(entity),
    ...optional(
      'state',
      entity.metadata.labels?.[STATE_LABEL] ?? annotations[STATE_LABEL],
    ),
    ...optional('pullRequestUrl', annotations[PULL_REQUEST_ANNOTATION]),
    ...optional('mode', annotations[MODE_ANNOTATION]),
    ...optional('environment', annotations[ENVIRONMENT_ANNOTATION]),
    ...optional('location', annotations[LOCATION_ANNOTATION]),
    ...optional(
      'kubernetesVersion',
      annotations[KUBERNETES_VERSION_ANNOTATION],
    ),
    ...optional('nodePool', parseNodePool(annotations[NODE_POOL_ANNOTATION])),
    addons: ADDON_IDS.map(id => ({
      id,
      title: ADDONS[id].title,
      ...optional(
        'enabled',
        booleanText(annotations[addonAnnotation(ADDONS[id].label)]),
      ),
    })),
    workloads: workloads
      ? workloads
          .split(',')
          .map(w => w.trim())
          .filter(Boolean)
      : [],
    ...optional('gitopsFolder', gitopsFolderOf(entity)),
    ...optional('managementCluster', managementClusterOf(entity)),
    ...optional('owner', typeof owner === 'string' ? owner : undefined),
  };
}

/** One sentence on what a state means for the person looking at the cluster. */
export function stateDescription(state: string | undefined): string {
  switch (state) {
    case 'active':
      return 'On the GitOps default branch: Argo CD keeps the cluster as its folder says.';
    case 'pending':
      return 'Waiting for its pull request: nothing exists until the platform team merges it.';
    case 'changing':
      return 'Active, with a change waiting in its pull request.';
    case 'decommissioning':
      return 'Active, with its removal waiting in its pull request.';
    case undefined:
      return 'The catalog has no state for this cluster.';
    default:
      return `State "${state}".`;
  }
}

/** Node pool as a person reads it: `Standard_DS2_v2 AzureLinux, 1-3 nodes (System pool)`. */
export function nodePoolText(pool: NodePoolSummary): string {
  const pools = pool.modes.length === 1 ? 'pool' : 'pools';
  return `${pool.vmSize} ${pool.osSku}, ${pool.minCount}-${pool.maxCount} nodes (${pool.modes.join(' + ')} ${pools})`;
}

/** The add-ons turned on, by title. */
export function enabledAddons(cluster: AksCluster): string[] {
  return cluster.addons.filter(a => a.enabled).map(a => a.title);
}
