/**
 * Load: 20 tasks for 20 different environments created at once against one backend (the local
 * profile, SQLite). All complete, each with its own pull request adding exactly its environment's
 * files, each task pointing at its own pull request, and 20 clusters in the catalog.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { environmentBranch } from '@aks-gitops/plugin-aks-gitops-common';
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
  type TemplateValues,
} from './testing/portal';

const TOKEN = 'ghp_portalLoadTest';
const LOCATIONS = [
  'eastus',
  'eastus2',
  'westus3',
  'westeurope',
  'northeurope',
  'uksouth',
  'swedencentral',
  'australiaeast',
  'southeastasia',
  'japaneast',
];
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

it('runs 20 tasks for 20 environments at once: 20 pull requests, each with exactly its own files, and 20 clusters in the catalog', async () => {
  await waitForTemplate(portal);
  // Titles and files differ by more than the name, so a mix-up between environments shows.
  const environments: TemplateValues[] = Array.from({ length: 20 }, (_, i) => ({
    ...templateValues(`load-${String(i + 1).padStart(2, '0')}`, standin.host),
    environment: ['dev', 'staging', 'prod'][i % 3] ?? 'dev',
    location: LOCATIONS[i % LOCATIONS.length] ?? 'eastus',
    maxCount: 3 + i,
  }));

  const taskIds = await Promise.all(
    environments.map(values => startTask(portal, values)),
  );
  const statuses: string[] = [];
  // One task polled at a time: they all run meanwhile, and the backend is not busy answering polls.
  for (const taskId of taskIds)
    statuses.push(await waitForTask(portal, taskId, 300_000));
  expect(statuses).toEqual(environments.map(() => 'completed'));

  expect(pullRequestsOf(standin)).toEqual(
    expectedPullRequests(standin.host, environments),
  );
  const branchOf = new Map(
    standin
      .pulls('acme', 'app-project-env')
      .map(pull => [pull.html_url, pull.head.ref]),
  );
  const taskBranches = await Promise.all(
    taskIds.map(async taskId => {
      const events = await portal.api<
        Array<{
          type: string;
          body: {
            output?: { links?: Array<{ title?: string; url?: string }> };
          };
        }>
      >(`/api/scaffolder/v2/tasks/${taskId}/events`);
      const link = events.body
        .find(event => event.type === 'completion')
        ?.body.output?.links?.find(l => l.title === 'Pull request');
      return branchOf.get(link?.url ?? '');
    }),
  );
  expect(taskBranches).toEqual(
    environments.map(values => environmentBranch(values.name)),
  );
  expect(
    await Promise.all(
      environments.map(values => catalogState(portal, values.name)),
    ),
  ).toEqual(environments.map(() => 'pending'));
}, 420_000);
