import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  parseEnvironmentRequest,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import { mockServices } from '@backstage/backend-test-utils';
import { readAllowedRepositories } from './allowedRepositories';
import {
  environmentAutocomplete,
  NO_USER_TOKEN,
} from './environmentAutocomplete';
import {
  environmentFor,
  FAST_RETRIES,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  TOKEN,
} from './testing/standin';

let standin: GithubStandin;
let handler: ReturnType<typeof environmentAutocomplete>;
let repoUrl: string;

beforeEach(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  standin.seedRepository(OWNER, REPO, {
    files: renderEnvironment(environmentFor(standin)).files,
  });
  handler = environmentAutocomplete({
    integrations: standinIntegrations(standin),
    allowedRepositories: readAllowedRepositories(standinConfig(standin)),
    logger: mockServices.logger.mock(),
    retryPolicy: FAST_RETRIES,
  });
  repoUrl = `${standin.host}?owner=${OWNER}&repo=${REPO}`;
});
afterEach(async () => {
  await standin?.close();
});

describe('environmentAutocomplete', () => {
  it('stored-request: gives the stored request read from the default branch', async () => {
    const { results } = await handler({
      resource: 'stored-request',
      token: NO_USER_TOKEN,
      context: { repoUrl, cluster: 'dev-cluster' },
    });
    expect(results.map(r => JSON.parse(r.id))).toEqual([
      JSON.parse(
        JSON.stringify(parseEnvironmentRequest(environmentFor(standin))),
      ),
    ]);
  });

  it('change-preview: gives the typed diff and the files the change action would write', async () => {
    const current = parseEnvironmentRequest(environmentFor(standin));
    const next = { ...current, owner: 'group:default/team-b' };
    const { results } = await handler({
      resource: 'change-preview',
      token: NO_USER_TOKEN,
      context: { repoUrl, request: JSON.stringify(next) },
    });
    expect(results).toEqual([
      {
        title: 'change',
        id: 'owner: group:default/platform-team → group:default/team-b',
      },
      { title: 'file', id: 'clusters/dev-cluster/aks-gitops-request.yaml' },
      { title: 'file', id: 'clusters/dev-cluster/catalog-info.yaml' },
    ]);
  });

  it('change-preview: gives the refusals, one per field', async () => {
    const current = parseEnvironmentRequest(environmentFor(standin));
    const next = {
      ...current,
      cluster: { ...current.cluster, location: 'westeurope' },
    };
    const { results } = await handler({
      resource: 'change-preview',
      token: NO_USER_TOKEN,
      context: { repoUrl, request: JSON.stringify(next) },
    });
    expect(results.map(r => `${r.title} ${r.id.split(':')[0]}`)).toEqual([
      'refused environment.cluster.location',
    ]);
  });

  it('stored-request: refuses a cluster that is no cluster name before reading anything', async () => {
    const cluster = `../../README.md#${'x'.repeat(200)}`;
    const call = handler({
      resource: 'stored-request',
      token: NO_USER_TOKEN,
      context: { repoUrl, cluster },
    });
    await expect(call).rejects.toThrow(
      /^context\.cluster: must be a cluster name \(lowercase letters, digits and '-', starting with a letter, at most 42 characters\), but it is "\.\.\/\.\.\/README\.md#x+…"$/,
    );
  });

  it('refuses a repository outside the allow-list', async () => {
    await expect(
      handler({
        resource: 'stored-request',
        token: NO_USER_TOKEN,
        context: {
          repoUrl: `${standin.host}?owner=${OWNER}&repo=other`,
          cluster: 'dev-cluster',
        },
      }),
    ).rejects.toThrow(
      /^repoUrl: must be a GitOps repository this portal may write to/,
    );
  });
});
