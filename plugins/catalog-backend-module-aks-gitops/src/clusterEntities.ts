/**
 * Cluster files of the GitOps repository → catalog entities. A file on the default branch was
 * reviewed and is taken as it is; a file of an unmerged pull request is not trusted: its pending
 * entity is rebuilt from an allow-list of fields (see `pendingEntity`). A malformed file becomes a
 * problem naming its path; it never stops the rest of the fleet.
 */
import { checkResourceEntity } from '@aks-gitops/plugin-aks-gitops-node';
import {
  CLUSTER_ENTITY_TYPE,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  OWN_PREFIX,
  parseSingleYamlDocument,
  PULL_REQUEST_ANNOTATION,
  STATE_LABEL,
  clusterEntityRef,
  environmentBranch,
  type ClusterState,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
  type EntityLink,
} from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

/** What is kept of an unmerged file, at most. */
export const PENDING_LIMITS = {
  titleLength: 100,
  descriptionLength: 1000,
  tags: 10,
  annotations: 30,
  annotationValueLength: 200,
} as const;

/** Our annotations on a pending entity that we compute, never take from the file. */
const COMPUTED_ANNOTATIONS = new Set<string>([
  STATE_LABEL,
  PULL_REQUEST_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
]);
/** Control, format (bidi, zero-width) and line-separator characters: never shown from an unmerged file. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** One cluster's catalog-info.yaml as read from a branch. */
export interface ClusterFile {
  /** Repository path, e.g. clusters/dev-cluster/catalog-info.yaml. */
  path: string;
  text: string;
  state: ClusterState;
  /** Browsable URL of the file (managed-by-location). */
  url: string;
  /** Browsable URL of the repository, e.g. https://github.com/acme/app-project-env. */
  repositoryUrl: string;
  /** For a pending file: the pull request of this repository it is read from. */
  pullRequest?: {
    number: number;
    url: string;
    /** The cluster the pull request's branch names (`aks-gitops/<cluster>`): the only name it may publish. */
    cluster: string;
    /** Repository path of the cluster's folder, e.g. clusters/new-cluster. */
    folder: string;
    /** Browsable URL of that folder on the pull request's branch. */
    folderUrl: string;
  };
}

/**
 * An open pull request of ours that changes or removes an active cluster (branch
 * `aks-gitops/<cluster>.<operation>-<id>`, naming.ts `parseEnvironmentBranch`): the cluster shows
 * its state and the pull request until it is merged or closed.
 */
export interface ClusterOperation {
  cluster: string;
  state: ClusterState;
  pullRequest: { number: number; url: string };
}

/**
 * A cluster file the provider skipped or trimmed, as refresh() reports and logs it.
 *
 * @public
 */
export interface ClusterProblem {
  path: string;
  /** One sentence: `field: must be ..., but ...`. */
  message: string;
  /** `skipped`: no entity for the file; `trimmed`: an entity with the offending value cut down. */
  outcome: 'skipped' | 'trimmed';
}

/** A value from a file, quoted for a log line: escaped, and cut to a readable length. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const safe = text.replace(
    new RegExp(UNSAFE_CHARACTERS.source, 'gu'),
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}

/** Parses one cluster file and checks it with the catalog's own validators: a Resource of spec.type kubernetes-cluster. */
export async function parseClusterFile(text: string): Promise<Entity> {
  const entity = await checkResourceEntity(
    parseSingleYamlDocument(text) as Entity,
  );
  if (
    entity.kind !== 'Resource' ||
    (entity.spec as { type?: unknown } | undefined)?.type !==
      CLUSTER_ENTITY_TYPE
  ) {
    throw new Error(
      `must describe a Resource of spec.type ${CLUSTER_ENTITY_TYPE}, but it is a ${entity.kind}`,
    );
  }
  return entity;
}

const locationAnnotations = (file: ClusterFile) => ({
  'backstage.io/managed-by-location': `url:${file.url}`,
  'backstage.io/managed-by-origin-location': `url:${file.url}`,
});

/**
 * A merged file: reviewed on the default branch, taken as it is, marked active; or, while an open
 * pull request of ours changes or removes it (the first listed), marked with that operation's state
 * and that pull request.
 */
function activeEntity(
  file: ClusterFile,
  entity: Entity,
  operation?: ClusterOperation,
): Entity {
  const state = operation?.state ?? file.state;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      labels: { ...entity.metadata.labels, [STATE_LABEL]: state },
      annotations: {
        ...entity.metadata.annotations,
        ...locationAnnotations(file),
        [STATE_LABEL]: state,
        ...(operation
          ? { [PULL_REQUEST_ANNOTATION]: operation.pullRequest.url }
          : {}),
      },
    },
  };
}

/** An entity reference of one of `kinds`, fully qualified; throws naming `field` otherwise. */
function entityRefOf(
  value: unknown,
  field: string,
  kinds: readonly string[],
  example: string,
): string {
  const problem = `${field}: must be a reference to a ${kinds.join(' or ')} entity such as ${example}`;
  if (typeof value !== 'string')
    throw new Error(`${problem}, but it is ${quote(value)}`);
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: kinds[0],
      defaultNamespace: 'default',
    });
  } catch {
    throw new Error(
      `${problem}, but ${quote(value)} is not an entity reference`,
    );
  }
  if (!kinds.includes(ref.kind.toLowerCase()))
    throw new Error(`${problem}, but its kind is ${quote(ref.kind)}`);
  return stringifyEntityRef(ref);
}

/**
 * A pending file: its entity rebuilt from what we allow of an unreviewed file (the name its branch
 * names; title and description clipped; tags capped; our own `aks-gitops.io/*` annotations with
 * plain values; owner and system as references of their kinds) and what we compute ourselves
 * (state, pull request, GitOps repository and folder, the pull request and folder links).
 * Everything else is dropped: no `kubernetes.io/*` (the Kubernetes plugin's cluster locator reads
 * them), no `backstage.io/*`, no links of the file, no labels, relations or other spec fields.
 */
function pendingEntity(
  file: ClusterFile,
  entity: Entity,
  trimmed: (message: string) => void,
): Entity {
  const pull = file.pullRequest;
  if (!pull) throw new Error('a pending file must come with its pull request');
  const { metadata, spec } = entity;
  if (metadata.name !== pull.cluster) {
    throw new Error(
      `metadata.name: must be ${quote(pull.cluster)}, the cluster of branch ${environmentBranch(pull.cluster)}, but it is ${quote(metadata.name)}`,
    );
  }
  if (metadata.namespace !== undefined && metadata.namespace !== 'default') {
    throw new Error(
      `metadata.namespace: must be default, but it is ${quote(metadata.namespace)}`,
    );
  }

  const clip = (
    field: string,
    value: unknown,
    max: number,
  ): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const plain = value.replace(
      new RegExp(UNSAFE_CHARACTERS.source, 'gu'),
      ' ',
    );
    if (plain.length <= max) return plain;
    trimmed(
      `${field}: must be at most ${max} characters, but it has ${plain.length}; clipped`,
    );
    return `${plain.slice(0, max - 1)}…`;
  };
  const title = clip(
    'metadata.title',
    metadata.title,
    PENDING_LIMITS.titleLength,
  );
  const description = clip(
    'metadata.description',
    metadata.description,
    PENDING_LIMITS.descriptionLength,
  );

  // The catalog's validators already checked each tag's shape.
  const tags = metadata.tags ?? [];
  if (tags.length > PENDING_LIMITS.tags)
    trimmed(
      `metadata.tags: must be at most ${PENDING_LIMITS.tags}, but there are ${tags.length}; the first ${PENDING_LIMITS.tags} kept`,
    );

  const own = Object.entries(metadata.annotations ?? {}).filter(
    ([key]) =>
      key.startsWith(`${OWN_PREFIX}/`) && !COMPUTED_ANNOTATIONS.has(key),
  );
  const plain = own.filter(([key, value]) => {
    if (
      value.length <= PENDING_LIMITS.annotationValueLength &&
      !UNSAFE_CHARACTERS.test(value)
    )
      return true;
    trimmed(
      `metadata.annotations.${key}: must be at most ${PENDING_LIMITS.annotationValueLength} characters without control characters, but it is ${quote(value)}; dropped`,
    );
    return false;
  });
  if (plain.length > PENDING_LIMITS.annotations) {
    trimmed(
      `metadata.annotations: must hold at most ${PENDING_LIMITS.annotations} ${OWN_PREFIX}/* annotations, but there are ${plain.length}; the first ${PENDING_LIMITS.annotations} kept`,
    );
  }

  const owner = entityRefOf(
    spec?.owner,
    'spec.owner',
    ['group', 'user'],
    'group:default/platform-team',
  );
  const system =
    spec?.system === undefined
      ? undefined
      : entityRefOf(
          spec.system,
          'spec.system',
          ['system'],
          'system:default/payments',
        );
  const links: EntityLink[] = [
    {
      url: pull.url,
      title: `Pull request #${pull.number} (pending review)`,
      icon: 'github',
    },
    { url: pull.folderUrl, title: 'GitOps folder', icon: 'github' },
  ];
  return {
    apiVersion: entity.apiVersion,
    kind: 'Resource',
    metadata: {
      name: pull.cluster,
      ...(title === undefined ? {} : { title }),
      ...(description === undefined ? {} : { description }),
      ...(tags.length > 0 ? { tags: tags.slice(0, PENDING_LIMITS.tags) } : {}),
      labels: { [STATE_LABEL]: file.state },
      annotations: {
        ...Object.fromEntries(plain.slice(0, PENDING_LIMITS.annotations)),
        [GITOPS_REPO_ANNOTATION]: file.repositoryUrl,
        [GITOPS_PATH_ANNOTATION]: pull.folder,
        ...locationAnnotations(file),
        [STATE_LABEL]: file.state,
        [PULL_REQUEST_ANNOTATION]: pull.url,
      },
      links,
    },
    spec: {
      type: CLUSTER_ENTITY_TYPE,
      owner,
      ...(system === undefined ? {} : { system }),
    },
  };
}

/** Every other cluster depends on the management cluster, whose Argo CD and Cluster API run them. */
function withManagementDependency(
  entity: Entity,
  managementCluster: string | undefined,
): Entity {
  if (!managementCluster || managementCluster === entity.metadata.name)
    return entity;
  const spec: JsonObject = { ...entity.spec };
  const dependsOn = Array.isArray(spec.dependsOn)
    ? spec.dependsOn.map(String)
    : [];
  spec.dependsOn = [
    ...new Set([...dependsOn, clusterEntityRef(managementCluster)]),
  ];
  return { ...entity, spec };
}

/** The one active control-plane cluster of the repository, when there is exactly one. */
function discoverManagementCluster(entities: Entity[]): string | undefined {
  const controlPlanes = entities.filter(
    e =>
      e.metadata.labels?.[STATE_LABEL] === 'active' &&
      e.metadata.annotations?.[ENVIRONMENT_ANNOTATION] === 'control-plane',
  );
  return controlPlanes.length === 1
    ? controlPlanes[0]?.metadata.name
    : undefined;
}

/**
 * The fleet: active clusters from the default branch, pending ones from open pull requests (a
 * cluster already active is not also pending; of two pull requests for one cluster, the first
 * listed keeps it), each depending on the management cluster (the configured one, or the
 * repository's only control-plane cluster), and the problems of files that could not be read or
 * were trimmed.
 */
export async function clusterEntities(
  files: ClusterFile[],
  managementCluster?: string,
  operations: ClusterOperation[] = [],
): Promise<{ entities: Entity[]; problems: ClusterProblem[] }> {
  const entities = new Map<string, Entity>();
  const problems: ClusterProblem[] = [];
  const ordered = [
    ...files.filter(f => f.state === 'active'),
    ...files.filter(f => f.state === 'pending'),
  ];
  for (const file of ordered) {
    try {
      const parsed = await parseClusterFile(file.text);
      const trims: ClusterProblem[] = [];
      const trimmed = (message: string) =>
        trims.push({ path: file.path, message, outcome: 'trimmed' });
      const entity =
        file.state === 'active'
          ? activeEntity(
              file,
              parsed,
              operations.find(o => o.cluster === parsed.metadata.name),
            )
          : pendingEntity(file, parsed, trimmed);
      if (entities.has(entity.metadata.name)) continue;
      entities.set(entity.metadata.name, entity);
      problems.push(...trims);
    } catch (error) {
      problems.push({
        path: file.path,
        message: error instanceof Error ? error.message : String(error),
        outcome: 'skipped',
      });
    }
  }
  const management =
    managementCluster ?? discoverManagementCluster([...entities.values()]);
  return {
    entities: [...entities.values()].map(e =>
      withManagementDependency(e, management),
    ),
    problems,
  };
}
