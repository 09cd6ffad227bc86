/**
 * The real portal backend as a child process, for end-to-end tests and benchmarks: our
 * packages/backend/src/index.ts reading app-config.yaml, then the given profiles, then a generated
 * config pointing GitHub at a stand-in. Ready means Backstage's readiness endpoint says so.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

export const repositoryRoot = resolve(__dirname, '../../../..');
export const TEMPLATE_REF = 'template:default/new-aks-environment';

export interface PortalOptions {
  standin: GithubStandin;
  /** A token the stand-in accepts. */
  githubToken: string;
  /** More config files after app-config.yaml, e.g. app-config.production.yaml. */
  profiles?: string[];
  /** Config layered last (after the stand-in's), e.g. a database connection. */
  config?: Record<string, unknown>;
  /** Environment for the backend process (profiles read ${VARIABLES}). */
  env?: Record<string, string>;
  port?: number;
  /** The backend's entry module, relative to the repository root; the portal's by default. */
  entry?: string;
}

export interface Portal {
  baseUrl: string;
  /** A JSON API call with a fresh guest token (or `authorization` when given). */
  api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** The backend's output so far (for failure messages). */
  output(): string;
  /** Sends SIGTERM (or `signal`) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the backend again with the same config. */
  restart(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const { standin } = options;
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const configDir = mkdtempSync(join(tmpdir(), 'portal-'));
  const standinConfig = join(configDir, 'app-config.standin.yaml');
  writeFileSync(
    standinConfig,
    stringify({
      app: { baseUrl },
      backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
      integrations: {
        github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, rawBaseUrl: standin.rawBaseUrl, token: options.githubToken }],
      },
      aksGitops: { catalog: { providers: [{ id: 'local', repoUrl: `http://${standin.host}/acme/app-project-env` }] } },
    }),
  );
  const configFiles = ['app-config.yaml', ...(options.profiles ?? []), standinConfig];
  if (options.config) {
    const extra = join(configDir, 'app-config.extra.yaml');
    writeFileSync(extra, stringify(options.config));
    configFiles.push(extra);
  }

  let child: ChildProcess;
  let output: string[] = [];
  const launch = async () => {
    output = [];
    child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'packages/backend/src/index.ts', ...configFiles.flatMap((f) => ['--config', f])], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const collect = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<never>((_, fail) =>
      child.once('exit', (code) => fail(new Error(`the backend exited with ${code}:\n${output.join('').slice(-4000)}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([exited, waitUntilReady(baseUrl)]);
  };
  await launch();

  return {
    baseUrl,
    output: () => output.join(''),
    async api<T>(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${await guestToken(baseUrl)}`);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill(signal);
      // Backstage drains for a while on SIGTERM; a test has no connections worth draining.
      const drainLimit = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(drainLimit);
      if (signal === 'SIGTERM') rmSync(configDir, { recursive: true, force: true });
    },
    restart: launch,
  };
}

async function waitUntilReady(baseUrl: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the backend at ${baseUrl} was not ready within 2 minutes`);
}

async function guestToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`);
  const body = (await response.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** Polls a scaffolder task until it leaves open/processing; returns its final status. */
export async function waitForTask(portal: Portal, taskId: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await portal.api<{ status: string }>(`/api/scaffolder/v2/tasks/${taskId}`);
    if (body.status !== 'open' && body.status !== 'processing') return body.status;
    if (Date.now() > deadline) return body.status;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the catalog has read the template from the repository's catalog-info.yaml. */
export async function waitForTemplate(portal: Portal): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await portal.api('/api/catalog/entities/by-name/template/default/new-aks-environment')).status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the catalog did not load the new-aks-environment template within a minute');
}

/** Form values of the "New AKS environment" template for cluster `name`. */
export function templateValues(name: string, standinHost: string) {
  return {
    name, environment: 'dev', location: 'eastus', kubernetesVersion: '1.32.7',
    vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3, osSku: 'AzureLinux',
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-000000000002',
    clientId: '00000000-0000-0000-0000-000000000003',
    argocd: true, argoEvents: false, argoRollouts: true, argoWorkflows: false, certManager: false, kargo: true,
    owner: 'group:default/platform-team',
    repoUrl: `${standinHost}?owner=acme&repo=app-project-env`,
  };
}

/** The render library's request equal to what the template makes of `templateValues`. */
export function renderRequestFor(values: ReturnType<typeof templateValues>, standinHost: string) {
  return {
    cluster: {
      name: values.name, environment: values.environment, location: values.location, kubernetesVersion: values.kubernetesVersion,
      nodePool: { vmSize: values.vmSize, minCount: values.minCount, maxCount: values.maxCount, osSku: values.osSku },
    },
    azure: { subscriptionId: values.subscriptionId, tenantId: values.tenantId, clientId: values.clientId },
    addons: {
      argocd: values.argocd, argoEvents: values.argoEvents, argoRollouts: values.argoRollouts,
      argoWorkflows: values.argoWorkflows, certManager: values.certManager, kargo: values.kargo,
    },
    gitopsRepo: { url: `https://${standinHost}/acme/app-project-env` },
    owner: values.owner,
  };
}

/** Files the pull request's branch adds to the base branch. */
export function addedFiles(standin: GithubStandin, branch: string): Record<string, string> {
  const main = standin.files('acme', 'app-project-env', 'main');
  const onBranch = standin.files('acme', 'app-project-env', branch);
  return Object.fromEntries([...onBranch.entries()].filter(([path]) => !main.has(path)));
}
