/**
 * The stored environment request (naming.ts `REQUEST_FILE`): the validated request, every default
 * applied, as YAML beside the cluster's catalog file. It is the source of truth a change starts
 * from; it holds no secret (the request has none: ids, URLs and public CA data only).
 */
import { ADDON_IDS } from '../addons';
import { REQUEST_FILE } from '../naming';
import {
  EnvironmentRequestError,
  parseStoredEnvironmentRequest,
  type EnvironmentRequest,
} from '../request';
import { toYaml } from '../serialize';
import { parseSingleYamlDocument, YamlDocumentError } from '../yamlDocument';

export const STORED_REQUEST_HEADER = ` the environment request aks-gitops rendered this environment from (not a Kubernetes object: Argo CD excludes it);
 change the environment with "aks-gitops change" or the portal's "Change this environment", which read this file`;

/**
 * The text of the stored request file.
 *
 * @public
 */
export function storedRequestText(request: EnvironmentRequest): string {
  // The request's own key order (the schema's), but the add-ons in ADDON_IDS order: the request's
  // transform appends a defaulted argocd or certManager, so the order would otherwise depend on
  // whether the input gave them, and one request would have two stored texts.
  const addons = Object.fromEntries(
    ADDON_IDS.map(id => [id, request.addons[id]]),
  );
  return toYaml({ ...request, addons }, { header: STORED_REQUEST_HEADER });
}

/**
 * The file `path` cannot serve as the current request: names the file and what is wrong.
 *
 * @public
 */
export class StoredRequestError extends Error {
  override name = 'StoredRequestError';
}

/**
 * The request stored at `path` (for messages), validated again: a stored request that no longer
 * validates (hand-edited into something invalid) is refused naming the file and the field. Its
 * Kubernetes version may be any version string, off the pinned list too (parseStoredEnvironmentRequest).
 *
 * @public
 */
export function readStoredRequest(
  path: string,
  text: string | undefined,
): EnvironmentRequest {
  if (text === undefined)
    throw new StoredRequestError(
      `${path}: must hold the environment's stored request (${REQUEST_FILE}, written by aks-gitops render since the change feature), but it is missing; render the environment's current request once with "aks-gitops render --out" and commit that file`,
    );
  try {
    return parseStoredEnvironmentRequest(parseSingleYamlDocument(text, '1.1'));
  } catch (error) {
    if (error instanceof YamlDocumentError)
      throw new StoredRequestError(`${path}: ${error.message}`);
    if (error instanceof EnvironmentRequestError)
      throw new StoredRequestError(
        `${path}: must hold a valid environment request, but ${error.issues
          .map(issue => `${issue.field} ${issue.message}`)
          .join('; ')}`,
      );
    throw error;
  }
}
