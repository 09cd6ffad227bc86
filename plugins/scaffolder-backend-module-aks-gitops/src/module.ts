import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { DefaultGithubCredentialsProvider, ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createOpenPullRequestAction } from './actions/openPullRequest';
import { createRenderEnvironmentAction } from './actions/renderEnvironment';

/** Adds the aks-gitops actions to the scaffolder: `backend.add(import('...'))`. */
export const scaffolderModuleAksGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aks-gitops',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint, config: coreServices.rootConfig },
      async init({ scaffolder, config }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const credentialsProvider = DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        scaffolder.addActions(
          createRenderEnvironmentAction(),
          createOpenPullRequestAction({ integrations, config, credentialsProvider }),
        );
      },
    });
  },
});
