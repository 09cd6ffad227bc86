#!/usr/bin/env node
// npm run bench:catalog — a GitOps repository with 1,000 clusters in the GitHub stand-in, read by
// the aks-gitops entity provider into a real Backstage catalog backend: time until every cluster
// is in the catalog, and the GitHub requests used (cold, then a warm refresh).
import { quietLogger } from './quietLogger.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startGithubStandin } = require('@aks-gitops/github-standin');
const { renderEnvironment } = require('@aks-gitops/plugin-aks-gitops-common');
const catalogModule = require('@aks-gitops/plugin-catalog-backend-module-aks-gitops');
const { AksClusterEntityProvider } = catalogModule;
const { ConfigReader } = require('@backstage/config');

const CLUSTERS = Number(process.env.CLUSTERS ?? 1000);
// INGEST=0 (bench:fleet): the provider's reads only, without the in-process catalog backend, whose
// SQLite processing of 10,000 entities in this one process starves its own HTTP answers.
const INGEST = process.env.INGEST !== '0';
const TOKEN = 'ghp_benchCatalog';

const standin = await startGithubStandin({ tokens: [TOKEN], validate: false });
const files = {};
for (let i = 0; i < CLUSTERS; i++) {
  Object.assign(
    files,
    renderEnvironment({
      cluster: {
        name: `cluster-${String(i).padStart(4, '0')}`,
        environment: ['dev', 'staging', 'prod'][i % 3],
        location: 'eastus',
      },
      azure: {
        subscriptionId: '00000000-0000-0000-0000-000000000001',
        tenantId: '00000000-0000-0000-0000-000000000002',
        clientId: '00000000-0000-0000-0000-000000000003',
      },
      gitopsRepo: { url: `https://${standin.host}/acme/app-project-env` },
      owner: 'group:default/platform-team',
    }).files,
  );
}
await standin.seedRepository('acme', 'app-project-env', { files });
const config = new ConfigReader({
  integrations: {
    github: [
      { host: standin.host, apiBaseUrl: standin.apiBaseUrl, token: TOKEN },
    ],
  },
  catalog: {
    providers: {
      aksGitops: {
        bench: { repoUrl: `http://${standin.host}/acme/app-project-env` },
      },
    },
  },
});
const [provider] = AksClusterEntityProvider.fromConfig(config, {
  logger: quietLogger,
});
let applied = 0;
await provider.connect({
  applyMutation: async m => void (applied = m.entities.length),
  refresh: async () => {},
});

async function measure() {
  standin.clearRequests();
  const start = process.hrtime.bigint();
  const result = await provider.refresh();
  return {
    s: Number(process.hrtime.bigint() - start) / 1e9,
    requests: standin.requests().length,
    ...result,
  };
}
const cold = await measure();
const warm = await measure();

// The same repository through a real catalog backend (in-memory SQLite): until all are queryable.
const full = INGEST ? await ingest() : undefined;
await standin.close();

async function ingest() {
  const {
    startTestBackend,
    mockServices,
    mockCredentials,
  } = require('@backstage/backend-test-utils');
  const catalogPlugin = require('@backstage/plugin-catalog-backend').default;
  const aksModule = catalogModule.default;
  const { eventsServiceFactory } = require('@backstage/plugin-events-node');
  standin.clearRequests();
  const start = process.hrtime.bigint();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      aksModule,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: standin.host,
                apiBaseUrl: standin.apiBaseUrl,
                token: TOKEN,
              },
            ],
          },
          catalog: {
            processingInterval: { seconds: 1 },
            providers: {
              aksGitops: {
                bench: {
                  repoUrl: `http://${standin.host}/acme/app-project-env`,
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 5 },
                  },
                },
              },
            },
          },
        },
      }),
    ],
  });
  const port = backend.server.address().port;
  let ingested = 0;
  for (;;) {
    const response = await fetch(
      `http://127.0.0.1:${port}/api/catalog/entities/by-query?filter=kind=resource,spec.type=kubernetes-cluster&limit=1`,
      {
        headers: { authorization: mockCredentials.user.header() },
      },
    );
    ingested = (await response.json()).totalItems ?? 0;
    if (ingested >= CLUSTERS) break;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  await backend.stop();
  return {
    s: Number(process.hrtime.bigint() - start) / 1e9,
    requests: standin.requests().length,
    ingested,
  };
}

console.log(
  `catalog ingestion benchmark (${CLUSTERS} clusters, ${Object.keys(files).length} files in the repository)\n`,
);
console.log(
  '| refresh | time | GitHub requests | entities handed to the catalog |',
);
console.log('|---|---|---|---|');
console.log(
  `| cold (first read) | ${cold.s.toFixed(2)} s | ${cold.requests} | ${applied} (${cold.active} active, ${cold.pending} pending) |`,
);
console.log(
  `| warm (nothing changed) | ${warm.s.toFixed(2)} s | ${warm.requests} | ${applied} |`,
);
if (full)
  console.log(
    `| full ingestion: backend start until all ${CLUSTERS} are queryable in the catalog | ${full.s.toFixed(1)} s | ${full.requests} | ${full.ingested} |`,
  );
// The catalog backend leaves a timer behind after stop() (see jest.config.js forceExit): end here.
process.exit(0);
