#!/usr/bin/env node
// npm start: the local portal on loopback — the GitHub stand-in seeded with app-project-env, then
// the Backstage backend (app-config.yaml, then the data folder's settings below, then
// app-config.local.yaml if there is one) serving the built web app. Ctrl-C stops both.
//
// The data folder (PORTAL_DATA_DIR, default .data/, git-ignored) holds the backend's SQLite files,
// so tasks and their logs survive a crash or a restart, and the scaffolder's task workspaces,
// emptied at start and at exit (a crashed run's are removed by the next start).
import { appProjectEnvSeed } from '@aks-gitops/fixtures';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, process.env.PORTAL_DATA_DIR || '.data');
const workspaces = join(dataDir, 'workspaces');
const children = [];

function run(name, args, readyText, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', line => {
        console.log(`[${name}] ${line}`);
        if (line.includes(readyText)) resolve(child);
      });
    }
    child.on('exit', (code, signal) => {
      console.log(`[${name}] exited with ${code ?? signal}`);
      reject(new Error(`${name} exited with ${code}`));
      stop(code ?? 1);
    });
  });
}

function stop(code) {
  // Once per child: stop runs again at every child's exit, and a second SIGTERM would kill a
  // child still closing (the stand-in waits for its webhook deliveries), making the exit code 1.
  for (const child of children)
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  process.exitCode = code;
  // The children's own exits end this process; a child that hangs must neither keep it nor
  // outlive it (a backend still finishing a task would otherwise keep running on its own).
  setTimeout(() => {
    for (const child of children)
      if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, 10_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The GitHub token the stand-in accepts and the backend sends: a new random one at every start,
// given to the backend through its environment (app-config.yaml reads ${STANDIN_GITHUB_TOKEN}).
// A committed token would let any web page that rebinds a DNS name to 127.0.0.1 write through it.
const githubToken = `ghp_${randomBytes(24).toString('hex')}`;
// The webhook secret, new at every start as well: the stand-in signs its push and pull_request
// webhooks to the portal's /api/events/http/github with it, and the backend checks them
// (app-config.yaml: events.modules.github.webhookSecret reads ${GITHUB_WEBHOOK_SECRET}).
const webhookSecret = randomBytes(32).toString('hex');
await run(
  'github',
  [
    'packages/github-standin/bin/github-standin.js',
    '--port',
    '7070',
    '--seed',
    `acme/app-project-env=${appProjectEnvSeed}`,
    '--webhook',
    'http://127.0.0.1:7007/api/events/http/github',
  ],
  'http://127.0.0.1:7070',
  // Secrets by environment, not on the command line, which `ps` shows to every local user.
  {
    ...process.env,
    STANDIN_TOKEN: githubToken,
    STANDIN_WEBHOOK_SECRET: webhookSecret,
  },
);

// The stand-in holds port 7070, so no other npm start uses this data folder's workspaces now.
function emptyWorkspaces() {
  rmSync(workspaces, { recursive: true, force: true });
}
emptyWorkspaces();
mkdirSync(workspaces, { recursive: true });
process.on('exit', emptyWorkspaces);
const dataConfig = join(dataDir, 'app-config.data.yaml');
writeFileSync(
  dataConfig,
  `# Written by scripts/start.mjs at every start: the backend's data in ${dataDir}.\n${stringify(
    {
      backend: {
        // One SQLite file per plugin (catalog.sqlite, scaffolder.sqlite, ...).
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(dataDir, 'sqlite') },
        },
        // Where the scaffolder makes each task's workspace (by default the OS temporary folder).
        workingDirectory: workspaces,
      },
      // A task a crash interrupted resumes from its last completed step at the next start (the
      // production profile does the same), instead of staying "processing" for ever.
      scaffolder: { taskRecovery: { enabled: true } },
    },
  )}`,
);
const configs = [
  'app-config.yaml',
  dataConfig,
  ...(existsSync(join(root, 'app-config.local.yaml'))
    ? ['app-config.local.yaml']
    : []),
];
const backend = await run(
  'backend',
  [
    '--import',
    'tsx',
    'packages/backend/src/index.ts',
    ...configs.flatMap(file => ['--config', file]),
  ],
  'Listening on',
  {
    ...process.env,
    STANDIN_GITHUB_TOKEN: githubToken,
    GITHUB_WEBHOOK_SECRET: webhookSecret,
  },
);
// "Listening on" comes before the plugins are initialized; Backstage's readiness endpoint after.
// A plugin failing to start ends the backend (and, through its exit handler, this script).
const readyBy = Date.now() + 120_000;
while (
  !(await fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness').then(
    r => r.ok,
    () => false,
  ))
) {
  if (backend.exitCode !== null) process.exit(backend.exitCode || 1);
  if (Date.now() > readyBy) {
    console.error(
      'The backend did not become ready within 2 minutes; its output is above.',
    );
    stop(1);
    break;
  }
  await new Promise(r => setTimeout(r, 250));
}
if (process.exitCode === undefined) {
  console.log(`
The portal is ready: open http://localhost:7007, press ENTER on the Guest card, then Create →
"New AKS environment". The pull request opens in the GitHub stand-in (github.com in the form,
served from http://127.0.0.1:7070/acme/app-project-env/pulls); the cluster appears in the Catalog.`);
}
