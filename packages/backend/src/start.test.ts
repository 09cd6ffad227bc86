/**
 * The README's first command: `npm start` (scripts/start.mjs) brings up the stand-in and the
 * backend serving the web app on their fixed local ports, says so, and Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { repositoryRoot } from './testing/portal';

const PORTAL = 'http://localhost:7007';
let start: ChildProcess | undefined;
let output = '';

function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

afterAll(() => {
  // The script's own process group: stand-in and backend too, whatever the test reached.
  if (start?.pid && start.exitCode === null) process.kill(-start.pid, 'SIGKILL');
});

it('brings up the portal on localhost:7007 with the stand-in on 7070, and stops both on Ctrl-C', async () => {
  for (const port of [7007, 7070]) {
    if (await portInUse(port)) throw new Error(`port ${port} is in use: stop the running portal (npm start) before this test`);
  }
  start = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repositoryRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = start;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('The portal is ready')) ready();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => fail(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });

  const html = await (await fetch(PORTAL)).text();
  expect(html).toContain('<title>AKS environments</title>');
  const guest = (await (await fetch(`${PORTAL}/api/auth/guest/refresh`)).json()) as { backstageIdentity: { token: string } };
  const headers = { authorization: `Bearer ${guest.backstageIdentity.token}` };
  let template = 404;
  for (let i = 0; i < 60 && template !== 200; i++) {
    template = (await fetch(`${PORTAL}/api/catalog/entities/by-name/template/default/new-aks-environment`, { headers })).status;
    if (template !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  expect(template).toBe(200);
  const repository = await fetch('http://127.0.0.1:7070/api/v3/repos/acme/app-project-env', { headers: { authorization: 'token ghp_localStandinToken' } });
  expect(repository.status).toBe(200);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(await portInUse(7007)).toBe(false);
  expect(await portInUse(7070)).toBe(false);
}, 180_000);
