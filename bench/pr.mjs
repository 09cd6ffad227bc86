#!/usr/bin/env node
// npm run bench:pr — GitHub requests and wall time to open a pull request with 1, 10 and 50 files:
// our commit flow (aks-gitops:pull-request:open) beside Backstage's built-in
// publish:github:pull-request, both against the local GitHub stand-in, in one run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { quietLogger } from './quietLogger.mjs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const { startGithubStandin } = require('@aks-gitops/github-standin');
const {
  publishPullRequest,
} = require('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops');
const { createGithubClient } = require('@aks-gitops/plugin-aks-gitops-node');
const {
  createPublishGithubPullRequestAction,
} = require('@backstage/plugin-scaffolder-backend-module-github');
const { ConfigReader } = require('@backstage/config');
const { ScmIntegrations } = require('@backstage/integration');

const RUNS = Number(process.env.RUNS ?? 5);
const SIZES = [1, 10, 50];
const TOKEN = 'ghp_benchToken';

const standin = await startGithubStandin({ tokens: [TOKEN] });
await standin.seedRepository('acme', 'app-project-env', {
  files: { 'README.md': '# app-project-env\n' },
});
const config = new ConfigReader({
  integrations: {
    github: [
      { host: standin.host, apiBaseUrl: standin.apiBaseUrl, token: TOKEN },
    ],
  },
});
const integrations = ScmIntegrations.fromConfig(config);
const builtIn = createPublishGithubPullRequestAction({ integrations, config });

function filesOf(count, run) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `clusters/bench-${run}/file-${i}.yaml`,
      `# file ${i} of run ${run}\nvalue: ${i}\n`,
    ]),
  );
}

function apiRequests() {
  return standin.requests().filter(r => !r.path.startsWith('/_standin')).length;
}

async function timed(fn) {
  standin.clearRequests();
  const start = process.hrtime.bigint();
  await fn();
  return {
    ms: Number(process.hrtime.bigint() - start) / 1e6,
    requests: apiRequests(),
  };
}

function checkpointStore() {
  const store = new Map();
  return async ({ key, fn }) => {
    if (store.has(key)) return store.get(key);
    const value = await fn();
    store.set(key, value ?? {});
    return value;
  };
}

async function ours(count, run) {
  const client = createGithubClient({
    token: TOKEN,
    baseUrl: standin.apiBaseUrl,
    logger: quietLogger,
  });
  await publishPullRequest({
    client,
    target: { host: standin.host, owner: 'acme', repo: 'app-project-env' },
    checkpoint: checkpointStore(),
    logger: quietLogger,
    base: 'main',
    branch: `ours-${run}`,
    cluster: `ours-${run}`,
    files: filesOf(count, run),
    environmentFolders: {
      cluster: `clusters/ours-${run}`,
      management: `samples/ours-${run}`,
    },
    commitMessage: 'bench',
    mark: { request: '0'.repeat(64), task: `bench-${run}` },
    title: `bench ${run}`,
    body: 'bench',
    draft: false,
    labels: [],
    reviewers: [],
    teamReviewers: [],
  });
}

async function theirs(count, run) {
  const workspacePath = mkdtempSync(join(tmpdir(), 'bench-pr-'));
  try {
    for (const [path, content] of Object.entries(filesOf(count, run))) {
      mkdirSync(dirname(join(workspacePath, path)), { recursive: true });
      writeFileSync(join(workspacePath, path), content);
    }
    await builtIn.handler({
      input: {
        repoUrl: `${standin.host}?owner=acme&repo=app-project-env`,
        branchName: `builtin-${run}`,
        title: `bench ${run}`,
        description: 'bench',
      },
      workspacePath,
      logger: quietLogger,
      output() {},
      checkpoint: checkpointStore(),
      createTemporaryDirectory: async () =>
        mkdtempSync(join(tmpdir(), 'bench-tmp-')),
      getInitiatorCredentials: async () => ({}),
      task: { id: `bench-${run}` },
      isDryRun: false,
    });
  } finally {
    rmSync(workspacePath, { recursive: true, force: true });
  }
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
let run = 0;
for (const count of SIZES) {
  const results = { ours: [], theirs: [] };
  for (let i = 0; i < RUNS; i++) {
    results.ours.push(await timed(() => ours(count, run++)));
    results.theirs.push(await timed(() => theirs(count, run++)));
  }
  rows.push({
    count,
    ...Object.fromEntries(
      Object.entries(results).map(([k, v]) => [
        k,
        {
          ms: median(v.map(r => r.ms)),
          requests: median(v.map(r => r.requests)),
        },
      ]),
    ),
  });
}
await standin.close();

console.log(
  `pull request benchmark (median of ${RUNS} runs each, local GitHub stand-in on loopback)\n`,
);
console.log(
  '| files | aks-gitops: requests | built-in publish:github:pull-request: requests | aks-gitops: wall time | built-in: wall time |',
);
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.count} | ${r.ours.requests} | ${r.theirs.requests} | ${r.ours.ms.toFixed(0)} ms | ${r.theirs.ms.toFixed(0)} ms |`,
  );
}
