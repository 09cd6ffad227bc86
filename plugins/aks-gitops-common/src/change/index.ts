/** The Day-2 change of an environment: the stored request, the rules, the typed diff, the YAML edits. */
export {
  changeEnvironment,
  changeEnvironmentInRepository,
} from './changeEnvironment';
export type { EnvironmentChangeResult } from './changeEnvironment';
export { changeIssues, kubernetesVersionIssue } from './rules';
export {
  readStoredRequest,
  storedRequestText,
  StoredRequestError,
} from './storedRequest';
export { describeChange, environmentChanges } from './typedDiff';
export type { EnvironmentChange } from './typedDiff';
export {
  ChangeConflictError,
  describeDrift,
  formatConflict,
} from './yamlEdits';
export type { DriftItem, EditConflict } from './yamlEdits';
