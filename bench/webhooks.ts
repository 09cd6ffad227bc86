/**
 * npm run bench:webhooks — GitHub's webhooks beside polling, in one run, with the aks-gitops entity
 * provider in this process (AksClusterEntityProvider, its reads against a GitHub stand-in over
 * HTTP) and the stand-in delivering real, signed webhooks over HTTP to a receiver that does what
 * the catalog module does with them (githubChange → reactsTo → requestRefresh). The hop through
 * Backstage's events backend is left out here; portal.webhooks.test.ts covers it end to end.
 *
 *  1. Merge → cluster active (the provider's mutation holds the cluster as active), median / p95:
 *     webhooks (2 s coalescing window, real time) vs polling every 5 minutes scaled down 30× to
 *     10 s (the polling figures are measured at 10 s and printed scaled back ×30 as well).
 *  2. GitHub requests per hour, 1,000 clusters, 10 pull requests an hour (each opened, then merged
 *     3 minutes later): a simulated hour in 60 s (time scaled 60×: polling every 5 minutes is every
 *     5 s, the webhooks' fallback schedule of 30 minutes every 30 s, the 2 s window 33 ms). Every
 *     request the provider sends is counted in the stand-in's request log.
 * Options: RUNS=N merges per mode in part 1 (default 8).
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import {
  environmentBranch,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  AksClusterEntityProvider,
  githubChange,
  type AksClusterProviderOptions,
} from '@aks-gitops/plugin-catalog-backend-module-aks-gitops';
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const TOKEN = 'ghp_benchWebhooks';
const SECRET = 'bench-webhooks-secret';
const RUNS = Number(process.env['RUNS'] ?? 8);
const quiet: LoggerService = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => quiet,
};

function files(name: string, host: string): Record<string, string> {
  return renderEnvironment({
    cluster: { name, environment: 'dev', location: 'eastus' },
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
    },
    gitopsRepo: { url: `https://${host}/acme/app-project-env` },
    owner: 'group:default/platform-team',
  }).files;
}

interface Setup {
  standin: GithubStandin;
  provider: AksClusterEntityProvider;
  /** Cluster name → its state in the provider's last mutation. */
  states: Map<string, string>;
  /** Resolves when a mutation holds `cluster` as active. */
  activeOf(cluster: string): Promise<number>;
  stop(): Promise<void>;
}

/** A stand-in with `clusters` clusters on main, a provider reading it, and (webhooks) a receiver. */
async function setup(
  mode: 'webhooks' | 'polling',
  clusters: number,
  pollMs: number,
  coalesceMs: number,
): Promise<Setup> {
  const standin = await startGithubStandin({
    tokens: [TOKEN],
    validate: false,
  });
  const seed: Record<string, string> = { 'README.md': 'fleet\n' };
  for (let i = 0; i < clusters; i++)
    Object.assign(
      seed,
      files(`fleet-${String(i).padStart(4, '0')}`, standin.host),
    );
  standin.seedRepository('acme', 'app-project-env', { files: seed });
  const options: AksClusterProviderOptions = {
    id: mode,
    repoUrl: `http://${standin.host}/acme/app-project-env`,
    integrations: ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: standin.host,
              apiBaseUrl: standin.apiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      }),
    ),
    logger: quiet,
    coalesceMs,
  };
  const provider = new AksClusterEntityProvider(options);
  const states = new Map<string, string>();
  const waiting = new Map<string, (at: number) => void>();
  await provider.connect({
    applyMutation: async mutation => {
      if (mutation.type !== 'full') return;
      states.clear();
      for (const { entity } of mutation.entities) {
        const state = entity.metadata.labels?.[STATE_LABEL] ?? '';
        states.set(entity.metadata.name, state);
        if (state === 'active') {
          waiting.get(entity.metadata.name)?.(performance.now());
          waiting.delete(entity.metadata.name);
        }
      }
    },
    refresh: async () => undefined,
  });
  await provider.refresh();
  // Polling: the schedule's interval; webhooks: the fallback schedule plus the receiver.
  const timer = setInterval(
    () => void provider.refresh().catch(() => undefined),
    pollMs,
  );
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = String(request.headers['x-github-event']);
      const change = githubChange(
        `github.${event}`,
        JSON.parse(Buffer.concat(chunks).toString('utf8')),
      );
      if (change && provider.reactsTo(change))
        void provider.requestRefresh().catch(() => undefined);
      response.statusCode = 202;
      response.end();
    });
  });
  if (mode === 'webhooks') {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    standin.webhooks.add({ url: `http://127.0.0.1:${port}/`, secret: SECRET });
  }
  return {
    standin,
    provider,
    states,
    activeOf: cluster =>
      new Promise(resolve => {
        waiting.set(cluster, resolve);
      }),
    async stop() {
      clearInterval(timer);
      await standin.webhooks.settled();
      if (server.listening) await new Promise(resolve => server.close(resolve));
      await standin.close();
    },
  };
}

/** Opens a pull request adding `name` on its branch; returns its number. */
function openEnvironment(standin: GithubStandin, name: string): number {
  const branch = environmentBranch(name);
  standin.commitFiles('acme', 'app-project-env', {
    branch,
    files: files(name, standin.host),
    message: `Add ${name}`,
  });
  return standin.openPull('acme', 'app-project-env', {
    head: branch,
    title: `Add ${name}`,
  }).number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN
  );
}

/** Part 1: merge → active, one mode, RUNS times. */
async function mergeToActive(mode: 'webhooks' | 'polling'): Promise<number[]> {
  const pollMs = mode === 'polling' ? 10_000 : 60 * 60_000;
  const bench = await setup(mode, 20, pollMs, 2_000);
  const latencies: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const name = `${mode === 'polling' ? 'poll' : 'hook'}-${run}`;
      const number = openEnvironment(bench.standin, name);
      // Past the read the opened pull request starts (webhooks) / at a random phase of the poll.
      await sleep(mode === 'webhooks' ? 2_500 : Math.random() * 10_000);
      const active = bench.activeOf(name);
      const merged = performance.now();
      bench.standin.mergePull('acme', 'app-project-env', number);
      latencies.push((await active) - merged);
    }
  } finally {
    await bench.stop();
  }
  return latencies;
}

/** Part 2: the provider's GitHub requests over a simulated hour (60 s), one mode. */
async function requestsPerHour(
  mode: 'webhooks' | 'polling',
): Promise<{ requests: number; perRead: number }> {
  const SCALE = 60;
  const hour = 3_600_000 / SCALE;
  const pollMs = ((mode === 'polling' ? 5 : 30) * 60_000) / SCALE;
  const bench = await setup(mode, 1_000, pollMs, 2_000 / SCALE);
  bench.standin.clearRequests();
  await bench.provider.refresh();
  const perRead = bench.standin.requests().length;
  bench.standin.clearRequests();
  const start = performance.now();
  const pulls: Array<Promise<void>> = [];
  for (let i = 0; i < 10; i++) {
    pulls.push(
      (async () => {
        await sleep(((i + 0.5) * hour) / 10 - (performance.now() - start));
        const number = openEnvironment(bench.standin, `new-${mode}-${i}`);
        // The register action's event: a read as the task ends, in both modes.
        await bench.provider.refresh();
        await sleep((3 * 60_000) / SCALE);
        bench.standin.mergePull('acme', 'app-project-env', number);
      })(),
    );
  }
  await Promise.all(pulls);
  await sleep(hour - (performance.now() - start));
  const requests = bench.standin.requests().length;
  await bench.stop();
  return { requests, perRead };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  console.log(
    `bench:webhooks — part 1: merge → active, ${RUNS} merges per mode, both modes at once`,
  );
  const [hooked, polled] = await Promise.all([
    mergeToActive('webhooks'),
    mergeToActive('polling'),
  ]);
  console.log(
    `  webhooks (2 s window)           median ${seconds(quantile(hooked, 0.5))}  p95 ${seconds(quantile(hooked, 0.95))}`,
  );
  console.log(
    `  polling every 10 s (5 min /30)  median ${seconds(quantile(polled, 0.5))}  p95 ${seconds(quantile(polled, 0.95))}` +
      `  → at 5 min: median ${seconds(quantile(polled, 0.5) * 30)}  p95 ${seconds(quantile(polled, 0.95) * 30)}`,
  );
  console.log(
    'bench:webhooks — part 2: GitHub requests in an hour, 1,000 clusters, 10 pull requests (hour simulated in 60 s)',
  );
  const [hooks, polls] = await Promise.all([
    requestsPerHour('webhooks'),
    requestsPerHour('polling'),
  ]);
  console.log(
    `  webhooks (+ fallback every 30 min)  ${hooks.requests} requests/hour`,
  );
  console.log(
    `  polling every 5 min                 ${polls.requests} requests/hour`,
  );
  console.log(
    `  polling every 10 s (computed: 360 reads × ${polls.perRead} requests of a warm read, + the 10 register reads)  ${(360 + 10) * polls.perRead} requests/hour`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
