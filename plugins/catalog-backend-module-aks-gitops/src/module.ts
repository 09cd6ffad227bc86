import {
  CLUSTER_EVENTS_TOPIC,
  type ClusterRegisteredEvent,
} from '@aks-gitops/plugin-aks-gitops-node';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AksClusterEntityProvider } from './AksClusterEntityProvider';
import { LocationTargetProcessor, locationEntityParser } from './locationTrust';

/**
 * Adds the AKS clusters of the configured GitOps repositories to the catalog: `backend.add(import('...'))`.
 *
 * @public
 */
export const catalogModuleAksGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aks-gitops',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        model: catalogModelExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({ catalog, model, config, logger, scheduler, events }) {
        // What locations may not do: see locationTrust.ts.
        catalog.addProcessor(new LocationTargetProcessor());
        model.setEntityDataParser(locationEntityParser);
        const providers = AksClusterEntityProvider.fromConfig(config, {
          logger,
          scheduler,
        });
        catalog.addEntityProvider(providers);
        await events.subscribe({
          id: 'aks-gitops-clusters',
          topics: [CLUSTER_EVENTS_TOPIC],
          async onEvent({ eventPayload }) {
            const { repoUrl, clusterName } =
              eventPayload as ClusterRegisteredEvent;
            for (const provider of providers.filter(p => p.watches(repoUrl))) {
              logger.info(
                `Refreshing ${provider.getProviderName()} for the new cluster ${clusterName}`,
              );
              await provider.refresh();
            }
          },
        });
      },
    });
  },
});
