/**
 * A Day-2 change of an environment: the stored request and the new one rendered, and their
 * difference applied to the repository's current files as YAML edits. Pure: files in, files out.
 */
import { clusterPaths } from '../naming';
import { renderEnvironment, renderRequest } from '../render';
import {
  EnvironmentRequestError,
  parseEnvironmentRequest,
  parseStoredEnvironmentRequest,
  type EnvironmentRequest,
} from '../request';
import { changeIssues } from './rules';
import { readStoredRequest } from './storedRequest';
import { environmentChanges, type EnvironmentChange } from './typedDiff';
import {
  ChangeConflictError,
  editFile,
  fileDrift,
  type DriftItem,
  type EditConflict,
} from './yamlEdits';

/** @public */
export interface EnvironmentChangeResult {
  /** The stored request the change starts from. */
  previous: EnvironmentRequest;
  /** The new request, validated, defaults applied. */
  request: EnvironmentRequest;
  /** What changes, in the request's terms; empty when nothing does. */
  changes: EnvironmentChange[];
  /** Repository path → new content, or null for a file the change deletes; only files that change. */
  files: Record<string, string | null>;
  /** Hand edits of generated files that the stored request does not explain. */
  drift: DriftItem[];
}

/**
 * Applies the change from `storedRequest` (the environment's stored request) to `newRequest` to
 * `currentFiles` (repository path → content; the environment's folders at least). Throws
 * EnvironmentRequestError when the new request is invalid or changes what may not change (one
 * issue per field), and ChangeConflictError when a hand edit is in the way (file and key path).
 *
 * @public
 */
export function changeEnvironment(
  currentFiles: Readonly<Record<string, string>>,
  storedRequest: unknown,
  newRequest: unknown,
): EnvironmentChangeResult {
  // The stored version may have left the pinned list since (AKS retires versions); the new one may not.
  const previous = parseStoredEnvironmentRequest(storedRequest);
  const request = parseEnvironmentRequest(newRequest);
  const issues = changeIssues(previous, request);
  if (issues.length > 0) throw new EnvironmentRequestError(issues);

  const before = renderRequest(previous).files;
  const after = renderEnvironment(request).files;
  const files: Record<string, string | null> = {};
  const conflicts: EditConflict[] = [];
  const drift = Object.entries(before).flatMap(([path, text]) =>
    fileDrift(path, text, currentFiles[path]),
  );
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const path of paths.sort()) {
    const current = currentFiles[path];
    const old = before[path];
    const next = after[path];
    if (old === next) continue;
    if (next === undefined) {
      // A file the change removes (a workload): only as rendered, so no hand edit is lost.
      if (current === undefined) continue;
      if (fileDrift(path, old ?? '', current).length > 0)
        conflicts.push({
          path,
          keyPath: '(whole file)',
          message:
            'must be as the stored request renders it for this change to delete it, but it was edited by hand',
        });
      else files[path] = null;
    } else if (old === undefined) {
      // A file the change adds: new, or already there as the new request renders it.
      if (current === undefined) files[path] = next;
      else if (fileDrift(path, next, current).length > 0)
        conflicts.push({
          path,
          keyPath: '(whole file)',
          message:
            'must not exist before this change adds it, but the repository holds a different file there',
        });
    } else if (current === undefined) {
      conflicts.push({
        path,
        keyPath: '(whole file)',
        message:
          'must exist for this change to edit it, but it was deleted by hand',
      });
    } else {
      const edited = editFile(path, current, old, next);
      if ('conflicts' in edited) conflicts.push(...edited.conflicts);
      else if (edited.text !== current) files[path] = edited.text;
    }
  }
  if (conflicts.length > 0) throw new ChangeConflictError(conflicts);
  return {
    previous,
    request,
    changes: environmentChanges(previous, request),
    files,
    drift,
  };
}

/**
 * The change of the environment `newRequest` names, read from the repository's files: its stored
 * request is the one beside its catalog file (naming.ts `clusterPaths(...).requestFile`).
 *
 * @public
 */
export function changeEnvironmentInRepository(
  currentFiles: Readonly<Record<string, string>>,
  newRequest: unknown,
): EnvironmentChangeResult {
  const request = parseEnvironmentRequest(newRequest);
  const { requestFile } = clusterPaths(
    request.gitopsRepo.managementPath,
    request.cluster.name,
  );
  const previous = readStoredRequest(requestFile, currentFiles[requestFile]);
  return changeEnvironment(currentFiles, previous, request);
}
