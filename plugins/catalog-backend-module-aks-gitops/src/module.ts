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
import { notificationService } from '@backstage/plugin-notifications-node';
import { AksClusterEntityProvider } from './AksClusterEntityProvider';
import { githubChange, GITHUB_WEBHOOK_TOPICS } from './githubEvents';
import { pullRequestNotification } from './notifications';
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
        notifications: notificationService,
      },
      async init({
        catalog,
        model,
        config,
        logger,
        scheduler,
        events,
        notifications,
      }) {
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
        // GitHub's webhooks (githubEvents.ts): a read soon, shared by every webhook within the
        // window; then, for a pull request of ours, a notification to the cluster's owner.
        // Not awaited: the webhook's HTTP answer does not wait for GitHub reads.
        await events.subscribe({
          id: 'aks-gitops-clusters-github',
          topics: GITHUB_WEBHOOK_TOPICS,
          async onEvent({ topic, eventPayload }) {
            const change = githubChange(topic, eventPayload);
            if (!change) return;
            for (const provider of providers.filter(p => p.reactsTo(change))) {
              void provider
                .requestRefresh()
                .then(async () => {
                  if (change.kind !== 'pull_request') return;
                  const cluster = change.environment.cluster;
                  const owner = provider.ownerOf(cluster);
                  if (!owner) {
                    logger.info(
                      `No owner known for ${cluster}: no notification for pull request #${change.number}`,
                    );
                    return;
                  }
                  await notifications.send({
                    recipients: { type: 'entity', entityRef: owner },
                    payload: pullRequestNotification(change),
                  });
                })
                .catch((error: unknown) =>
                  logger.warn(
                    `${provider.getProviderName()} could not react to ${topic}: ${error instanceof Error ? error.message : String(error)}`,
                  ),
                );
            }
          },
        });
      },
    });
  },
});
