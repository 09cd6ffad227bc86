/**
 * Reading files the ways clients do: the contents API's raw media type (what Backstage's GitHub
 * URL reader asks for with a token), raw URLs, and the reader's readTree (combined status, then the
 * tarball).
 */
import { execFileSync } from 'node:child_process';
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
