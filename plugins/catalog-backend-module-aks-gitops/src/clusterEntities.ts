/**
 * Cluster files of the GitOps repository → catalog entities. A malformed file becomes a problem
 * naming its path; it never stops the rest of the fleet.
 */
import { checkResourceEntity } from '@aks-gitops/plugin-aks-gitops-node';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { parseAllDocuments } from 'yaml';

export const STATE_KEY = 'aks-gitops.io/state';
export type ClusterState = 'active' | 'pending';

/** One cluster's catalog-info.yaml as read from a branch. */
export interface ClusterFile {
  /** Repository path, e.g. clusters/dev-cluster/catalog-info.yaml. */
  path: string;
  text: string;
  state: ClusterState;
  /** Browsable URL of the file (managed-by-location). */
  url: string;
  pullRequest?: { number: number; url: string };
}

export interface ClusterProblem {
  path: string;
  message: string;
}

function parseSingleDocument(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1 || !docs[0]) throw new Error('must hold exactly one YAML document');
  const [doc] = docs;
  if (doc.errors.length > 0) throw new Error(`is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
  return doc.toJS();
}

/** The entity of one cluster file, checked with the catalog's own validators and decorated. */
export async function clusterEntity(file: ClusterFile): Promise<Entity> {
  const entity = await checkResourceEntity(parseSingleDocument(file.text) as Entity);
  if (entity.kind !== 'Resource' || (entity.spec as { type?: unknown } | undefined)?.type !== 'kubernetes-cluster') {
    throw new Error(`must describe a Resource of spec.type kubernetes-cluster, but it is a ${entity.kind}`);
  }

  const annotations: Record<string, string> = {
    ...entity.metadata.annotations,
    'backstage.io/managed-by-location': `url:${file.url}`,
    'backstage.io/managed-by-origin-location': `url:${file.url}`,
    [STATE_KEY]: file.state,
  };
  const links = [...(entity.metadata.links ?? [])];
  if (file.pullRequest) {
    annotations['aks-gitops.io/pull-request'] = file.pullRequest.url;
    links.unshift({ url: file.pullRequest.url, title: `Pull request #${file.pullRequest.number} (pending review)`, icon: 'github' });
  }
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      labels: { ...entity.metadata.labels, [STATE_KEY]: file.state },
      annotations,
      links,
    },
  };
}

/** Every other cluster depends on the management cluster, whose Argo CD and Cluster API run them. */
function withManagementDependency(entity: Entity, managementCluster: string | undefined): Entity {
  if (!managementCluster || managementCluster === entity.metadata.name) return entity;
  const spec: JsonObject = { ...entity.spec };
  const dependsOn = Array.isArray(spec.dependsOn) ? spec.dependsOn.map(String) : [];
  spec.dependsOn = [...new Set([...dependsOn, `resource:default/${managementCluster}`])];
  return { ...entity, spec };
}

/** The one active control-plane cluster of the repository, when there is exactly one. */
function discoverManagementCluster(entities: Entity[]): string | undefined {
  const controlPlanes = entities.filter(
    (e) => e.metadata.labels?.[STATE_KEY] === 'active' && e.metadata.annotations?.['aks-gitops.io/environment'] === 'control-plane',
  );
  return controlPlanes.length === 1 ? controlPlanes[0]?.metadata.name : undefined;
}

/**
 * The fleet: active clusters from the default branch, pending ones from open pull requests (a
 * cluster already active is not also pending), each depending on the management cluster (the
 * configured one, or the repository's only control-plane cluster), and the problems of files
 * that could not be read.
 */
export async function clusterEntities(
  files: ClusterFile[],
  managementCluster?: string,
): Promise<{ entities: Entity[]; problems: ClusterProblem[] }> {
  const entities = new Map<string, Entity>();
  const problems: ClusterProblem[] = [];
  const ordered = [...files.filter((f) => f.state === 'active'), ...files.filter((f) => f.state === 'pending')];
  for (const file of ordered) {
    try {
      const entity = await clusterEntity(file);
      const name = entity.metadata.name;
      if (!entities.has(name)) entities.set(name, entity);
    } catch (error) {
      problems.push({ path: file.path, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const management = managementCluster ?? discoverManagementCluster([...entities.values()]);
  return { entities: [...entities.values()].map((e) => withManagementDependency(e, management)), problems };
}
