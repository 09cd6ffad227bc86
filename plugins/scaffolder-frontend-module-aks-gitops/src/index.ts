/**
 * The aks-gitops scaffolder frontend module (new frontend system): form fields that check the
 * "New AKS environment" form before submit. Add it to the app's features.
 */
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

const checkedTextFormField = FormFieldBlueprint.make({
  name: 'checked-text',
  params: { field: () => import('./fields').then((m) => m.checkedTextField) },
});

const atLeastFormField = FormFieldBlueprint.make({
  name: 'at-least',
  params: { field: () => import('./fields').then((m) => m.atLeastField) },
});

export default createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [checkedTextFormField, atLeastFormField],
});
