/**
 * End to end over REST (issue 11): the real backend against the GitHub stand-in, seeded with the
 * lab's management cluster. The "Onboard an existing AKS cluster" template, in-cluster and remote,
 * and a new cluster with the AKS Store workload each open one pull request holding exactly the
 * files the render library writes for the request the template makes of the form's values.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  AKS_STORE_DEMO_WORKLOAD,
  environmentBranch,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  addedFiles,
  catalogState,
  renderRequestFor,
  startPortal,
  startSeededStandin,
  templateValues,
  waitForTask,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalOnboardTest';
const ONBOARD_REF = 'template:default/onboard-aks-cluster';
const NEW_REF = 'template:default/new-aks-environment';
// base64 of a PEM certificate, as the render library's own fixtures write it (testing/fixtures.ts).
const CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUAKS=\n-----END CERTIFICATE-----\n',
).toString('base64');
const AZURE = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  tenantId: '00000000-0000-0000-0000-000000000002',
  clientId: '00000000-0000-0000-0000-000000000003',
};
const ADDONS = {
  argocd: false,
  argoEvents: false,
  argoRollouts: false,
  argoWorkflows: false,
};

let standin: GithubStandin;
let portal: Portal;

beforeAll(async () => {
  standin = await startSeededStandin({ tokens: [TOKEN] });
  portal = await startPortal({ standin, githubToken: TOKEN });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

async function waitForEntity(path: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await portal.api(path)).status === 200) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`the catalog did not hold ${path} within a minute`);
}

/** Runs a task of `templateRef` with `values`; returns the files its pull request adds. */
async function run(
  templateRef: string,
  values: Record<string, unknown>,
  cluster: string,
): Promise<Record<string, string>> {
  const created = await portal.api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef, values }),
  });
  expect(created.status).toBe(201);
  expect(await waitForTask(portal, created.body.id)).toBe('completed');
  return addedFiles(standin, environmentBranch(cluster));
}

function repoUrl(): string {
  return `${standin.host}?owner=acme&repo=app-project-env`;
}

it('shows the seeded management cluster aks-labs-gitops in the catalog at start, active', async () => {
  // The provider's first read of the repository, soon after start.
  await waitForEntity(
    '/api/catalog/entities/by-name/resource/default/aks-labs-gitops',
  );
  expect(await catalogState(portal, 'aks-labs-gitops')).toBe('active');
}, 120_000);

it('onboards an in-cluster management cluster, taking over the hand-applied objects: exactly the rendered files', async () => {
  const files = await run(
    ONBOARD_REF,
    {
      name: 'hub-cluster',
      environment: 'control-plane',
      location: 'eastus',
      kubernetesVersion: '1.36.2',
      connection: 'in-cluster',
      adoptClusterSecret: 'aks-labs-gitops',
      adoptClusterAddons: 'cluster-addons',
      ...AZURE,
      ...ADDONS,
      certManager: false,
      kargo: true,
      advanced: false,
      workloads: [],
      owner: 'group:default/platform-team',
      repoUrl: repoUrl(),
    },
    'hub-cluster',
  );
  expect(files).toEqual(
    renderEnvironment({
      mode: 'existing',
      cluster: {
        name: 'hub-cluster',
        environment: 'control-plane',
        location: 'eastus',
        kubernetesVersion: '1.36.2',
      },
      azure: AZURE,
      addons: { ...ADDONS, certManager: false, kargo: true },
      adopt: {
        clusterSecret: 'aks-labs-gitops',
        clusterAddons: 'cluster-addons',
      },
      gitopsRepo: { url: `https://${standin.host}/acme/app-project-env` },
      owner: 'group:default/platform-team',
    }).files,
  );
  expect(await catalogState(portal, 'hub-cluster')).toBe('pending');
}, 120_000);

it('onboards a remote cluster with its API server, CA and resource group and the AKS Store workload: exactly the rendered files', async () => {
  const files = await run(
    ONBOARD_REF,
    {
      name: 'shared-staging',
      environment: 'staging',
      location: 'westeurope',
      kubernetesVersion: '1.35.6',
      connection: 'remote',
      server: 'https://shared-staging-dns-abc123.hcp.westeurope.azmk8s.io:443',
      caData: CA_DATA,
      resourceGroup: 'rg-shared-staging',
      // Left from the in-cluster choice before switching: not sent.
      adoptClusterSecret: 'aks-labs-gitops',
      ...AZURE,
      ...ADDONS,
      certManager: true,
      kargo: true,
      advanced: false,
      workloads: [AKS_STORE_DEMO_WORKLOAD],
      owner: 'group:default/platform-team',
      repoUrl: repoUrl(),
    },
    'shared-staging',
  );
  expect(files).toEqual(
    renderEnvironment({
      mode: 'existing',
      cluster: {
        name: 'shared-staging',
        environment: 'staging',
        location: 'westeurope',
        kubernetesVersion: '1.35.6',
        server:
          'https://shared-staging-dns-abc123.hcp.westeurope.azmk8s.io:443',
        caData: CA_DATA,
        resourceGroup: 'rg-shared-staging',
      },
      azure: AZURE,
      addons: { ...ADDONS, certManager: true, kargo: true },
      workloads: [AKS_STORE_DEMO_WORKLOAD],
      gitopsRepo: { url: `https://${standin.host}/acme/app-project-env` },
      owner: 'group:default/platform-team',
    }).files,
  );
}, 120_000);

it('creates a new cluster with the AKS Store workload and another add-ons repository: exactly the rendered files', async () => {
  const addonsRepo = {
    url: 'https://github.com/acme/platform-addons',
    basepath: 'gitops/',
    path: 'addons',
    revision: 'v1',
  };
  const values = templateValues('store-cluster', standin.host);
  const files = await run(
    NEW_REF,
    {
      ...values,
      workloads: [AKS_STORE_DEMO_WORKLOAD],
      advanced: true,
      addonsRepo,
    },
    'store-cluster',
  );
  expect(files).toEqual(
    renderEnvironment({
      ...renderRequestFor(values, standin.host),
      workloads: [AKS_STORE_DEMO_WORKLOAD],
      addonsRepo,
    }).files,
  );
}, 120_000);
