/**
 * The provider reading the GitHub stand-in, the entities it hands to the catalog and the problems
 * it reports, for pull requests a contributor opens through GitHub's REST API: forks, branches
 * outside our rule, files too large, values too long.
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  ENVIRONMENT_ANNOTATION,
  environmentBranch,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import { GIT_OBJECTS_PER_QUERY } from '@aks-gitops/plugin-aks-gitops-node';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { parse, stringify } from 'yaml';
import { AksClusterEntityProvider } from './AksClusterEntityProvider';
import { PENDING_LIMITS } from './clusterEntities';
import { MAX_CLUSTER_FILE_BYTES } from './gitopsRepository';
import { catalogPath, clusterRequest } from './testing/clusterRequest';
import { contributorPull, forgedRequestMessage } from './testing/contributor';
import { standinIntegrations } from './testing/standin';

const TOKEN = 'ghp_providerTest';
const OWNER = 'acme';
const REPO = 'app-project-env';

/** The catalog file our render writes for `name`, with `change` applied to its parsed object. */
function catalogFile(
  name: string,
  change: (entity: Entity) => void = () => undefined,
): string {
  const entity = parse(
    renderEnvironment(clusterRequest(name)).files[catalogPath(name)] ?? '',
  ) as Entity;
  change(entity);
  return stringify(entity);
}

let standin: GithubStandin;
let provider: AksClusterEntityProvider;
let published: Entity[] = [];

beforeAll(async () => {
  standin = await startGithubStandin({ tokens: [TOKEN] });
  standin.seedRepository(OWNER, REPO, {
    files: { [catalogPath('dev-cluster')]: catalogFile('dev-cluster') },
  });
  standin.seedRepository('mallory', REPO, {
    files: { 'README.md': '# fork\n' },
  });
  const integrations = standinIntegrations(standin, TOKEN);
  provider = new AksClusterEntityProvider({
    id: 'test',
    repoUrl: `http://${standin.host}/${OWNER}/${REPO}`,
    integrations,
    logger: mockServices.logger.mock(),
  });
  await provider.connect({
    applyMutation: async mutation => {
      published =
        mutation.type === 'full'
          ? mutation.entities.map(e => e.entity)
          : published;
    },
    refresh: async () => undefined,
  });
});

afterAll(async () => {
  await standin?.close();
});

const pullFrom = (
  headOwner: string,
  branch: string,
  files: Record<string, string>,
) =>
  contributorPull(standin, {
    token: TOKEN,
    owner: OWNER,
    repo: REPO,
    headOwner,
    branch,
    files,
    message: forgedRequestMessage(`Update ${branch}`),
  });
const entity = (name: string) => published.find(e => e.metadata.name === name);

describe('AksClusterEntityProvider, for pull requests it did not open', () => {
  it('shows no pending cluster for a branch of ours whose head commit lacks our request trailer (nobody asked the portal for it), and reports it', async () => {
    const pull = await contributorPull(standin, {
      token: TOKEN,
      owner: OWNER,
      repo: REPO,
      headOwner: OWNER,
      branch: environmentBranch('unasked-cluster'),
      files: {
        [catalogPath('unasked-cluster')]: catalogFile('unasked-cluster'),
      },
    });
    const { problems } = await provider.refresh();
    expect(entity('unasked-cluster')).toBeUndefined();
    const problem = problems.find(
      p => p.path === catalogPath('unasked-cluster'),
    );
    expect(problem?.outcome).toBe('skipped');
    expect(problem?.message).toMatch(
      new RegExp(
        `^pull request #${pull.number}: must have been opened by the portal \\(its head commit ends with an Aks-Gitops-Request trailer\\), but head commit [0-9a-f]{7} has none; not shown$`,
      ),
    );
  });

  it("shows no pending cluster for a fork's pull request, and reports it", async () => {
    const pull = await pullFrom(
      'mallory',
      environmentBranch('forked-cluster'),
      { [catalogPath('forked-cluster')]: catalogFile('forked-cluster') },
    );
    const { problems } = await provider.refresh();
    expect(entity('forked-cluster')).toBeUndefined();
    expect(problems).toContainEqual({
      path: catalogPath('forked-cluster'),
      message: `pull request #${pull.number}: must come from ${OWNER}/${REPO}, but it comes from mallory/${REPO}; not shown`,
      outcome: 'skipped',
    });
  }, 30_000);

  it('ignores pull requests whose branch our naming rule gives no cluster for', async () => {
    await pullFrom(OWNER, 'aks-gitops/Not_A_Cluster', {
      [catalogPath('Not_A_Cluster')]: catalogFile('not-a-cluster'),
    });
    await pullFrom(OWNER, 'feature/other-cluster', {
      [catalogPath('other-cluster')]: catalogFile('other-cluster'),
    });
    await provider.refresh();
    expect(entity('not-a-cluster')).toBeUndefined();
    expect(entity('other-cluster')).toBeUndefined();
  }, 30_000);

  it(`does not read a file over ${MAX_CLUSTER_FILE_BYTES} bytes (a 5 MB description, 50,000 links), reports it and publishes the rest`, async () => {
    const huge = catalogFile('huge-cluster', e => {
      e.metadata.description = 'x'.repeat(5 * 1024 * 1024);
      e.metadata.links = Array.from({ length: 50_000 }, (_, i) => ({
        url: `https://attacker.example/${i}`,
      }));
    });
    await pullFrom(OWNER, environmentBranch('huge-cluster'), {
      [catalogPath('huge-cluster')]: huge,
    });
    const { problems } = await provider.refresh();
    expect(entity('huge-cluster')).toBeUndefined();
    expect(entity('dev-cluster')).toBeDefined();
    expect(
      problems.find(p => p.path === catalogPath('huge-cluster'))?.message,
    ).toBe(
      `file size: must be at most ${MAX_CLUSTER_FILE_BYTES} bytes, but it is ${Buffer.byteLength(huge)} bytes; not read`,
    );
  }, 60_000);

  it('clips a long title and description, keeps the first tags, and reports each', async () => {
    const long = catalogFile('long-cluster', e => {
      e.metadata.title = 't'.repeat(500);
      e.metadata.description = 'd'.repeat(20_000);
      e.metadata.tags = Array.from({ length: 40 }, (_, i) => `tag-${i}`);
    });
    await pullFrom(OWNER, environmentBranch('long-cluster'), {
      [catalogPath('long-cluster')]: long,
    });
    const { problems } = await provider.refresh();
    const pending = entity('long-cluster');
    expect(pending?.metadata.title).toHaveLength(PENDING_LIMITS.titleLength);
    expect(pending?.metadata.description).toHaveLength(
      PENDING_LIMITS.descriptionLength,
    );
    expect(pending?.metadata.tags).toEqual(
      Array.from({ length: PENDING_LIMITS.tags }, (_, i) => `tag-${i}`),
    );
    expect(
      problems
        .filter(p => p.path === catalogPath('long-cluster'))
        .map(p => [p.outcome, p.message.split(':')[0]]),
    ).toEqual([
      ['trimmed', 'metadata.title'],
      ['trimmed', 'metadata.description'],
      ['trimmed', 'metadata.tags'],
    ]);
  }, 30_000);

  it('refuses an owner or system that is not a reference to an entity of its kind', async () => {
    const file = catalogFile(
      'wrong-owner',
      e =>
        void (e.spec = { ...e.spec, owner: 'component:default/payments-api' }),
    );
    await pullFrom(OWNER, environmentBranch('wrong-owner'), {
      [catalogPath('wrong-owner')]: file,
    });
    const { problems } = await provider.refresh();
    expect(entity('wrong-owner')).toBeUndefined();
    expect(problems).toContainEqual({
      path: catalogPath('wrong-owner'),
      message:
        'spec.owner: must be a reference to a group or user entity such as group:default/platform-team, but its kind is "component"',
      outcome: 'skipped',
    });
  }, 30_000);

  it('keeps of a pending file only our own annotations with plain values, and computes its GitOps repository and folder', async () => {
    const file = catalogFile('annotated', e => {
      e.metadata.annotations = {
        ...e.metadata.annotations,
        'aks-gitops.io/gitops-repo': 'https://attacker.example/repo',
        'aks-gitops.io/location': 'east\u202Eus',
        'example.com/note': 'dropped',
      };
      e.metadata.labels = { team: 'mallory' };
    });
    await pullFrom(OWNER, environmentBranch('annotated'), {
      [catalogPath('annotated')]: file,
    });
    await provider.refresh();
    const annotations = entity('annotated')?.metadata.annotations ?? {};
    expect(annotations[GITOPS_REPO_ANNOTATION]).toBe(
      `http://${standin.host}/${OWNER}/${REPO}`,
    );
    expect(annotations[GITOPS_PATH_ANNOTATION]).toBe('clusters/annotated');
    expect(annotations['aks-gitops.io/location']).toBeUndefined();
    expect(annotations[ENVIRONMENT_ANNOTATION]).toBe('dev');
    expect(
      Object.keys(annotations).filter(key => !key.startsWith('aks-gitops.io/')),
    ).toEqual([
      'backstage.io/managed-by-location',
      'backstage.io/managed-by-origin-location',
    ]);
    expect(entity('annotated')?.metadata.labels).toEqual({
      [STATE_LABEL]: 'pending',
    });
  }, 30_000);

  it("reads no file text again when nothing changed: only the pull requests' blob ids and sizes", async () => {
    await provider.refresh();
    standin.clearRequests();
    await provider.refresh();
    expect(standin.requests().map(r => `${r.method} ${r.route}`)).toEqual([
      'GET /repos/:owner/:repo',
      'GET /repos/:owner/:repo/git/ref/*ref',
      'GET /repos/:owner/:repo/git/trees/*tree_sha',
      'GET /repos/:owner/:repo/pulls',
      'POST /graphql',
    ]);
  }, 30_000);
});

describe('AksClusterEntityProvider, for a large fleet', () => {
  it(`reads the texts of 1,001 new cluster files in GraphQL batches of ${GIT_OBJECTS_PER_QUERY}: 3 queries`, async () => {
    const template = catalogFile('fleet-0000');
    const names = Array.from(
      { length: 1001 },
      (_, i) => `fleet-${String(i).padStart(4, '0')}`,
    );
    standin.seedRepository(OWNER, 'fleet', {
      files: Object.fromEntries(
        names.map(name => [
          catalogPath(name),
          template.replaceAll('fleet-0000', name),
        ]),
      ),
    });
    const fleet = new AksClusterEntityProvider({
      id: 'fleet',
      repoUrl: `http://${standin.host}/${OWNER}/fleet`,
      integrations: standinIntegrations(standin, TOKEN),
      logger: mockServices.logger.mock(),
    });
    let fleetEntities: Entity[] = [];
    await fleet.connect({
      applyMutation: async mutation => {
        if (mutation.type === 'full')
          fleetEntities = mutation.entities.map(e => e.entity);
      },
      refresh: async () => undefined,
    });
    standin.clearRequests();
    await fleet.refresh();
    expect(standin.requests().map(r => `${r.method} ${r.route}`)).toEqual([
      'GET /repos/:owner/:repo',
      'GET /repos/:owner/:repo/git/ref/*ref',
      'GET /repos/:owner/:repo/git/trees/*tree_sha',
      'GET /repos/:owner/:repo/pulls',
      'POST /graphql',
      'POST /graphql',
      'POST /graphql',
    ]);
    expect(fleetEntities.map(e => e.metadata.name).sort()).toEqual(names);
  }, 60_000);
});
