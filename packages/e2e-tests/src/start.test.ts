/**
 * The README's first command: `npm start` (scripts/start.mjs) brings up the stand-in and the
 * backend serving the web app on their fixed local ports, says so, and Ctrl-C stops both. Its
 * data folder (PORTAL_DATA_DIR, here a temporary one) keeps tasks across restarts and holds the
 * scaffolder's workspaces, which start and stop clear.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot, templateValues, TEMPLATE_REF } from './testing/portal';

const PORTAL = 'http://localhost:7007';
let start: ChildProcess | undefined;
let output = '';
const dataDir = mkdtempSync(join(tmpdir(), 'portal-data-'));
const env = { ...process.env, PORTAL_DATA_DIR: dataDir };

function portInUse(port: number): Promise<boolean> {
  return new Promise(done => {
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
  if (start?.pid && start.exitCode === null)
    process.kill(-start.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `npm start` until it says the portal is ready; `stop()` sends Ctrl-C and returns the exit code. */
async function npmStart(): Promise<{ stop(): Promise<number | null> }> {
  for (const port of [7007, 7070]) {
    if (await portInUse(port))
      throw new Error(
        `port ${port} is in use: stop the running portal (npm start) before this test`,
      );
  }
  output = '';
  start = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repositoryRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const child = start;
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  await new Promise<void>((ready, fail) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('The portal is ready')) ready();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then(code =>
      fail(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)),
    );
  });
  return {
    async stop() {
      child.kill('SIGINT');
      const code = await exited;
      // A failed stop shows what the script and its children said last.
      if (code !== 0)
        console.error(`npm start exited with ${code}:\n${output.slice(-3000)}`);
      return code;
    },
  };
}

async function guestHeaders(): Promise<Record<string, string>> {
  const guest = (await (
    await fetch(`${PORTAL}/api/auth/guest/refresh`)
  ).json()) as { backstageIdentity: { token: string } };
  return {
    authorization: `Bearer ${guest.backstageIdentity.token}`,
    'content-type': 'application/json',
  };
}

it('brings up the portal on localhost:7007 with the stand-in on 7070, and stops both on Ctrl-C', async () => {
  const portal = await npmStart();

  const html = await (await fetch(PORTAL)).text();
  expect(html).toContain('<title>AKS environments</title>');
  const guest = (await (
    await fetch(`${PORTAL}/api/auth/guest/refresh`)
  ).json()) as { backstageIdentity: { token: string } };
  const headers = { authorization: `Bearer ${guest.backstageIdentity.token}` };
  let template = 404;
  for (let i = 0; i < 60 && template !== 200; i++) {
    template = (
      await fetch(
        `${PORTAL}/api/catalog/entities/by-name/template/default/new-aks-environment`,
        { headers },
      )
    ).status;
    if (template !== 200) await new Promise(r => setTimeout(r, 500));
  }
  expect(template).toBe(200);
  // The stand-in takes only the token npm start made for this run: the one that used to be committed is refused (issue 9 review, E1b).
  const repository = await fetch(
    'http://127.0.0.1:7070/api/v3/repos/acme/app-project-env',
    { headers: { authorization: 'token ghp_localStandinToken' } },
  );
  expect(repository.status).toBe(401);
  // ... and gets it through its environment: no command line (which `ps` shows every local user) holds it.
  const commandLines = execFileSync('ps', ['-eo', 'args'], {
    encoding: 'utf8',
  });
  expect(commandLines).toContain('github-standin');
  expect(commandLines).not.toMatch(/github-standin[^\n]*ghp_/);

  expect(await portal.stop()).toBe(0);
  expect(await portInUse(7007)).toBe(false);
  expect(await portInUse(7070)).toBe(false);
}, 180_000);

it('keeps tasks in SQLite files of the data folder: a task of one run is still there in the next', async () => {
  const first = await npmStart();
  const headers = await guestHeaders();
  let created: Response | undefined;
  for (let i = 0; i < 60 && created?.status !== 201; i++) {
    // 404 until the catalog has read the template.
    if (created) await new Promise(r => setTimeout(r, 500));
    created = await fetch(`${PORTAL}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: TEMPLATE_REF,
        values: templateValues('kept-cluster', 'github.com'),
      }),
    });
  }
  expect(created?.status).toBe(201);
  const { id } = (await created!.json()) as { id: string };
  expect(await first.stop()).toBe(0);
  expect(readdirSync(join(dataDir, 'sqlite'))).toEqual(
    expect.arrayContaining(['catalog.sqlite', 'scaffolder.sqlite']),
  );

  const second = await npmStart();
  const task = await fetch(`${PORTAL}/api/scaffolder/v2/tasks/${id}`, {
    headers: await guestHeaders(),
  });
  expect(task.status).toBe(200);
  expect(await second.stop()).toBe(0);
}, 300_000);

it('removes the workspaces a crashed run left at start, and its own at exit', async () => {
  const left = join(dataDir, 'workspaces', 'crashed-task');
  mkdirSync(left, { recursive: true });
  writeFileSync(join(left, 'values.yaml'), 'left behind\n');
  const run = await npmStart();
  expect(output).toContain(
    `using working directory: ${join(dataDir, 'workspaces')}`,
  );
  expect(existsSync(left)).toBe(false);
  mkdirSync(join(dataDir, 'workspaces', 'running-task'));
  expect(await run.stop()).toBe(0);
  expect(existsSync(join(dataDir, 'workspaces'))).toBe(false);
}, 180_000);
