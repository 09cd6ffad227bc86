import type { GithubStandin } from '@aks-gitops/github-standin';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/** The GitHub integration of a stand-in that accepts `token`, as a backend's config would hold it. */
export function standinIntegrations(standin: GithubStandin, token: string) {
  return ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: standin.host, apiBaseUrl: standin.apiBaseUrl, token }],
      },
    }),
  );
}
