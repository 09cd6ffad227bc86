/**
 * DNS rebinding (issue 9 review, E1): a page served from the attacker's name, rebound to
 * 127.0.0.1, reaches the stand-in with that name in `Host`. The stand-in answers only loopback
 * names, before anything else.
 */
import { request } from 'node:http';
import { startGithubStandin, type GithubStandin } from './index';

const TOKEN = 'ghp_hostCheckTestToken';
let standin: GithubStandin;

beforeAll(async () => {
  standin = await startGithubStandin({
    tokens: [TOKEN],
    log: () => undefined,
  });
  standin.seedRepository('acme', 'app-project-env', {
    files: { 'README.md': 'hi\n' },
  });
});
afterAll(() => standin.close());

/** One request with the given `Host` header (fetch would set its own). */
function send(
  method: string,
  path: string,
  host: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const url = new URL(standin.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          host,
          authorization: `token ${TOKEN}`,
          'content-type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const mainRef = '/api/v3/repos/acme/app-project-env/git/refs/heads/main';

it('refuses to move main for a request whose Host is a rebound attacker name, leaving main where it was', async () => {
  const before = standin.files('acme', 'app-project-env', 'main');
  const answer = await send('PATCH', mainRef, 'rebind.attacker.example:7070', {
    sha: '0'.repeat(40),
    force: true,
  });
  expect(answer.status).toBe(421);
  expect(JSON.parse(answer.body)).toEqual({
    message:
      'Host: must be a loopback name (localhost, 127.0.0.1, [::1]), but it is "rebind.attacker.example:7070"',
  });
  expect(standin.files('acme', 'app-project-env', 'main')).toEqual(before);
});

it('refuses raw files and web pages under a foreign Host too', async () => {
  expect(
    (
      await send(
        'GET',
        '/raw/acme/app-project-env/main/README.md',
        'rebind.attacker.example',
      )
    ).status,
  ).toBe(421);
  expect(
    (
      await send(
        'GET',
        '/acme/app-project-env/pull/1',
        'rebind.attacker.example',
      )
    ).status,
  ).toBe(421);
});

it('refuses look-alikes of loopback names (421 from the check, or 400 where @hono/node-server already refuses the header)', async () => {
  for (const host of [
    'localhost.',
    'localhost.attacker.example',
    '127.0.0.1.nip.io',
    'evil.example@localhost',
    '[::ffff:127.0.0.1]',
  ]) {
    const answer = await send(
      'GET',
      '/raw/acme/app-project-env/main/README.md',
      host,
    );
    expect([host, [400, 421].includes(answer.status)]).toEqual([host, true]);
  }
});

it('answers loopback names with or without a port', async () => {
  const port = new URL(standin.url).port;
  for (const host of [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    'localhost',
  ]) {
    const answer = await send(
      'GET',
      '/raw/acme/app-project-env/main/README.md',
      host,
    );
    expect([host, answer.status, answer.body]).toEqual([host, 200, 'hi\n']);
  }
});
