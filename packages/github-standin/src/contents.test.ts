/**
 * Reading files the ways clients do: the contents API's raw media type (what Backstage's GitHub
 * URL reader asks for with a token) and raw URLs.
 */
import type { GithubStandin } from './index';
import {
  client,
  standinForTests,
  statusOf,
  TOKEN,
  type TestOctokit,
} from './testing/octokit';

const owner = 'acme';
const repo = 'catalog';
let standin: GithubStandin;
let octokit: TestOctokit;

beforeAll(async () => {
  ({ standin } = await standinForTests());
  octokit = client(standin);
  standin.seedRepository(owner, repo, {
    files: {
      'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: app\n',
      'docs/index.md': '# Docs\n',
      'docs/guide/intro.md': 'Intro\n',
    },
  });
  standin.commitFiles(owner, repo, {
    branch: 'feature/slash',
    files: { 'docs/index.md': '# Docs on a branch\n' },
  });
});

afterAll(async () => {
  await standin.close();
});

test('the raw media type returns the bytes, at the given ref', async () => {
  const { data } = await octokit.rest.repos.getContent({
    owner,
    repo,
    path: 'docs/index.md',
    ref: 'feature/slash',
    mediaType: { format: 'raw' },
  });
  expect(data).toBe('# Docs on a branch\n');
});

test('Backstage-style fetch: Accept application/vnd.github.v3.raw with a token', async () => {
  const response = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}/contents/docs/guide/intro.md?ref=main`,
    {
      headers: {
        Authorization: `token ${TOKEN}`,
        Accept: 'application/vnd.github.v3.raw',
      },
    },
  );
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('Intro\n');
  expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
});

test('a missing path is 404', async () => {
  const failure = await statusOf(
    octokit.rest.repos.getContent({
      owner,
      repo,
      path: 'nope.yaml',
      mediaType: { format: 'raw' },
    }),
  );
  expect(failure.status).toBe(404);
});

test('raw URLs serve files at a branch whose name has a slash', async () => {
  const response = await fetch(
    `${standin.rawBaseUrl}/${owner}/${repo}/feature/slash/docs/index.md`,
  );
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('# Docs on a branch\n');
});

test('a raw URL for a missing file is 404', async () => {
  const response = await fetch(
    `${standin.rawBaseUrl}/${owner}/${repo}/main/missing.md`,
  );
  expect(response.status).toBe(404);
});
