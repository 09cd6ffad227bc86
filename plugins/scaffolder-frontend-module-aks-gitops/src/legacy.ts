/**
 * The same fields for apps on Backstage's legacy frontend system, made the way
 * @backstage/plugin-scaffolder 1.39.0 makes its own (dist/plugin.esm.js: scaffolderPlugin.provide(
 * createScaffolderFieldExtension({ component, name, schema }))). Put them inside the app's
 * <ScaffolderFieldExtensions> element:
 *
 *   <Route path="/create" element={<ScaffolderPage />}>
 *     <ScaffolderFieldExtensions>
 *       <CheckedTextFieldExtension />
 *       <AtLeastFieldExtension />
 *       <WorkloadsFieldExtension />
 *       <CertManagerFieldExtension />
 *       <EnvironmentChangeFieldExtension />
 *       <EntityNameFieldExtension />
 *     </ScaffolderFieldExtensions>
 *   </Route>
 */
import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  AT_LEAST_FIELD,
  CERT_MANAGER_FIELD,
  CertManagerInput,
  certManagerSchema,
  certManagerValidation,
  AtLeastInput,
  atLeastSchema,
  atLeastValidation,
  CHECKED_TEXT_FIELD,
  CheckedTextInput,
  checkedTextSchema,
  checkedTextValidation,
  WORKLOADS_FIELD,
  WorkloadsInput,
  workloadsSchema,
  workloadsValidation,
} from './fields';
import {
  ENVIRONMENT_CHANGE_FIELD,
  EnvironmentChangeInput,
  environmentChangeSchema,
} from './environmentChangeField';
import {
  ENTITY_NAME_FIELD,
  EntityNameInput,
  entityNameSchema,
} from './entityNameField';

/**
 * `ui:field: CheckedText` (legacy frontend system).
 *
 * @public
 */
export const CheckedTextFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CHECKED_TEXT_FIELD,
    component: CheckedTextInput,
    validation: checkedTextValidation,
    schema: checkedTextSchema.schema,
  }),
);

/**
 * `ui:field: AtLeast` (legacy frontend system).
 *
 * @public
 */
export const AtLeastFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: AT_LEAST_FIELD,
    component: AtLeastInput,
    validation: atLeastValidation,
    schema: atLeastSchema.schema,
  }),
);

/**
 * `ui:field: Workloads` (legacy frontend system).
 *
 * @public
 */
export const WorkloadsFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: WORKLOADS_FIELD,
    component: WorkloadsInput,
    validation: workloadsValidation,
    schema: workloadsSchema.schema,
  }),
);

/**
 * `ui:field: CertManager` (legacy frontend system).
 *
 * @public
 */
export const CertManagerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CERT_MANAGER_FIELD,
    component: CertManagerInput,
    validation: certManagerValidation,
    schema: certManagerSchema.schema,
  }),
);

/**
 * `ui:field: EnvironmentChange` (legacy frontend system): the "Change an AKS environment" form,
 * prefilled with the stored request read from Git.
 *
 * @public
 */
export const EnvironmentChangeFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: ENVIRONMENT_CHANGE_FIELD,
    component: EnvironmentChangeInput,
    schema: environmentChangeSchema.schema,
  }),
);

/**
 * `ui:field: EntityName` (legacy frontend system): Backstage's entity picker, storing the
 * reference as a person reads it (`platform-team` rather than `group:default/platform-team`).
 *
 * @public
 */
export const EntityNameFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: ENTITY_NAME_FIELD,
    component: EntityNameInput,
    schema: entityNameSchema.schema,
  }),
);
