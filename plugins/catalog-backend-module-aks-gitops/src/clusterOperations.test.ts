/**
 * An active cluster with an open pull request of ours that changes or removes it: `changing` or
 * `decommissioning` with that pull request, read from the GitHub stand-in; `active` again once
 * the pull request is gone.
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  environmentBranch,
  PULL_REQUEST_ANNOTATION,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AksClusterEntityProvider } from './AksClusterEntityProvider';
import { clusterEntities, type ClusterFile } from './clusterEntities';
import { catalogPath, clusterRequest } from './testing/clusterRequest';
import { contributorPull, forgedRequestMessage } from './testing/contributor';
import { standinIntegrations } from './testing/standin';

const TOKEN = 'ghp_operationsTest';
const OWNER = 'acme';
const REPO = 'app-project-env';

const catalogFile = (name: string) =>
  renderEnvironment(clusterRequest(name)).files[catalogPath(name)] ?? '';

function activeFile(name: string): ClusterFile {
  return {
    path: catalogPath(name),
    text: catalogFile(name),
    state: 'active',
    url: `https://github.com/${OWNER}/${REPO}/blob/main/${catalogPath(name)}`,
    repositoryUrl: `https://github.com/${OWNER}/${REPO}`,
  };
}

const stateOf = (entity: Entity | undefined) => ({
  label: entity?.metadata.labels?.[STATE_LABEL],
  annotation: entity?.metadata.annotations?.[STATE_LABEL],
  pullRequest: entity?.metadata.annotations?.[PULL_REQUEST_ANNOTATION],
});

describe('clusterEntities with operations', () => {
  it.each([
    { state: 'changing', operation: 'change' },
    { state: 'decommissioning', operation: 'decommission' },
  ] as const)(
    'marks an active cluster $state with the pull request of its $operation',
    async ({ state }) => {
      const url = `https://github.com/${OWNER}/${REPO}/pull/9`;
      const { entities } = await clusterEntities(
        [activeFile('dev-cluster')],
        undefined,
        [{ cluster: 'dev-cluster', state, pullRequest: { number: 9, url } }],
      );
      expect(stateOf(entities[0])).toEqual({
        label: state,
        annotation: state,
        pullRequest: url,
      });
    },
  );

  it('leaves another cluster active', async () => {
    const { entities } = await clusterEntities(
      [activeFile('dev-cluster')],
      undefined,
      [
        {
          cluster: 'other-cluster',
          state: 'changing',
          pullRequest: { number: 9, url: 'https://github.com/x/y/pull/9' },
        },
      ],
    );
    expect(stateOf(entities[0])).toEqual({
      label: 'active',
      annotation: 'active',
      pullRequest: undefined,
    });
  });
});

describe('AksClusterEntityProvider, change and decommission pull requests', () => {
  let standin: GithubStandin;
  let provider: AksClusterEntityProvider;
  let published: Entity[] = [];
  const entity = (name: string) =>
    published.find(e => e.metadata.name === name);

  beforeAll(async () => {
    standin = await startGithubStandin({ tokens: [TOKEN] });
    standin.seedRepository(OWNER, REPO, {
      files: {
        [catalogPath('dev-cluster')]: catalogFile('dev-cluster'),
        [catalogPath('old-cluster')]: catalogFile('old-cluster'),
        [catalogPath('hand-cluster')]: catalogFile('hand-cluster'),
      },
    });
    provider = new AksClusterEntityProvider({
      id: 'test',
      repoUrl: `http://${standin.host}/${OWNER}/${REPO}`,
      integrations: standinIntegrations(standin, TOKEN),
      logger: mockServices.logger.mock(),
    });
    await provider.connect({
      applyMutation: async mutation => {
        if (mutation.type === 'full')
          published = mutation.entities.map(e => e.entity);
      },
      refresh: async () => undefined,
    });
  });

  afterAll(async () => {
    await standin?.close();
  });

  const pull = (branch: string, marked: boolean) =>
    contributorPull(standin, {
      token: TOKEN,
      owner: OWNER,
      repo: REPO,
      headOwner: OWNER,
      branch,
      files: { [`${branch.replace(/[^a-z]/g, '-')}.txt`]: 'x\n' },
      ...(marked ? { message: forgedRequestMessage(`Update ${branch}`) } : {}),
    });

  it('shows changing and decommissioning clusters with their pull requests, and ignores an unmarked one', async () => {
    const change = await pull(
      environmentBranch('dev-cluster', 'change', 'abc123'),
      true,
    );
    const decommission = await pull(
      environmentBranch('old-cluster', 'decommission', 'phase-1'),
      true,
    );
    await pull(environmentBranch('hand-cluster', 'change', 'byhand'), false);
    await provider.refresh();
    expect({
      dev: stateOf(entity('dev-cluster')),
      old: stateOf(entity('old-cluster')),
      hand: stateOf(entity('hand-cluster')),
    }).toEqual({
      dev: {
        label: 'changing',
        annotation: 'changing',
        pullRequest: change.url,
      },
      old: {
        label: 'decommissioning',
        annotation: 'decommissioning',
        pullRequest: decommission.url,
      },
      hand: { label: 'active', annotation: 'active', pullRequest: undefined },
    });
  }, 60_000);
});
