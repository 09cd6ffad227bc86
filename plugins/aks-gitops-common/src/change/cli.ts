/**
 * aks-gitops change --repo DIR --values new.yaml [--check]
 *
 * Applies the change of one environment (the one new.yaml names) to a checked-out GitOps
 * repository, in place: its current request is the stored one (REQUEST_FILE). Exit codes: 0
 * applied (or nothing to change); 2 refused (one line per problem: a field that may not change,
 * an invalid request, a hand edit in the way, no stored request) or a wrong command line, and
 * nothing is written; 1 anything else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { readRequest, UsageError, writeTree } from '../cliFiles';
import { clusterPaths } from '../naming';
import {
  EnvironmentRequestError,
  formatIssue,
  parseEnvironmentRequest,
} from '../request';
import { changeEnvironmentInRepository } from './changeEnvironment';
import { StoredRequestError } from './storedRequest';
import { describeChange } from './typedDiff';
import {
  ChangeConflictError,
  describeDrift,
  formatConflict,
} from './yamlEdits';

export const CHANGE_USAGE = `usage: aks-gitops change --repo DIR --values FILE [--check]

  --repo DIR      the checked-out GitOps repository; the environment's files change in place
  --values FILE   the environment's new request (the environment it names is changed)
  --check         print what changes (the typed diff) and write nothing`;

/** The regular files below `folders` of `root` (repository path → text); links are not followed. */
function readFolders(root: string, folders: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return; // no such folder (an existing cluster has no management-side files of a new one)
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        files[relative(root, path).split(sep).join('/')] = readFileSync(
          path,
          'utf8',
        );
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files;
}

export function changeCommand(argv: string[]): number {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        repo: { type: 'string' },
        values: { type: 'string' },
        check: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (values.repo === undefined)
      throw new UsageError('--repo DIR is required');
    if (values.values === undefined)
      throw new UsageError('--values FILE is required');
    const request = parseEnvironmentRequest(readRequest(values.values));
    const root = resolve(values.repo);
    const paths = clusterPaths(
      request.gitopsRepo.managementPath,
      request.cluster.name,
    );
    const result = changeEnvironmentInRepository(
      readFolders(root, [paths.clusterDir, paths.managementDir]),
      request,
    );
    const changes = result.changes.map(describeChange);
    if (changes.length === 0) {
      console.log(`no change: ${request.cluster.name} already is as requested`);
      return 0;
    }
    for (const line of changes) console.log(line);
    if (values.check) return 0;
    writeTree(values.repo, result.files, '--repo');
    for (const [path, text] of Object.entries(result.files))
      console.log(`${text === null ? 'deleted' : 'wrote'} ${path}`);
    for (const item of result.drift)
      console.log(`drift (not changed): ${describeDrift(item)}`);
    return 0;
  } catch (error) {
    if (error instanceof EnvironmentRequestError) {
      for (const issue of error.issues) console.error(formatIssue(issue));
      return 2;
    }
    if (error instanceof ChangeConflictError) {
      for (const conflict of error.conflicts)
        console.error(formatConflict(conflict));
      return 2;
    }
    if (error instanceof StoredRequestError) {
      console.error(error.message);
      return 2;
    }
    if (
      error instanceof UsageError ||
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error((error as Error).message);
      console.error(CHANGE_USAGE);
      return 2;
    }
    console.error(
      `aks-gitops change: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}
