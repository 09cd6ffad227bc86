/**
 * What a failed pull request step shows in the task log, through Backstage's own scaffolder
 * (its task engine, logger and secret redaction) and its REST API, with the stand-in as GitHub.
 *
 * The scaffolder redacts more than a secret's value: it renders each step's input again without
 * secrets and adds every key whose entry differs (@backstage/plugin-scaffolder-backend 4.2.0,
 * NunjucksWorkflowRunner `collectSecretRedactions`). A template passing
 * `token: ${{ secrets.USER_OAUTH_TOKEN }}` loses that key without secrets, so the word "token"
 * itself becomes `***` everywhere in the step's log: our hints must not need it.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { AddressInfo } from 'node:net';
import { scaffolderModuleAksGitops } from './module';
import { environmentFor, OWNER, REPO, startSeededStandin, TOKEN } from './testing/standin';

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'pull-request-with-user-credentials', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [{ properties: { environment: { type: 'object' }, repoUrl: { type: 'string' } } }],
    steps: [
      {
        id: 'pull-request',
        name: 'Open the pull request',
        action: 'aks-gitops:pull-request:open',
        input: { repoUrl: '${{ parameters.repoUrl }}', environment: '${{ parameters.environment }}', token: '${{ secrets.USER_OAUTH_TOKEN }}' },
      },
    ],
  },
};

/** The scaffolder's REST API on the test backend, as the signed-in mock user. */
type Api = (path: string, init?: { method?: string; body?: unknown }) => Promise<{ status: number; body: unknown }>;

async function startScaffolder(): Promise<Api> {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAksGitops,
      eventsServiceFactory,
      catalogServiceMock.factory({ entities: [template] }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          integrations: { github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, token: TOKEN }] },
          aksGitops: { catalog: { providers: [{ id: 'fleet', repoUrl: `http://${standin.host}/${OWNER}/${REPO}` }] } },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/scaffolder`;
  return async (path, init = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${mockCredentials.user.token()}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: await response.json() };
  };
}

interface TaskEvent {
  type: string;
  body: { message?: string; status?: string };
}

async function failedStepLog(api: Api, secrets: Record<string, string>): Promise<string> {
  const created = await api('/v2/tasks', {
    method: 'POST',
    body: {
      templateRef: 'template:default/pull-request-with-user-credentials',
      values: { repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`, environment: environmentFor(standin) },
      secrets,
    },
  });
  expect(created.status).toBe(201);
  const { id } = created.body as { id: string };
  for (;;) {
    const events = (await api(`/v2/tasks/${id}/events`)).body as TaskEvent[];
    const failed = events.find((event) => event.type === 'log' && event.body.status === 'failed');
    if (failed) return failed.body.message ?? '';
    if (events.some((event) => event.type === 'completion')) throw new Error(`the task ended without a failed step: ${JSON.stringify(events)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the task log of a failed pull request step', () => {
  it('keeps our hint whole when the template passes the user\'s own credentials, and never shows them', async () => {
    const api = await startScaffolder();
    const log = await failedStepLog(api, { USER_OAUTH_TOKEN: 'ghp_aRevokedUserCredential0000000000000' });
    expect(log).toMatch(/^NotAllowedError: GitHub rejected the credentials to read branch main for acme\/app-project-env on .* \(401 Bad credentials\); renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again when the template passes the user's own credentials$/);
    expect(log).not.toContain('***');
    expect(log).not.toContain('ghp_aRevokedUserCredential');
  });

  it('shows the one sentence without a stack trace or the server\'s file paths', async () => {
    const api = await startScaffolder();
    const log = await failedStepLog(api, { USER_OAUTH_TOKEN: 'ghp_aRevokedUserCredential0000000000000' });
    expect(log.split('\n')).toHaveLength(1);
    expect(log).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
