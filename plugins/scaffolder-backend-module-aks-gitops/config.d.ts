export interface Config {
  aksGitops?: {
    scaffolder?: {
      /**
       * The GitOps repositories `aks-gitops:pull-request:open` may write to, as
       * `https://<host>/<owner>/<repo>` (`http://` for a local stand-in). A task whose `repoUrl`
       * names any other repository fails with an InputError naming `repoUrl`.
       * Default: the `repoUrl` of every `catalog.providers.aksGitops.<id>` entry (none: nothing is allowed).
       */
      allowedRepositories?: string[];
    };
  };
}
