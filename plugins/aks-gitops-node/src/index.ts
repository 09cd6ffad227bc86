/** Shared backend code of the aks-gitops Backstage modules. */
export {
  createGithubClient,
  DEFAULT_RETRY_POLICY,
  explainedGithubCall,
  explainGithubError,
  githubToken,
  isHttpError,
} from './github';
export { parseRepositoryUrl, repositoryKey } from './repositoryUrl';
export type { RepositoryName } from './repositoryUrl';
export type { GithubClient, GithubTarget, RetryPolicy } from './github';
export { CLUSTER_EVENTS_TOPIC } from './events';
export type { ClusterRegisteredEvent } from './events';
export { checkResourceEntity } from './catalogEntity';
