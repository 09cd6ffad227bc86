/**
 * The aks-gitops scaffolder frontend module (new frontend system): add it to the app's features.
 */
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

const atLeastFormField = FormFieldBlueprint.make({
  name: 'at-least',
  params: { field: () => import('./AtLeastField').then((m) => m.atLeastField) },
});

export default createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [atLeastFormField],
});
