import { mockServices } from '@backstage/backend-test-utils';
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  parseEnvironmentRequest,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { readAllowedRepositories } from '../allowedRepositories';
import { actionContext } from '../testing/actionContext';
import {
  FAST_RETRIES,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  TOKEN,
  environmentFor,
} from '../testing/standin';
import { environmentChangePermission } from '@aks-gitops/plugin-aks-gitops-node';
import { createChangeEnvironmentAction } from './changeEnvironment';

let standin: GithubStandin;
let permissions: PermissionsService;

beforeEach(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  permissions = mockServices.permissions();
});
afterEach(async () => {
  await standin?.close();
});

function action() {
  return createChangeEnvironmentAction({
    integrations: standinIntegrations(standin),
    config: standinConfig(standin),
    allowedRepositories: readAllowedRepositories(standinConfig(standin)),
    permissions,
    retryPolicy: FAST_RETRIES,
  });
}

/** The paths whose blob differs between branches `main` and `branch` (added, changed or deleted). */
async function changedPaths(branch: string): Promise<string[]> {
  const get = async (path: string) =>
    (await (
      await fetch(`${standin.apiBaseUrl}/repos/${OWNER}/${REPO}/${path}`, {
        headers: { authorization: `token ${TOKEN}` },
      })
    ).json()) as Record<string, unknown>;
  const blobs = async (ref: string) => {
    const head = (await get(`git/ref/heads/${ref}`)).object as { sha: string };
    const commit = (await get(`git/commits/${head.sha}`)).tree as {
      sha: string;
    };
    const tree = (await get(`git/trees/${commit.sha}?recursive=1`))
      .tree as Array<{ path: string; type: string; sha: string }>;
    return new Map(
      tree.filter(e => e.type === 'blob').map(e => [e.path, e.sha]),
    );
  };
  const [main, other] = [await blobs('main'), await blobs(branch)];
  return [...new Set([...main.keys(), ...other.keys()])]
    .filter(path => main.get(path) !== other.get(path))
    .sort();
}

describe('aks-gitops:environment:change', () => {
  it('opens one pull request holding only the changed files, and a re-run updates it', async () => {
    const current = environmentFor(standin) as JsonObject;
    standin.seedRepository(OWNER, REPO, {
      files: renderEnvironment(current).files,
    });
    const request = parseEnvironmentRequest(current);
    const next = {
      ...current,
      addons: { ...request.addons, argoRollouts: !request.addons.argoRollouts },
    } as JsonObject;
    const input = {
      repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
      environment: next,
    };
    const first = actionContext<ReturnType<typeof action>>({
      input,
      user: 'user:default/alice',
    });
    await action().handler(first.ctx);
    const before = renderEnvironment(current).files;
    const after = renderEnvironment(next).files;
    const changed = Object.keys(after)
      .filter(path => after[path] !== before[path])
      .sort();
    const second = actionContext<ReturnType<typeof action>>({
      input,
      user: 'user:default/alice',
      taskId: 'task-2',
    });
    await action().handler(second.ctx);
    expect({
      branch: first.outputs.branchName,
      files: await changedPaths(String(first.outputs.branchName)),
      rerun: second.outputs.pullRequestNumber,
      entityRef: first.outputs.entityRef,
    }).toEqual({
      branch: expect.stringMatching(
        /^aks-gitops\/dev-cluster\.change-[0-9a-f]{12}$/,
      ),
      files: changed,
      rerun: first.outputs.pullRequestNumber,
      entityRef: 'resource:default/dev-cluster',
    });
  }, 60_000);

  it('refuses a change of the region by field, before writing anything', async () => {
    const current = environmentFor(standin) as JsonObject;
    standin.seedRepository(OWNER, REPO, {
      files: renderEnvironment(current).files,
    });
    const next = {
      ...current,
      cluster: { ...(current.cluster as JsonObject), location: 'westeurope' },
    } as JsonObject;
    const { ctx } = actionContext<ReturnType<typeof action>>({
      input: {
        repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
        environment: next,
      },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^environment\.cluster\.location: must stay "eastus" in a change/,
    );
  }, 60_000);

  it('asks the permission policy for environmentChangePermission on the cluster, and refuses a user it denies before reading GitHub', async () => {
    const current = environmentFor(standin) as JsonObject;
    standin.seedRepository(OWNER, REPO, {
      files: renderEnvironment(current).files,
    });
    const asked = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.DENY })),
    });
    permissions = asked;
    const { ctx } = actionContext<ReturnType<typeof action>>({
      input: {
        repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
        environment: current,
      },
      user: 'user:default/bob',
    });
    standin.clearRequests();
    await expect(action().handler(ctx)).rejects.toThrow(
      'environment.cluster.name: must be a cluster you may change, but the permission policy denies you aks-gitops.environment.change on resource:default/dev-cluster',
    );
    expect({
      asked: asked.authorize.mock.calls.map(([requests]) => requests),
      githubRequests: standin.requests().length,
    }).toEqual({
      asked: [
        [
          {
            permission: environmentChangePermission,
            resourceRef: 'resource:default/dev-cluster',
          },
        ],
      ],
      githubRequests: 0,
    });
  }, 60_000);
});
