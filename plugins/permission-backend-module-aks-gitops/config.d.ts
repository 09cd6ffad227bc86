export interface Config {
  aksGitops?: {
    /** The portal's permission policy (@aks-gitops/plugin-permission-backend-module-aks-gitops). */
    permissions?: {
      /**
       * Group entity refs (e.g. group:default/platform-team) whose members are the portal's admins:
       * they may dry-run templates, register and delete locations and delete entities. Without
       * it nobody may. Membership is what the sign-in put into the user's token (the catalog's
       * memberOf relations with signInWithCatalogUser).
       */
      adminGroups?: string[];
    };
  };
}
