import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen } from '@testing-library/react';
import { aksFleetPage } from '../plugin';
import { clusterEntity } from '../testing';

const fleet = [
  clusterEntity('dev-one'),
  clusterEntity('prod-one', {
    environment: 'prod',
    state: 'pending',
    owner: 'group:default/payments-team',
  }),
  clusterEntity('staging-one', { environment: 'staging' }),
];

/** The cluster names the table shows, in order. */
function shownClusters(): string[] {
  return fleet
    .map(e => e.metadata.name)
    .filter(name => screen.queryAllByText(name).length > 0);
}

async function renderFleet() {
  renderTestApp({
    extensions: [aksFleetPage],
    apis: [
      catalogApiMock({
        entities: [
          ...fleet,
          // Not ours: a Resource of another type, and a component.
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: { name: 'orders-db' },
            spec: { type: 'database', owner: 'group:default/platform-team' },
          },
        ],
      }),
    ],
    initialRouteEntries: ['/aks-fleet'],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  await screen.findByText('AKS clusters (3)');
}

describe('the fleet view', () => {
  it('lists every cluster of the provider, and nothing else, with its columns', async () => {
    await renderFleet();
    expect(shownClusters()).toEqual(['dev-one', 'prod-one', 'staging-one']);
    expect(screen.queryByText('orders-db')).toBeNull();
    expect(
      screen.getAllByText('Argo CD, Argo Rollouts, cert-manager, Kargo'),
    ).toHaveLength(3);
  });

  it('filters by environment', async () => {
    await renderFleet();
    fireEvent.change(screen.getByLabelText('Environment'), {
      target: { value: 'prod' },
    });
    await screen.findByText('AKS clusters (1)');
    expect(shownClusters()).toEqual(['prod-one']);
  });

  it('filters by state and by owner, and back to all', async () => {
    await renderFleet();
    fireEvent.change(screen.getByLabelText('State'), {
      target: { value: 'active' },
    });
    await screen.findByText('AKS clusters (2)');
    expect(shownClusters()).toEqual(['dev-one', 'staging-one']);
    fireEvent.change(screen.getByLabelText('Owner'), {
      target: { value: 'group:default/payments-team' },
    });
    await screen.findByText('AKS clusters (0)');
    fireEvent.change(screen.getByLabelText('State'), {
      target: { value: '' },
    });
    await screen.findByText('AKS clusters (1)');
    expect(shownClusters()).toEqual(['prod-one']);
  });
});
