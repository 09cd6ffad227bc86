/**
 * \@aks-gitops/plugin-aks-gitops-common: the GitOps files for a new AKS environment, as a pure library.
 * Input values in, a file tree out; no Backstage imports.
 *
 * @packageDocumentation
 */
export { renderEnvironment } from './render';
export { exampleEnvironmentRequest } from './example';
export {
  changeEnvironment,
  changeEnvironmentInRepository,
  ChangeConflictError,
  changeIssues,
  describeChange,
  describeDrift,
  environmentChanges,
  formatConflict,
  readStoredRequest,
  storedRequestText,
  StoredRequestError,
} from './change';
export type {
  DriftItem,
  EditConflict,
  EnvironmentChange,
  EnvironmentChangeResult,
} from './change';
export type { NodePoolSize } from './change/typedDiff';
export type { RenderedEnvironment } from './render';
export {
  parseEnvironmentRequest,
  environmentRequestSchema,
  EnvironmentRequestError,
  formatIssue,
  isManagementCluster,
  kargoNeedsCertManager,
} from './request';
export type {
  EnvironmentRequest,
  EnvironmentRequestInput,
  FieldIssue,
  Workload,
} from './request';
export { changeChecklist, manualSteps, reviewChecklist } from './review';
export {
  HELM_CHART_PROXY_HEALTH_KEY,
  HELM_CHART_PROXY_HEALTH_LUA,
} from './healthChecks';
export { RenderValidationError } from './validate';
export { show } from './rules';
export { UnrepresentableValueError } from './serialize';
export { parseSingleYamlDocument, YamlDocumentError } from './yamlDocument';
export { ADDONS, ADDON_IDS } from './addons';
export type { AddonId } from './addons';
export {
  AKS_KUBERNETES_VERSIONS,
  DEFAULT_KUBERNETES_VERSION,
  AKS_STORE_DEMO_WORKLOAD,
} from './defaults';
export {
  CATALOG_FILE,
  CLUSTER_DIR_EXCLUDE,
  REQUEST_FILE,
  CLUSTER_PROVIDERS_CONFIG_KEY,
  CLUSTER_ENTITY_TYPE,
  CLUSTERS_DIR,
  DEFAULT_MANAGEMENT_CLUSTER,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  KUBERNETES_VERSION_ANNOTATION,
  LOCATION_ANNOTATION,
  MANAGEMENT_CLUSTER_ANNOTATION,
  MODE_ANNOTATION,
  NODE_POOL_ANNOTATION,
  OWN_PREFIX,
  PULL_REQUEST_ANNOTATION,
  PULL_REQUEST_BRANCH_PREFIX,
  REQUEST_TRAILER,
  REQUESTER_TRAILER,
  STATE_LABEL,
  TASK_TRAILER,
  WORKLOADS_ANNOTATION,
  addonAnnotation,
  clusterEntityPath,
  clusterEntityRef,
  clusterOfBranch,
  clusterPaths,
  environmentBranch,
  parseEnvironmentBranch,
} from './naming';
export type {
  ClusterPaths,
  ClusterState,
  EnvironmentBranch,
  EnvironmentOperation,
  NodePoolSummary,
} from './naming';
export {
  applyFileChanges,
  decommissionPlan,
  DecommissionRefusal,
} from './decommission/plan';
export type {
  DecommissionMode,
  DecommissionPhase,
  DecommissionPhaseId,
  DecommissionPlan,
  DecommissionRefusalReason,
  FileChange,
} from './decommission/plan';
