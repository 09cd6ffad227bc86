#!/usr/bin/env node
// npm run bench:change — wall time and GitHub requests for one change pull request
// (aks-gitops:environment:change: read the base branch, apply the change as YAML edits, publish)
// beside creating one (aks-gitops:pull-request:open), both actions against the local GitHub
// stand-in, in one run.
import { quietLogger } from './quietLogger.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startGithubStandin } = require('@aks-gitops/github-standin');
const {
  renderEnvironment,
  exampleEnvironmentRequest,
} = require('@aks-gitops/plugin-aks-gitops-common');
const {
  createOpenPullRequestAction,
  createChangeEnvironmentAction,
  readAllowedRepositories,
} = require('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops');
const { ConfigReader } = require('@backstage/config');
// The permission framework's answer when it is off, as in the local portal: allow.
const { mockServices } = require('@backstage/backend-test-utils');
const { ScmIntegrations } = require('@backstage/integration');

const RUNS = Number(process.env.RUNS ?? 5);
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
  catalog: {
    providers: {
      aksGitops: {
        bench: { repoUrl: `https://${standin.host}/acme/app-project-env` },
      },
    },
  },
});
const options = {
  integrations: ScmIntegrations.fromConfig(config),
  config,
  allowedRepositories: readAllowedRepositories(config),
  permissions: mockServices.permissions(),
};
const open = createOpenPullRequestAction(options);
const change = createChangeEnvironmentAction(options);
const repoUrl = `${standin.host}?owner=acme&repo=app-project-env`;

/** The lab's dev cluster renamed, in the stand-in's repository. */
function environment(name) {
  const example = exampleEnvironmentRequest();
  return {
    ...example,
    cluster: { ...example.cluster, name },
    gitopsRepo: {
      ...example.gitopsRepo,
      url: `https://${standin.host}/acme/app-project-env`,
    },
  };
}

function context(input, run) {
  const store = new Map();
  return {
    input,
    logger: quietLogger,
    output() {},
    async checkpoint({ key, fn }) {
      if (store.has(key)) return store.get(key);
      const value = await fn();
      store.set(key, value ?? {});
      return value;
    },
    createTemporaryDirectory: async () => {
      throw new Error('not used');
    },
    getInitiatorCredentials: async () => ({}),
    task: { id: `bench-${run}` },
    isDryRun: false,
  };
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

// Environments already on main for the changes, so every change starts from the same repository size.
for (let run = 0; run < RUNS; run++)
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(environment(`changed-${run}`)).files,
    message: `Create changed-${run}`,
  });

const results = { create: [], change: [] };
for (let run = 0; run < RUNS; run++) {
  results.create.push(
    await timed(() =>
      open.handler(
        context(
          { repoUrl, environment: environment(`created-${run}`) },
          `create-${run}`,
        ),
      ),
    ),
  );
  const current = environment(`changed-${run}`);
  results.change.push(
    await timed(() =>
      change.handler(
        context(
          {
            repoUrl,
            environment: {
              ...current,
              addons: { ...current.addons, kargo: false },
              cluster: { ...current.cluster, kubernetesVersion: '1.36.2' },
            },
          },
          `change-${run}`,
        ),
      ),
    ),
  );
}
await standin.close();

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `change benchmark (median of ${RUNS} runs each, local GitHub stand-in on loopback; the change turns Kargo off and raises Kubernetes 1.35.6 → 1.36.2)\n`,
);
console.log('| pull request | GitHub requests | wall time |');
console.log('|---|---|---|');
for (const [name, label] of [
  ['create', 'create an environment (aks-gitops:pull-request:open)'],
  ['change', 'change an environment (aks-gitops:environment:change)'],
]) {
  const rows = results[name];
  console.log(
    `| ${label} | ${median(rows.map(r => r.requests))} | ${median(rows.map(r => r.ms)).toFixed(0)} ms |`,
  );
}
