/**
 * GraphQL: the query octokit-plugin-create-pull-request v5 sends (through the plugin itself, the
 * way Backstage's publish:github:pull-request runs it), the language features clients use
 * (aliases, variables, fragments, directives), paging, and GitHub-style errors.
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

test('a field GitHub does not have is an error naming the field and type, with no data', async () => {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: {
      Authorization: 'bearer ghp_standinTestToken0000000000000000000',
    },
    body: JSON.stringify({
      query:
        '{ repository(owner: "acme", name: "gitops") { nameWithOwner stars } }',
    }),
  });
  const body: unknown = await response.json();
  expect(isRecord(body) && body.data).toBeUndefined();
  expect(
    isRecord(body) &&
      Array.isArray(body.errors) &&
      isRecord(body.errors[0]) &&
      body.errors[0].message,
  ).toBe("Field 'stars' doesn't exist on type 'Repository'");
});

test('an unknown repository is a NOT_FOUND error and null data', async () => {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: {
      Authorization: 'bearer ghp_standinTestToken0000000000000000000',
    },
    body: JSON.stringify({
      query: 'query { repository(owner: "acme", name: "nope") { id } }',
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

test('a commit history and file text can be read through GraphQL', async () => {
  const data: unknown = await octokit.graphql(
    `query ($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        defaultBranchRef { name target { ... on Commit { history(first: 5) { totalCount nodes { messageHeadline } } } } }
        readme: object(expression: "main:README.md") { ... on Blob { text } }
      }
    }`,
    { owner, name: repo },
  );
  expect(data).toEqual({
    repository: {
      defaultBranchRef: {
        name: 'main',
        target: {
          history: {
            totalCount: 1,
            nodes: [{ messageHeadline: 'Initial commit' }],
          },
        },
      },
      readme: { text: '# GitOps\n' },
    },
  });
});

test('aliases, variables, named and inline fragments, __typename and @skip/@include', async () => {
  const readme = standin.files(owner, repo, 'main').get('README.md');
  const data: unknown = await octokit.graphql(
    `query Files($owner: String!, $name: String!, $path: String!, $withTree: Boolean!) {
      repository(owner: $owner, name: $name) {
        ...Names
        file: object(expression: $path) { __typename ...BlobText }
        folder: object(expression: "main:samples") @include(if: $withTree) { ... on Tree { entries { name type } } }
        skipped: defaultBranchRef @skip(if: true) { name }
      }
    }
    fragment Names on RepositoryInfo { nameWithOwner }
    fragment BlobText on GitObject { ... on Blob { oid text isBinary } }`,
    { owner, name: repo, path: 'main:README.md', withTree: true },
  );
  expect(data).toEqual({
    repository: {
      nameWithOwner: `${owner}/${repo}`,
      file: {
        __typename: 'Blob',
        oid: expect.stringMatching(/^[0-9a-f]{40}$/),
        text: readme,
        isBinary: false,
      },
      folder: { entries: [{ name: 'old.yaml', type: 'blob' }] },
    },
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

test('a commit, its tree and parents, and history paged with first/after and last/before', async () => {
  standin.seedRepository(owner, 'paging', { files: { 'a.txt': '1\n' } });
  standin.commitFiles(owner, 'paging', {
    branch: 'main',
    files: { 'a.txt': '2\n' },
    message: 'Second',
  });
  standin.commitFiles(owner, 'paging', {
    branch: 'main',
    files: { 'a.txt': '3\n' },
    message: 'Third',
  });
  const query = `query ($after: String, $before: String, $first: Int, $last: Int) {
    repository(owner: "acme", name: "paging") {
      ref(qualifiedName: "refs/heads/main") {
        target { oid ... on Commit { tree { oid } parents(first: 2) { nodes { oid } } history(first: $first, last: $last, after: $after, before: $before) {
          totalCount nodes { messageHeadline } edges { cursor } pageInfo { hasNextPage hasPreviousPage } } } }
      }
    }
  }`;
  type Page = {
    repository: {
      ref: {
        target: {
          oid: string;
          tree: { oid: string };
          parents: { nodes: { oid: string }[] };
          history: {
            totalCount: number;
            nodes: { messageHeadline: string }[];
            edges: { cursor: string }[];
            pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
          };
        };
      };
    };
  };
  const first = await octokit.graphql<Page>(query, { first: 1 });
  const target = first.repository.ref.target;
  expect(target.history).toEqual({
    totalCount: 3,
    nodes: [{ messageHeadline: 'Third' }],
    edges: [{ cursor: expect.any(String) }],
    pageInfo: { hasNextPage: true, hasPreviousPage: false },
  });
  expect(target.parents.nodes).toHaveLength(1);
  expect(target.tree.oid).toMatch(/^[0-9a-f]{40}$/);
  const next = await octokit.graphql<Page>(query, {
    first: 5,
    after: target.history.edges[0]?.cursor,
  });
  expect(next.repository.ref.target.history.nodes).toEqual([
    { messageHeadline: 'Second' },
    { messageHeadline: 'Initial commit' },
  ]);
  expect(next.repository.ref.target.history.pageInfo).toEqual({
    hasNextPage: false,
    hasPreviousPage: true,
  });
  const last = await octokit.graphql<Page>(query, {
    last: 1,
    before: next.repository.ref.target.history.edges[1]?.cursor,
  });
  expect(last.repository.ref.target.history.nodes).toEqual([
    { messageHeadline: 'Second' },
  ]);
});

test('invalid queries are answered with errors and no data', async () => {
  const syntax = await post('{\n  repository(owner: )\n}');
  expect(syntax).toEqual({
    errors: [
      {
        message: 'Syntax Error: Unexpected ")".',
        locations: [{ line: 2, column: 21 }],
      },
    ],
  });
  const argument = await post(
    '{ repository(owner: "acme", name: "gitops") { ref(name: "main") { name } } }',
  );
  expect(argument).toEqual({
    errors: [
      expect.objectContaining({
        message: "Field 'ref' doesn't accept argument 'name'",
        extensions: expect.objectContaining({ code: 'argumentNotAccepted' }),
      }),
      expect.anything(),
    ],
  });
  const variable = await post(
    'query ($name: String!) { repository(owner: "acme", name: $name) { id } }',
  );
  expect(variable).toEqual({
    errors: [
      expect.objectContaining({
        message:
          'Variable "$name" of required type "String!" was not provided.',
      }),
    ],
  });
  // the stand-in's schema has no mutations: graphql-js refuses before running anything
  const mutation = await post(
    'mutation { addStar(input: {}) { clientMutationId } }',
  );
  expect(mutation).toEqual({
    data: null,
    errors: [
      expect.objectContaining({
        message: 'Schema is not configured to execute mutation operation.',
      }),
    ],
  });
});

test('a missing pull request is a NOT_FOUND error at its path; the rest of the data stays', async () => {
  const body = await post(
    '{ viewer { login } rateLimit { remaining } repository(owner: "acme", name: "gitops") { pullRequest(number: 9999) { title } } }',
  );
  expect(body).toEqual({
    data: {
      viewer: { login: expect.any(String) },
      rateLimit: { remaining: 4999 },
      repository: { pullRequest: null },
    },
    errors: [
      {
        type: 'NOT_FOUND',
        path: ['repository', 'pullRequest'],
        locations: [expect.any(Object)],
        message: 'Could not resolve to a PullRequest with the number of 9999.',
      },
    ],
  });
});

test('pull requests filter by state and head, with their refs, author and labels', async () => {
  const created = await createPullRequest('scaffolder/listed', {
    'd.yaml': 'd\n',
  });
  const data: unknown = await octokit.graphql(
    `{ repository(owner: "acme", name: "gitops") {
      pullRequests(states: [OPEN], headRefName: "scaffolder/listed", first: 10) {
        totalCount nodes { number state merged isDraft mergeable baseRefName headRef { name } author { __typename login } labels(first: 5) { totalCount } }
      }
    } }`,
  );
  expect(data).toEqual({
    repository: {
      pullRequests: {
        totalCount: 1,
        nodes: [
          {
            number: created?.data.number,
            state: 'OPEN',
            merged: false,
            isDraft: false,
            mergeable: 'MERGEABLE',
            baseRefName: 'main',
            headRef: { name: 'scaffolder/listed' },
            author: { __typename: 'User', login: expect.any(String) },
            labels: { totalCount: 0 },
          },
        ],
      },
    },
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
