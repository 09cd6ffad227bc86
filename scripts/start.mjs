#!/usr/bin/env node
// npm start: the local portal on loopback — the GitHub stand-in seeded with app-project-env, then
// the Backstage backend (SQLite in memory, app-config.yaml) serving the built web app. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const children = [];

function run(name, args, readyText) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        console.log(`[${name}] ${line}`);
        if (line.includes(readyText)) resolve(child);
      });
    }
    child.on('exit', (code) => {
      reject(new Error(`${name} exited with ${code}`));
      stop(code ?? 1);
    });
  });
}

function stop(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
  // The children's own exits end this process; a child that hangs must not keep it.
  setTimeout(() => process.exit(code), 10_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await run(
  'github',
  ['packages/github-standin/bin/github-standin.js', '--port', '7070', '--token', 'ghp_localStandinToken', '--seed', 'acme/app-project-env=packages/backend/seed/app-project-env'],
  'http://127.0.0.1:7070',
);
const backend = await run('backend', ['--import', 'tsx', 'packages/backend/src/index.ts'], 'Listening on');
// "Listening on" comes before the plugins are initialized; Backstage's readiness endpoint after.
// A plugin failing to start ends the backend (and, through its exit handler, this script).
const readyBy = Date.now() + 120_000;
while (!(await fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness').then((r) => r.ok, () => false))) {
  if (backend.exitCode !== null) process.exit(backend.exitCode || 1);
  if (Date.now() > readyBy) {
    console.error('The backend did not become ready within 2 minutes; its output is above.');
    stop(1);
    break;
  }
  await new Promise((r) => setTimeout(r, 250));
}
if (process.exitCode === undefined) {
  console.log(`
The portal is ready: open http://localhost:7007, press ENTER on the Guest card, then Create →
"New AKS environment". The pull request opens in the GitHub stand-in (github.com in the form,
served from http://127.0.0.1:7070/acme/app-project-env/pulls); the cluster appears in the Catalog.`);
}
