/**
 * Backstage scaffolder actions for GitOps-managed AKS environments.
 * Install: `backend.add(import('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops'))`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAksGitops as default } from './module';
export {
  createRenderEnvironmentAction,
  RENDER_ENVIRONMENT_ACTION_ID,
} from './actions/renderEnvironment';
export type { RenderEnvironmentActionOptions } from './actions/renderEnvironment';
export {
  createOpenPullRequestAction,
  OPEN_PULL_REQUEST_ACTION_ID,
} from './actions/openPullRequest';
export type { OpenPullRequestActionOptions } from './actions/openPullRequest';
export {
  createRegisterClusterAction,
  REGISTER_CLUSTER_ACTION_ID,
} from './actions/registerCluster';
export type { RegisterClusterActionOptions } from './actions/registerCluster';
export {
  createDecommissionEnvironmentAction,
  DECOMMISSION_ENVIRONMENT_ACTION_ID,
} from './actions/decommissionEnvironment';
export type { DecommissionEnvironmentActionOptions } from './actions/decommissionEnvironment';
export {
  createChangeEnvironmentAction,
  CHANGE_ENVIRONMENT_ACTION_ID,
} from './actions/changeEnvironment';
export type { ChangeEnvironmentActionOptions } from './actions/changeEnvironment';
export { readAllowedRepositories } from './allowedRepositories';
export type { AllowedRepositories } from './allowedRepositories';
/** The commit flow beneath aks-gitops:pull-request:open, for callers with files of their own (bench:pr). */
export { publishPullRequest } from './publishPullRequest';
export type {
  Checkpoint,
  PublishOptions,
  PublishedPullRequest,
} from './publishPullRequest';
export type { RequestMark } from './requestMark';
