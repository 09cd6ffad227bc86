/**
 * The production profile for real: app-config.production.yaml with its ${VARIABLES}, a PostgreSQL
 * server of the test's own, guest sign-in off (API calls use a static token). The REST test's
 * scenario: a task from the template opens one pull request with exactly the rendered files, the
 * cluster is in the catalog, and both live in PostgreSQL.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { startPostgres, type Postgres } from './testing/postgres';
import {
  catalogState,
  expectedPullRequests,
  productionProfile,
  pullRequestsOf,
  startPortal,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTask,
  waitForTemplate,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalPostgresTest';
let postgres: Postgres;
let standin: GithubStandin;
let portal: Portal;

beforeAll(async () => {
  postgres = await startPostgres();
  standin = await startSeededStandin({ tokens: [TOKEN] });
  // NODE_ENV=development: the guest provider's own guard reads it, so this is how the production
  // profile signed guests in (issue 9 review, H2); the portal leaves the provider out by auth.environment.
  const profile = await productionProfile(
    standin,
    TOKEN,
    postgres,
    'portal-postgres-test',
  );
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    ...profile,
    env: { ...profile.env, NODE_ENV: 'development' },
  });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
  await postgres?.stop();
}, 30_000);

it('signs nobody in as guest, and takes only its own static token', async () => {
  // No guest provider at all on this profile (auth.environment: production): 404, even under NODE_ENV=development.
  expect((await fetch(`${portal.baseUrl}/api/auth/guest/refresh`)).status).toBe(
    404,
  );
  expect(
    (
      await portal.api('/api/catalog/entities', {
        headers: { authorization: 'Bearer not-our-token' },
      })
    ).status,
  ).toBe(401);
  expect((await portal.api('/api/catalog/entities?limit=1')).status).toBe(200);
});

it('creates an environment from the template: one pull request with exactly the rendered files, the cluster in the catalog, both in PostgreSQL', async () => {
  await waitForTemplate(portal);
  // The template came through the profile's url location, from the repository on the stand-in.
  const template = await portal.api<{
    metadata: { annotations: Record<string, string> };
  }>('/api/catalog/entities/by-name/template/default/new-aks-environment');
  expect(
    template.body.metadata.annotations[
      'backstage.io/managed-by-origin-location'
    ],
  ).toBe(`url:${standin.url}/acme/aks-gitops/blob/main/catalog-info.yaml`);

  const values = templateValues('dev-cluster', standin.host);
  const taskId = await startTask(portal, values);
  expect(await waitForTask(portal, taskId)).toBe('completed');

  expect(pullRequestsOf(standin)).toEqual(
    expectedPullRequests(standin.host, [values]),
  );
  expect(await catalogState(portal, 'dev-cluster')).toBe('pending');
  expect(
    await postgres.query(
      'backstage_plugin_scaffolder',
      `select status from tasks where id = '${taskId}'`,
    ),
  ).toEqual(['completed']);
  // Put there by the profile's own provider (`fleet`, GITOPS_REPOSITORY_URL).
  expect(
    await postgres.query(
      'backstage_plugin_catalog',
      "select source_key from refresh_state_references where target_entity_ref = 'resource:default/dev-cluster'",
    ),
  ).toEqual(['aks-gitops-clusters:fleet']);
}, 120_000);
