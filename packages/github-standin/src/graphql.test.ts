/**
 * GraphQL: the queries the product sends — octokit-plugin-create-pull-request v5's (through the
 * plugin itself, the way Backstage's publish:github:pull-request runs it), the scaffolder module's
 * branch state, the catalog module's batched objects — and GitHub-style errors.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { composeCreatePullRequest } from 'octokit-plugin-create-pull-request';
import type { GithubStandin } from './index';
import {
  client,
  isRecord,
  standinForTests,
  TOKEN,
  type TestOctokit,
} from './testing/octokit';

const owner = 'acme';
const repo = 'gitops';
let standin: GithubStandin;
let octokit: TestOctokit;

/** The query octokit-plugin-create-pull-request 5.1.1 sends to find the head branch and its open pull request. */
const PLUGIN_QUERY = `
    query ($owner: String!, $repo: String!, $head: String!) {
      repository(name: $repo, owner: $owner) {
        ref(qualifiedName: $head) {
          associatedPullRequests(first: 1, states: OPEN) {
            edges {
              node {
                id
                number
                url
              }
            }
          }
        }
      }
    }`;

beforeAll(async () => {
  ({ standin } = await standinForTests());
  octokit = client(standin);
  standin.seedRepository(owner, repo, {
    files: { 'README.md': '# GitOps\n', 'samples/old.yaml': 'old\n' },
  });
});

afterAll(async () => {
  await standin.close();
});

/** POSTs a GraphQL request as is, for answers with errors (octokit.graphql throws on those). */
async function post(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<unknown> {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: { Authorization: `bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

function createPullRequest(
  head: string,
  files: Record<
    string,
    string | { content: string; encoding: 'utf-8' | 'base64'; mode?: string }
  >,
  update = false,
) {
  // octokit-plugin-create-pull-request 5.1.1 types this with whichever @octokit/core the root holds (7, a peer of
  // octokit 3's plugin-paginate-graphql); at run time it uses only request and graphql, which our @octokit/core 4 client has.
  return composeCreatePullRequest(
    octokit as unknown as Parameters<typeof composeCreatePullRequest>[0],
    {
      owner,
      repo,
      title: `Add ${head}`,
      body: 'Created by publish:github:pull-request',
      head,
      changes: [{ files, commit: `Add ${head}` }],
      update,
    },
  );
}

test('octokit-plugin-create-pull-request opens a pull request, asking the GraphQL API once', async () => {
  standin.clearRequests();
  const result = await createPullRequest('scaffolder/dev', {
    'samples/dev/namespace.yaml': 'kind: Namespace\n',
    'bin/tool.sh': {
      content: Buffer.from('#!/bin/sh\n').toString('base64'),
      encoding: 'base64',
      mode: '100755',
    },
  });
  const graphqlCalls = standin
    .requests()
    .filter(entry => entry.route === '/graphql');
  expect(result?.data.html_url).toBe(
    `${standin.url}/${owner}/${repo}/pull/${result?.data.number}`,
  );
  expect(standin.files(owner, repo, 'scaffolder/dev').get('bin/tool.sh')).toBe(
    '#!/bin/sh\n',
  );
  expect(graphqlCalls.map(entry => entry.status)).toEqual([200]);
  expect(
    standin.requests().filter(entry => entry.validationErrors !== undefined),
  ).toEqual([]);
});

test('with update: true a second run finds the open pull request through the query and updates it', async () => {
  const first = await createPullRequest('scaffolder/update', {
    'a.yaml': 'one\n',
  });
  const second = await createPullRequest(
    'scaffolder/update',
    { 'a.yaml': 'two\n' },
    true,
  );
  expect(second?.data.number).toBe(first?.data.number);
  expect(
    standin
      .pulls(owner, repo)
      .filter(pull => pull.head.ref === 'scaffolder/update'),
  ).toHaveLength(1);
  expect(standin.files(owner, repo, 'scaffolder/update').get('a.yaml')).toBe(
    'two\n',
  );
});

test('without update a second run fails: the query reports the open pull request', async () => {
  await createPullRequest('scaffolder/twice', { 'b.yaml': 'one\n' });
  await expect(
    createPullRequest('scaffolder/twice', { 'b.yaml': 'two\n' }),
  ).rejects.toThrow(
    /Pull request already exists: http:\/\/127\.0\.0\.1:\d+\/acme\/gitops\/pull\/\d+/,
  );
});

test('the plugin query answers a branch, its open pull request and a missing branch', async () => {
  const created = await createPullRequest('scaffolder/query', {
    'c.yaml': 'c\n',
  });
  const found: unknown = await octokit.graphql(PLUGIN_QUERY, {
    owner,
    repo,
    head: 'scaffolder/query',
  });
  const missing: unknown = await octokit.graphql(PLUGIN_QUERY, {
    owner,
    repo,
    head: 'no-such-branch',
  });
  expect(found).toEqual({
    repository: {
      ref: {
        associatedPullRequests: {
          edges: [
            {
              node: {
                id: expect.any(String),
                number: created?.data.number,
                url: created?.data.html_url,
              },
            },
          ],
        },
      },
    },
  });
  expect(missing).toEqual({ repository: { ref: null } });
});

test('an unknown repository is a NOT_FOUND error and null data', async () => {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: {
      Authorization: 'bearer ghp_standinTestToken0000000000000000000',
    },
    body: JSON.stringify({
      query:
        'query { repository(owner: "acme", name: "nope") { ref(qualifiedName: "main") { target { oid } } } }',
    }),
  });
  const body: unknown = await response.json();
  expect(body).toEqual({
    data: { repository: null },
    errors: [
      {
        type: 'NOT_FOUND',
        path: ['repository'],
        locations: [{ line: 1, column: 9 }],
        message: "Could not resolve to a Repository with the name 'acme/nope'.",
      },
    ],
  });
});

test('objects by GitObjectID variable and by expression, as the catalog module batches them', async () => {
  const blob: unknown = await octokit.graphql(
    `query ($owner: String!, $repo: String!, $v0: String!) { repository(owner: $owner, name: $repo) { b0: object(expression: $v0) { oid } } }`,
    {
      owner,
      repo,
      v0: 'main:samples/old.yaml',
    },
  );
  const oid =
    isRecord(blob) && isRecord(blob.repository) && isRecord(blob.repository.b0)
      ? blob.repository.b0.oid
      : undefined;
  const data: unknown = await octokit.graphql(
    `query AksGitopsClusterFiles($owner: String!, $repo: String!, $v0: GitObjectID!, $v1: String!, $v2: GitObjectID!) {
      repository(owner: $owner, name: $repo) {
        b0: object(oid: $v0) { ... on Blob { oid text } }
        b1: object(expression: $v1) { ... on Blob { oid text } }
        b2: object(oid: $v2) { ... on Blob { oid text } }
      }
    }`,
    { owner, repo, v0: oid, v1: 'main:no/such/file', v2: '0'.repeat(40) },
  );
  expect(data).toEqual({
    repository: { b0: { oid, text: 'old\n' }, b1: null, b2: null },
  });
});

test("a branch's head commit with its message, tree and parents, and its open pull requests into each base, as the scaffolder reads them", async () => {
  standin.seedRepository(owner, 'state', { files: { 'a.txt': '1\n' } });
  const head = standin.commitFiles(owner, 'state', {
    branch: 'aks-gitops/dev',
    files: { 'a.txt': '2\n' },
    message: 'Second\n\nBody',
  });
  const pull = standin.openPull(owner, 'state', {
    head: 'aks-gitops/dev',
    title: 'Dev',
  });
  const data = await octokit.graphql<{
    repository: {
      headRef: {
        target: {
          oid: string;
          message: string;
          tree: { oid: string };
          parents: { nodes: { oid: string }[] };
        };
        associatedPullRequests: {
          nodes: { number: number; url: string; baseRefName: string }[];
        };
      };
      missing: null;
    };
  }>(
    `query ($head: String!) { repository(owner: "acme", name: "state") {
      headRef: ref(qualifiedName: $head) {
        target { oid ... on Commit { message tree { oid } parents(first: 2) { nodes { oid } } } }
        associatedPullRequests(states: [OPEN], first: 5) { nodes { number url baseRefName } }
      }
      missing: ref(qualifiedName: "refs/heads/none") { target { oid } }
    } }`,
    { head: 'refs/heads/aks-gitops/dev' },
  );
  expect(data.repository.headRef.target).toEqual({
    oid: head,
    message: 'Second\n\nBody',
    tree: { oid: expect.stringMatching(/^[0-9a-f]{40}$/) },
    parents: { nodes: [{ oid: pull.base.sha }] },
  });
  expect(data.repository.headRef.associatedPullRequests.nodes).toEqual([
    { number: pull.number, url: pull.html_url, baseRefName: 'main' },
  ]);
  expect(data.repository.missing).toBeNull();
});

test("a query that does not validate against GitHub's schema is answered with errors and no data", async () => {
  const body = await post(
    '{ repository(owner: "acme", name: "gitops") { nameWithOwner } }',
  );
  expect(body).toEqual({
    errors: [
      expect.objectContaining({
        message: 'Cannot query field "nameWithOwner" on type "Repository".',
      }),
    ],
  });
});

test('the committed schema is what the generator makes from @octokit/graphql-schema', () => {
  const script = join(
    __dirname,
    '..',
    'scripts',
    'generate-graphql-subset.mjs',
  );
  expect(() =>
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
  ).not.toThrow();
});
