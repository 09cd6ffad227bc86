/**
 * Webhooks: what GitHub sends for pull requests and pushes, checked against GitHub's published
 * payload schemas (@octokit/webhooks-schemas 7.6, definitions `pull_request$opened`,
 * `pull_request$closed`, `push$event`) and signed as GitHub signs them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from '@octokit/webhooks-schemas/schema.json';
import type { GithubStandin } from './index';
import { signWebhookBody } from './webhooks';
import { client, standinForTests, type TestOctokit } from './testing/octokit';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = 'webhook-test-secret';
const owner = 'acme';
let standin: GithubStandin;
let octokit: TestOctokit;
let server: Server;
let received: Received[] = [];
let counter = 0;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schema, 'webhooks');

/** The schema errors of `payload` against a definition; [] when it conforms. */
function problems(definition: string, payload: unknown): string[] {
  const validate = ajv.getSchema(`webhooks#/definitions/${definition}`);
  if (!validate) throw new Error(`no definition ${definition}`);
  return validate(payload)
    ? []
    : (validate.errors ?? []).map(
        error => `${error.instancePath} ${error.message ?? ''}`,
      );
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.statusCode = 202;
      response.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ({ standin } = await standinForTests({
    webhooks: [{ url: `http://127.0.0.1:${port}/hook`, secret: SECRET }],
  }));
  octokit = client(standin);
});

afterAll(async () => {
  await standin.close();
  await new Promise(resolve => server.close(resolve));
});

beforeEach(async () => {
  await standin.webhooks.settled();
  received = [];
});

/** A fresh repository with a branch `topic` one commit ahead of main. */
async function repoWithTopic(): Promise<string> {
  counter += 1;
  const repo = `hooks-${counter}`;
  standin.seedRepository(owner, repo, { files: { 'README.md': 'hello\n' } });
  standin.commitFiles(owner, repo, {
    branch: 'topic',
    files: { 'clusters/a.yaml': 'a: 1\n' },
  });
  await standin.webhooks.settled();
  received = [];
  return repo;
}

/** Opens a pull request from `topic` through the REST API, then forgets the deliveries so far. */
async function openTopicPull(repo: string): Promise<number> {
  const { data } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'Add a',
    head: 'topic',
    base: 'main',
  });
  await standin.webhooks.settled();
  received = [];
  return data.number;
}

function payloads(event: string): Record<string, unknown>[] {
  return received
    .filter(r => r.headers['x-github-event'] === event)
    .map(r => JSON.parse(r.body) as Record<string, unknown>);
}

test('opening a pull request delivers pull_request opened in the shape GitHub documents', async () => {
  const repo = await repoWithTopic();
  await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'Add a',
    head: 'topic',
    base: 'main',
  });
  await standin.webhooks.settled();
  const [opened] = payloads('pull_request');
  expect(opened?.['action']).toBe('opened');
  expect(problems('pull_request$opened', opened)).toEqual([]);
});

test('merging delivers pull_request closed with merged true and a push to the base branch, both in GitHub shapes', async () => {
  const repo = await repoWithTopic();
  const number = await openTopicPull(repo);
  standin.mergePull(owner, repo, number);
  await standin.webhooks.settled();
  const [closed] = payloads('pull_request');
  const [push] = payloads('push');
  expect(closed?.['action']).toBe('closed');
  expect((closed?.['pull_request'] as Record<string, unknown>)['merged']).toBe(
    true,
  );
  expect(problems('pull_request$closed', closed)).toEqual([]);
  expect(push?.['ref']).toBe('refs/heads/main');
  expect(problems('push$event', push)).toEqual([]);
});

test('closing without merging delivers pull_request closed with merged false', async () => {
  const repo = await repoWithTopic();
  const number = await openTopicPull(repo);
  await octokit.rest.pulls.update({
    owner,
    repo,
    pull_number: number,
    state: 'closed',
  });
  await standin.webhooks.settled();
  const [closed] = payloads('pull_request');
  expect(closed?.['action']).toBe('closed');
  expect((closed?.['pull_request'] as Record<string, unknown>)['merged']).toBe(
    false,
  );
  expect(problems('pull_request$closed', closed)).toEqual([]);
  expect(payloads('push')).toEqual([]);
});

test('a commit to a branch delivers push with that commit and its changed paths', async () => {
  const repo = await repoWithTopic();
  const sha = standin.commitFiles(owner, repo, {
    branch: 'topic',
    files: { 'clusters/b.yaml': 'b: 1\n', 'clusters/a.yaml': 'a: 2\n' },
  });
  await standin.webhooks.settled();
  const [push] = payloads('push');
  expect(push?.['ref']).toBe('refs/heads/topic');
  expect(push?.['after']).toBe(sha);
  expect(push?.['head_commit']).toMatchObject({
    id: sha,
    added: ['clusters/b.yaml'],
    modified: ['clusters/a.yaml'],
  });
  expect(problems('push$event', push)).toEqual([]);
});

test('each delivery carries GitHub headers and X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the secret', async () => {
  await repoWithTopic();
  const repo = `hooks-${counter}`;
  standin.commitFiles(owner, repo, { branch: 'main', files: { x: 'x\n' } });
  await standin.webhooks.settled();
  const [delivery] = received;
  expect(delivery?.headers['x-github-event']).toBe('push');
  expect(delivery?.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
  expect(delivery?.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
  expect(delivery?.headers['content-type']).toBe('application/json');
  expect(delivery?.headers['x-hub-signature-256']).toBe(
    signWebhookBody(SECRET, delivery?.body ?? ''),
  );
});

test('a receiver that is down leaves a failed delivery and no error in the change that caused it', async () => {
  standin.webhooks.add({ url: 'http://127.0.0.1:9/nothing' });
  const repo = await repoWithTopic();
  standin.commitFiles(owner, repo, { branch: 'main', files: { y: 'y\n' } });
  await standin.webhooks.settled();
  const failed = standin.webhooks
    .deliveries()
    .filter(d => d.url === 'http://127.0.0.1:9/nothing');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every(d => d.status === undefined && d.error)).toBe(true);
});
