import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderAutocompleteExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { createChangeEnvironmentAction } from './actions/changeEnvironment';
import {
  AUTOCOMPLETE_PROVIDER,
  environmentAutocomplete,
} from './environmentAutocomplete';
import { createOpenPullRequestAction } from './actions/openPullRequest';
import { readAllowedRepositories } from './allowedRepositories';
import { createRegisterClusterAction } from './actions/registerCluster';
import { createRenderEnvironmentAction } from './actions/renderEnvironment';
import { createDecommissionEnvironmentAction } from './actions/decommissionEnvironment';

/**
 * Adds the aks-gitops actions to the scaffolder: `backend.add(import('...'))`.
 *
 * @public
 */
export const scaffolderModuleAksGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aks-gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        autocomplete: scaffolderAutocompleteExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        autocomplete,
        logger,
        config,
        permissions,
        events,
        catalog,
      }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const credentialsProvider =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const allowedRepositories = readAllowedRepositories(config);
        // The "Change this environment" form reads the stored request through the scaffolder's own
        // autocomplete endpoint (environmentAutocomplete.ts).
        autocomplete.addAutocompleteProvider({
          id: AUTOCOMPLETE_PROVIDER,
          handler: environmentAutocomplete({
            integrations,
            credentialsProvider,
            allowedRepositories,
            logger,
          }),
        });
        scaffolder.addActions(
          createRenderEnvironmentAction({ integrations }),
          createOpenPullRequestAction({
            integrations,
            config,
            credentialsProvider,
            allowedRepositories,
          }),
          createRegisterClusterAction({ events, catalog }),
          createChangeEnvironmentAction({
            integrations,
            config,
            credentialsProvider,
            allowedRepositories,
            permissions,
          }),
          createDecommissionEnvironmentAction({
            integrations,
            config,
            catalog,
            events,
            credentialsProvider,
            allowedRepositories,
            permissions,
          }),
        );
      },
    });
  },
});
