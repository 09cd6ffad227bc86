/**
 * Tokens and GitHub Apps: bad tokens are 401 Bad credentials; an app's JWT (made by
 * @octokit/auth-app, what Backstage's GitHub integration uses) lists installations and mints an
 * installation token that is then accepted.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { GithubStandin } from './index';
import { startGithubStandin } from './index';
import {
  client,
  isRecord,
  standinForTests,
  statusOf,
  TOKEN,
} from './testing/octokit';

const owner = 'acme';
const repo = 'secured';
const APP_ID = 4242;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const otherKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let standin: GithubStandin;

beforeAll(async () => {
  ({ standin } = await standinForTests({
    apps: [{ id: APP_ID, slug: 'aks-gitops', publicKey: keys.publicKey }],
  }));
  standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
});

afterAll(async () => {
  await standin.close();
});

function appClient(privateKey: string, appId: number = APP_ID): Octokit {
  return new Octokit({
    baseUrl: standin.apiBaseUrl,
    authStrategy: createAppAuth,
    auth: { appId, privateKey },
    log: silent,
  });
}

test('an unknown token is 401 Bad credentials', async () => {
  const failure = await statusOf(
    client(standin, { token: 'ghp_wrong' }).rest.repos.get({ owner, repo }),
  );
  expect(failure.status).toBe(401);
  expect(isRecord(failure.data) && failure.data.message).toBe(
    'Bad credentials',
  );
});

test('a request without a token is 401 when tokens are configured', async () => {
  const response = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`);
  expect(response.status).toBe(401);
});

test('both "token X" and "Bearer X" are accepted', async () => {
  const asToken = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, {
    headers: { Authorization: `token ${TOKEN}` },
  });
  const asBearer = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  expect([asToken.status, asBearer.status]).toEqual([200, 200]);
});

test('without configured tokens anything goes', async () => {
  const open = await startGithubStandin({ log: () => undefined });
  try {
    open.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    const response = await fetch(`${open.apiBaseUrl}/repos/${owner}/${repo}`, {
      headers: { Authorization: 'token whatever' },
    });
    expect(response.status).toBe(200);
  } finally {
    await open.close();
  }
});

test('every REST response carries rate-limit headers and a JSON content type', async () => {
  const response = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, {
    headers: { Authorization: `token ${TOKEN}` },
  });
  const missing = await fetch(`${standin.apiBaseUrl}/repos/${owner}/nope`, {
    headers: { Authorization: `token ${TOKEN}` },
  });
  for (const each of [response, missing]) {
    expect(each.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(Number(each.headers.get('x-ratelimit-remaining'))).toBeLessThan(
      5000,
    );
    expect(Number(each.headers.get('x-ratelimit-reset'))).toBeGreaterThan(
      Date.now() / 1000,
    );
    expect(each.headers.get('content-type')).toBe(
      'application/json; charset=utf-8',
    );
  }
  expect(missing.status).toBe(404);
});

test('an app JWT lists the installations, one on each owner', async () => {
  const { data } = await appClient(
    keys.privateKey,
  ).rest.apps.listInstallations();
  expect(
    data.map(installation => [
      installation.account && 'login' in installation.account
        ? installation.account.login
        : null,
      installation.app_id,
      installation.app_slug,
    ]),
  ).toEqual([[owner, APP_ID, 'aks-gitops']]);
});

test('an installation token minted with the app JWT is accepted and acts as the app bot', async () => {
  const app = appClient(keys.privateKey);
  const { data: installations } = await app.rest.apps.listInstallations();
  const { data: token } = await app.rest.apps.createInstallationAccessToken({
    installation_id: installations[0]?.id ?? 0,
  });
  const asBot = client(standin, { token: token.token });
  standin.commitFiles(owner, repo, {
    branch: 'bot-branch',
    files: { 'b.txt': 'b\n' },
  });
  const { data: pull } = await asBot.rest.pulls.create({
    owner,
    repo,
    title: 'from the app',
    head: 'bot-branch',
    base: 'main',
  });
  expect(token.token).toMatch(/^ghs_/);
  expect(pull.user.login).toBe('aks-gitops[bot]');
});

test('@octokit/auth-app with an installation id authenticates REST calls end to end', async () => {
  const { data: installations } = await appClient(
    keys.privateKey,
  ).rest.apps.listInstallations();
  const octokit = new Octokit({
    baseUrl: standin.apiBaseUrl,
    authStrategy: createAppAuth,
    auth: {
      appId: APP_ID,
      privateKey: keys.privateKey,
      installationId: installations[0]?.id,
    },
    log: silent,
  });
  const { data } = await octokit.rest.repos.get({ owner, repo });
  expect(data.full_name).toBe(`${owner}/${repo}`);
});

test('a JWT signed with another key is 401', async () => {
  const failure = await statusOf(
    appClient(otherKeys.privateKey).rest.apps.listInstallations(),
  );
  expect(failure.status).toBe(401);
});

test('a JWT for an app that is not configured is 401', async () => {
  const failure = await statusOf(
    appClient(keys.privateKey, 999).rest.apps.listInstallations(),
  );
  expect(failure.status).toBe(401);
  expect(failure.message).toContain("'Issuer' claim ('iss')");
});

test('a personal token cannot call the app endpoints', async () => {
  const failure = await statusOf(client(standin).rest.apps.listInstallations());
  expect(failure.status).toBe(401);
  expect(failure.message).toContain('A JSON web token could not be decoded');
});
