/**
 * request → validated request → objects → validated objects → files.
 */
import { storedRequestText } from './change/storedRequest';
import { workloadProject } from './objects/appProject';
import { clusterAddonsApplicationSet } from './objects/clusterAddons';
import {
  argoCdProxy,
  argocdAppsProxy,
  argocdAppsValues,
  selfManagementApplication,
} from './objects/bootstrap';
import { buildClusterEntity } from './objects/catalogEntity';
import { clusterSecret } from './objects/clusterSecret';
import {
  aksAsoValues,
  capiNamespace,
  provisioningApplication,
} from './objects/provisioning';
import { repoCredentialsResourceSet } from './objects/repoCredentials';
import { workloadApplication } from './objects/workloads';
import { clusterEntityRef, clusterNames, clusterPaths, FILES } from './naming';
import {
  isRemote,
  parseEnvironmentRequest,
  type EnvironmentRequest,
} from './request';
import { aksAsoValuesSchema } from './schemas/aksAsoValues';
import { escapeGoTemplate, toYaml, toYamlFile } from './serialize';
import { checkSchema, validateObject, type RenderedObject } from './validate';

export interface RenderedObjectFile {
  path: string;
  object: RenderedObject;
}

/** @public */
export interface RenderedEnvironment {
  request: EnvironmentRequest;
  clusterName: string;
  /** The cluster's catalog entity, e.g. `resource:default/dev-cluster`. */
  entityRef: string;
  /** Repository path → file content, sorted by path. */
  files: Record<string, string>;
}

/** The objects of one environment with their repository paths, each validated. */
export function environmentObjects(
  request: EnvironmentRequest,
): RenderedObjectFile[] {
  const names = clusterNames(request.cluster.name);
  const paths = clusterPaths(request.gitopsRepo.managementPath, names.cluster);
  // Mode new: the new cluster's own Argo CD applies its folder; the management cluster never
  // syncs the new cluster's Secret. Mode existing: the management Argo CD applies all of it.
  const selfDir =
    request.mode === 'new' ? paths.clusterDir : paths.managementDir;
  const files: RenderedObjectFile[] = [];

  if (request.mode === 'new') {
    const values = checkSchema(
      aksAsoValuesSchema,
      aksAsoValues(request, names),
      'azure-aks-aso values',
    );
    const selfManagement = selfManagementApplication(request, names, paths);
    validateObject(selfManagement);
    files.push(
      {
        path: `${paths.managementDir}/${FILES.namespace}`,
        object: capiNamespace(names),
      },
      {
        path: `${paths.managementDir}/${FILES.provisioning}`,
        object: provisioningApplication(request, names, toYaml(values)),
      },
      {
        path: `${paths.managementDir}/${FILES.argoCdProxy}`,
        object: argoCdProxy(request, names),
      },
      {
        path: `${paths.managementDir}/${FILES.argocdAppsProxy}`,
        object: argocdAppsProxy(
          request,
          names,
          escapeGoTemplate(toYaml(argocdAppsValues(selfManagement))),
        ),
      },
    );
    const credentialsSecret = request.gitopsRepo.credentialsSecret;
    if (credentialsSecret !== undefined) {
      files.push({
        path: `${paths.managementDir}/${FILES.repoCredentials}`,
        object: repoCredentialsResourceSet(names, credentialsSecret),
      });
    }
  }
  files.push(
    {
      path: `${selfDir}/${FILES.clusterSecret}`,
      object: clusterSecret(request, names),
    },
    // A remote cluster has no ApplicationSet controller: the hub's add-on ApplicationSets (synced
    // by the management cluster's own cluster-addons Application) pick its Secret up.
    ...(isRemote(request)
      ? []
      : [
          {
            path: `${selfDir}/${FILES.clusterAddons}`,
            object: clusterAddonsApplicationSet(request, names),
          },
        ]),
    {
      path: `${selfDir}/${FILES.workloadProject}`,
      object: workloadProject(request),
    },
    ...request.workloads.map(workload => ({
      path: `${selfDir}/${FILES.workload(workload.name)}`,
      object: workloadApplication(request, workload),
    })),
    {
      path: paths.catalogFile,
      object: buildClusterEntity(request, names, paths),
    },
  );
  for (const file of files) validateObject(file.object);
  return files;
}

/**
 * Renders the GitOps files of one environment request, with the request itself stored beside the
 * catalog file (naming.ts `REQUEST_FILE`). Throws EnvironmentRequestError (one issue per bad
 * field) for a bad request; output is byte-for-byte deterministic.
 *
 * @public
 */
export function renderEnvironment(input: unknown): RenderedEnvironment {
  return renderRequest(parseEnvironmentRequest(input));
}

/** The files of a request already validated (a stored one, whose version may be off the pinned list). */
export function renderRequest(
  request: EnvironmentRequest,
): RenderedEnvironment {
  const objects = environmentObjects(request);
  const paths = clusterPaths(
    request.gitopsRepo.managementPath,
    request.cluster.name,
  );
  const texts = new Map(
    objects.map(({ path, object }) => [path, toYamlFile(object)]),
  );
  texts.set(paths.requestFile, storedRequestText(request));
  // Sorted by path (code-unit order), the stored request among the objects' files.
  const files: Record<string, string> = {};
  for (const path of [...texts.keys()].sort())
    files[path] = texts.get(path) ?? '';
  return {
    request,
    clusterName: request.cluster.name,
    entityRef: clusterEntityRef(request.cluster.name),
    files,
  };
}
