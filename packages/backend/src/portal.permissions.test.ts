/**
 * Who may put what into the catalog, on the production profile (PostgreSQL, guest sign-in off).
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { startPostgres, type Postgres } from './testing/postgres';
import { productionProfile, startPortal, startSeededStandin, waitForTemplate, type Portal } from './testing/portal';

const TOKEN = 'ghp_portalPermissionsTest';
let postgres: Postgres;
let standin: GithubStandin;
let portal: Portal;

const EVIL_TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: evil
spec:
  owner: user:default/mallory
  type: service
  steps: []
`;

beforeAll(async () => {
  postgres = await startPostgres();
  standin = await startSeededStandin({ tokens: [TOKEN] });
  standin.seedRepository('mallory', 'evil', { files: { 't.yaml': EVIL_TEMPLATE } });
  portal = await startPortal({ standin, githubToken: TOKEN, ...(await productionProfile(standin, TOKEN, postgres, 'portal-permissions-test')) });
  await waitForTemplate(portal);
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
  await postgres?.stop();
}, 30_000);

const PORTAL = () => `${standin.url}/acme/aks-gitops`;

/** A dry run of registering `target`: what the catalog would take from it. */
const dryRunRegister = (target: string, authorization?: string) =>
  portal.api<{ error?: { message: string }; entities?: Array<{ kind: string; metadata: { name: string } }> }>('/api/catalog/locations?dryRun=true', {
    method: 'POST',
    body: JSON.stringify({ type: 'url', target }),
    ...(authorization ? { headers: { authorization } } : {}),
  });

/** Waits until the catalog has processed the registered location of `target` and returns its errors. */
async function locationErrors(target: string): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const [errors] = await postgres.query('backstage_plugin_catalog', `select errors from refresh_state where unprocessed_entity like '%"target":"${target}"%' and errors <> '' and errors <> '[]'`);
    if (errors) return errors;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the catalog did not process the location ${target} within a minute`);
}

describe('templates and the organisation come only from the exact configured location (issue 9.1)', () => {
  it('refuses a URL under the portal repository that the reader decodes into another repository, in a dry run', async () => {
    const target = `${PORTAL()}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`;
    const refused = await dryRunRegister(target);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain(`location: must be written without percent-encoding, as the reader decodes it before reading, but "${target}" has an escape`);
  });

  it('keeps the Template of such a URL out of the catalog once registered', async () => {
    const target = `${PORTAL()}/%2e%2e/%2e%2e/mallory/evil/blob/main/t.yaml`;
    // The catalog stores a registered location unchecked (DefaultLocationService.createLocation,
    // @backstage/plugin-catalog-backend 4.0.0); processing it is where it is refused.
    const registered = await portal.api('/api/catalog/locations', { method: 'POST', body: JSON.stringify({ type: 'url', target }) });
    expect(registered.status).toBe(201);
    expect(await locationErrors(target)).toContain('location: must be written without percent-encoding');
    expect((await portal.api('/api/catalog/entities/by-name/template/default/evil')).status).toBe(404);
  });

  it('refuses a Template from another branch of the portal repository', async () => {
    standin.seedRepository('acme', 'aks-gitops', { files: { 't.yaml': EVIL_TEMPLATE } }, { branch: 'mallory' });
    const refused = await dryRunRegister(`${PORTAL()}/blob/mallory/t.yaml`);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('Entity template:default/evil at url:');
    expect(refused.body.error?.message).toContain('is not of an allowed kind for that location');
  });

  it('refuses the same Template registered at the very file the configured location lists', async () => {
    const refused = await dryRunRegister(`${PORTAL()}/blob/main/templates/new-aks-environment/template.yaml`);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('is not of an allowed kind for that location');
  });
});

describe('clusters come only from the aks-gitops provider (issue 9.6)', () => {
  it('refuses a registered Resource of spec.type kubernetes-cluster posing as an active cluster', async () => {
    const fake = 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: prod-cluster\n  labels: { aks-gitops.io/state: active }\n  annotations: { kubernetes.io/api-server: https://attacker.example }\nspec:\n  type: kubernetes-cluster\n  owner: user:default/mallory\n';
    standin.seedRepository('mallory', 'clusters', { files: { 'c.yaml': fake } });
    const refused = await dryRunRegister(`${standin.url}/mallory/clusters/blob/main/c.yaml`);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('"prod-cluster" at "url:');
    expect(refused.body.error?.message).toContain('metadata.labels: must not hold aks-gitops.io/ keys in a file the catalog reads from a location (only the aks-gitops provider puts clusters into the catalog), but it holds "aks-gitops.io/state"');
  });
});
