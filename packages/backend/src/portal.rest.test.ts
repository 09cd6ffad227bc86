/**
 * End to end over REST: the real backend (child process, SQLite, our modules) against the GitHub
 * stand-in. A task from the "New AKS environment" template opens a pull request holding exactly
 * the rendered files, and the cluster is in the catalog when the task finishes.
 */
import { startGithubStandin, type GithubStandin } from '@aks-gitops/github-standin';
import { renderEnvironment } from '@aks-gitops/render';
import { join } from 'node:path';
import { addedFiles, renderRequestFor, repositoryRoot, startPortal, TEMPLATE_REF, templateValues, waitForTask, waitForTemplate, type Portal } from './testing/portal';

const TOKEN = 'ghp_portalRestTest';
let standin: GithubStandin;
let portal: Portal;

beforeAll(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository('acme', 'app-project-env', { folder: join(repositoryRoot, 'packages/backend/seed/app-project-env') });
  portal = await startPortal({ standin, githubToken: TOKEN });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

it('creates an environment from the template: one pull request with exactly the rendered files, and the cluster in the catalog', async () => {
  await waitForTemplate(portal);
  const values = templateValues('dev-cluster', standin.host);
  const created = await portal.api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef: TEMPLATE_REF, values }),
  });
  expect(created.status).toBe(201);
  expect(await waitForTask(portal, created.body.id)).toBe('completed');

  const [pull] = standin.pulls('acme', 'app-project-env');
  expect(pull?.title).toBe('Create AKS environment dev-cluster (dev, eastus)');
  expect(addedFiles(standin, pull?.head.ref ?? '')).toEqual(renderEnvironment(renderRequestFor(values, standin.host)).files);

  const entity = await portal.api<{ metadata: { labels: Record<string, string> } }>('/api/catalog/entities/by-name/resource/default/dev-cluster');
  expect(entity.status).toBe(200);
  expect(entity.body.metadata.labels['aks-gitops.io/state']).toBe('pending');
}, 120_000);
