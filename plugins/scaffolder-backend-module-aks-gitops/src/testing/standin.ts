import { startGithubStandin, type GithubStandin } from '@aks-gitops/github-standin';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { RetryPolicy } from '@aks-gitops/plugin-aks-gitops-node';

export const TOKEN = 'ghp_standinTestToken000000000000000000';
export const OWNER = 'acme';
export const REPO = 'app-project-env';

/** Fast retries for tests: the same policy, with a "second" of 5 ms. */
export const FAST_RETRIES: RetryPolicy = { retries: 3, maxWaitSeconds: 30, secondMs: 5 };

/** The lab's app-project-env repository (root Application, samples/, argocd-apps/), as the portal seeds it. */
export const APP_PROJECT_ENV_FOLDER = resolve(__dirname, '../../../../packages/backend/seed/app-project-env');

/** Its files, path → content, to check they survive every pull request. */
export const APP_PROJECT_ENV: Record<string, string> = Object.fromEntries(
  readdirSync(APP_PROJECT_ENV_FOLDER, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(APP_PROJECT_ENV_FOLDER, path), readFileSync(path, 'utf8')];
    }),
);

export async function startSeededStandin(): Promise<GithubStandin> {
  const standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository(OWNER, REPO, { folder: APP_PROJECT_ENV_FOLDER });
  return standin;
}

export function standinConfig(standin: GithubStandin, extra: Record<string, unknown> = {}) {
  return new ConfigReader({
    app: { baseUrl: 'http://localhost:3000' },
    integrations: { github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, rawBaseUrl: standin.rawBaseUrl, token: TOKEN }] },
    ...extra,
  });
}

export function standinIntegrations(standin: GithubStandin) {
  return ScmIntegrations.fromConfig(standinConfig(standin));
}

/** The environment request pointed at the stand-in's repository. */
export function environmentFor(standin: GithubStandin, overrides: Record<string, unknown> = {}) {
  return {
    mode: 'new',
    cluster: { name: 'dev-cluster', environment: 'dev', location: 'eastus' },
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
    },
    gitopsRepo: { url: `https://${standin.host}/${OWNER}/${REPO}`, revision: 'main', managementPath: 'samples' },
    workloads: [
      { name: 'aks-store-demo', repoURL: 'https://github.com/Azure-Samples/aks-store-demo.git', path: 'kustomize/overlays/dev', namespace: 'pets' },
    ],
    owner: 'group:default/platform-team',
    ...overrides,
  };
}
