import {
  clusterEntityPath,
  clusterEntityRef,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  CLUSTER_EVENTS_TOPIC,
  type ClusterRegisteredEvent,
} from '@aks-gitops/plugin-aks-gitops-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { environmentInput, parseEnvironmentInput } from '../environmentInput';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './registerCluster.examples';

/** @public */
export const REGISTER_CLUSTER_ACTION_ID = 'aks-gitops:cluster:register';

/** @public */
export interface RegisterClusterActionOptions {
  events: EventsService;
  catalog: CatalogService;
  /** How long to wait for the entity to show; the catalog module's schedule catches up otherwise. */
  waitMs?: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Makes the new cluster visible in the catalog right away: asks the aks-gitops entity provider
 * (catalog module) to refresh its repository now, then waits until the entity is there, pending
 * while its pull request is open.
 *
 * @public
 */
export function createRegisterClusterAction(
  options: RegisterClusterActionOptions,
) {
  const { events, catalog, waitMs = 10_000, pollMs = 250 } = options;
  return createTemplateAction({
    id: REGISTER_CLUSTER_ACTION_ID,
    description:
      'Registers the cluster of an environment in the catalog now (pending while its pull request is open); needs the aks-gitops catalog module watching the GitOps repository.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentInput,
        pullRequestUrl: z =>
          z
            .string()
            .describe(
              'The pull request (output of aks-gitops:pull-request:open)',
            ),
        pullRequestNumber: z => z.number().describe('Its number'),
      },
      output: {
        entityRef: z =>
          z
            .string()
            .describe(
              "The cluster's entity, e.g. resource:default/dev-cluster",
            ),
        catalogPath: z =>
          z
            .string()
            .describe(
              'Path of the entity page in the Backstage app, e.g. /catalog/default/resource/dev-cluster',
            ),
        visible: z =>
          z
            .boolean()
            .describe(
              'Whether the entity was visible in the catalog when the action finished',
            ),
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const request = parseEnvironmentInput(ctx.input.environment);
        const entityRef = clusterEntityRef(request.cluster.name);
        ctx.output('entityRef', entityRef);
        ctx.output('catalogPath', clusterEntityPath(request.cluster.name));
        if (ctx.isDryRun) {
          ctx.output('visible', false);
          return;
        }
        const event: ClusterRegisteredEvent = {
          repoUrl: request.gitopsRepo.url,
          clusterName: request.cluster.name,
        };
        await ctx.checkpoint({
          key: `aks-gitops.register.${request.cluster.name}.${ctx.input.pullRequestNumber}`,
          fn: async () => {
            await events.publish({
              topic: CLUSTER_EVENTS_TOPIC,
              eventPayload: event,
            });
          },
        });
        const credentials = await ctx.getInitiatorCredentials();
        const deadline = Date.now() + waitMs;
        for (;;) {
          if (await catalog.getEntityByRef(entityRef, { credentials })) {
            ctx.logger.info(`${entityRef} is in the catalog`);
            ctx.output('visible', true);
            return;
          }
          if (Date.now() >= deadline) break;
          await sleep(pollMs);
        }
        ctx.logger.warn(
          `${entityRef} is not in the catalog yet; is the aks-gitops catalog module watching ${request.gitopsRepo.url}? It will appear on its next scheduled refresh.`,
        );
        ctx.output('visible', false);
      }),
  });
}
