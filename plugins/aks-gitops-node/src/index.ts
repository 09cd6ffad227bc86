/**
 * Node library of the aks-gitops plugin, shared by its backend modules: the GitHub client and
 * the repository reads both modules make, the cluster events contract, the catalog's check of a Resource entity, and the permissions of
 * changing and decommissioning an environment.
 *
 * @packageDocumentation
 */
export {
  createGithubClient,
  explainedGithubCall,
  explainGithubError,
  githubToken,
  isHttpError,
} from './github';
export type {
  GithubClient,
  GithubClientOptions,
  GithubTarget,
  HttpError,
  RetryPolicy,
} from './github';
export {
  GIT_OBJECTS_PER_QUERY,
  readBranchTree,
  readGitObjects,
} from './gitObjects';
export type { BranchTree, GitObjectRequest } from './gitObjects';
export { parseRepositoryUrl, repositoryKey } from './repositoryUrl';
export type { RepositoryName } from './repositoryUrl';
export { CLUSTER_EVENTS_TOPIC } from './events';
export type { ClusterRegisteredEvent } from './events';
export { checkResourceEntity } from './catalogEntity';
export {
  aksGitopsPermissions,
  environmentChangePermission,
  environmentDecommissionPermission,
} from './permissions';
