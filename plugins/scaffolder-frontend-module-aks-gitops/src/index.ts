/**
 * The aks-gitops scaffolder frontend module: form fields that check the "New AKS environment" form
 * before submit. New frontend system: add the default export to the app's features. Legacy
 * frontend system: CheckedTextFieldExtension, AtLeastFieldExtension, WorkloadsFieldExtension and
 * CertManagerFieldExtension, EnvironmentChangeFieldExtension and EntityNameFieldExtension (see
 * legacy.ts).
 *
 * @packageDocumentation
 */
export { aksGitopsScaffolderModule as default } from './module';
export {
  AtLeastFieldExtension,
  EnvironmentChangeFieldExtension,
  CertManagerFieldExtension,
  CheckedTextFieldExtension,
  EntityNameFieldExtension,
  WorkloadsFieldExtension,
} from './legacy';
