/**
 * End to end over REST (issue 13): the real backend against the GitHub stand-in. A new cluster,
 * already merged on main, is removed with the "Decommission an AKS environment" template: one pull
 * request per phase, each opened once the previous one is merged; the catalog shows the cluster
 * decommissioning with its pull request while one is open, active again when one is closed
 * unmerged, and no longer once the last phase is merged. At the end main holds exactly what it
 * held before the cluster was created.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  PULL_REQUEST_ANNOTATION,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  catalogState,
  renderRequestFor,
  runTemplate,
  startPortal,
  startSeededStandin,
  templateValues,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalDecommissionTest';
const DECOMMISSION_REF = 'template:default/decommission-aks-environment';
const CLUSTER = 'old-cluster';

let standin: GithubStandin;
let portal: Portal;
let before: Record<string, string>;

beforeAll(async () => {
  standin = await startSeededStandin({ tokens: [TOKEN] });
  before = Object.fromEntries(standin.files('acme', 'app-project-env', 'main'));
  // The cluster's creation, merged before the portal starts: its first read sees it active.
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(
      renderRequestFor(templateValues(CLUSTER, standin.host), standin.host),
    ).files,
    message: `Create AKS environment ${CLUSTER}`,
  });
  portal = await startPortal({ standin, githubToken: TOKEN });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

/** The cluster's catalog state and pull-request annotation, once `wanted` or after `seconds`. */
async function waitForState(
  wanted: string,
  seconds: number,
): Promise<{ state: string; pullRequest?: string }> {
  let seen = { state: 'never read' } as { state: string; pullRequest?: string };
  for (let i = 0; i < seconds * 2; i++) {
    const state = await catalogState(portal, CLUSTER);
    const entity = await portal.api<{
      metadata: { annotations?: Record<string, string> };
    }>(`/api/catalog/entities/by-name/resource/default/${CLUSTER}`);
    const pullRequest =
      entity.status === 200
        ? entity.body.metadata.annotations?.[PULL_REQUEST_ANNOTATION]
        : undefined;
    seen = { state, ...(pullRequest ? { pullRequest } : {}) };
    if (state === wanted) return seen;
    await new Promise(r => setTimeout(r, 500));
  }
  return seen;
}

/** Runs the template for the cluster; returns the task's final status and its log. */
const decommission = (confirmation = CLUSTER) =>
  runTemplate(portal, DECOMMISSION_REF, {
    // As the cluster page's link fills it in (@aks-gitops/plugin-aks-gitops withCluster).
    cluster: `resource:default/${CLUSTER}`,
    confirmation,
    repoUrl: `${standin.host}?owner=acme&repo=app-project-env`,
  });

function openPulls() {
  return standin
    .pulls('acme', 'app-project-env')
    .filter(pull => pull.state === 'open');
}

it('shows the merged cluster active at start', async () => {
  expect(await waitForState('active', 60)).toEqual({ state: 'active' });
}, 90_000);

it('fails the task, opening nothing, when the typed name is not the cluster', async () => {
  const { status, log } = await decommission('old-clustr');
  expect({
    status,
    refused: log.includes(
      `confirmation: must repeat the cluster's name "${CLUSTER}" exactly to confirm its decommission, but it is "old-clustr"`,
    ),
    open: openPulls(),
  }).toEqual({ status: 'failed', refused: true, open: [] });
}, 120_000);

it('shows the cluster decommissioning with the pull request of the first phase', async () => {
  const { status } = await decommission();
  const [pull] = openPulls();
  expect({
    status,
    branch: pull?.head.ref,
    catalog: await waitForState('decommissioning', 30),
  }).toEqual({
    status: 'completed',
    branch: `aks-gitops/${CLUSTER}.decommission-1-workloads`,
    catalog: { state: 'decommissioning', pullRequest: pull?.html_url },
  });
}, 120_000);

it('shows the cluster active again once that pull request is closed unmerged', async () => {
  const [pull] = openPulls();
  standin.closePull('acme', 'app-project-env', pull!.number);
  // No event for a closed pull request: the provider's next scheduled read (every minute).
  expect(await waitForState('active', 100)).toEqual({ state: 'active' });
}, 120_000);

it('removes the environment in four merged phases, after which main holds what it held before and the catalog no longer has the cluster', async () => {
  const phases: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { status } = await decommission();
    const [pull] = openPulls();
    expect({ status, open: openPulls().length }).toEqual({
      status: 'completed',
      open: 1,
    });
    phases.push(pull!.title);
    standin.mergePull('acme', 'app-project-env', pull!.number);
  }
  expect({
    phases,
    main: Object.fromEntries(standin.files('acme', 'app-project-env', 'main')),
    catalog: (await waitForState('absent', 100)).state,
  }).toEqual({
    phases: [
      `Decommission ${CLUSTER}, phase 1 of 4: Remove the workloads from the cluster`,
      `Decommission ${CLUSTER}, phase 2 of 4: Uninstall the bootstrap charts while the kubeconfig exists`,
      `Decommission ${CLUSTER}, phase 3 of 4: Delete the AKS cluster and its resource group`,
      `Decommission ${CLUSTER}, phase 4 of 4: Remove the namespace and the catalog entry`,
    ],
    main: before,
    catalog: 'absent',
  });
}, 300_000);
