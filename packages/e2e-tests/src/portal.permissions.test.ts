/**
 * Who may do what, on the production profile for real (app-config.production.yaml, PostgreSQL,
 * guest sign-in off, the permission framework on): two users of different groups, alice
 * (platform-team: an admin) and bob (app-team), from catalog/org.yaml, signed in through a
 * test-only provider that issues real Backstage user tokens (testing/testSignInModule.ts); setup uses
 * the static token, a service principal the policy does not apply to.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import { startPostgres, type Postgres } from './testing/postgres';
import {
  catalogState,
  productionProfile,
  renderRequestFor,
  runTemplate,
  startPortal,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTemplate,
  type Portal,
} from './testing/portal';
import { TEST_PROVIDER_ID, userToken } from './testing/testSignIn';

const TOKEN = 'ghp_portalPermissionsTest';
const CLUSTER_OWNERS = {
  'platform-cluster': 'group:default/platform-team',
  'team-cluster': 'group:default/app-team',
};
let postgres: Postgres;
let standin: GithubStandin;
let portal: Portal;
/** Authorization headers of the two users. */
let alice: string;
let bob: string;

const EVIL_TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: evil
spec:
  owner: user:default/mallory
  type: service
  steps: []
`;

/** Signs `name` in, retrying while the catalog has not yet read the User and its groups. */
async function signIn(name: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return `Bearer ${await userToken(portal.baseUrl, name)}`;
    } catch (error) {
      if (i >= 120) throw error;
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

beforeAll(async () => {
  postgres = await startPostgres();
  standin = await startSeededStandin({ tokens: [TOKEN] });
  standin.seedRepository('mallory', 'evil', {
    files: { 't.yaml': EVIL_TEMPLATE },
  });
  standin.seedRepository(
    'acme',
    'secrets',
    { files: { 'credentials.txt': 'the-private-repository-content' } },
    { private: true },
  );
  // Two clusters merged before the portal starts: one of platform-team's, one of app-team's.
  for (const [name, owner] of Object.entries(CLUSTER_OWNERS))
    standin.commitFiles('acme', 'app-project-env', {
      branch: 'main',
      files: renderEnvironment(
        renderRequestFor(
          { ...templateValues(name, standin.host), owner },
          standin.host,
        ),
      ).files,
      message: `Create AKS environment ${name}`,
    });
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    ...(await productionProfile(
      standin,
      TOKEN,
      postgres,
      'portal-permissions-test',
    )),
    entry: 'packages/e2e-tests/src/testing/permissionsBackend.ts',
    config: { auth: { providers: { [TEST_PROVIDER_ID]: {} } } },
  });
  await waitForTemplate(portal);
  [alice, bob] = [await signIn('alice'), await signIn('bob')];
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
  await postgres?.stop();
}, 30_000);

const PORTAL = () => `${standin.url}/acme/aks-gitops`;

/** A dry run of registering `target`: what the catalog would take from it. */
const dryRunRegister = (target: string, authorization?: string) =>
  portal.api<{
    error?: { message: string };
    entities?: Array<{ kind: string; metadata: { name: string } }>;
  }>('/api/catalog/locations?dryRun=true', {
    method: 'POST',
    body: JSON.stringify({ type: 'url', target }),
    ...(authorization ? { headers: { authorization } } : {}),
  });

/** Waits until the catalog has processed the registered location of `target` and returns its errors. */
async function locationErrors(target: string): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const [errors] = await postgres.query(
      'backstage_plugin_catalog',
      `select errors from refresh_state where unprocessed_entity like '%"target":"${target}"%' and errors <> '' and errors <> '[]'`,
    );
    if (errors) return errors;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `the catalog did not process the location ${target} within a minute`,
  );
}

describe('templates and the organisation come only from the exact configured location (issue 9.1)', () => {
  it('refuses a URL under the portal repository that the reader decodes into another repository, in a dry run', async () => {
    const target = `${PORTAL()}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`;
    const refused = await dryRunRegister(target);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain(
      `location: must be written without percent-encoding, as the reader decodes it before reading, but "${target}" has an escape`,
    );
  });

  it('keeps the Template of such a URL out of the catalog once registered', async () => {
    const target = `${PORTAL()}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`;
    // The catalog stores a registered location unchecked (DefaultLocationService.createLocation,
    // @backstage/plugin-catalog-backend 4.0.0); processing it is where it is refused.
    const registered = await portal.api('/api/catalog/locations', {
      method: 'POST',
      body: JSON.stringify({ type: 'url', target }),
    });
    expect(registered.status).toBe(201);
    expect(await locationErrors(target)).toContain(
      'location: must be written without percent-encoding',
    );
    expect(
      (await portal.api('/api/catalog/entities/by-name/template/default/evil'))
        .status,
    ).toBe(404);
  });

  it('refuses a Template from another branch of the portal repository', async () => {
    standin.seedRepository(
      'acme',
      'aks-gitops',
      { files: { 't.yaml': EVIL_TEMPLATE } },
      { branch: 'mallory' },
    );
    const refused = await dryRunRegister(`${PORTAL()}/blob/mallory/t.yaml`);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain(
      'Entity template:default/evil at url:',
    );
    expect(refused.body.error?.message).toContain(
      'is not of an allowed kind for that location',
    );
  });

  it('refuses the same Template registered at the very file the configured location lists', async () => {
    const refused = await dryRunRegister(
      `${PORTAL()}/blob/main/templates/new-aks-environment/template.yaml`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain(
      'is not of an allowed kind for that location',
    );
  });
});

describe('clusters come only from the aks-gitops provider (issue 9.6)', () => {
  it('refuses a registered Resource of spec.type kubernetes-cluster posing as an active cluster', async () => {
    const fake =
      'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: prod-cluster\n  labels: { aks-gitops.io/state: active }\n  annotations: { kubernetes.io/api-server: https://attacker.example }\nspec:\n  type: kubernetes-cluster\n  owner: user:default/mallory\n';
    standin.seedRepository('mallory', 'clusters', {
      files: { 'c.yaml': fake },
    });
    const refused = await dryRunRegister(
      `${standin.url}/mallory/clusters/blob/main/c.yaml`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('"prod-cluster" at "url:');
    expect(refused.body.error?.message).toContain(
      'metadata.labels: must not hold aks-gitops.io/ keys in a file the catalog reads from a location (only the aks-gitops provider puts clusters into the catalog), but it holds "aks-gitops.io/state"',
    );
  });
});

describe('the permission policy (issue 9.6): alice of platform-team is an admin, bob of app-team is not', () => {
  it("signs both in with their catalog groups in the token's ownership claims", async () => {
    const claims = (authorization: string) =>
      JSON.parse(
        Buffer.from(authorization.split('.')[1]!, 'base64url').toString(),
      ) as { sub: string; ent?: string[] };
    // Tokens may leave `ent` out (auth.omitIdentityTokenOwnershipClaim); then the user info endpoint has it.
    const ownership = async (authorization: string) =>
      claims(authorization).ent ??
      (
        await portal.api<{ claims: { ent: string[] } }>(
          '/api/auth/v1/userinfo',
          { headers: { authorization } },
        )
      ).body.claims.ent;
    expect(claims(alice).sub).toBe('user:default/alice');
    expect(await ownership(alice)).toEqual([
      'user:default/alice',
      'group:default/platform-team',
    ]);
    expect(await ownership(bob)).toEqual([
      'user:default/bob',
      'group:default/app-team',
    ]);
  });

  const peek = (authorization: string) =>
    portal.api<{
      directoryContents?: Array<{ path: string; base64Content: string }>;
    }>('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      headers: { authorization },
      body: JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'peek' },
          spec: {
            type: 'service',
            steps: [
              {
                id: 'fetch',
                name: 'Fetch',
                action: 'fetch:plain',
                input: { url: `${standin.url}/acme/secrets/tree/main` },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      }),
    });

  it("refuses bob a dry run, which would read a private repository with the portal's token", async () => {
    expect((await peek(bob)).status).toBe(403);
  });

  it('lets alice dry-run the same template (and it does read the private repository)', async () => {
    const dryRun = await peek(alice);
    expect(dryRun.status).toBe(200);
    const file = dryRun.body.directoryContents?.find(
      f => f.path === 'credentials.txt',
    );
    expect(Buffer.from(file?.base64Content ?? '', 'base64').toString()).toBe(
      'the-private-repository-content',
    );
  });

  it('refuses bob registering a location, a dry run too, and lets alice', async () => {
    standin.seedRepository('acme', 'service', {
      files: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: service\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/app-team\n',
      },
    });
    const target = `${standin.url}/acme/service/blob/main/catalog-info.yaml`;
    expect((await dryRunRegister(target, bob)).status).toBe(403);
    expect(
      (
        await portal.api('/api/catalog/locations', {
          method: 'POST',
          headers: { authorization: bob },
          body: JSON.stringify({ type: 'url', target }),
        })
      ).status,
    ).toBe(403);
    expect((await dryRunRegister(target, alice)).status).toBe(201);
  });

  it('refuses bob deleting an entity, and lets alice', async () => {
    const entity = await portal.api<{ metadata: { uid: string } }>(
      '/api/catalog/entities/by-name/system/default/payments',
      { headers: { authorization: bob } },
    );
    expect(entity.status).toBe(200);
    const remove = (authorization: string) =>
      portal.api(`/api/catalog/entities/by-uid/${entity.body.metadata.uid}`, {
        method: 'DELETE',
        headers: { authorization },
      });
    expect((await remove(bob)).status).toBe(403);
    expect((await remove(alice)).status).toBe(204);
  });

  it('shows bob only his own tasks, and alice every task', async () => {
    const asUser = (authorization: string): Portal => ({
      ...portal,
      api: (path, init = {}) =>
        portal.api(path, {
          ...init,
          headers: { ...init.headers, authorization },
        }),
    });
    const alicesTask = await startTask(
      asUser(alice),
      templateValues('alice-env', standin.host),
    );
    const bobsTask = await startTask(asUser(bob), {
      ...templateValues('bob-env', standin.host),
      owner: 'group:default/app-team',
    });
    const list = async (authorization: string) =>
      (
        await portal.api<{ tasks: Array<{ id: string }> }>(
          '/api/scaffolder/v2/tasks',
          { headers: { authorization } },
        )
      ).body.tasks
        .map(t => t.id)
        .sort();
    expect(await list(bob)).toEqual([bobsTask]);
    expect(await list(alice)).toEqual([alicesTask, bobsTask].sort());
    expect(
      (
        await portal.api(`/api/scaffolder/v2/tasks/${alicesTask}`, {
          headers: { authorization: bob },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await portal.api(`/api/scaffolder/v2/tasks/${bobsTask}`, {
          headers: { authorization: bob },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await portal.api(`/api/scaffolder/v2/tasks/${alicesTask}/cancel`, {
          method: 'POST',
          headers: { authorization: bob },
        })
      ).status,
    ).toBe(403);
    // What else names a task (router.ts of @backstage/plugin-scaffolder-backend: events and
    // eventstream check scaffolder.task.read on the task, retry task.create and task.read).
    for (const [method, path] of [
      ['GET', 'events'],
      ['GET', 'eventstream'],
      ['POST', 'retry'],
    ] as const) {
      const answer = await portal.api(
        `/api/scaffolder/v2/tasks/${alicesTask}/${path}`,
        { method, headers: { authorization: bob } },
      );
      expect([path, answer.status]).toEqual([path, 403]);
    }
  });

  it("refuses bob analysing a location, validating an entity and deleting a location, which read or change what the catalog trusts with the portal's token", async () => {
    const target = `${standin.url}/acme/service/blob/main/catalog-info.yaml`;
    const analyze = await portal.api('/api/catalog/analyze-location', {
      method: 'POST',
      headers: { authorization: bob },
      body: JSON.stringify({ location: { type: 'url', target } }),
    });
    expect(analyze.status).toBe(403);
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'probe' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/app-team',
      },
    };
    const validate = await portal.api('/api/catalog/validate-entity', {
      method: 'POST',
      headers: { authorization: bob },
      body: JSON.stringify({ entity, location: `url:${target}` }),
    });
    expect(validate.status).toBe(403);
    const locations = await portal.api<Array<{ data: { id: string } }>>(
      '/api/catalog/locations',
      { headers: { authorization: bob } },
    );
    const id = locations.body[0]?.data.id;
    expect(id).toBeDefined();
    expect(
      (
        await portal.api(`/api/catalog/locations/${id}`, {
          method: 'DELETE',
          headers: { authorization: bob },
        })
      ).status,
    ).toBe(403);
  });
});

describe("changing or decommissioning a cluster is for its owners and the admins (the catalog's isEntityOwner on the cluster)", () => {
  /** Runs the decommission template as `authorization`; the task's final status, its log and the pull requests opened for the cluster. */
  async function decommission(cluster: string, authorization: string) {
    const { status, log } = await runTemplate(
      portal,
      'template:default/decommission-aks-environment',
      {
        cluster: `resource:default/${cluster}`,
        confirmation: cluster,
        repoUrl: `${standin.host}?owner=acme&repo=app-project-env`,
      },
      authorization,
    );
    const pulls = standin
      .pulls('acme', 'app-project-env')
      .filter(pull => pull.head.ref.startsWith(`aks-gitops/${cluster}.`));
    return { status, log, pulls: pulls.length };
  }

  it("refuses bob decommissioning platform-team's cluster, opening nothing, and lets him decommission app-team's, and alice platform-team's", async () => {
    for (const cluster of Object.keys(CLUSTER_OWNERS))
      for (let i = 0; (await catalogState(portal, cluster)) !== 'active'; i++) {
        if (i > 120) throw new Error(`${cluster} never showed as active`);
        await new Promise(r => setTimeout(r, 500));
      }
    const refused = await decommission('platform-cluster', bob);
    expect({
      status: refused.status,
      refused: refused.log.includes(
        'cluster: must be a cluster you may decommission, but the permission policy denies you aks-gitops.environment.decommission on resource:default/platform-cluster',
      ),
      pulls: refused.pulls,
    }).toEqual({ status: 'failed', refused: true, pulls: 0 });
    const own = await decommission('team-cluster', bob);
    const admin = await decommission('platform-cluster', alice);
    expect([own.status, own.pulls, admin.status, admin.pulls]).toEqual([
      'completed',
      1,
      'completed',
      1,
    ]);
  }, 180_000);
});
