import { CLUSTER_EVENTS_TOPIC } from '@aks-gitops/plugin-aks-gitops-node';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import yaml from 'yaml';
import { actionContext } from '../testing/actionContext';
import { exampleEnvironment } from './exampleEnvironment';
import { createRegisterClusterAction } from './registerCluster';
import { examples } from './registerCluster.examples';

type RegisterAction = ReturnType<typeof createRegisterClusterAction>;

const pullRequest = {
  pullRequestUrl: 'https://github.com/acme/app-project-env/pull/7',
  pullRequestNumber: 7,
};
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'dev-cluster', namespace: 'default' },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
};

/**
 * The catalog side: an events service recording what is published, and a catalog that has the
 * entity once an event was published when `answers` (as the aks-gitops catalog module makes it).
 */
function fleet(answers: boolean) {
  const published: EventParams[] = [];
  const catalog = catalogServiceMock({ entities: [] });
  jest
    .spyOn(catalog, 'getEntityByRef')
    .mockImplementation(async () =>
      answers && published.length > 0 ? entity : undefined,
    );
  const events: EventsService = {
    async publish(params) {
      published.push(params);
    },
    async subscribe() {},
  };
  return { published, catalog, events };
}

describe('aks-gitops:cluster:register', () => {
  it('asks the catalog module to refresh and finishes once the cluster is in the catalog', async () => {
    const { published, catalog, events } = fleet(true);
    const { ctx, outputs } = actionContext<RegisterAction>({
      input: { environment: exampleEnvironment, ...pullRequest },
    });
    await createRegisterClusterAction({ events, catalog, pollMs: 10 }).handler(
      ctx,
    );
    expect(published).toEqual([
      {
        topic: CLUSTER_EVENTS_TOPIC,
        eventPayload: {
          repoUrl: 'https://github.com/acme/app-project-env',
          clusterName: 'dev-cluster',
        },
      },
    ]);
    expect(outputs).toEqual({
      entityRef: 'resource:default/dev-cluster',
      catalogPath: '/catalog/default/resource/dev-cluster',
      visible: true,
    });
  });

  it('does not fail the task when the catalog is slow, and says what to check', async () => {
    const { catalog, events } = fleet(false);
    const { ctx, outputs, logs } = actionContext<RegisterAction>({
      input: { environment: exampleEnvironment, ...pullRequest },
    });
    await createRegisterClusterAction({
      events,
      catalog,
      waitMs: 50,
      pollMs: 10,
    }).handler(ctx);
    expect(outputs.visible).toBe(false);
    expect(logs.join('\n')).toMatch(
      /is the aks-gitops catalog module watching https:\/\/github.com\/acme\/app-project-env/,
    );
  });

  it('publishes once per pull request across retries of the task', async () => {
    const { published, catalog, events } = fleet(false);
    const first = actionContext<RegisterAction>({
      input: { environment: exampleEnvironment, ...pullRequest },
    });
    const action = createRegisterClusterAction({ events, catalog, waitMs: 0 });
    await action.handler(first.ctx);
    await action.handler(
      actionContext<RegisterAction>({
        input: { environment: exampleEnvironment, ...pullRequest },
        checkpoints: first.checkpoints,
      }).ctx,
    );
    expect(published).toHaveLength(1);
  });

  it('touches nothing in a dry run', async () => {
    const { published, catalog, events } = fleet(true);
    const { ctx, outputs } = actionContext<RegisterAction>({
      input: { environment: exampleEnvironment, ...pullRequest },
      isDryRun: true,
    });
    await createRegisterClusterAction({ events, catalog }).handler(ctx);
    expect(published).toEqual([]);
    expect(outputs.entityRef).toBe('resource:default/dev-cluster');
  });

  it('runs its example', async () => {
    const { catalog, events } = fleet(false);
    const [step] = yaml.parse(examples[0]?.example ?? '').steps;
    const { ctx, outputs } = actionContext<RegisterAction>({
      input: { ...step.input, ...pullRequest },
    });
    await createRegisterClusterAction({ events, catalog, waitMs: 0 }).handler(
      ctx,
    );
    expect(outputs.entityRef).toBe('resource:default/dev-cluster');
  });
});
