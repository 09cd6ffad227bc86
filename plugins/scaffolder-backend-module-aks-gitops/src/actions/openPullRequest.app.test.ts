/**
 * GitHub App credentials, end to end through Backstage's DefaultGithubCredentialsProvider: the
 * app's JWT finds its installation, whose token opens the pull request. No personal token exists.
 */
import {
  startGithubStandin,
  type GithubStandin,
} from '@aks-gitops/github-standin';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { generateKeyPairSync } from 'node:crypto';
import { actionContext } from '../testing/actionContext';
import {
  APP_PROJECT_ENV,
  environmentFor,
  FAST_RETRIES,
  fastGithubClient,
  OWNER,
  REPO,
} from '../testing/standin';
import {
  createOpenPullRequestAction,
  openPullRequestAction,
} from './openPullRequest';

type OpenPullRequestAction = ReturnType<typeof createOpenPullRequestAction>;

const APP_ID = 4242;
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let standin: GithubStandin;
beforeEach(async () => {
  // Only the app is configured: a personal token would be refused.
  standin = await startGithubStandin({
    tokens: ['ghp_notUsedHere'],
    apps: [{ id: APP_ID, clientId: 'Iv1.standin', publicKey }],
  });
  await standin.seedRepository(OWNER, REPO, { files: APP_PROJECT_ENV });
});
afterEach(() => standin.close());

it('opens the pull request with a GitHub App installation token', async () => {
  const config = new ConfigReader({
    integrations: {
      github: [
        {
          host: standin.host,
          apiBaseUrl: standin.apiBaseUrl,
          apps: [
            {
              appId: APP_ID,
              clientId: 'Iv1.standin',
              clientSecret: 'unused',
              webhookSecret: 'unused',
              privateKey,
            },
          ],
        },
      ],
    },
  });
  const allowedRepositories = {
    repositories: [`${standin.host}/${OWNER}/${REPO}`],
    source: 'this test',
  };
  const action = openPullRequestAction(
    {
      integrations: ScmIntegrations.fromConfig(config),
      config,
      allowedRepositories,
      retryPolicy: FAST_RETRIES,
    },
    fastGithubClient,
  );
  const { ctx, outputs } = actionContext<OpenPullRequestAction>({
    input: {
      repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
      environment: environmentFor(standin),
    },
  });
  await action.handler(ctx);
  expect(outputs.pullRequestNumber).toBe(1);
  const routes = standin.requests().map(r => `${r.method} ${r.route}`);
  expect(routes).toContain('GET /app/installations');
  expect(routes).toContain(
    'POST /app/installations/:installation_id/access_tokens',
  );
  expect(standin.pulls(OWNER, REPO)[0]?.user?.login).toMatch(/\[bot\]$/);
});
