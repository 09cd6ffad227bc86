import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli as run } from '../testing/runCli';
import { renderEnvironment } from '../render';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from '../testing/fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aks-gitops-decommission-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeFiles(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** The folder's files (no .git), path → content. */
function readTree(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile() && !e.parentPath.includes('.git'))
      .map(e => join(e.parentPath, e.name))
      .map(path => [path.slice(dir.length + 1), readFileSync(path, 'utf8')])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

function gitCommitAll(): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git(
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    'commit',
    '-qm',
    'x',
  );
}

const management = renderEnvironment(managementClusterRequest()).files;
const remote = renderEnvironment(existingClusterRequest()).files;
const decommission = ['decommission', '--repo'];

describe('aks-gitops decommission', () => {
  it('applies the next phase in place and says which phase it applied and how many remain', () => {
    writeFiles({ ...management, ...remote });
    const { code, stdout } = run([
      ...decommission,
      dir,
      '--cluster',
      'shared-staging',
    ]);
    expect({
      code,
      first: stdout.split('\n')[0],
      remain: stdout.includes('1 phase remains'),
    }).toEqual({
      code: 0,
      first:
        'applied phase 1 of 2 (workloads): Remove the workloads and the add-ons from the cluster',
      remain: true,
    });
  });

  it('run again, applies the next phase until only the other environment is left, with no empty folder', () => {
    writeFiles({ ...management, ...remote });
    const args = [...decommission, dir, '--cluster', 'shared-staging'];
    const codes = [run(args).code, run(args).code];
    expect({
      codes,
      tree: readTree(),
      folders: readdirSync(join(dir, 'samples')),
    }).toEqual({
      codes: [0, 0],
      tree: management,
      folders: ['aks-labs-gitops'],
    });
  });

  it('once nothing remains of an environment the repository had, says so, changes nothing and exits 0', () => {
    writeFiles({ ...management, ...remote });
    gitCommitAll();
    const args = [...decommission, dir, '--cluster', 'shared-staging'];
    run(args);
    run(args);
    const before = readTree();
    const { code, stdout } = run(args);
    expect({ code, stdout, unchanged: readTree() }).toEqual({
      code: 0,
      stdout: `nothing of shared-staging's environment remains in ${dir}: the decommission is complete, nothing was changed`,
      unchanged: before,
    });
  });

  it('refuses a cluster the repository never had with exit 2 and one line', () => {
    writeFiles(management);
    gitCommitAll();
    const { code, stderr } = run([
      ...decommission,
      dir,
      '--cluster',
      'prod-cluster',
    ]);
    expect({
      code,
      lines: stderr.split('\n').length,
      start: stderr.slice(0, 55),
    }).toEqual({
      code: 2,
      lines: 1,
      start: 'cluster: must name an environment of this repository, b',
    });
  });

  it('refuses the management cluster while others depend on it with exit 2, changing nothing', () => {
    writeFiles({
      ...management,
      ...remote,
      ...renderEnvironment(newClusterRequest()).files,
    });
    const before = readTree();
    const { code, stderr } = run([
      ...decommission,
      dir,
      '--cluster',
      'aks-labs-gitops',
    ]);
    expect({ code, stderr, unchanged: readTree() }).toEqual({
      code: 2,
      stderr:
        'cluster: must not be the management cluster while other clusters depend on it, but aks-labs-gitops runs the Argo CD and add-ons of dev-cluster, shared-staging; decommission those first',
      unchanged: before,
    });
  });

  it('refuses a missing --cluster with exit 2 and the usage', () => {
    expect(run([...decommission, dir])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '--repo DIR and --cluster NAME are required\nusage: aks-gitops decommission --repo DIR --cluster NAME',
    });
  });
});
