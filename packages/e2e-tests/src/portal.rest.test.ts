/**
 * End to end over REST: the real backend (child process, SQLite, our modules) against the GitHub
 * stand-in. A task from the "New AKS environment" template opens a pull request holding exactly
 * the rendered files, and the cluster is in the catalog when the task finishes.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  catalogState,
  expectedPullRequests,
  pullRequestsOf,
  startPortal,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTask,
  waitForTemplate,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalRestTest';
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

it('creates an environment from the template: one pull request with exactly the rendered files, and the cluster in the catalog', async () => {
  await waitForTemplate(portal);
  const values = templateValues('dev-cluster', standin.host);
  expect(await waitForTask(portal, await startTask(portal, values))).toBe(
    'completed',
  );

  expect(pullRequestsOf(standin)).toEqual(
    expectedPullRequests(standin.host, [values]),
  );
  expect(await catalogState(portal, 'dev-cluster')).toBe('pending');
}, 120_000);

it('takes templates only from its own files: a registered URL with a Template in it is refused, one with a Resource is not', async () => {
  const template =
    'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: rogue\nspec:\n  type: service\n  owner: group:default/platform-team\n  steps: []\n';
  const resource =
    'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: handmade\nspec:\n  type: database\n  owner: group:default/platform-team\n';
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: { 'rogue/template.yaml': template, 'rogue/resource.yaml': resource },
    message: 'Bring a template',
  });
  const register = (path: string) =>
    portal.api<{ error?: { message: string }; entities?: unknown[] }>(
      '/api/catalog/locations?dryRun=true',
      {
        method: 'POST',
        body: JSON.stringify({
          type: 'url',
          target: `${standin.url}/acme/app-project-env/blob/main/${path}`,
        }),
      },
    );
  const refused = await register('rogue/template.yaml');
  expect(refused.status).toBe(400);
  expect(refused.body.error?.message).toMatch(
    /not of an allowed kind|not allowed/i,
  );
  const allowed = await register('rogue/resource.yaml');
  expect(allowed.status).toBe(201);
});
