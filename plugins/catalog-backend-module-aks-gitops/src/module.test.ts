/**
 * The provider inside a real catalog backend, reading the GitOps repository from the GitHub
 * stand-in: pending → merged → active, closed → removed, hand-added, malformed; and what a
 * contributor's unmerged pull request (from the repository or a fork) cannot publish.
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  CLUSTER_EVENTS_TOPIC,
  type ClusterRegisteredEvent,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  CLUSTERS_DIR,
  STATE_LABEL,
  environmentBranch,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import { createBackendModule } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  eventsServiceFactory,
  eventsServiceRef,
  type EventsService,
} from '@backstage/plugin-events-node';
import type { AddressInfo } from 'node:net';
import { parse, stringify } from 'yaml';
import { catalogModuleAksGitops } from './module';
import {
  catalogPath,
  clusterRequest,
  type ClusterRequestOverrides,
} from './testing/clusterRequest';
import {
  forgedRequestMessage,
  contributorPull as pullFromContributor,
} from './testing/contributor';

const TOKEN = 'ghp_catalogTest';
const OWNER = 'acme';
const REPO = 'app-project-env';

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
    env.registerInit({
      deps: { events: eventsServiceRef },
      async init(deps) {
        events = deps.events;
      },
    });
  },
});

beforeAll(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository(OWNER, REPO, {
    files: {
      ...renderEnvironment(
        clusterRequest('mgmt', {
          mode: 'existing',
          cluster: { environment: 'control-plane' },
        }),
      ).files,
      // Rendered, as the portal would, with this repository's management cluster.
      ...renderEnvironment(
        clusterRequest('dev-cluster', { managementCluster: 'mgmt' }),
      ).files,
      'clusters/handmade/catalog-info.yaml': HANDMADE,
      'clusters/broken/catalog-info.yaml':
        'kind: Resource\nmetadata: [not, a, map\n',
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
          integrations: {
            github: [
              {
                host: standin.host,
                apiBaseUrl: standin.apiBaseUrl,
                token: TOKEN,
              },
            ],
          },
          catalog: {
            processingInterval: { seconds: 1 },
            // A partial schedule: the provider fills the timeout from its default.
            providers: {
              aksGitops: {
                fleet: {
                  repoUrl: `http://${standin.host}/${OWNER}/${REPO}`,
                  schedule: { frequency: { minutes: 30 } },
                },
              },
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
  const response = await fetch(
    `${baseUrl}/api/catalog/entities/by-name/resource/default/${name}`,
    {
      headers: { authorization: mockCredentials.user.header() },
    },
  );
  return response.status === 404
    ? undefined
    : ((await response.json()) as Entity);
}

/** Polls the catalog until `check` holds, for at most `ms`: the catalog processes asynchronously. */
async function within<T>(
  ms: number,
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

const state = (entity: Entity | undefined) =>
  entity?.metadata.labels?.[STATE_LABEL];

/** The pull request our action opens for `name` (written through the stand-in's control API). */
async function openPull(
  name: string,
  overrides: ClusterRequestOverrides = {},
): Promise<{ number: number; url: string }> {
  const branch = environmentBranch(name);
  standin.commitFiles(OWNER, REPO, {
    branch,
    from: 'main',
    files: renderEnvironment(clusterRequest(name, overrides)).files,
    message: forgedRequestMessage(`Create ${name}`),
  });
  const pull = standin.openPull(OWNER, REPO, {
    head: branch,
    base: 'main',
    title: `Create ${name}`,
  });
  return { number: pull.number, url: pull.html_url };
}

async function announce(clusterName: string) {
  const event: ClusterRegisteredEvent = {
    repoUrl: `https://${standin.host}/${OWNER}/${REPO}`,
    clusterName,
  };
  await events.publish({ topic: CLUSTER_EVENTS_TOPIC, eventPayload: event });
}

/** The catalog file our render writes for `name`, with `change` applied to its parsed object. */
function catalogFile(
  name: string,
  overrides: ClusterRequestOverrides,
  change: (entity: Entity) => void,
): string {
  const entity = parse(
    renderEnvironment(clusterRequest(name, overrides)).files[
      catalogPath(name)
    ] ?? '',
  ) as Entity;
  change(entity);
  return stringify(entity);
}

/** What an attacker puts in a catalog file: their owner, a phishing link, a cluster locator of theirs. */
function attackerFile(pathName: string, entityName: string): string {
  return catalogFile(pathName, {}, entity => {
    entity.metadata.name = entityName;
    entity.metadata.description = 'Taken over';
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'kubernetes.io/api-server': 'https://attacker.example',
      'kubernetes.io/auth-provider': 'serviceAccount',
      'backstage.io/techdocs-ref': 'url:https://attacker.example/docs',
    };
    entity.metadata.links = [
      {
        url: 'https://attacker.example/login',
        title: 'Sign in to see your cluster',
      },
    ];
    entity.spec = { ...entity.spec, owner: 'user:default/mallory' };
  });
}

/** A contributor's pull request from a branch of `headOwner`'s copy of the repository (ours, or a fork). */
const contributorPull = (
  headOwner: string,
  branch: string,
  files: Record<string, string>,
) =>
  pullFromContributor(standin, {
    token: TOKEN,
    owner: OWNER,
    repo: REPO,
    headOwner,
    branch,
    files,
    message: forgedRequestMessage(`Update ${branch}`),
  });

/**
 * The victim's team revises the description on `branch` (its pull request's, or the default
 * branch once merged) and the refresh runs: once the revision shows, the catalog holds what the
 * provider made of the repository after the attack.
 */
async function afterVictimRevision(
  name: string,
  overrides: ClusterRequestOverrides,
  pull: { number: number; url: string },
  branch = environmentBranch(name),
): Promise<Entity | undefined> {
  const description = `Revised after the attack (${name})`;
  const files = {
    [catalogPath(name)]: catalogFile(
      name,
      overrides,
      entity => void (entity.metadata.description = description),
    ),
  };
  standin.commitFiles(OWNER, REPO, {
    branch,
    files,
    message: forgedRequestMessage('Revise'),
  });
  await announce(name);
  return within(
    10_000,
    () => cluster(name),
    e => e?.metadata.description === description,
  );
}

const attackerMarks = (entity: Entity | undefined) => ({
  owner: entity?.spec?.owner,
  kubernetesAnnotations: Object.keys(entity?.metadata.annotations ?? {}).filter(
    key => key.startsWith('kubernetes.io/'),
  ),
  techdocs: entity?.metadata.annotations?.['backstage.io/techdocs-ref'],
  attackerLinks: (entity?.metadata.links ?? []).filter(link =>
    link.url.includes('attacker.example'),
  ),
});

describe('the aks-gitops catalog module', () => {
  it('brings in the clusters of the default branch, hand-added ones too, depending on the management cluster', async () => {
    const dev = await within(
      30_000,
      () => cluster('dev-cluster'),
      e => e !== undefined,
    );
    expect(state(dev)).toBe('active');
    expect(dev?.spec).toMatchObject({
      type: 'kubernetes-cluster',
      owner: 'group:default/platform-team',
      dependsOn: ['resource:default/mgmt'],
    });
    expect(state(await cluster('handmade'))).toBe('active');
    expect(await cluster('mgmt')).toBeDefined();
  });

  it('skips a malformed file without stopping the fleet', async () => {
    expect(await cluster('broken')).toBeUndefined();
    expect(await cluster('dev-cluster')).toBeDefined();
  });

  it('shows a cluster pending within 10 seconds of its pull request being announced, then active once merged', async () => {
    const pull = await openPull('new-cluster');
    await announce('new-cluster');
    const pending = await within(
      10_000,
      () => cluster('new-cluster'),
      e => state(e) === 'pending',
    );
    expect(state(pending)).toBe('pending');
    expect(pending?.metadata.links?.[0]).toMatchObject({
      url: pull.url,
      title: `Pull request #${pull.number} (pending review)`,
    });

    standin.mergePull(OWNER, REPO, pull.number);
    await announce('new-cluster');
    expect(
      state(
        await within(
          10_000,
          () => cluster('new-cluster'),
          e => state(e) === 'active',
        ),
      ),
    ).toBe('active');
  }, 30_000);

  it('removes a cluster whose pull request was closed without merging', async () => {
    const pull = await openPull('abandoned');
    await announce('abandoned');
    expect(
      state(
        await within(
          10_000,
          () => cluster('abandoned'),
          e => state(e) === 'pending',
        ),
      ),
    ).toBe('pending');
    standin.closePull(OWNER, REPO, pull.number);
    await announce('abandoned');
    expect(
      await within(
        10_000,
        () => cluster('abandoned'),
        e => e === undefined,
      ),
    ).toBeUndefined();
  }, 30_000);
});

describe('what an unmerged pull request cannot publish', () => {
  const teamA = { owner: 'group:default/team-a' };
  const untouched = {
    owner: 'group:default/team-a',
    kubernetesAnnotations: [],
    techdocs: undefined,
    attackerLinks: [],
  };

  it("keeps another team's pending cluster theirs when a newer pull request names it in its own folder", async () => {
    const victim = await openPull('team-a-cluster', teamA);
    await announce('team-a-cluster');
    await within(
      10_000,
      () => cluster('team-a-cluster'),
      e => state(e) === 'pending',
    );

    await contributorPull(OWNER, environmentBranch('mallory-cluster'), {
      [catalogPath('mallory-cluster')]: attackerFile(
        'mallory-cluster',
        'team-a-cluster',
      ),
    });
    const seen = await afterVictimRevision('team-a-cluster', teamA, victim);

    expect(attackerMarks(seen)).toEqual(untouched);
    expect(await cluster('mallory-cluster')).toBeUndefined();
  }, 30_000);

  it("keeps another team's pending cluster theirs when a fork's pull request uses the same branch name", async () => {
    const victim = await openPull('team-b-cluster', teamA);
    await announce('team-b-cluster');
    await within(
      10_000,
      () => cluster('team-b-cluster'),
      e => state(e) === 'pending',
    );

    // mallory forks the repository (the stand-in has no fork API: a copy under her name is one)
    standin.seedRepository('mallory', REPO, {
      files: { 'README.md': '# fork\n' },
    });
    await contributorPull('mallory', environmentBranch('team-b-cluster'), {
      [catalogPath('team-b-cluster')]: attackerFile(
        'team-b-cluster',
        'team-b-cluster',
      ),
    });
    const seen = await afterVictimRevision('team-b-cluster', teamA, victim);

    expect(attackerMarks(seen)).toEqual(untouched);
  }, 30_000);

  it("shows a pending cluster without the file's cluster locator, Backstage annotations or links: only its pull request and folder", async () => {
    const name = 'shiny-cluster';
    const file = catalogFile(name, {}, entity => {
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        'kubernetes.io/api-server': 'https://attacker.example',
        'backstage.io/techdocs-ref': 'url:https://attacker.example/docs',
      };
      entity.metadata.links = [
        {
          url: 'https://attacker.example/login',
          title: 'Sign in to see your cluster',
        },
      ];
    });
    const pull = await contributorPull(OWNER, environmentBranch(name), {
      [catalogPath(name)]: file,
    });
    await announce(name);
    const pending = await within(
      10_000,
      () => cluster(name),
      e => state(e) === 'pending',
    );

    expect(attackerMarks(pending)).toEqual({
      ...untouched,
      owner: 'group:default/platform-team',
    });
    expect(pending?.metadata.links).toEqual([
      {
        url: pull.url,
        title: `Pull request #${pull.number} (pending review)`,
        icon: 'github',
      },
      {
        url: `http://${standin.host}/${OWNER}/${REPO}/tree/${environmentBranch(name)}/${CLUSTERS_DIR}/${name}`,
        title: 'GitOps folder',
        icon: 'github',
      },
    ]);
  }, 30_000);

  it('keeps an active cluster as merged when a pull request on its branch changes its owner', async () => {
    const pull = await contributorPull(
      OWNER,
      environmentBranch('dev-cluster'),
      {
        [catalogPath('dev-cluster')]: attackerFile(
          'dev-cluster',
          'dev-cluster',
        ),
      },
    );
    const dev = await afterVictimRevision('dev-cluster', {}, pull, 'main');

    expect(state(dev)).toBe('active');
    expect(attackerMarks(dev)).toEqual({
      ...untouched,
      owner: 'group:default/platform-team',
    });
  }, 30_000);
});
