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
import { createChangeEnvironmentAction } from './actions/changeEnvironment';
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
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, events, catalog }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const credentialsProvider =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const allowedRepositories = readAllowedRepositories(config);
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
          }),
          createDecommissionEnvironmentAction({
            integrations,
            config,
            catalog,
            credentialsProvider,
            allowedRepositories,
          }),
        );
      },
    });
  },
});
