/**
 * Two replicas of the production profile on one PostgreSQL database, behind one URL (a
 * round-robin load balancer, testing/replicas.ts), as issue 14 asks: tasks created on both run
 * once each, the clusters are visible on both, a replica killed inside the pull-request step
 * leaves its task to the other, and the provider's schedule runs once per interval across them.
 *
 * What makes it so is Backstage's own machinery, all on PostgreSQL:
 * - task claiming: @backstage/plugin-scaffolder-backend 4.2.0, DatabaseTaskStore.claimTask moves
 *   one `open` task to `processing` with `update ... where id = ? and status = 'open'` and gives
 *   it up when no row changed, so a task goes to one replica only;
 * - recovery: TaskWorker.runTaskRecoveryLoop (every 10 s) calls DatabaseTaskStore.recoverTasks,
 *   which reopens `processing` tasks whose heartbeat (StorageTaskBroker, every second while a task
 *   runs) is older than `scaffolder.taskRecovery.staleTimeout`, with a `recovered` event;
 * - the schedule: @backstage/backend-defaults 0.18.0, scheduler/lib/TaskWorker: a global task runs
 *   where `tryClaimTask` set `current_run_ticket` (update where it is null), and its next run is
 *   `greatest(next_run_start_at + frequency, now())`;
 * - events: @backstage/plugin-events-backend 0.6.6 (DatabaseEventBusStore) with
 *   `events.useEventBus: always` (app-config.production.yaml). Every replica subscribes as
 *   `catalog.aks-gitops-clusters`, one subscription in PostgreSQL: an event is handled once
 *   across the replicas, by the publishing replica's own provider when it has one (the store
 *   skips `notified_subscribers`), and the catalog it writes is the shared database.
 */
import type {
  GithubStandin,
  RequestLogEntry,
} from '@aks-gitops/github-standin';
import { environmentBranch } from '@aks-gitops/plugin-aks-gitops-common';
import { startPostgres, type Postgres } from './testing/postgres';
import {
  catalogState,
  expectedPullRequests,
  pullRequestsOf,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTask,
  waitForTemplate,
  type Portal,
  type TemplateValues,
} from './testing/portal';
import {
  startLoadBalancer,
  startReplica,
  type LoadBalancer,
} from './testing/replicas';

const TOKEN = 'ghp_portalReplicasTest';
const API_TOKEN = 'portal-replicas-test';
const ENVIRONMENTS = 40;
const REFRESH_TASK = 'aks-gitops-clusters:fleet:refresh';
// No scheduled refresh inside the first two tests (it runs once at start): a cluster that shows
// up there came through the register action's event, not the schedule.
const QUIET_SCHEDULE = {
  catalog: {
    providers: {
      aksGitops: {
        fleet: {
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 3 } },
        },
      },
    },
  },
  // Stale after 5 s without a heartbeat (one a second while a task runs); the other replica looks every 10 s.
  scaffolder: { taskRecovery: { staleTimeout: { seconds: 5 } } },
};

let postgres: Postgres;
let standin: GithubStandin;
let loadBalancer: LoadBalancer;
let replicas: Portal[] = [];
let onGithubRequest: ((entry: RequestLogEntry) => void) | undefined;

const isPullRequestCreated = (entry: RequestLogEntry) =>
  entry.method === 'POST' &&
  entry.route === '/repos/:owner/:repo/pulls' &&
  entry.status === 201;

async function startReplicas(
  count: number,
  config: Record<string, unknown>,
): Promise<void> {
  // One after the other, as a rolling deployment starts them: the first runs the migrations.
  for (let i = 0; i < count; i++) {
    replicas.push(
      await startReplica({
        standin,
        githubToken: TOKEN,
        postgres,
        apiToken: API_TOKEN,
        loadBalancer,
        config,
      }),
    );
    loadBalancer.setTargets(replicas.map(replica => replica.baseUrl));
  }
}

async function stopReplicas(): Promise<void> {
  await Promise.all(replicas.map(replica => replica.stop()));
  replicas = [];
}

/** When the provider's scheduled refresh last ended, from the scheduler's table in PostgreSQL. */
const lastScheduledRefresh = () =>
  postgres.query(
    'backstage_plugin_catalog',
    `select last_run_ended_at from backstage_backend_tasks__tasks where id = '${REFRESH_TASK}'`,
  );

beforeAll(async () => {
  postgres = await startPostgres();
  standin = await startSeededStandin({
    tokens: [TOKEN],
    onRequest: entry => onGithubRequest?.(entry),
  });
  loadBalancer = await startLoadBalancer(API_TOKEN);
  await startReplicas(2, QUIET_SCHEDULE);
}, 300_000);

afterAll(async () => {
  await stopReplicas();
  await loadBalancer?.close();
  await standin?.close();
  await postgres?.stop();
}, 60_000);

it(`runs ${ENVIRONMENTS} tasks created alternately on two replicas once each: ${ENVIRONMENTS} pull requests, every cluster visible on both replicas before the next scheduled refresh`, async () => {
  const [a, b] = replicas as [Portal, Portal];
  await waitForTemplate(a);
  await waitForTemplate(b);
  const scheduledBefore = await lastScheduledRefresh();
  expect(scheduledBefore).toHaveLength(1);
  const environments: TemplateValues[] = Array.from(
    { length: ENVIRONMENTS },
    (_, i) =>
      templateValues(`replica-${String(i + 1).padStart(2, '0')}`, standin.host),
  );
  let pullRequestsCreated = 0;
  onGithubRequest = entry => {
    if (isPullRequestCreated(entry)) pullRequestsCreated++;
  };

  const taskIds = await Promise.all(
    environments.map((values, i) => startTask(i % 2 === 0 ? a : b, values)),
  );
  const statuses: string[] = [];
  // Polled through the load balancer, one task at a time (they all run meanwhile).
  for (const taskId of taskIds)
    statuses.push(await waitForTask(loadBalancer, taskId, 600_000));
  onGithubRequest = undefined;
  expect(statuses).toEqual(environments.map(() => 'completed'));

  // Each task run exactly once: one pull request each, and each step began once per task.
  expect(pullRequestsCreated).toBe(ENVIRONMENTS);
  expect(pullRequestsOf(standin)).toEqual(
    expectedPullRequests(standin.host, environments),
  );
  const stepStarts = await postgres.query(
    'backstage_plugin_scaffolder',
    `select task_id, string_agg(body::jsonb->>'stepId', ',' order by id) from task_events
     where event_type = 'log' and body::jsonb->>'status' = 'processing' and body::jsonb->>'message' like 'Beginning step %' group by task_id order by task_id`,
  );
  expect(stepStarts).toEqual(
    [...taskIds].sort().map(id => `${id}\trender,pull-request,register`),
  );

  for (const replica of [a, b])
    expect(
      await Promise.all(
        environments.map(values => catalogState(replica, values.name)),
      ),
    ).toEqual(environments.map(() => 'pending'));
  // No scheduled refresh ran meanwhile: the register action's events brought the clusters.
  expect(await lastScheduledRefresh()).toEqual(scheduledBefore);
}, 900_000);

it('leaves a task to the other replica when its replica is killed inside the pull-request step: one pull request, the cluster registered', async () => {
  const [a, b] = replicas as [Portal, Portal];
  const values = templateValues('replica-killed', standin.host);
  // B paused (SIGSTOP, as a long GC pause would) so that A claims the task; A is killed from the
  // stand-in's request log callback, which runs before the stand-in answers: the pull request is
  // open on GitHub, and A never learnt it.
  b.signal('SIGSTOP');
  const killed = new Promise<void>(done => {
    onGithubRequest = entry => {
      if (!isPullRequestCreated(entry)) return;
      onGithubRequest = undefined;
      done(a.stop('SIGKILL'));
    };
  });
  let taskId: string;
  try {
    taskId = await startTask(a, values);
    await killed;
  } finally {
    b.signal('SIGCONT');
  }
  expect(
    standin
      .pulls('acme', 'app-project-env')
      .filter(pull => pull.head.ref === environmentBranch(values.name)),
  ).toHaveLength(1);

  expect(await waitForTask(b, taskId, 120_000)).toBe('completed');
  const events = await b.api<Array<{ type: string }>>(
    `/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  expect(events.body.map(event => event.type)).toContain('recovered');
  expect(
    standin
      .pulls('acme', 'app-project-env')
      .filter(pull => pull.head.ref === environmentBranch(values.name)),
  ).toHaveLength(1);
  expect(await catalogState(b, values.name)).toBe('pending');
}, 300_000);

it('runs the scheduled refresh once per interval across two replicas, as with one: GitHub reads of the fleet repository', async () => {
  await stopReplicas();
  const frequencySeconds = 2;
  const intervals = 8;
  const schedule = {
    catalog: {
      providers: {
        aksGitops: {
          fleet: {
            schedule: {
              // minutes: 0, or the profile's 5 minutes stay (config files merge deeply).
              frequency: { minutes: 0, seconds: frequencySeconds },
              timeout: { minutes: 1 },
            },
          },
        },
      },
    },
  };
  // One refresh reads the repository (`repos.get`) once; nothing else reads it while no task runs.
  const refreshesDuring = async (ms: number) => {
    let refreshes = 0;
    onGithubRequest = entry => {
      if (
        entry.method === 'GET' &&
        entry.path.endsWith('/repos/acme/app-project-env')
      )
        refreshes++;
    };
    await new Promise(done => setTimeout(done, ms));
    onGithubRequest = undefined;
    return refreshes;
  };
  await startReplicas(1, schedule);
  const withOne = await refreshesDuring(intervals * frequencySeconds * 1000);
  await startReplicas(1, schedule);
  const withTwo = await refreshesDuring(intervals * frequencySeconds * 1000);

  // Runs start on next_run_start_at, each at least `frequency` after the one before and at most
  // one poll (the frequency here) late: at most intervals + 2 in the window, whatever the number
  // of replicas. A schedule run by each replica on its own would make about twice as many.
  expect(withOne).toBeGreaterThan(0);
  expect(withTwo).toBeGreaterThan(0);
  expect(withOne).toBeLessThanOrEqual(intervals + 2);
  expect(withTwo).toBeLessThanOrEqual(intervals + 2);
}, 300_000);
