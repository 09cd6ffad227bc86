/**
 * The control API (`/_standin/*`) against what a web page in the owner's browser, or a DNS
 * rebinding page, can send to 127.0.0.1: requests without the control token, `text/plain` bodies
 * (a cross-site POST needs no CORS preflight only with text/plain, form or multipart bodies), and a
 * seed from a folder of the machine that `/raw` would then serve.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GithubStandin } from './index';
import { isRecord, standinForTests } from './testing/octokit';

const CONTROL_TOKEN = 'control-token-for-tests';
let standin: GithubStandin;
let secrets: string;

beforeAll(async () => {
  ({ standin } = await standinForTests({ controlToken: CONTROL_TOKEN }));
  secrets = mkdtempSync(join(tmpdir(), 'standin-control-'));
  writeFileSync(join(secrets, 'id_rsa'), 'PRIVATE KEY\n');
});

afterAll(async () => {
  await standin.close();
  rmSync(secrets, { recursive: true, force: true });
});

beforeEach(() => {
  standin.faults.clear();
});

const rule = JSON.stringify({
  route: 'GET /repos/:owner/:repo',
  every: true,
  fault: { status: 500 },
});

async function messageOf(response: Response): Promise<unknown> {
  const body: unknown = await response.json();
  return isRecord(body) ? body.message : body;
}

test('a cross-site text/plain POST without the control token adds no fault: 401', async () => {
  // What a page's fetch(url, { method: 'POST', mode: 'no-cors', body }) sends.
  const response = await fetch(`${standin.url}/_standin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: rule,
  });
  expect(response.status).toBe(401);
  expect(await messageOf(response)).toBe(
    'X-Standin-Control-Token: must be the control token the stand-in was started with (GithubStandin.controlToken, or what the CLI printed), but the request has none',
  );
  expect(standin.faults.list()).toEqual([]);
});

test('a control request with a wrong control token is refused: 401', async () => {
  const response = await fetch(`${standin.url}/_standin/faults`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-standin-control-token': 'guessed',
    },
    body: rule,
  });
  expect(response.status).toBe(401);
  expect(await messageOf(response)).toBe(
    'X-Standin-Control-Token: must be the control token the stand-in was started with (GithubStandin.controlToken, or what the CLI printed), but it is another value',
  );
  expect(standin.faults.list()).toEqual([]);
});

test('reading the request log needs the control token too (a DNS rebinding page could read it)', async () => {
  const response = await fetch(`${standin.url}/_standin/requests`);
  expect(response.status).toBe(401);
});

test('a text/plain POST with the control token adds no fault: 415', async () => {
  const response = await fetch(`${standin.url}/_standin/faults`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      'x-standin-control-token': CONTROL_TOKEN,
    },
    body: rule,
  });
  expect(response.status).toBe(415);
  expect(await messageOf(response)).toBe(
    'Content-Type: must be application/json for POST /_standin/faults, but it is "text/plain"',
  );
  expect(standin.faults.list()).toEqual([]);
});

test('a DELETE without Content-Type: application/json clears nothing: 415', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    every: true,
    fault: { status: 500 },
  });
  const response = await fetch(`${standin.url}/_standin/faults`, {
    method: 'DELETE',
    headers: { 'x-standin-control-token': CONTROL_TOKEN },
  });
  expect(response.status).toBe(415);
  expect(standin.faults.list()).toHaveLength(1);
});

test('seeding a repository from a folder of the machine over HTTP is refused, and /raw serves nothing of it', async () => {
  const response = await fetch(`${standin.url}/_standin/repos`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-standin-control-token': CONTROL_TOKEN,
    },
    body: JSON.stringify({ owner: 'mallory', repo: 'loot', folder: secrets }),
  });
  expect(response.status).toBe(400);
  expect(await messageOf(response)).toBe(
    "folder: must not be given over HTTP (seed folders with seedRepository() or the CLI's --seed), but it is given; send files instead",
  );
  const raw = await fetch(`${standin.url}/raw/mallory/loot/main/id_rsa`);
  expect(raw.status).toBe(404);
});

test('with the control token and a JSON body the control API works', async () => {
  const response = await fetch(`${standin.url}/_standin/faults`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-standin-control-token': CONTROL_TOKEN,
    },
    body: rule,
  });
  expect(response.status).toBe(201);
  expect(standin.faults.list()).toHaveLength(1);
});

test('without a controlToken option the stand-in makes a random one of 32 bytes', async () => {
  const { standin: other } = await standinForTests();
  try {
    expect(other.controlToken).toMatch(/^[0-9a-f]{64}$/);
    expect(other.controlToken).not.toBe(standin.controlToken);
  } finally {
    await other.close();
  }
});
