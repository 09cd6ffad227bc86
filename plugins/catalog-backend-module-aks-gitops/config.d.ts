import type { HumanDuration } from '@backstage/types';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The aks-gitops cluster providers, one per GitOps repository, keyed by an id of your choice
       * (the provider is named `aks-gitops-clusters:<id>`), like `catalog.providers.github.<id>`.
       * Clusters on the repository's branch come in as active Resource entities, those of its
       * open aks-gitops pull requests as pending ones.
       */
      aksGitops?: {
        [id: string]: {
          /** The GitOps repository, `https://<host>/<owner>/<repo>`; its host must be configured under `integrations.github`. */
          repoUrl: string;
          /** The branch whose clusters are active. Default: the repository's default branch. */
          branch?: string;
          /** Entity name of the management cluster. Default: the repository's only control-plane cluster. */
          managementCluster?: string;
          /**
           * How often the repository is read. Any field left out is filled from the default
           * `{ frequency: { minutes: 30 }, timeout: { minutes: 3 } }`: a fallback, since GitHub's
           * webhooks (topics github.pull_request and github.push, README "GitHub webhooks")
           * trigger a read within seconds; without webhooks, set a shorter frequency.
           */
          schedule?: {
            frequency?: { cron: string } | string | HumanDuration;
            timeout?: string | HumanDuration;
            initialDelay?: string | HumanDuration;
            scope?: 'global' | 'local';
          };
        };
      };
    };
  };
}
