/**
 * The portal refuses requests whose Host header names another site (a DNS rebinding page) before
 * any route, auth included, and answers its own names: the real backend over HTTP, with
 * backend.baseUrl on another name than the loopback ones and one backend.allowedHosts entry.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { request } from 'node:http';
import { allowedHostNames, hostNameOf } from '@aks-gitops/backend/hostCheck';
import {
  freePort,
  startPortal,
  startSeededStandin,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_hostCheckTest';
let standin: GithubStandin;
let portal: Portal;
let port: number;

beforeAll(async () => {
  standin = await startSeededStandin({ tokens: [TOKEN], log: () => undefined });
  port = await freePort();
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    port,
    config: {
      backend: {
        baseUrl: `http://portal.example.test:${port}`,
        allowedHosts: ['probe.internal'],
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
}, 30_000);

/** GET `path` from the portal on 127.0.0.1 with this Host header (none when undefined). */
function get(
  path: string,
  host: string | undefined,
): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const call = request(
      {
        host: '127.0.0.1',
        port,
        path,
        setHost: false,
        headers: host === undefined ? {} : { host },
      },
      response => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          done({ status: response.statusCode ?? 0, body }),
        );
      },
    );
    call.on('error', fail);
    call.end();
  });
}

it('gives no guest token to a request for another host (a DNS rebinding page): 403 naming the Host header', async () => {
  const answer = await get('/api/auth/guest/refresh', `evil.example:${port}`);
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body)).toEqual({
    error: {
      name: 'ForbiddenError',
      message: `Host: must name this backend (portal.example.test, localhost, 127.0.0.1, [::1], probe.internal: backend.baseUrl's host, loopback or backend.allowedHosts), but it is "evil.example:${port}"`,
    },
    response: { statusCode: 403 },
  });
});

it.each([
  '/.backstage/health/v1/readiness',
  '/',
  '/api/catalog/entities',
  '/no/such/route',
])('refuses another host before any route: %s', async path => {
  expect((await get(path, 'evil.example')).status).toBe(403);
});

it('refuses an HTTP/1.1 request without a Host header', async () => {
  // Node's HTTP server answers 400 itself (http.createServer's requireHostHeader, default true).
  expect((await get('/api/auth/guest/refresh', undefined)).status).toBe(400);
});

it.each([
  `localhost:${7007}`,
  'localhost',
  '127.0.0.1',
  '[::1]',
  'LOCALHOST',
  'portal.example.test',
  'probe.internal',
])('gives a guest token to a request for its own name %s', async name => {
  const host =
    name.includes(':') && !name.startsWith('[') ? name : `${name}:${port}`;
  const answer = await get('/api/auth/guest/refresh', host);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({
    backstageIdentity: { token: expect.any(String) },
  });
});

it.each([
  ['localhost@evil.example', undefined],
  ['evil.example/localhost', undefined],
  ['localhost.', undefined],
  ['[::1]:7007', '[::1]'],
  ['Portal.Example.Test:443', 'portal.example.test'],
])('reads the host name of the Host header %s as %s', (header, name) => {
  expect(hostNameOf(header)).toBe(name);
});

it('refuses a backend.allowedHosts entry that is not a bare host name, naming it', () => {
  expect(() =>
    allowedHostNames('http://localhost:7007', [
      'ok.example',
      'https://probe.internal',
    ]),
  ).toThrow(
    'backend.allowedHosts[1]: must be a host name without scheme or port (e.g. portal.example.com or 10.0.0.5), but it is "https://probe.internal"',
  );
});
