import { startGithubStandin, type GithubStandin } from '@aks-gitops/github-standin';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import type { RetryPolicy } from '@aks-gitops/plugin-aks-gitops-node';

export const TOKEN = 'ghp_standinTestToken000000000000000000';
export const OWNER = 'acme';
export const REPO = 'app-project-env';

/** Fast retries for tests: the same policy, with a "second" of 5 ms. */
export const FAST_RETRIES: RetryPolicy = { retries: 3, maxWaitSeconds: 30, secondMs: 5 };

/** The lab's app-project-env repository: the root Application, samples/ and argocd-apps/. */
export const APP_PROJECT_ENV = {
  'app-project-env-recursive.yaml': [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    '  name: app-project-env-recursive',
    '  namespace: argocd',
    'spec:',
    '  project: default',
    '  source:',
    `    repoURL: https://github.com/${OWNER}/${REPO}.git`,
    '    path: samples',
    '    targetRevision: HEAD',
    '    directory:',
    '      recurse: true',
    '  destination:',
    '    server: https://kubernetes.default.svc',
    '    namespace: argocd',
    '  syncPolicy:',
    '    automated: {}',
    '',
  ].join('\n'),
  'samples/README.md': 'Everything under samples/ is applied to the management cluster.\n',
  'argocd-apps/aks-store/aks-store-argocd-app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: aks-store-demo\n',
};

export async function startSeededStandin(): Promise<GithubStandin> {
  const standin = await startGithubStandin({ tokens: [TOKEN] });
  await standin.seedRepository(OWNER, REPO, { files: APP_PROJECT_ENV });
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
