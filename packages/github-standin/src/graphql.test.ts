/**
 * GraphQL: the query octokit-plugin-create-pull-request v5 sends (through the plugin itself, the
 * way Backstage's publish:github:pull-request runs it), and GitHub-style errors.
 */
import { composeCreatePullRequest } from 'octokit-plugin-create-pull-request';
import type { GithubStandin } from './index';
import { client, isRecord, standinForTests, type TestOctokit } from './testing/octokit';

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
  standin.seedRepository(owner, repo, { files: { 'README.md': '# GitOps\n', 'samples/old.yaml': 'old\n' } });
});

afterAll(async () => {
  await standin.close();
});

function createPullRequest(head: string, files: Record<string, string | { content: string; encoding: 'utf-8' | 'base64'; mode?: string }>, update = false) {
  return composeCreatePullRequest(octokit, {
    owner,
    repo,
    title: `Add ${head}`,
    body: 'Created by publish:github:pull-request',
    head,
    changes: [{ files, commit: `Add ${head}` }],
    update,
  });
}

test('octokit-plugin-create-pull-request opens a pull request, asking the GraphQL API once', async () => {
  standin.clearRequests();
  const result = await createPullRequest('scaffolder/dev', {
    'samples/dev/namespace.yaml': 'kind: Namespace\n',
    'bin/tool.sh': { content: Buffer.from('#!/bin/sh\n').toString('base64'), encoding: 'base64', mode: '100755' },
  });
  const graphqlCalls = standin.requests().filter((entry) => entry.area === 'graphql');
  expect(result?.data.html_url).toBe(`${standin.url}/${owner}/${repo}/pull/${result?.data.number}`);
  expect(standin.files(owner, repo, 'scaffolder/dev').get('bin/tool.sh')).toBe('#!/bin/sh\n');
  expect(graphqlCalls.map((entry) => entry.status)).toEqual([200]);
  expect(standin.requests().filter((entry) => entry.validationErrors !== undefined)).toEqual([]);
});

test('with update: true a second run finds the open pull request through the query and updates it', async () => {
  const first = await createPullRequest('scaffolder/update', { 'a.yaml': 'one\n' });
  const second = await createPullRequest('scaffolder/update', { 'a.yaml': 'two\n' }, true);
  expect(second?.data.number).toBe(first?.data.number);
  expect(standin.pulls(owner, repo).filter((pull) => pull.head.ref === 'scaffolder/update')).toHaveLength(1);
  expect(standin.files(owner, repo, 'scaffolder/update').get('a.yaml')).toBe('two\n');
});

test('without update a second run fails: the query reports the open pull request', async () => {
  await createPullRequest('scaffolder/twice', { 'b.yaml': 'one\n' });
  await expect(createPullRequest('scaffolder/twice', { 'b.yaml': 'two\n' })).rejects.toThrow(/Pull request already exists: http:\/\/127\.0\.0\.1:\d+\/acme\/gitops\/pull\/\d+/);
});

test('the plugin query answers a branch, its open pull request and a missing branch', async () => {
  const created = await createPullRequest('scaffolder/query', { 'c.yaml': 'c\n' });
  const found: unknown = await octokit.graphql(PLUGIN_QUERY, { owner, repo, head: 'scaffolder/query' });
  const missing: unknown = await octokit.graphql(PLUGIN_QUERY, { owner, repo, head: 'no-such-branch' });
  expect(found).toEqual({
    repository: { ref: { associatedPullRequests: { edges: [{ node: { id: expect.any(String), number: created?.data.number, url: created?.data.html_url } }] } } },
  });
  expect(missing).toEqual({ repository: { ref: null } });
});

test('a field GitHub does not have is an error naming the field and type, with no data', async () => {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: { Authorization: 'bearer ghp_standinTestToken0000000000000000000' },
    body: JSON.stringify({ query: '{ repository(owner: "acme", name: "gitops") { nameWithOwner stars } }' }),
  });
  const body: unknown = await response.json();
  expect(isRecord(body) && body.data).toBeUndefined();
  expect(isRecord(body) && Array.isArray(body.errors) && isRecord(body.errors[0]) && body.errors[0].message).toBe("Field 'stars' doesn't exist on type 'Repository'");
});

test('an unknown repository is a NOT_FOUND error and null data', async () => {
  const response = await fetch(standin.graphqlUrl, {
    method: 'POST',
    headers: { Authorization: 'bearer ghp_standinTestToken0000000000000000000' },
    body: JSON.stringify({ query: 'query { repository(owner: "acme", name: "nope") { id } }' }),
  });
  const body: unknown = await response.json();
  expect(body).toEqual({
    data: { repository: null },
    errors: [{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 9 }], message: "Could not resolve to a Repository with the name 'acme/nope'." }],
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
    repository: { defaultBranchRef: { name: 'main', target: { history: { totalCount: 1, nodes: [{ messageHeadline: 'Initial commit' }] } } }, readme: { text: '# GitOps\n' } },
  });
});
