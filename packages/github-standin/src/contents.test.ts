/**
 * Reading files the ways clients do: the contents API (JSON and raw, what Backstage's GitHub URL
 * reader uses), raw URLs, and the repository archive Backstage's readTree downloads.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('a file comes back as base64 content with its blob sha', async () => {
  const { data } = await octokit.rest.repos.getContent({
    owner,
    repo,
    path: 'catalog-info.yaml',
  });
  if (Array.isArray(data) || data.type !== 'file')
    throw new Error('expected a file');
  expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(
    'kind: Component\nmetadata:\n  name: app\n',
  );
  expect(data.encoding).toBe('base64');
  const content = 'kind: Component\nmetadata:\n  name: app\n';
  expect(data.sha).toBe(
    createHash('sha1')
      .update(`blob ${Buffer.byteLength(content)}\0${content}`)
      .digest('hex'),
  ); // what git hash-object prints
});

test('a directory comes back as an array of entries', async () => {
  const { data } = await octokit.rest.repos.getContent({
    owner,
    repo,
    path: 'docs',
  });
  expect(
    Array.isArray(data) && data.map(entry => `${entry.type} ${entry.path}`),
  ).toEqual(['dir docs/guide', 'file docs/index.md']);
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
    octokit.rest.repos.getContent({ owner, repo, path: 'nope.yaml' }),
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

test('the tarball redirects to an archive with every file under one top folder', async () => {
  const { data: status } = await octokit.request(
    'GET /repos/{owner}/{repo}/commits/{ref}/status',
    { owner, repo, ref: 'main' },
  );
  const archiveUrl = String(status.repository.archive_url)
    .replace('{archive_format}', 'tarball')
    .replace('{/ref}', `/${status.sha}`);
  const response = await fetch(archiveUrl, {
    headers: { Authorization: `token ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  const dir = mkdtempSync(join(tmpdir(), 'standin-tar-'));
  try {
    const file = join(dir, 'repo.tar.gz');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const listing = execFileSync('tar', ['-tzf', file])
      .toString('utf8')
      .trim()
      .split('\n');
    const top = `${owner}-${repo}-${status.sha.slice(0, 7)}/`;
    expect(listing.filter(path => !path.endsWith('/')).sort()).toEqual([
      `${top}catalog-info.yaml`,
      `${top}docs/guide/intro.md`,
      `${top}docs/index.md`,
    ]);
    expect(
      execFileSync('tar', [
        '-xzOf',
        file,
        `${top}docs/guide/intro.md`,
      ]).toString('utf8'),
    ).toBe('Intro\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
