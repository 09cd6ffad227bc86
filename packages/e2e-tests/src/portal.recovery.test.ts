/**
 * Crash recovery with the production profile (PostgreSQL, scaffolder.taskRecovery on): the backend
 * is SIGKILLed inside the pull-request step, right after GitHub opened the pull request and before
 * the backend could record it. Started again, it recovers the task, which completes with exactly
 * one pull request holding exactly the rendered files.
 */
import type {
  GithubStandin,
  RequestLogEntry,
} from '@aks-gitops/github-standin';
import { startPostgres, type Postgres } from './testing/postgres';
import {
  catalogState,
  expectedPullRequests,
  productionProfile,
  pullRequestsOf,
  startPortal,
  startSeededStandin,
  startTask,
  templateValues,
  waitForTask,
  waitForTemplate,
  type Portal,
} from './testing/portal';

const TOKEN = 'ghp_portalRecoveryTest';
let postgres: Postgres;
let standin: GithubStandin;
let portal: Portal;
let onGithubRequest: ((entry: RequestLogEntry) => void) | undefined;

beforeAll(async () => {
  postgres = await startPostgres();
  standin = await startSeededStandin({
    tokens: [TOKEN],
    onRequest: entry => onGithubRequest?.(entry),
  });
  portal = await startPortal({
    standin,
    githubToken: TOKEN,
    ...(await productionProfile(
      standin,
      TOKEN,
      postgres,
      'portal-recovery-test',
    )),
    // The scaffolder looks for stale tasks every 10 s (fixed) after it starts; a task is stale once
    // its heartbeat (every second while it runs) is staleTimeout old. 5 s: well clear of a live
    // task's heartbeat, and already passed at the first look after the restart.
    config: { scaffolder: { taskRecovery: { staleTimeout: { seconds: 5 } } } },
  });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await standin?.close();
  await postgres?.stop();
}, 30_000);

it('recovers a task whose backend was killed inside the pull-request step: it completes, with one pull request', async () => {
  await waitForTemplate(portal);
  const values = templateValues('recovered-cluster', standin.host);
  // Killed from the stand-in's request log callback, which runs before the stand-in answers
  // anything else: the step cannot have gone on (labels, register) before the kill.
  const killed = new Promise<void>(done => {
    onGithubRequest = entry => {
      if (
        entry.method !== 'POST' ||
        entry.route !== '/repos/:owner/:repo/pulls' ||
        entry.status !== 201
      )
        return;
      onGithubRequest = undefined;
      done(portal.stop('SIGKILL'));
    };
  });
  const taskId = await startTask(portal, values);
  await killed;
  expect(standin.pulls('acme', 'app-project-env')).toHaveLength(1);
  expect(
    await postgres.query(
      'backstage_plugin_scaffolder',
      `select status from tasks where id = '${taskId}'`,
    ),
  ).toEqual(['processing']);
  // The branch's checkpoint is recorded, the pull request's is not: the recovered run must find
  // the pull request on GitHub rather than in its checkpoints.
  const [state] = await postgres.query(
    'backstage_plugin_scaffolder',
    `select state from tasks where id = '${taskId}'`,
  );
  expect(state).toContain(
    'aks-gitops.branch.acme.app-project-env.aks-gitops/recovered-cluster',
  );
  expect(state).not.toContain('aks-gitops.pull-request.');

  await portal.restart();
  expect(await waitForTask(portal, taskId)).toBe('completed');

  const events = await portal.api<Array<{ type: string }>>(
    `/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  expect(events.body.map(event => event.type)).toContain('recovered');
  expect(pullRequestsOf(standin)).toEqual(
    expectedPullRequests(standin.host, [values]),
  );
  expect(
    standin
      .pulls('acme', 'app-project-env')
      .map(pull => pull.labels.map(label => label.name)),
  ).toEqual([['aks-environment']]);
  expect(await catalogState(portal, 'recovered-cluster')).toBe('pending');
}, 180_000);
