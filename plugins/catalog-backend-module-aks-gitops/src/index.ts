/**
 * The AKS clusters of a GitOps repository in the Backstage catalog.
 * Install: `backend.add(import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'))`.
 */
export { catalogModuleAksGitops as default } from './module';
export { AksClusterEntityProvider } from './AksClusterEntityProvider';
export type { AksClusterProviderOptions } from './AksClusterEntityProvider';
export {
  clusterEntities,
  parseClusterFile,
  PENDING_LIMITS,
} from './clusterEntities';
export type { ClusterFile, ClusterProblem } from './clusterEntities';
export { MAX_CLUSTER_FILE_BYTES } from './gitopsRepository';
