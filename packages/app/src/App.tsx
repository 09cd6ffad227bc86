/**
 * The portal's web app: Backstage's new frontend system with the catalog (entity pages, relations graph), the
 * scaffolder ("Create") with the aks-gitops form fields, the aks-gitops cluster card, fleet view and
 * root page, and guest sign-in for local use.
 */
import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import aksGitopsScaffolderModule from '@aks-gitops/plugin-scaffolder-frontend-module-aks-gitops';
import aksGitopsPlugin, {
  aksGitopsHomePageModule,
} from '@aks-gitops/plugin-aks-gitops';

const guestSignIn = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => (
          <SignInPage {...props} providers={['guest']} />
        ),
      },
    }),
  ],
});

export const app = createApp({
  // catalog-graph: the cluster's page shows its relations (owner, system, the management cluster).
  // aks-gitops: the "AKS environment" card on each cluster's page, the fleet view (/aks-fleet), and
  // the root page leading to both.
  features: [
    catalogPlugin,
    catalogGraphPlugin,
    scaffolderPlugin,
    aksGitopsScaffolderModule,
    aksGitopsPlugin,
    aksGitopsHomePageModule,
    guestSignIn,
  ],
});
