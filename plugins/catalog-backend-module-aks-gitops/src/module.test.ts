/**
 * The provider inside a real catalog backend, reading the GitOps repository from the GitHub
 * stand-in: pending → merged → active, closed → removed, hand-added, malformed.
 */
import { startGithubStandin, type GithubStandin } from '@aks-gitops/github-standin';
import { CLUSTER_EVENTS_TOPIC, type ClusterRegisteredEvent } from '@aks-gitops/plugin-aks-gitops-node';
import { renderEnvironment } from '@aks-gitops/render';
import { createBackendModule } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { eventsServiceFactory, eventsServiceRef, type EventsService } from '@backstage/plugin-events-node';
import type { AddressInfo } from 'node:net';
import { catalogModuleAksGitops } from './module';

const TOKEN = 'ghp_catalogTest';
const OWNER = 'acme';
const REPO = 'app-project-env';

const environment = (name: string, overrides: Record<string, unknown> = {}) => ({
  mode: 'new',
  cluster: { name, environment: 'dev', location: 'eastus' },
  azure: {
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-000000000002',
    clientId: '00000000-0000-0000-0000-000000000003',
  },
  gitopsRepo: { url: `https://github.com/${OWNER}/${REPO}` },
  owner: 'group:default/platform-team',
  ...overrides,
});

const HANDMADE = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: handmade
  description: Added to the repository by hand
spec:
  type: kubernetes-cluster
  owner: group:default/platform-team
`;

let standin: GithubStandin;
let events: EventsService;
let baseUrl: string;
let stop: () => Promise<void>;

/** Captures the backend's events service, as our register action would use it. */
const eventsProbe = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'events-probe',
  register(env) {
    env.registerInit({ deps: { events: eventsServiceRef }, async init(deps) { events = deps.events; } });
  },
});

beforeAll(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository(OWNER, REPO, {
    files: {
      ...renderEnvironment(environment('mgmt', { mode: 'existing', cluster: { name: 'mgmt', environment: 'control-plane', location: 'eastus' } })).files,
      ...renderEnvironment(environment('dev-cluster')).files,
      'clusters/handmade/catalog-info.yaml': HANDMADE,
      'clusters/broken/catalog-info.yaml': 'kind: Resource\nmetadata: [not, a, map\n',
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAksGitops,
      eventsProbe,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          integrations: { github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, token: TOKEN }] },
          catalog: { processingInterval: { seconds: 1 } },
          aksGitops: {
            catalog: {
              providers: [{ id: 'fleet', repoUrl: `http://${standin.host}/${OWNER}/${REPO}`, schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 } } }],
            },
          },
        },
      }),
    ],
  });
  baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  stop = () => backend.stop();
}, 60_000);

afterAll(async () => {
  await stop?.();
  await standin?.close();
});

async function cluster(name: string): Promise<Entity | undefined> {
  const response = await fetch(`${baseUrl}/api/catalog/entities/by-name/resource/default/${name}`, {
    headers: { authorization: mockCredentials.user.header() },
  });
  return response.status === 404 ? undefined : ((await response.json()) as Entity);
}

/** Polls the catalog until `check` holds, for at most `ms`: the catalog processes asynchronously. */
async function within<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const state = (entity: Entity | undefined) => entity?.metadata.labels?.['aks-gitops.io/state'];

async function openPull(name: string): Promise<{ number: number; url: string }> {
  const branch = `aks-gitops/${name}`;
  standin.commitFiles(OWNER, REPO, { branch, from: 'main', files: renderEnvironment(environment(name)).files, message: `Create ${name}` });
  const pull = standin.openPull(OWNER, REPO, { head: branch, base: 'main', title: `Create ${name}` });
  return { number: pull.number, url: pull.html_url };
}

async function announce(clusterName: string, pullRequest: { number: number; url: string }) {
  const event: ClusterRegisteredEvent = { repoUrl: `https://${standin.host}/${OWNER}/${REPO}`, clusterName, pullRequest };
  await events.publish({ topic: CLUSTER_EVENTS_TOPIC, eventPayload: event });
}

describe('the aks-gitops catalog module', () => {
  it('brings in the clusters of the default branch, hand-added ones too, depending on the management cluster', async () => {
    const dev = await within(30_000, () => cluster('dev-cluster'), (e) => e !== undefined);
    expect(state(dev)).toBe('active');
    expect(dev?.spec).toMatchObject({ type: 'kubernetes-cluster', owner: 'group:default/platform-team', dependsOn: ['resource:default/mgmt'] });
    expect(state(await cluster('handmade'))).toBe('active');
    expect(await cluster('mgmt')).toBeDefined();
  });

  it('skips a malformed file without stopping the fleet', async () => {
    expect(await cluster('broken')).toBeUndefined();
    expect(await cluster('dev-cluster')).toBeDefined();
  });

  it('shows a cluster pending within 10 seconds of its pull request being announced, then active once merged', async () => {
    const pull = await openPull('new-cluster');
    await announce('new-cluster', pull);
    const pending = await within(10_000, () => cluster('new-cluster'), (e) => state(e) === 'pending');
    expect(state(pending)).toBe('pending');
    expect(pending?.metadata.links?.[0]).toMatchObject({ url: pull.url, title: `Pull request #${pull.number} (pending review)` });

    standin.mergePull(OWNER, REPO, pull.number);
    await announce('new-cluster', pull);
    expect(state(await within(10_000, () => cluster('new-cluster'), (e) => state(e) === 'active'))).toBe('active');
  });

  it('removes a cluster whose pull request was closed without merging', async () => {
    const pull = await openPull('abandoned');
    await announce('abandoned', pull);
    expect(state(await within(10_000, () => cluster('abandoned'), (e) => state(e) === 'pending'))).toBe('pending');
    standin.closePull(OWNER, REPO, pull.number);
    await announce('abandoned', pull);
    expect(await within(10_000, () => cluster('abandoned'), (e) => e === undefined)).toBeUndefined();
  });
});
