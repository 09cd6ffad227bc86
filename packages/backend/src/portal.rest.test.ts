/**
 * End to end over REST: the real backend (child process, SQLite, our modules) against the GitHub
 * stand-in. A task from the "New AKS environment" template opens a pull request holding exactly
 * the rendered files, and the cluster is in the catalog when the task finishes.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { catalogState, expectedPullRequests, pullRequestsOf, startPortal, startSeededStandin, startTask, templateValues, waitForTask, waitForTemplate, type Portal } from './testing/portal';

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
  expect(await waitForTask(portal, await startTask(portal, values))).toBe('completed');

  expect(pullRequestsOf(standin)).toEqual(expectedPullRequests(standin.host, [values]));
  expect(await catalogState(portal, 'dev-cluster')).toBe('pending');
}, 120_000);
