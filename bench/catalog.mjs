#!/usr/bin/env node
// npm run bench:catalog — a GitOps repository with 1,000 clusters in the GitHub stand-in, read by
// the aks-gitops entity provider into a real Backstage catalog backend: time until every cluster
// is in the catalog, and the GitHub requests used (cold, then a warm refresh).
// npm run bench:fleet — the same at 10,000 clusters, the catalog on PostgreSQL (the production
// profile) and on SQLite in memory side by side, with where the ingestion's time went.
// Options: CLUSTERS=N; DATABASE=sqlite (in memory, the default), postgres, or sqlite,postgres
// (both, one after the other, side by side in the table); INGEST=0 for the provider's reads only;
// DEADLINE_S=N (default 900): a full ingestion not done by then is reported as not done.
import { quietLogger } from './quietLogger.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { startGithubStandin } = require('@aks-gitops/github-standin');
const { renderEnvironment } = require('@aks-gitops/plugin-aks-gitops-common');
const catalogModule = require('@aks-gitops/plugin-catalog-backend-module-aks-gitops');
const { AksClusterEntityProvider } = catalogModule;
const { ConfigReader } = require('@backstage/config');

const CLUSTERS = Number(process.env.CLUSTERS ?? 1000);
const DATABASES =
  process.env.INGEST === '0'
    ? []
    : (process.env.DATABASE ?? 'sqlite').split(',').map(d => d.trim());
for (const database of DATABASES) {
  if (database !== 'sqlite' && database !== 'postgres')
    throw new Error(
      `DATABASE: must be sqlite, postgres or both separated by a comma, but it holds ${JSON.stringify(database)}`,
    );
}
/** How often the bench asks the catalog how many clusters it holds: the resolution of the ingestion time. */
const POLL_MS = 1000;
/** A full ingestion not done by then is reported as such. */
const DEADLINE_S = Number(process.env.DEADLINE_S ?? 900);
const TOKEN = 'ghp_benchCatalog';
/** The management cluster every cluster file names (renderEnvironment's default), and the owner. */
const MANAGEMENT_CLUSTER = 'aks-labs-gitops';
const OWNER = 'group:default/platform-team';

const load = () => loadavg()[0].toFixed(1);
const loadAtStart = load();
const standin = await startGithubStandin({ tokens: [TOKEN], validate: false });
const files = {};
const environment = (name, env, mode = 'new') =>
  renderEnvironment({
    mode,
    cluster: { name, environment: env, location: 'eastus' },
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
    },
    gitopsRepo: { url: `https://${standin.host}/acme/app-project-env` },
    owner: OWNER,
  }).files;
// As in the real fleet, the repository holds the management cluster the others depend on, and
// the catalog holds their owner (a Group from a catalog location): so the two entities every
// cluster relates to exist and are stitched, each with one relation per cluster.
Object.assign(
  files,
  environment(MANAGEMENT_CLUSTER, 'control-plane', 'existing'),
);
for (let i = 0; i < CLUSTERS; i++) {
  Object.assign(
    files,
    environment(
      `cluster-${String(i).padStart(4, '0')}`,
      ['dev', 'staging', 'prod'][i % 3],
    ),
  );
}
const ENTITIES = CLUSTERS + 1;
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
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await provider.refresh();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    s: Number(process.hrtime.bigint() - start) / 1e9,
    cpuS: (cpu.user + cpu.system) / 1e6,
    requests: standin.requests().length,
    ...result,
  };
}
const cold = await measure();
const warm = await measure();

// The same repository through a real catalog backend: until all are queryable.
const ingestions = [];
const databaseServers = [];
for (const database of DATABASES) ingestions.push(await ingest(database));
await standin.close();

/**
 * CPU seconds of a PostgreSQL server's processes: the postmaster and its live children (the
 * catalog's pooled connections stay open while it works), from /proc in clock ticks.
 */
async function postgresCpuSeconds(postgres) {
  const [dataDirectory] = await postgres.query(
    'postgres',
    'SHOW data_directory',
  );
  const postmaster = readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8')
    .split('\n')[0]
    .trim();
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', postmaster], {
    encoding: 'utf8',
  })
    .split('\n')
    .map(pid => pid.trim())
    .filter(Boolean);
  const ticksPerSecond = Number(
    execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }),
  );
  let ticks = 0;
  for (const pid of [postmaster, ...children]) {
    try {
      // /proc/<pid>/stat: fields 14 and 15 are utime and stime; the name (field 2) has no spaces here.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ');
      ticks += Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / ticksPerSecond;
}

async function ingest(database) {
  const {
    startTestBackend,
    mockServices,
    mockCredentials,
  } = require('@backstage/backend-test-utils');
  const catalogPlugin = require('@backstage/plugin-catalog-backend').default;
  const aksModule = catalogModule.default;
  const { eventsServiceFactory } = require('@backstage/plugin-events-node');
  const postgres =
    database === 'postgres'
      ? await (await import('@aks-gitops/e2e-tests/postgres')).startPostgres()
      : undefined;
  const orgDirectory = mkdtempSync(join(tmpdir(), 'bench-catalog-'));
  const orgFile = join(orgDirectory, 'org.yaml');
  writeFileSync(
    orgFile,
    `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: platform-team\nspec:\n  type: team\n  children: []\n`,
  );
  standin.clearRequests();
  const pgCpuBefore = postgres ? await postgresCpuSeconds(postgres) : 0;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      aksModule,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...(postgres
            ? {
                backend: {
                  database: {
                    client: 'pg',
                    connection: {
                      host: postgres.host,
                      port: postgres.port,
                      user: postgres.user,
                      password: postgres.password,
                    },
                  },
                },
              }
            : {}),
          integrations: {
            github: [
              {
                host: standin.host,
                apiBaseUrl: standin.apiBaseUrl,
                token: TOKEN,
              },
            ],
          },
          // The catalog's own processing interval (default 100 to 150 s), as in production. Was 1 s
          // here: every processed entity then came due again a second later (next_update_at,
          // DefaultProcessingDatabase.getProcessableEntities in @backstage/plugin-catalog-backend
          // 4.0.0), so the engine re-processed the fleet over and over beside the stitcher (1,000
          // clusters: 159 s instead of 27 s). On SQLite, whose driver (better-sqlite3) answers
          // synchronously, that re-processing never let the event loop turn once the fleet was
          // processed: no HTTP answer, no timer, not even SIGTERM, which is why 10,000 never
          // finished here before.
          catalog: {
            locations: [
              { type: 'file', target: orgFile, rules: [{ allow: ['Group'] }] },
            ],
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
  // The test backend's scheduler runs every task once while starting and waits for it
  // (MockSchedulerService, @backstage/backend-test-utils 1.11.7): by now the provider's first
  // read is done and its full mutation is in the catalog's queue.
  const started = elapsed();
  const port = backend.server.address().port;
  let ingested = 0;
  let processedAt;
  const queryMs = [];
  for (;;) {
    const queryStart = Date.now();
    // One cheap question, as the brief asks: the count of cluster entities (limit=1, totalItems).
    const response = await fetch(
      `http://127.0.0.1:${port}/api/catalog/entities/by-query?filter=kind=resource,spec.type=kubernetes-cluster&limit=1`,
      { headers: { authorization: mockCredentials.user.header() } },
    );
    ingested = (await response.json()).totalItems ?? 0;
    queryMs.push(Date.now() - queryStart);
    if (ingested >= ENTITIES || elapsed() > DEADLINE_S) break;
    if (queryMs.length % 15 === 0)
      process.stderr.write(
        `${database}: ${ingested} of ${ENTITIES} queryable after ${elapsed().toFixed(0)} s (load average ${load()})\n`,
      );
    if (postgres && processedAt === undefined) {
      const [processed] = await postgres.query(
        'backstage_plugin_catalog',
        "SELECT count(*) FROM refresh_state WHERE processed_entity IS NOT NULL AND entity_ref LIKE 'resource:%'",
      );
      if (Number(processed) >= ENTITIES) processedAt = elapsed();
    }
    await sleep(POLL_MS);
  }
  const s = elapsed();
  const cpu = process.cpuUsage(cpuBefore);
  const pgCpu = postgres
    ? (await postgresCpuSeconds(postgres)) - pgCpuBefore
    : undefined;
  const requests = standin.requests().length;
  // The test backend's stop can wait on its scheduler's shutdown: the figures are taken already.
  await Promise.race([backend.stop(), sleep(10_000)]);
  // Stopped only at the end, as a backend that did not stop in time may still hold connections.
  if (postgres) databaseServers.push(postgres);
  rmSync(orgDirectory, { recursive: true, force: true });
  queryMs.sort((a, b) => a - b);
  return {
    database,
    s,
    done: ingested >= ENTITIES,
    started,
    processedAt,
    requests,
    ingested,
    nodeCpuS: (cpu.user + cpu.system) / 1e6,
    pgCpuS: pgCpu,
    queryMedianMs: queryMs[Math.floor(queryMs.length / 2)],
    load: load(),
  };
}

const name = { sqlite: 'SQLite in memory', postgres: 'PostgreSQL' };
console.log(
  `catalog ingestion benchmark (${CLUSTERS} clusters and their management cluster, ${Object.keys(files).length} files in the repository; ${cpus().length} cores, load average ${loadAtStart} at the start)\n`,
);
console.log(
  '| refresh | time | GitHub requests | entities handed to the catalog |',
);
console.log('|---|---|---|---|');
console.log(
  `| provider, cold (first read) | ${cold.s.toFixed(2)} s | ${cold.requests} | ${applied} (${cold.active} active, ${cold.pending} pending) |`,
);
console.log(
  `| provider, warm (nothing changed) | ${warm.s.toFixed(2)} s | ${warm.requests} | ${applied} |`,
);
for (const full of ingestions)
  console.log(
    `| full ingestion, ${name[full.database]}: backend start until all ${ENTITIES} are queryable in the catalog | ${full.done ? '' : 'not done in '}${full.s.toFixed(1)} s | ${full.requests} | ${full.ingested} queryable |`,
  );
if (ingestions.length > 0) {
  console.log("\nwhere the full ingestion's time went\n");
  console.log(
    `| figure | ${ingestions.map(f => name[f.database]).join(' | ')} |`,
  );
  console.log(`|---|${ingestions.map(() => '---|').join('')}`);
  const row = (label, value) =>
    console.log(`| ${label} | ${ingestions.map(value).join(' | ')} |`);
  row(
    "backend started, the provider's first read and its full mutation applied",
    f => `${f.started.toFixed(1)} s`,
  );
  row('every entity processed', f =>
    f.processedAt === undefined ? 'n/a' : `${f.processedAt.toFixed(1)} s`,
  );
  row('every cluster stitched and queryable', f => `${f.s.toFixed(1)} s`);
  // The backend's own read runs in this process too, as the cold read above did.
  row(
    `CPU of the bench process (catalog backend, stand-in; a cold read alone takes ${cold.cpuS.toFixed(1)} s of it)`,
    f =>
      `${f.nodeCpuS.toFixed(1)} s (${((f.nodeCpuS * 1000) / ENTITIES).toFixed(1)} ms per entity)`,
  );
  row('CPU of PostgreSQL', f =>
    f.pgCpuS === undefined
      ? 'n/a'
      : `${f.pgCpuS.toFixed(1)} s (${((f.pgCpuS * 1000) / ENTITIES).toFixed(1)} ms per entity)`,
  );
  row(
    'count query (limit=1, totalItems), median',
    f => `${f.queryMedianMs} ms`,
  );
  row('load average at the end', f => f.load);
}
for (const server of databaseServers) await server.stop();
// The catalog backend leaves a timer behind after stop() (see jest.config.js forceExit): end here.
process.exit(0);
