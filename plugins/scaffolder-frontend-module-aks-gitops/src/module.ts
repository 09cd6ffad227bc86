/** The new frontend system's module: every form field of this package as a FormFieldBlueprint. */
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  atLeastField,
  certManagerField,
  checkedTextField,
  workloadsField,
} from './fields';
import { environmentChangeField } from './environmentChangeField';
import { entityNameField } from './entityNameField';

// Loaded with the module rather than lazily: two small inputs, and no dynamic import() for an
// app's CommonJS test runner to trip on.
const checkedTextFormField = FormFieldBlueprint.make({
  name: 'checked-text',
  params: { field: async () => checkedTextField },
});

const atLeastFormField = FormFieldBlueprint.make({
  name: 'at-least',
  params: { field: async () => atLeastField },
});

const workloadsFormField = FormFieldBlueprint.make({
  name: 'workloads',
  params: { field: async () => workloadsField },
});

const certManagerFormField = FormFieldBlueprint.make({
  name: 'cert-manager',
  params: { field: async () => certManagerField },
});

const entityNameFormField = FormFieldBlueprint.make({
  name: 'entity-name',
  params: { field: async () => entityNameField },
});

const environmentChangeFormField = FormFieldBlueprint.make({
  name: 'environment-change',
  params: { field: async () => environmentChangeField },
});

/**
 * The module for the new frontend system: the CheckedText, AtLeast, Workloads, CertManager,
 * EnvironmentChange and EntityName form fields.
 *
 * @public
 */
export const aksGitopsScaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    checkedTextFormField,
    atLeastFormField,
    workloadsFormField,
    certManagerFormField,
    environmentChangeFormField,
    entityNameFormField,
  ],
});
