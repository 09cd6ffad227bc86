/**
 * The AKS clusters of a GitOps repository in the Backstage catalog.
 * Install: `backend.add(import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleAksGitops as default } from './module';
export { AksClusterEntityProvider } from './AksClusterEntityProvider';
export type { AksClusterProviderOptions } from './AksClusterEntityProvider';
export type { ClusterProblem } from './clusterEntities';
export { githubChange } from './githubEvents';
export type { GithubChange } from './githubEvents';
