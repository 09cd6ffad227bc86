/**
 * The real portal backend as a child process, for end-to-end tests and benchmarks: our
 * packages/backend/src/index.ts reading app-config.yaml, a generated config pointing the catalog at
 * the stand-in's repository, the given profiles, then a generated config pointing GitHub at the
 * stand-in. Ready means Backstage's readiness endpoint says so.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  environmentBranch,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  /**
   * A static token (`backend.auth.externalAccess`) that `api()` authenticates with, for profiles
   * without guest sign-in; without it, `api()` signs in as guest.
   */
  apiToken?: string;
  /**
   * The URL `app.baseUrl` and `backend.baseUrl` name when a load balancer stands in front of
   * several backends (testing/replicas.ts); this backend's own URL by default.
   */
  publicUrl?: string;
}

export interface Portal {
  baseUrl: string;
  /** A JSON API call with the static token or a fresh guest token (or `authorization` when given). */
  api<T>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T }>;
  /** The backend's output so far (for failure messages). */
  output(): string;
  /** Sends SIGTERM (or `signal`) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the backend again with the same config. */
  restart(): Promise<void>;
  /** Sends `signal` and returns at once, e.g. SIGSTOP to pause the process and SIGCONT to resume it. */
  signal(signal: NodeJS.Signals): void;
}

export function freePort(): Promise<number> {
  return new Promise(done => {
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
  const publicUrl = options.publicUrl ?? baseUrl;
  const configDir = mkdtempSync(join(tmpdir(), 'portal-'));
  const standinConfig = join(configDir, 'app-config.standin.yaml');
  writeFileSync(
    standinConfig,
    stringify({
      app: { baseUrl: publicUrl },
      backend: {
        baseUrl: publicUrl,
        listen: { port, host: '127.0.0.1' },
        ...(options.apiToken
          ? {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: {
                      token: options.apiToken,
                      subject: 'portal-tests',
                    },
                  },
                ],
              },
            }
          : {}),
      },
      integrations: {
        github: [
          {
            host: standin.host,
            apiBaseUrl: standin.apiBaseUrl,
            rawBaseUrl: standin.rawBaseUrl,
            token: options.githubToken,
          },
        ],
      },
    }),
  );
  // The catalog reads acme/app-project-env on this stand-in unless a profile names another
  // repository; where GitHub is, is always the stand-in.
  const repositoryConfig = join(
    configDir,
    'app-config.standin-repository.yaml',
  );
  // The same provider id as app-config.yaml's (`fleet`), so this replaces its repoUrl (config files merge by key).
  writeFileSync(
    repositoryConfig,
    stringify({
      catalog: {
        providers: {
          aksGitops: {
            fleet: { repoUrl: `http://${standin.host}/acme/app-project-env` },
          },
        },
      },
    }),
  );
  const configFiles = [
    'app-config.yaml',
    repositoryConfig,
    ...(options.profiles ?? []),
    standinConfig,
  ];
  if (options.config) {
    const extra = join(configDir, 'app-config.extra.yaml');
    writeFileSync(extra, stringify(options.config));
    configFiles.push(extra);
  }

  let child: ChildProcess;
  let output: string[] = [];
  const launch = async () => {
    output = [];
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        options.entry ?? 'packages/backend/src/index.ts',
        ...configFiles.flatMap(f => ['--config', f]),
      ],
      {
        cwd: repositoryRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...options.env },
      },
    );
    const collect = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<never>((_, fail) =>
      child.once('exit', code =>
        fail(
          new Error(
            `the backend exited with ${code}:\n${output.join('').slice(-4000)}`,
          ),
        ),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([exited, waitUntilReady(baseUrl)]);
  };
  try {
    await launch();
  } catch (error) {
    // Nobody gets a Portal to stop: a backend that never became ready must not outlive the test.
    child!.kill('SIGKILL');
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }

  return {
    baseUrl,
    output: () => output.join(''),
    async api<T>(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization'))
        headers.set(
          'authorization',
          `Bearer ${options.apiToken ?? (await guestToken(baseUrl)) ?? 'no-guest-token'}`,
        );
      if (init.body !== undefined)
        headers.set('content-type', 'application/json');
      const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : undefined) as T,
      };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(done => child.once('exit', done));
      child.kill(signal);
      // Backstage drains for a while on SIGTERM; a test has no connections worth draining.
      const drainLimit = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(drainLimit);
      if (signal === 'SIGTERM')
        rmSync(configDir, { recursive: true, force: true });
    },
    restart: launch,
    signal(signal: NodeJS.Signals) {
      child.kill(signal);
    },
  };
}

/** A GitHub stand-in holding the portal's GitOps repository, acme/app-project-env. */
export { startSeededStandin } from '@aks-gitops/fixtures';

export interface DatabaseServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Options running the production profile (app-config.production.yaml) as documented: its
 * ${VARIABLES} point at `database` and the stand-in, which hosts this repository's catalog files
 * as acme/aks-gitops for the profile's url location. Guest sign-in is off there: `api()` uses
 * `apiToken`.
 */
export async function productionProfile(
  standin: GithubStandin,
  githubToken: string,
  database: DatabaseServer,
  apiToken: string,
) {
  const paths = [
    'catalog-info.yaml',
    ...['catalog', 'templates'].flatMap(dir =>
      readdirSync(join(repositoryRoot, dir), {
        recursive: true,
        encoding: 'utf8',
      })
        .map(path => `${dir}/${path}`)
        .filter(path => statSync(join(repositoryRoot, path)).isFile()),
    ),
  ];
  standin.seedRepository('acme', 'aks-gitops', {
    files: Object.fromEntries(
      paths.map(path => [
        path,
        readFileSync(join(repositoryRoot, path), 'utf8'),
      ]),
    ),
  });
  const port = await freePort();
  return {
    port,
    apiToken,
    profiles: ['app-config.production.yaml'],
    env: {
      NODE_ENV: 'production',
      PORTAL_BASE_URL: `http://localhost:${port}`,
      POSTGRES_HOST: database.host,
      POSTGRES_PORT: String(database.port),
      POSTGRES_USER: database.user,
      POSTGRES_PASSWORD: database.password,
      GITHUB_TOKEN: githubToken,
      PORTAL_REPOSITORY_URL: `${standin.url}/acme/aks-gitops`,
      GITOPS_REPOSITORY_URL: `${standin.url}/acme/app-project-env`,
    },
  } satisfies Partial<PortalOptions>;
}

async function waitUntilReady(baseUrl: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`the backend at ${baseUrl} was not ready within 2 minutes`);
}

/** A guest user's token from the backend at `baseUrl`, or undefined while it cannot give one. */
export async function guestToken(baseUrl: string): Promise<string | undefined> {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`).catch(
    () => undefined,
  );
  if (!response?.ok) return undefined;
  const body = (await response.json()) as {
    backstageIdentity?: { token?: string };
  };
  return body.backstageIdentity?.token;
}

/** Starts a task from the "New AKS environment" template; returns its id. */
export async function startTask(
  portal: Pick<Portal, 'api'>,
  values: TemplateValues,
): Promise<string> {
  const created = await portal.api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef: TEMPLATE_REF, values }),
  });
  if (created.status !== 201)
    throw new Error(
      `creating a task for ${values.name} answered ${created.status}: ${JSON.stringify(created.body)}`,
    );
  return created.body.id;
}

/** Polls a scaffolder task until it leaves open/processing; returns its final status. */
export async function waitForTask(
  portal: Pick<Portal, 'api'>,
  taskId: string,
  timeoutMs = 120_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await portal.api<{ status: string }>(
      `/api/scaffolder/v2/tasks/${taskId}`,
    );
    if (body.status !== 'open' && body.status !== 'processing')
      return body.status;
    if (Date.now() > deadline) return body.status;
    await new Promise(r => setTimeout(r, 200));
  }
}

/**
 * Runs `templateRef` with `values` through the REST API (as `authorization` when given, else the
 * portal's static token) until the task ends: its final status and its log's messages.
 */
export async function runTemplate(
  portal: Pick<Portal, 'api'>,
  templateRef: string,
  values: Record<string, unknown>,
  authorization?: string,
): Promise<{ status: string; log: string }> {
  const created = await portal.api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    ...(authorization ? { headers: { authorization } } : {}),
    body: JSON.stringify({ templateRef, values }),
  });
  if (created.status !== 201)
    throw new Error(
      `creating a task of ${templateRef} answered ${created.status}: ${JSON.stringify(created.body)}`,
    );
  const status = await waitForTask(portal, created.body.id);
  const events = await portal.api<Array<{ body: { message?: string } }>>(
    `/api/scaffolder/v2/tasks/${created.body.id}/events`,
  );
  return {
    status,
    log: events.body.map(event => event.body.message ?? '').join('\n'),
  };
}

/** Waits until the catalog has read the template from the repository's catalog-info.yaml. */
export async function waitForTemplate(portal: Portal): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (
      (
        await portal.api(
          '/api/catalog/entities/by-name/template/default/new-aks-environment',
        )
      ).status === 200
    )
      return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    'the catalog did not load the new-aks-environment template within a minute',
  );
}

export type TemplateValues = ReturnType<typeof templateValues>;

/** Form values of the "New AKS environment" template for cluster `name`. */
export function templateValues(name: string, standinHost: string) {
  return {
    name,
    environment: 'dev',
    location: 'eastus',
    kubernetesVersion: '1.35.6',
    vmSize: 'Standard_DS2_v2',
    minCount: 1,
    maxCount: 3,
    osSku: 'AzureLinux',
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-000000000002',
    clientId: '00000000-0000-0000-0000-000000000003',
    argocd: true,
    argoEvents: false,
    argoRollouts: true,
    argoWorkflows: false,
    certManager: true,
    kargo: true,
    owner: 'group:default/platform-team',
    repoUrl: `${standinHost}?owner=acme&repo=app-project-env`,
  };
}

/** The render library's request equal to what the template makes of `templateValues`. */
export function renderRequestFor(values: TemplateValues, standinHost: string) {
  return {
    cluster: {
      name: values.name,
      environment: values.environment,
      location: values.location,
      kubernetesVersion: values.kubernetesVersion,
      nodePool: {
        vmSize: values.vmSize,
        minCount: values.minCount,
        maxCount: values.maxCount,
        osSku: values.osSku,
      },
    },
    azure: {
      subscriptionId: values.subscriptionId,
      tenantId: values.tenantId,
      clientId: values.clientId,
    },
    addons: {
      argocd: values.argocd,
      argoEvents: values.argoEvents,
      argoRollouts: values.argoRollouts,
      argoWorkflows: values.argoWorkflows,
      certManager: values.certManager,
      kargo: values.kargo,
    },
    gitopsRepo: { url: `https://${standinHost}/acme/app-project-env` },
    owner: values.owner,
  };
}

/** Files the pull request's branch adds to the base branch. */
export function addedFiles(
  standin: GithubStandin,
  branch: string,
): Record<string, string> {
  const main = standin.files('acme', 'app-project-env', 'main');
  const onBranch = standin.files('acme', 'app-project-env', branch);
  return Object.fromEntries(
    [...onBranch.entries()].filter(([path]) => !main.has(path)),
  );
}

export interface PullRequestSummary {
  branch: string;
  title: string;
  state: 'open' | 'closed';
  /** What the branch adds to the base branch. */
  files: Record<string, string>;
}

/** Every pull request of acme/app-project-env, sorted by branch. */
export function pullRequestsOf(standin: GithubStandin): PullRequestSummary[] {
  return standin
    .pulls('acme', 'app-project-env')
    .map(pull => ({
      branch: pull.head.ref,
      title: pull.title,
      state: pull.state,
      files: addedFiles(standin, pull.head.ref),
    }))
    .sort((a, b) => a.branch.localeCompare(b.branch));
}

/** What `pullRequestsOf` gives after these environments' tasks: one open pull request each, adding exactly its rendered files. */
export function expectedPullRequests(
  standinHost: string,
  environments: TemplateValues[],
): PullRequestSummary[] {
  return environments
    .map(values => ({
      branch: environmentBranch(values.name),
      title: `Create AKS environment ${values.name} (${values.environment}, ${values.location})`,
      state: 'open' as const,
      files: renderEnvironment(renderRequestFor(values, standinHost)).files,
    }))
    .sort((a, b) => a.branch.localeCompare(b.branch));
}

/** The state label (STATE_LABEL) of cluster `name`'s catalog entity; `absent` when the catalog lacks it. */
export async function catalogState(
  portal: Pick<Portal, 'api'>,
  name: string,
): Promise<string> {
  const entity = await portal.api<{
    metadata: { labels?: Record<string, string> };
  }>(`/api/catalog/entities/by-name/resource/default/${name}`);
  if (entity.status !== 200)
    return entity.status === 404 ? 'absent' : `answered ${entity.status}`;
  return entity.body.metadata.labels?.[STATE_LABEL] ?? 'unlabelled';
}
