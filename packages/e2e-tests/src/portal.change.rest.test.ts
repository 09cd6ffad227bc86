/**
 * End to end over REST (issue 12): the real backend against the GitHub stand-in. A new cluster,
 * already merged on main, is changed with the "Change an AKS environment" template: its stored
 * request read from Git through the scaffolder's autocomplete endpoint (what the form does), one
 * add-on turned off and the Kubernetes version raised by one minor version; one pull request holding
 * only the changed files; the catalog shows the cluster changing with it; merged in the stand-in,
 * the catalog shows the new values.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  addonAnnotation,
  ADDONS,
  KUBERNETES_VERSION_ANNOTATION,
  PULL_REQUEST_ANNOTATION,
  renderEnvironment,
  type EnvironmentRequest,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  catalogState,
  renderRequestFor,
  startPortal,
  startSeededStandin,
  templateValues,
  waitForTask,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalChangeTest';
const CHANGE_REF = 'template:default/change-aks-environment';
const CLUSTER = 'web-cluster';
const ROLLOUTS = addonAnnotation(ADDONS.argoRollouts.label);

let standin: GithubStandin;
let portal: Portal;
let repoUrl: string;
const created = () =>
  renderRequestFor(templateValues(CLUSTER, standin.host), standin.host);

beforeAll(async () => {
  standin = await startSeededStandin({ tokens: [TOKEN] });
  repoUrl = `${standin.host}?owner=acme&repo=app-project-env`;
  // The cluster's creation (Kubernetes 1.35.6, Argo Rollouts on), merged before the portal starts.
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(created()).files,
    message: `Create AKS environment ${CLUSTER}`,
  });
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    config: {
      catalog: {
        providers: {
          aksGitops: {
            // Read the repository every few seconds, so a merge shows in the catalog soon (an ISO
            // duration replaces app-config.yaml's { minutes: 1 } where an object would merge).
            fleet: { schedule: { frequency: 'PT3S' } },
          },
        },
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

interface Seen {
  state: string;
  pullRequest?: string;
  rollouts?: string;
  version?: string;
}

/** The cluster's catalog state, pull request and two values, once `done` holds or after `seconds`. */
async function waitForEntity(
  done: (seen: Seen) => boolean,
  seconds: number,
): Promise<Seen> {
  let seen: Seen = { state: 'never read' };
  for (let i = 0; i < seconds * 2; i++) {
    const state = await catalogState(portal, CLUSTER);
    const entity = await portal.api<{
      metadata: { annotations?: Record<string, string> };
    }>(`/api/catalog/entities/by-name/resource/default/${CLUSTER}`);
    const annotations =
      entity.status === 200 ? (entity.body.metadata.annotations ?? {}) : {};
    seen = {
      state,
      ...(annotations[PULL_REQUEST_ANNOTATION]
        ? { pullRequest: annotations[PULL_REQUEST_ANNOTATION] }
        : {}),
      rollouts: annotations[ROLLOUTS],
      version: annotations[KUBERNETES_VERSION_ANNOTATION],
    };
    if (done(seen)) return seen;
    await new Promise(r => setTimeout(r, 500));
  }
  return seen;
}

/** What the form asks the scaffolder's autocomplete endpoint for. */
async function autocomplete<T>(
  resource: string,
  context: Record<string, string>,
): Promise<{ status: number; body: T }> {
  return portal.api<T>(
    `/api/scaffolder/v2/autocomplete/aks-gitops/${resource}`,
    {
      method: 'POST',
      body: JSON.stringify({ token: 'integration', context }),
    },
  );
}

let stored: EnvironmentRequest;

it('shows the merged cluster active at start', async () => {
  expect(await waitForEntity(s => s.state === 'active', 60)).toMatchObject({
    state: 'active',
    rollouts: 'true',
    version: '1.35.6',
  });
}, 90_000);

it('reads the stored request from Git through the autocomplete endpoint, as the form does', async () => {
  const { status, body } = await autocomplete<{
    results: Array<{ id: string }>;
  }>('stored-request', { repoUrl, cluster: CLUSTER });
  stored = JSON.parse(body.results[0]?.id ?? '{}') as EnvironmentRequest;
  expect({ status, request: stored }).toEqual({
    status: 200,
    request: JSON.parse(JSON.stringify(renderEnvironment(created()).request)),
  });
}, 60_000);

it('opens one pull request holding only the changed files, and shows the cluster changing with it', async () => {
  const next = {
    ...stored,
    addons: { ...stored.addons, argoRollouts: false },
    cluster: { ...stored.cluster, kubernetesVersion: '1.36.2' },
  };
  const task = await portal.api<{ id: string }>('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: CHANGE_REF,
      values: {
        cluster: `resource:default/${CLUSTER}`,
        repoUrl,
        environment: next,
      },
    }),
  });
  const status = await waitForTask(portal, task.body.id);
  const open = standin
    .pulls('acme', 'app-project-env')
    .filter(pull => pull.state === 'open');
  const branch = open[0]?.head.ref ?? '';
  const main = standin.files('acme', 'app-project-env', 'main');
  const onBranch = standin.files('acme', 'app-project-env', branch);
  const before = renderEnvironment(created()).files;
  const after = renderEnvironment(next).files;
  expect({
    status,
    pulls: open.length,
    branch,
    changed: [...onBranch.keys()].filter(p => main.get(p) !== onBranch.get(p)),
    catalog: await waitForEntity(s => s.state === 'changing', 30),
  }).toEqual({
    status: 'completed',
    pulls: 1,
    branch: expect.stringMatching(
      new RegExp(`^aks-gitops/${CLUSTER}\\.change-[0-9a-f]{12}$`),
    ),
    changed: Object.keys(after).filter(p => after[p] !== before[p]),
    catalog: {
      state: 'changing',
      pullRequest: open[0]?.html_url,
      rollouts: 'true',
      version: '1.35.6',
    },
  });
}, 180_000);

it('shows the new values once the pull request is merged in the stand-in', async () => {
  const [pull] = standin
    .pulls('acme', 'app-project-env')
    .filter(p => p.state === 'open');
  standin.mergePull('acme', 'app-project-env', pull!.number);
  expect(
    await waitForEntity(
      s => s.state === 'active' && s.version === '1.36.2',
      60,
    ),
  ).toEqual({ state: 'active', rollouts: 'false', version: '1.36.2' });
}, 90_000);
