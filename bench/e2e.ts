/**
 * npm run bench:e2e — the portal end to end, ours beside Backstage's built-in way, in one run.
 *  1. Task time, POST /api/scaffolder/v2/tasks until the task has completed: templates/new-aks-environment
 *     (aks-gitops:environment:render → aks-gitops:pull-request:open → aks-gitops:cluster:register)
 *     and bench/builtin-template (fetch:template → publish:github:pull-request → catalog:register),
 *     interleaved on one backend process (bench/backend.ts) against one GitHub stand-in. Every run
 *     is checked: its pull request adds the environment's files, its cluster reaches the catalog.
 *  2. Set-up: `npm start` until the portal is usable (ports 7007 and 7070 must be free) and, with
 *     --setup, `npm install` in a fresh clone of this repository's HEAD (takes minutes).
 * Options: --runs N (or RUNS=N; default 20), --setup.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  environmentBranch,
  renderEnvironment,
  STATE_LABEL,
} from '@aks-gitops/plugin-aks-gitops-common';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import {
  addedFiles,
  guestToken,
  renderRequestFor,
  repositoryRoot,
  startPortal,
  startSeededStandin,
  TEMPLATE_REF,
  templateValues,
  waitForTemplate,
  type Portal,
  type TemplateValues,
} from '@aks-gitops/e2e-tests/portal';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string' },
    setup: { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs ?? process.env.RUNS ?? 20);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(
    `--runs must be a whole number above 0, not ${options.runs ?? process.env.RUNS}`,
  );

const TOKEN = 'ghp_benchE2e';
const OWNER = 'acme';
const REPO = 'app-project-env';
const BUILTIN_TEMPLATE_REF = 'template:default/new-aks-environment-builtin';
/** How often task status and the catalog are polled: the resolution of the task figures. */
const POLL_MS = 25;

interface ClusterEntity {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

interface Flow {
  label: string;
  steps: string;
  templateRef: string;
  prefix: string;
  /** Throws unless the run's pull request and catalog entity are what the template should make. */
  check(name: string, values: TemplateValues, entity: ClusterEntity): void;
}

interface Run {
  pullRequestMs: number;
  taskMs: number;
  catalogMs: number;
  githubRequests: number;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}

/** Calls `probe` every `intervalMs` until it returns a value. */
async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = POLL_MS,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

/** The environment without what `npm run` adds: npm_config_local_prefix would point a child npm at this repository. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD',
    ),
  );
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter(dir => !dir.endsWith('node_modules/.bin'))
    .join(':');
  return env;
}

// ---- 1. Task time: ours beside the built-in actions, one backend, one stand-in -------------------

async function measureTasks(): Promise<{
  runs: Map<Flow, Run[]>;
  flows: Flow[];
}> {
  let pullRequestOpenedAt: number | undefined;
  const standin: GithubStandin = await startSeededStandin({
    tokens: [TOKEN],
    // Validation costs this process CPU per request, which would weigh more on the flow making more requests.
    validate: false,
    onRequest(entry) {
      if (
        entry.method === 'POST' &&
        entry.route === '/repos/:owner/:repo/pulls' &&
        entry.status === 201
      )
        pullRequestOpenedAt = performance.now();
    },
  });
  // Later config replaces arrays: keep app-config.yaml's locations and add the built-in template.
  const appConfig = parse(
    readFileSync(join(repositoryRoot, 'app-config.yaml'), 'utf8'),
  ) as { catalog?: { locations?: unknown[] } };
  const portal: Portal = await startPortal({
    standin,
    githubToken: TOKEN,
    entry: 'bench/backend.ts',
    // Templates come only from exact configured locations (issue 9): the built-in template's
    // location allows its Template.
    config: {
      catalog: {
        locations: [
          ...(appConfig.catalog?.locations ?? []),
          {
            type: 'file',
            target: './bench/builtin-template/template.yaml',
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
    },
  });
  try {
    let token: { value: string; at: number } | undefined;
    const call = async <T>(path: string, init: RequestInit = {}) => {
      // Guest tokens last an hour; one per call would add a sign-in to every poll.
      if (token === undefined || performance.now() - token.at > 10 * 60_000) {
        const value = await guestToken(portal.baseUrl);
        assert.ok(value, 'no guest token from the portal');
        token = { value, at: performance.now() };
      }
      return portal.api<T>(path, {
        ...init,
        headers: { authorization: `Bearer ${token.value}` },
      });
    };

    await waitForTemplate(portal);
    await pollUntil(
      'the built-in template in the catalog',
      60_000,
      async () =>
        (
          await call(
            '/api/catalog/entities/by-name/template/default/new-aks-environment-builtin',
          )
        ).status === 200 || undefined,
    );

    const pullFor = (branch: string) => {
      const pull = standin.pulls(OWNER, REPO).find(p => p.head.ref === branch);
      assert.ok(pull, `no pull request from ${branch} in the stand-in`);
      return pull;
    };
    const ours: Flow = {
      label: 'aks-gitops template',
      steps:
        'aks-gitops:environment:render → aks-gitops:pull-request:open → aks-gitops:cluster:register',
      templateRef: TEMPLATE_REF,
      prefix: 'e2e-ours',
      check(name, values, cluster) {
        const expected = renderEnvironment(
          renderRequestFor(values, standin.host),
        ).files;
        assert.deepEqual(
          addedFiles(standin, pullFor(environmentBranch(name)).head.ref),
          expected,
        );
        assert.equal(cluster.metadata.labels?.[STATE_LABEL], 'pending');
      },
    };
    const builtIn: Flow = {
      label: 'built-in actions template',
      steps: 'fetch:template → publish:github:pull-request → catalog:register',
      templateRef: BUILTIN_TEMPLATE_REF,
      prefix: 'e2e-builtin',
      check(name, values, cluster) {
        // Our paths but the workloads AppProject, which the lab's text templates have no copy of
        // (contents differ too: the lab's templates, not our render core).
        const expectedPaths = Object.keys(
          renderEnvironment(renderRequestFor(values, standin.host)).files,
        )
          .filter(path => !path.endsWith('/workloads-appproject.yaml'))
          .sort();
        const branch = `builtin-${name}`;
        assert.deepEqual(
          Object.keys(addedFiles(standin, pullFor(branch).head.ref)).sort(),
          expectedPaths,
        );
        // Registered by catalog:register from the pull request's branch, not by our entity provider
        // (the catalog keeps the location as a /tree/ URL).
        const catalogInfoUrl = `https://${standin.host}/${OWNER}/${REPO}/blob/${branch}/clusters/${name}/catalog-info.yaml`;
        assert.equal(
          cluster.metadata.annotations?.[
            'backstage.io/managed-by-location'
          ]?.replace('/tree/', '/blob/'),
          `url:${catalogInfoUrl}`,
        );
      },
    };

    const runOnce = async (flow: Flow, name: string): Promise<Run> => {
      const values = templateValues(name, standin.host);
      standin.clearRequests();
      pullRequestOpenedAt = undefined;
      const started = performance.now();
      const created = await call<{ id: string }>('/api/scaffolder/v2/tasks', {
        method: 'POST',
        body: JSON.stringify({ templateRef: flow.templateRef, values }),
      });
      assert.equal(
        created.status,
        201,
        `${flow.label}: creating the task for ${name}: ${JSON.stringify(created.body)}`,
      );
      const taskPath = `/api/scaffolder/v2/tasks/${created.body.id}`;
      const status = await pollUntil(
        `${flow.label}: the task for ${name}`,
        120_000,
        async () => {
          const { body } = await call<{ status: string }>(taskPath);
          return body.status === 'open' || body.status === 'processing'
            ? undefined
            : body.status;
        },
      );
      const taskMs = performance.now() - started;
      const githubRequests = standin.requests().length;
      if (status !== 'completed') {
        const { body: events } = await call<{ body: { message?: string } }[]>(
          `${taskPath}/events`,
        );
        const log = events
          .map(e => e.body.message ?? '')
          .filter(Boolean)
          .slice(-20)
          .join('\n');
        throw new Error(
          `${flow.label}: the task for ${name} ended ${status}:\n${log}\n--- backend output ---\n${portal.output().slice(-3000)}`,
        );
      }
      const cluster = await pollUntil(
        `${flow.label}: ${name} in the catalog`,
        60_000,
        async () => {
          const response = await call<ClusterEntity>(
            `/api/catalog/entities/by-name/resource/default/${name}`,
          );
          return response.status === 200 ? response.body : undefined;
        },
      );
      const catalogMs = performance.now() - started;
      flow.check(name, values, cluster);
      assert.ok(
        pullRequestOpenedAt,
        `${flow.label}: the stand-in saw no pull request created for ${name}`,
      );
      return {
        pullRequestMs: pullRequestOpenedAt - started,
        taskMs,
        catalogMs,
        githubRequests,
      };
    };

    const flows = [ours, builtIn];
    // One unmeasured run each first: the first task loads code and warms caches in the backend.
    for (const flow of flows) await runOnce(flow, `${flow.prefix}-warmup`);
    const runs = new Map<Flow, Run[]>(flows.map(flow => [flow, []]));
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so neither always runs right after the other's catalog work.
      for (const flow of i % 2 === 0 ? flows : [...flows].reverse())
        runs.get(flow)?.push(await runOnce(flow, `${flow.prefix}-${i}`));
    }
    return { runs, flows };
  } finally {
    await portal.stop();
    await standin.close();
  }
}

// ---- 2. Set-up: npm start until usable; npm install in a fresh clone -----------------------------

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise(done => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

interface StartFigures {
  html: number;
  token: number;
  template: number;
}

/** Seconds from `npm start` until the app's HTML, a guest token and the template in the catalog. */
async function measureStart(): Promise<StartFigures | string> {
  const busy: string[] = [];
  // [::1] too: http://localhost may reach a server there before the portal on 127.0.0.1.
  for (const port of [7007, 7070])
    for (const host of ['127.0.0.1', '::1'])
      if (!(await portFree(port, host))) busy.push(`${host} ${port}`);
  if (busy.length > 0) return `not measured: ${busy.join(', ')} in use`;

  const baseUrl = 'http://localhost:7007';
  const started = performance.now();
  // Its own process group, so that one signal stops npm, scripts/start.mjs, the stand-in and the backend.
  const child = spawn('npm', ['start'], {
    cwd: repositoryRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise(done => child.once('exit', done));
  const stopGroup = (signal: NodeJS.Signals) => {
    if (
      child.pid !== undefined &&
      child.exitCode === null &&
      child.signalCode === null
    ) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    }
  };
  const interrupted = () => {
    stopGroup('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const seconds = () => (performance.now() - started) / 1000;
    const reached: Partial<StartFigures> = {};
    let token: string | undefined;
    return await pollUntil(
      'npm start: a usable portal',
      180_000,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`npm start exited with ${child.exitCode}`);
        if (reached.html === undefined) {
          const page = await fetch(`${baseUrl}/`).catch(() => undefined);
          const body = (await page?.text()) ?? '';
          if (
            page?.ok &&
            (page.headers.get('content-type') ?? '').startsWith('text/html') &&
            body.includes('<div id="root">')
          )
            reached.html = seconds();
        }
        if (reached.token === undefined) {
          token = await guestToken(baseUrl);
          if (token !== undefined) reached.token = seconds();
        }
        if (token !== undefined && reached.template === undefined) {
          const response = await fetch(
            `${baseUrl}/api/catalog/entities/by-name/template/default/new-aks-environment`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          await response.text();
          if (response.ok) reached.template = seconds();
        }
        const { html, token: tokenAt, template } = reached;
        return html !== undefined &&
          tokenAt !== undefined &&
          template !== undefined
          ? { html, token: tokenAt, template }
          : undefined;
        // Every 100 ms: a tighter loop would take CPU from the start it measures.
      },
      100,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; reached ${JSON.stringify(reached)}; npm start said:\n${output.join('').slice(-4000)}`,
      );
    });
  } finally {
    stopGroup('SIGTERM');
    // Backstage drains connections on SIGTERM for a while; nothing here is worth waiting for.
    if (
      (await Promise.race([exited.then(() => true), sleep(10_000, false)])) ===
      false
    ) {
      stopGroup('SIGKILL');
      await exited;
    }
    process.off('SIGINT', interrupted);
  }
}

/** Seconds of `npm install --no-audit --no-fund` (postinstall: the build) in a fresh clone of HEAD. */
function measureInstall(): { seconds: number; commit: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-install-'));
  try {
    const clone = spawnSync('git', ['clone', '--quiet', repositoryRoot, dir], {
      encoding: 'utf8',
    });
    if (clone.status !== 0)
      throw new Error(`git clone failed: ${clone.stderr}`);
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    }).stdout.trim();
    const started = performance.now();
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: childEnv(),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    if (install.status !== 0)
      throw new Error(
        `npm install in a fresh clone failed (${install.status}):\n${`${install.stdout}${install.stderr}`.slice(-4000)}`,
      );
    return { seconds, commit };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the run --------------------------------------------------------------------------------------

async function main() {
  const loadAtStart = loadavg()[0] ?? NaN;
  // Progress on stderr; the figures alone on stdout.
  if (options.setup) console.error('npm install in a fresh clone (minutes) …');
  const install = options.setup ? measureInstall() : undefined;
  console.error('npm start until the portal is usable …');
  const start = await measureStart();
  console.error(`${RUNS} tasks from each template …`);
  const { runs, flows } = await measureTasks();

  const processors = cpus();
  console.log(
    `end-to-end benchmark (${processors.length} CPUs, ${processors[0]?.model ?? 'unknown'}; node ${process.version}; ` +
      `load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? NaN).toFixed(2)} at the end)\n`,
  );
  console.log(
    `tasks: ${RUNS} runs of each template after one warm-up run each, interleaved, one backend process, one GitHub stand-in on loopback; polled every ${POLL_MS} ms\n`,
  );
  console.log(`| figure | ${flows.map(f => f.label).join(' | ')} |`);
  console.log(`|---|${flows.map(() => '---|').join('')}`);
  const row = (figure: string, cell: (flow: Flow, samples: Run[]) => string) =>
    console.log(
      `| ${figure} | ${flows.map(f => cell(f, runs.get(f) ?? [])).join(' | ')} |`,
    );
  const ms = (samples: number[]) => {
    const { median, p95 } = stats(samples);
    return `${median.toFixed(0)} / ${p95.toFixed(0)} ms`;
  };
  row('steps', flow => flow.steps);
  row('task created → pull request opened (median / p95)', (_, samples) =>
    ms(samples.map(r => r.pullRequestMs)),
  );
  row('task created → completed (median / p95)', (_, samples) =>
    ms(samples.map(r => r.taskMs)),
  );
  row(
    'task created → cluster queryable in the catalog (median / p95)',
    (_, samples) => ms(samples.map(r => r.catalogMs)),
  );
  row(
    'GitHub requests while the task ran (median; catalog reads included)',
    (_, samples) => `${stats(samples.map(r => r.githubRequests)).median}`,
  );

  console.log('\nset-up\n');
  console.log('| figure | time |');
  console.log('|---|---|');
  console.log(
    `| \`npm install --no-audit --no-fund\` in a fresh clone (postinstall build included; this machine's npm cache) | ${
      install
        ? `${install.seconds.toFixed(0)} s (commit ${install.commit})`
        : 'not measured (pass --setup; takes minutes)'
    } |`,
  );
  if (typeof start === 'string') {
    console.log(`| \`npm start\` → usable portal | ${start} |`);
    process.exitCode = 1;
  } else {
    console.log(
      `| \`npm start\` → the app's HTML at http://localhost:7007/ | ${start.html.toFixed(1)} s |`,
    );
    console.log(
      `| \`npm start\` → a guest token | ${start.token.toFixed(1)} s |`,
    );
    console.log(
      `| \`npm start\` → the template in the catalog | ${start.template.toFixed(1)} s |`,
    );
    console.log(
      `| \`npm start\` → usable portal (all three) | ${Math.max(start.html, start.token, start.template).toFixed(1)} s |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
