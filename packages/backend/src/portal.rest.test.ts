/**
 * End to end over REST: the real backend (child process, SQLite, our modules) against the GitHub
 * stand-in. A task from the "New AKS environment" template opens a pull request holding exactly
 * the rendered files, and the cluster is in the catalog when the task finishes.
 */
import { startGithubStandin, type GithubStandin } from '@aks-gitops/github-standin';
import { renderEnvironment } from '@aks-gitops/render';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

const root = resolve(__dirname, '../../..');
const TOKEN = 'ghp_portalRestTest';
let standin: GithubStandin;
let backend: ChildProcess;
let baseUrl: string;
let configDir: string;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

beforeAll(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository('acme', 'app-project-env', { folder: join(root, 'packages/backend/seed/app-project-env') });
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  configDir = mkdtempSync(join(tmpdir(), 'portal-'));
  const config = join(configDir, 'app-config.test.yaml');
  writeFileSync(
    config,
    stringify({
      backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
      integrations: { github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, rawBaseUrl: standin.rawBaseUrl, token: TOKEN }] },
      aksGitops: { catalog: { providers: [{ id: 'local', repoUrl: `http://${standin.host}/acme/app-project-env` }] } },
    }),
  );
  backend = spawn(process.execPath, ['--import', 'tsx', 'packages/backend/src/index.ts', '--config', 'app-config.yaml', '--config', config], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ready, fail) => {
    const output: string[] = [];
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('Listening on')) ready();
    };
    backend.stdout?.on('data', onData);
    backend.stderr?.on('data', onData);
    backend.on('exit', (code) => fail(new Error(`backend exited with ${code}:\n${output.join('').slice(-3000)}`)));
  });
  // "Listening on" comes before the plugins are initialized; readiness after.
  for (let i = 0; i < 120; i++) {
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  backend?.kill('SIGTERM');
  await standin?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const guest = (await (await fetch(`${baseUrl}/api/auth/guest/refresh`)).json()) as { backstageIdentity: { token: string } };
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${guest.backstageIdentity.token}`, 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as T };
}

const values = {
  name: 'dev-cluster', environment: 'dev', location: 'eastus', kubernetesVersion: '1.32.7',
  vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3, osSku: 'AzureLinux',
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  tenantId: '00000000-0000-0000-0000-000000000002',
  clientId: '00000000-0000-0000-0000-000000000003',
  argocd: true, argoEvents: false, argoRollouts: true, argoWorkflows: false, certManager: false, kargo: true,
  owner: 'group:default/platform-team',
};

it('creates an environment from the template: one pull request with exactly the rendered files, and the cluster in the catalog', async () => {
  // The catalog reads the template from the repository's catalog-info.yaml first.
  for (let i = 0; i < 60 && (await api('/api/catalog/entities/by-name/template/default/new-aks-environment')).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const created = await api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef: 'template:default/new-aks-environment', values: { ...values, repoUrl: `${standin.host}?owner=acme&repo=app-project-env` } }),
  });
  expect(created.status).toBe(201);
  let status = 'open';
  for (let i = 0; i < 120 && (status === 'open' || status === 'processing'); i++) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await api<{ status: string }>(`/api/scaffolder/v2/tasks/${created.body.id}`)).body.status;
  }
  expect(status).toBe('completed');

  const [pull] = standin.pulls('acme', 'app-project-env');
  expect(pull?.title).toBe('Create AKS environment dev-cluster (dev, eastus)');
  const rendered = renderEnvironment({
    cluster: { name: 'dev-cluster', environment: 'dev', location: 'eastus', kubernetesVersion: '1.32.7', nodePool: { vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3, osSku: 'AzureLinux' } },
    azure: { subscriptionId: values.subscriptionId, tenantId: values.tenantId, clientId: values.clientId },
    addons: { argocd: true, argoEvents: false, argoRollouts: true, argoWorkflows: false, certManager: false, kargo: true },
    gitopsRepo: { url: `https://${standin.host}/acme/app-project-env` },
    owner: 'group:default/platform-team',
  }).files;
  const main = standin.files('acme', 'app-project-env', 'main');
  const onBranch = standin.files('acme', 'app-project-env', pull?.head.ref ?? '');
  const added = [...onBranch.entries()].filter(([path]) => !main.has(path));
  expect(Object.fromEntries(added)).toEqual(rendered);

  const entity = await api<{ metadata: { labels: Record<string, string> } }>('/api/catalog/entities/by-name/resource/default/dev-cluster');
  expect(entity.status).toBe(200);
  expect(entity.body.metadata.labels['aks-gitops.io/state']).toBe('pending');
}, 120_000);
