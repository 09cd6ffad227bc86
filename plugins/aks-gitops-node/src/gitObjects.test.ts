/**
 * The repository reads both backend modules make, against the GitHub stand-in: a branch's files
 * in one listing, and git objects in GraphQL batches whose results keep the requests' order.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  type GithubStandin,
  startGithubStandin,
} from '@aks-gitops/github-standin';
import {
  GIT_OBJECTS_PER_QUERY,
  readBranchTree,
  readGitObjects,
} from './gitObjects';
import { createTestGithubClient } from './testing';

let standin: GithubStandin;
const owner = 'acme';
const repo = 'app-project-env';

beforeAll(async () => {
  standin = await startGithubStandin({ log: () => undefined });
  standin.seedRepository(owner, repo, {
    files: {
      'README.md': '# env\n',
      'clusters/dev/catalog-info.yaml': 'a: 1\n',
    },
  });
});
afterAll(() => standin.close());

function connect() {
  const target = { host: standin.host, owner, repo };
  const client = createTestGithubClient({
    token: 'ghp_test',
    baseUrl: standin.apiBaseUrl,
    logger: mockServices.logger.mock(),
  });
  return { client, target };
}

it('lists every file of a branch with its blob id and size, at the branch head', async () => {
  const { client, target } = connect();
  const commit = standin.commitFiles(owner, repo, {
    branch: 'feature',
    files: { 'clusters/qa/catalog-info.yaml': 'b: 22\n' },
  });

  const tree = await readBranchTree(client, target, 'feature');

  expect(tree.commit).toBe(commit);
  expect(tree.blobs.map(({ path, size }) => [path, size])).toEqual([
    ['README.md', 6],
    ['clusters/dev/catalog-info.yaml', 5],
    ['clusters/qa/catalog-info.yaml', 6],
  ]);
});

it('names the branch and the repository when the branch does not exist', async () => {
  const { client, target } = connect();
  await expect(readBranchTree(client, target, 'missing')).rejects.toThrow(
    /read branch missing .*acme\/app-project-env/,
  );
});

it(`reads objects in batches of ${GIT_OBJECTS_PER_QUERY}, results in the requests' order, null for none`, async () => {
  const { client, target } = connect();
  const { blobs, commit } = await readBranchTree(client, target, 'main');
  const [readme, cluster] = blobs;
  const requests = [
    ...Array.from({ length: GIT_OBJECTS_PER_QUERY }, () => ({
      oid: readme?.sha ?? '',
      fragment: '... on Blob { text }',
    })),
    {
      expression: `${commit}:clusters/dev/catalog-info.yaml`,
      fragment: '... on Blob { text }',
    },
    { oid: cluster?.sha ?? '', fragment: '... on Blob { byteSize }' },
    { expression: `${commit}:no/such/file`, fragment: '... on Blob { text }' },
  ];
  standin.clearRequests();

  const objects = await readGitObjects<{ text?: string; byteSize?: number }>(
    client,
    target,
    requests,
    'read the files',
  );

  expect(objects).toHaveLength(GIT_OBJECTS_PER_QUERY + 3);
  expect(objects[0]).toEqual({ text: '# env\n' });
  expect(objects.slice(GIT_OBJECTS_PER_QUERY)).toEqual([
    { text: 'a: 1\n' },
    { byteSize: 5 },
    null,
  ]);
  expect(standin.requests().map(request => request.route)).toEqual([
    '/graphql',
    '/graphql',
  ]);
});
