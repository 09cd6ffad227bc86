/**
 * npm run bench:replicas — 50 tasks for 50 environments created at once on the production
 * profile (PostgreSQL, task recovery, the events bus), with 1 replica and with 2 replicas behind
 * one load balancer (packages/e2e-tests/src/testing/replicas.ts), in one run: each side with a
 * fresh PostgreSQL server and a fresh stand-in. Time from the first POST until every task has
 * completed, task times (POST until the task is seen completed), and GitHub requests. Every run
 * is checked: all tasks completed, one pull request each.
 * Options: TASKS=N (default 50).
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import assert from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  startSeededStandin,
  startTask,
  templateValues,
  waitForTemplate,
  type Portal,
} from '@aks-gitops/e2e-tests/portal';
import { startPostgres } from '@aks-gitops/e2e-tests/postgres';
import {
  startLoadBalancer,
  startReplica,
} from '@aks-gitops/e2e-tests/replicas';

const TASKS = Number(process.env.TASKS ?? 50);
if (!Number.isInteger(TASKS) || TASKS < 1)
  throw new Error(
    `TASKS must be a whole number above 0, not ${process.env.TASKS}`,
  );
const TOKEN = 'ghp_benchReplicas';
const API_TOKEN = 'bench-replicas';
/** How often the task list is polled: the resolution of the task times. */
const POLL_MS = 250;

interface Figures {
  replicas: number;
  allCompletedS: number;
  medianTaskS: number;
  p95TaskS: number;
  githubRequests: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

async function measure(replicaCount: number): Promise<Figures> {
  const postgres = await startPostgres();
  const standin: GithubStandin = await startSeededStandin({
    tokens: [TOKEN],
  });
  const loadBalancer = await startLoadBalancer(API_TOKEN);
  const replicas: Portal[] = [];
  try {
    for (let i = 0; i < replicaCount; i++) {
      replicas.push(
        await startReplica({
          standin,
          githubToken: TOKEN,
          postgres,
          apiToken: API_TOKEN,
          loadBalancer,
        }),
      );
      loadBalancer.setTargets(replicas.map(replica => replica.baseUrl));
    }
    for (const replica of replicas) await waitForTemplate(replica);

    standin.clearRequests();
    const start = Date.now();
    // Through the load balancer: with two replicas, every other task is created on each.
    const created = await Promise.all(
      Array.from({ length: TASKS }, async (_, i) => {
        const id = await startTask(
          loadBalancer,
          templateValues(
            `bench-${String(i + 1).padStart(2, '0')}`,
            standin.host,
          ),
        );
        return { id, at: Date.now() };
      }),
    );
    const completedAt = new Map<string, number>();
    while (completedAt.size < TASKS) {
      const { body } = await loadBalancer.api<{
        tasks: Array<{ id: string; status: string }>;
      }>(`/api/scaffolder/v2/tasks?limit=${TASKS * 2}`);
      for (const task of body.tasks) {
        assert.ok(
          task.status !== 'failed' && task.status !== 'cancelled',
          `task ${task.id} ended ${task.status}`,
        );
        if (task.status === 'completed' && !completedAt.has(task.id))
          completedAt.set(task.id, Date.now());
      }
      if (Date.now() - start > 15 * 60_000)
        throw new Error(
          `only ${completedAt.size} of ${TASKS} tasks completed in 15 minutes`,
        );
      await sleep(POLL_MS);
    }
    const allCompletedS = (Date.now() - start) / 1000;
    assert.equal(standin.pulls('acme', 'app-project-env').length, TASKS);
    const taskS = created
      .map(({ id, at }) => ((completedAt.get(id) ?? NaN) - at) / 1000)
      .sort((a, b) => a - b);
    return {
      replicas: replicaCount,
      allCompletedS,
      medianTaskS: percentile(taskS, 0.5),
      p95TaskS: percentile(taskS, 0.95),
      githubRequests: standin.requests().length,
    };
  } finally {
    await Promise.all(replicas.map(replica => replica.stop()));
    await loadBalancer.close();
    await standin.close();
    await postgres.stop();
  }
}

async function main(): Promise<void> {
  const figures = [await measure(1), await measure(2)];
  console.log(
    `${TASKS} tasks created at once, production profile on PostgreSQL (${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end)\n`,
  );
  console.log(
    '| replicas | all completed | task time, median / p95 | GitHub requests |',
  );
  console.log('|---|---|---|---|');
  for (const f of figures)
    console.log(
      `| ${f.replicas} | ${f.allCompletedS.toFixed(1)} s | ${f.medianTaskS.toFixed(1)} / ${f.p95TaskS.toFixed(1)} s | ${f.githubRequests} |`,
    );
}

// Top-level await is not available here (tsx compiles this file to CommonJS).
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
