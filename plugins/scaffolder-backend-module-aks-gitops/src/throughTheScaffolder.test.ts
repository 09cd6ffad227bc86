/**
 * The pull request action through Backstage's own scaffolder (its task engine, logger and secret
 * redaction, @backstage/plugin-scaffolder-backend 4.2.0 as in the portal) and its REST API, with
 * the stand-in as GitHub: what a template may not make it do (issue 9, findings 2, 4, 5), and what
 * a failed step shows in the task log (finding 8).
 *
 * The scaffolder redacts more than a secret's value: it renders each step's input again without
 * secrets and adds every key whose entry differs (NunjucksWorkflowRunner
 * `collectSecretRedactions`). A template passing `token: ${{ secrets.USER_OAUTH_TOKEN }}` loses
 * that key without secrets, so the word "token" itself becomes `***` everywhere in the step's log:
 * our hints must not need it.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { AddressInfo } from 'node:net';
import { scaffolderModuleAksGitops } from './module';
import {
  branchHead,
  environmentFor,
  OWNER,
  REPO,
  startSeededStandin,
  TOKEN,
} from './testing/standin';

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

/** A template of one step, the pull request action with `input` over the form's repoUrl and environment. */
function template(name: string, input: Record<string, string>) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      parameters: [
        {
          properties: {
            environment: { type: 'object' },
            repoUrl: { type: 'string' },
          },
        },
      ],
      steps: [
        {
          id: 'pull-request',
          name: 'Open the pull request',
          action: 'aks-gitops:pull-request:open',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            environment: '${{ parameters.environment }}',
            ...input,
          },
        },
      ],
    },
  };
}

const templates = [
  template('pull-request', {}),
  template('pull-request-with-user-credentials', {
    token: '${{ secrets.USER_OAUTH_TOKEN }}',
  }),
  // Issue 9, finding 1's template: the files straight onto main, without a pull request.
  template('pull-request-onto-main', { branchName: 'main' }),
];

/** The scaffolder's REST API on the test backend, as a signed-in user (default: the mock user). */
type Api = (
  path: string,
  init?: { method?: string; body?: unknown; user?: string },
) => Promise<{ status: number; body: unknown }>;

async function startScaffolder(): Promise<Api> {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAksGitops,
      eventsServiceFactory,
      catalogServiceMock.factory({ entities: templates }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
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
            providers: {
              aksGitops: {
                fleet: { repoUrl: `http://${standin.host}/${OWNER}/${REPO}` },
              },
            },
          },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/scaffolder`;
  return async (path, init = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${mockCredentials.user.token(init.user)}`,
        'content-type': 'application/json',
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: await response.json() };
  };
}

interface TaskEvent {
  type: string;
  body: { message?: string; status?: string };
}

interface TaskOptions {
  values?: Record<string, unknown>;
  secrets?: Record<string, string>;
  user?: string;
}

/** Runs a task of `templateName` to its end: the failed step's log line, or undefined when it succeeded. */
async function runTask(
  api: Api,
  templateName: string,
  { values = {}, secrets = {}, user }: TaskOptions = {},
): Promise<string | undefined> {
  const created = await api('/v2/tasks', {
    method: 'POST',
    ...(user ? { user } : {}),
    body: {
      templateRef: `template:default/${templateName}`,
      values: {
        repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
        environment: environmentFor(standin),
        ...values,
      },
      secrets,
    },
  });
  expect(created.status).toBe(201);
  const { id } = created.body as { id: string };
  for (;;) {
    const events = (await api(`/v2/tasks/${id}/events`)).body as TaskEvent[];
    const failed = events.find(
      event => event.type === 'log' && event.body.status === 'failed',
    );
    if (failed) return failed.body.message ?? '';
    if (events.some(event => event.type === 'completion')) return undefined;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function failedStepLog(
  api: Api,
  templateName: string,
  options: TaskOptions = {},
): Promise<string> {
  const log = await runTask(api, templateName, options);
  if (log === undefined)
    throw new Error(`the task of ${templateName} succeeded`);
  return log;
}

describe('the task log of a failed pull request step', () => {
  it("keeps our hint whole when the template passes the user's own credentials, and never shows them", async () => {
    const api = await startScaffolder();
    const log = await failedStepLog(api, 'pull-request-with-user-credentials', {
      secrets: { USER_OAUTH_TOKEN: 'ghp_aRevokedUserCredential0000000000000' },
    });
    expect(log).toMatch(
      /^NotAllowedError: GitHub rejected the credentials to read branch main for acme\/app-project-env on .* \(401 Bad credentials\); renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again when the template passes the user's own credentials$/,
    );
    expect(log).not.toContain('***');
    expect(log).not.toContain('ghp_aRevokedUserCredential');
  });

  it("shows the one sentence without a stack trace or the server's file paths", async () => {
    const api = await startScaffolder();
    const log = await failedStepLog(api, 'pull-request-with-user-credentials', {
      secrets: { USER_OAUTH_TOKEN: 'ghp_aRevokedUserCredential0000000000000' },
    });
    expect(log.split('\n')).toHaveLength(1);
    expect(log).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('a task from a template that tries to write where it must not', () => {
  it('fails on branchName main, and main keeps its commit', async () => {
    const api = await startScaffolder();
    const mainBefore = await branchHead(standin, 'main');
    const log = await failedStepLog(api, 'pull-request-onto-main');
    expect(log).toBe(
      'InputError: branchName: must be aks-gitops/dev-cluster, the only branch this action writes for cluster dev-cluster (leave it out), but it is "main"',
    );
    expect(await branchHead(standin, 'main')).toEqual(mainBefore);
    expect(standin.branches(OWNER, REPO)).toEqual(['main']);
  });

  it('fails on a repoUrl outside the allowed repositories, and opens nothing there', async () => {
    await standin.seedRepository(OWNER, 'other-repo', {
      files: { 'README.md': 'x\n' },
    });
    const api = await startScaffolder();
    const log = await failedStepLog(api, 'pull-request', {
      values: {
        repoUrl: `${standin.host}?owner=${OWNER}&repo=other-repo`,
        environment: environmentFor(standin, {
          gitopsRepo: {
            url: `https://${standin.host}/${OWNER}/other-repo`,
            revision: 'main',
            managementPath: 'samples',
          },
        }),
      },
    });
    expect(log).toMatch(
      /^InputError: repoUrl: must be a GitOps repository this portal may write to \(.*: [^)]*\/acme\/app-project-env\), but it names ".*\/acme\/other-repo"$/,
    );
    expect(standin.branches(OWNER, 'other-repo')).toEqual(['main']);
  });

  it('fails on a branch of its name that someone else pushed, naming the branch', async () => {
    const api = await startScaffolder();
    standin.commitFiles(OWNER, REPO, {
      branch: 'aks-gitops/dev-cluster',
      files: { 'x.md': 'someone else\n' },
    });
    const log = await failedStepLog(api, 'pull-request');
    expect(log).toMatch(
      /^ConflictError: branch aks-gitops\/dev-cluster of acme\/app-project-env: must hold only what aks-gitops wrote/,
    );
  });

  it('fails on a second request for a cluster whose pull request is open, naming the pull request and who asked', async () => {
    const api = await startScaffolder();
    expect(
      await runTask(api, 'pull-request', { user: 'user:default/alice' }),
    ).toBeUndefined();
    const before = standin.pull(OWNER, REPO, 1);
    const log = await failedStepLog(api, 'pull-request', {
      user: 'user:default/bob',
      values: {
        environment: environmentFor(standin, { owner: 'user:default/bob' }),
      },
    });
    expect(log).toBe(
      `ConflictError: environment.cluster.name: must not name a cluster with a pending request, but cluster dev-cluster is already requested in PR #1 by user:default/alice (${before.html_url}); ask them to change that pull request, or close it and run this task again`,
    );
    expect(standin.pull(OWNER, REPO, 1).body).toBe(before.body);
  });
});
