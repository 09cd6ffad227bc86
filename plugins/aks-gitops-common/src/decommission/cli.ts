/**
 * aks-gitops decommission --repo DIR --cluster NAME
 *
 * Applies the next phase of removing one environment to a checked-out GitOps repository, in
 * place, and says which phase it applied and how many remain. Exit codes: 0 applied, or nothing
 * of the environment remains; 2 refused (one line: a bad name, an unknown cluster, the management
 * cluster while others depend on it) or a wrong command line; 1 anything else.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  lstatSync,
  statSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { CATALOG_FILE, CLUSTERS_DIR } from '../naming';
import {
  decommissionPlan,
  DecommissionRefusal,
  type DecommissionPhase,
} from './plan';

export const DECOMMISSION_USAGE =
  'usage: aks-gitops decommission --repo DIR --cluster NAME';

/** Every regular file below `root` (repository path → UTF-8 text), but Git's own folder; links are not followed. */
function readRepository(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') walk(path);
      else if (entry.isFile())
        files[relative(root, path).split(sep).join('/')] = readFileSync(
          path,
          'utf8',
        );
    }
  };
  walk(root);
  return files;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether the cluster's catalog file was ever committed in `root` (a Git work tree), i.e. the environment existed. */
function existedInHistory(root: string, cluster: string): boolean {
  try {
    return (
      execFileSync(
        'git',
        [
          '-C',
          root,
          'log',
          '-1',
          '--format=%h',
          '--',
          `${CLUSTERS_DIR}/${cluster}/${CATALOG_FILE}`,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ).trim() !== ''
    );
  } catch {
    return false; // not a Git work tree, or no git: nothing tells the environment ever existed
  }
}

/** Removes `folder` and its parents up to `root` while they are empty. */
function removeEmptyFolders(root: string, folder: string): void {
  let current = folder;
  while (current !== root && current.startsWith(root + sep)) {
    if (readdirSync(current).length > 0) return;
    rmdirSync(current);
    current = dirname(current);
  }
}

function applyPhase(root: string, phase: DecommissionPhase): void {
  for (const { path, content } of phase.changes) {
    const target = resolve(root, path);
    // Read from regular files below root only, so this holds; checked again before writing.
    if (!target.startsWith(root + sep) || lstatSync(target).isSymbolicLink())
      throw new Error(`${path}: must be a plain file below --repo`);
    if (content === null) {
      unlinkSync(target);
      removeEmptyFolders(root, dirname(target));
      continue;
    }
    const fd = openSync(
      target,
      constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW,
    );
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
  }
}

function report(phase: DecommissionPhase, remaining: number): void {
  console.log(
    `applied phase ${phase.number} of ${phase.of} (${phase.id}): ${phase.title}`,
  );
  for (const { path, content } of phase.changes)
    console.log(`  ${content === null ? 'deleted' : 'edited '} ${path}`);
  console.log('once merged:');
  for (const line of phase.then) console.log(`  ${line}`);
  if (remaining === 0) {
    console.log('no phase remains: this is the last pull request');
    return;
  }
  console.log(
    `${remaining} ${remaining === 1 ? 'phase remains' : 'phases remain'}; before the next one, check:`,
  );
  for (const line of phase.checkBeforeNext) console.log(`  ${line}`);
  console.log('then commit, merge, and run this command again');
}

/** The `decommission` command; `args` are the arguments after the command name. */
export function decommissionCommand(args: string[]): number {
  let repo: string;
  let cluster: string;
  try {
    const { values } = parseArgs({
      args,
      options: {
        repo: { type: 'string' },
        cluster: { type: 'string' },
      },
    });
    if (values.repo === undefined || values.cluster === undefined)
      throw new Error('--repo DIR and --cluster NAME are required');
    repo = values.repo;
    cluster = values.cluster;
  } catch (error) {
    console.error((error as Error).message);
    console.error(DECOMMISSION_USAGE);
    return 2;
  }
  const root = resolve(repo);
  if (!isFolder(root)) {
    console.error(
      `--repo: must be a checked-out repository folder, but ${repo} is not a folder`,
    );
    return 2;
  }
  let phases: DecommissionPhase[];
  try {
    phases = decommissionPlan(readRepository(root), cluster).phases;
  } catch (error) {
    if (!(error instanceof DecommissionRefusal)) throw error;
    if (error.reason === 'unknown-cluster' && existedInHistory(root, cluster)) {
      console.log(
        `nothing of ${cluster}'s environment remains in ${repo}: the decommission is complete, nothing was changed`,
      );
      return 0;
    }
    console.error(error.message);
    return 2;
  }
  const [next] = phases;
  if (next === undefined) throw new Error('a decommission plan without phases');
  applyPhase(root, next);
  report(next, phases.length - 1);
  return 0;
}
