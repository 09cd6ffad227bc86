import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli as run } from '../testing/runCli';
import type { EnvironmentRequestInput } from '../request';
import { renderEnvironment } from '../render';
import { newClusterRequest } from '../testing/fixtures';

let dir: string;
let repo: string;

/** Every file below `root` with its content. */
function tree(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(root.length + 1), readFileSync(path, 'utf8')];
      })
      .sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')),
  );
}

function valuesFile(request: EnvironmentRequestInput): string {
  const file = join(dir, 'new.yaml');
  writeFileSync(file, stringify(request));
  return file;
}

const current = (): EnvironmentRequestInput =>
  newClusterRequest({
    cluster: { ...newClusterRequest().cluster, kubernetesVersion: '1.35.6' },
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aks-gitops-change-'));
  repo = join(dir, 'repo');
  // The repository as `aks-gitops render --out` leaves it: the stored request included.
  const first = join(dir, 'first.yaml');
  writeFileSync(first, stringify(current()));
  const rendered = run(['render', '--values', first, '--out', repo]);
  if (rendered.code !== 0)
    throw new Error(`render --out failed: ${rendered.stderr}`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('aks-gitops change', () => {
  it('applies an add-on and a version change in place, writing only the files that change', () => {
    const next: EnvironmentRequestInput = {
      ...current(),
      addons: { ...current().addons, argoRollouts: false },
      cluster: { ...current().cluster, kubernetesVersion: '1.36.2' },
    };
    const before = tree(repo);
    const result = run([
      'change',
      '--repo',
      repo,
      '--values',
      valuesFile(next),
    ]);
    const after = tree(repo);
    expect({
      code: result.code,
      changed: Object.keys(after).filter(path => after[path] !== before[path]),
      files: after,
    }).toEqual({
      code: 0,
      changed: [
        'clusters/dev-cluster/aks-gitops-request.yaml',
        'clusters/dev-cluster/catalog-info.yaml',
        'clusters/dev-cluster/cluster-secret.yaml',
        'samples/dev-cluster/aks-cluster.yaml',
      ].filter(path => renderEnvironment(next).files[path] !== before[path]),
      files: renderEnvironment(next).files,
    });
  });

  it('prints the typed diff', () => {
    const next = {
      ...current(),
      addons: { ...current().addons, argoRollouts: false },
    };
    expect(
      run(['change', '--repo', repo, '--values', valuesFile(next)]).stdout,
    ).toMatch(/^add-on Argo Rollouts: on → off\n/);
  });

  it('--check prints the typed diff only and writes nothing', () => {
    const next = {
      ...current(),
      cluster: { ...current().cluster, kubernetesVersion: '1.36.2' },
    };
    const before = tree(repo);
    const result = run([
      'change',
      '--repo',
      repo,
      '--values',
      valuesFile(next),
      '--check',
    ]);
    expect({ ...result, files: tree(repo) }).toEqual({
      code: 0,
      stdout: 'Kubernetes version: 1.35.6 → 1.36.2',
      stderr: '',
      files: before,
    });
  });

  it('refuses a change of what may not change with exit 2, one line per field, and writes nothing', () => {
    const next = {
      ...current(),
      cluster: { ...current().cluster, location: 'westeurope' },
      azure: {
        ...current().azure,
        tenantId: '00000000-0000-0000-0000-000000000009',
      },
    };
    const before = tree(repo);
    const result = run([
      'change',
      '--repo',
      repo,
      '--values',
      valuesFile(next),
    ]);
    expect({
      code: result.code,
      fields: result.stderr.split('\n').map(line => line.split(':')[0]),
      files: tree(repo),
    }).toEqual({
      code: 2,
      fields: ['cluster.location', 'azure.tenantId'],
      files: before,
    });
  });

  it('refuses with exit 2 naming the file and key path when a hand edit is in the way', () => {
    const secret = join(repo, 'clusters/dev-cluster/cluster-secret.yaml');
    writeFileSync(
      secret,
      readFileSync(secret, 'utf8').replace(
        'enable_argo_rollouts: "true"',
        'enable_argo_rollouts: "yes"',
      ),
    );
    const next = {
      ...current(),
      addons: { ...current().addons, argoRollouts: false },
    };
    const result = run([
      'change',
      '--repo',
      repo,
      '--values',
      valuesFile(next),
    ]);
    expect({
      code: result.code,
      line: result.stderr.split(': must')[0],
    }).toEqual({
      code: 2,
      line: 'clusters/dev-cluster/cluster-secret.yaml: metadata.labels.enable_argo_rollouts',
    });
  });
});
