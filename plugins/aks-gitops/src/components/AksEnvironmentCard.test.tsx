import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { aksEnvironmentCard } from '../plugin';
import { templateRouteRef } from '../routes';
import { clusterEntity } from '../testing';

function renderCard(entity = clusterEntity('dev-one'), templates = true) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), aksEnvironmentCard],
    ...(templates
      ? {
          mountedRoutes: {
            '/create/templates/:namespace/:templateName': templateRouteRef,
          },
        }
      : {}),
  });
}

/** Where the link named `name` points (an external link's name also says it opens a new window). */
async function href(name: string | RegExp): Promise<string | null> {
  return (await screen.findByRole('link', { name })).getAttribute('href');
}

describe('the AKS environment card', () => {
  it('shows a pending cluster with its pull request, and no Day-2 actions', async () => {
    renderCard(
      clusterEntity('dev-one', {
        state: 'pending',
        pullRequest: 'https://github.com/acme/app-project-env/pull/3',
      }),
    );
    expect(await screen.findAllByText('pending')).toHaveLength(1);
    expect(await href(/^Pull request/)).toBe(
      'https://github.com/acme/app-project-env/pull/3',
    );
    expect(screen.queryByText('Change this environment')).toBeNull();
  });

  it('shows what the cluster is made of: version, pool, add-ons, workloads, folder, management cluster', async () => {
    renderCard();
    const texts = [
      '1.32.7',
      'Standard_DS2_v2 AzureLinux, 1-3 nodes (System pool)',
      'On: Argo CD, Argo Rollouts, cert-manager, Kargo',
      'Off: Argo Events, Argo Workflows',
      'aks-store-demo',
      'aks-labs-gitops',
    ];
    for (const text of texts) await screen.findByText(text);
    expect(texts.map(text => screen.queryAllByText(text).length)).toEqual(
      texts.map(() => 1),
    );
    expect(await href(/^clusters\/dev-one/)).toBe(
      'https://github.com/acme/app-project-env/tree/main/clusters/dev-one',
    );
  });

  it('links an active cluster to the change and decommission templates with only its entity reference', async () => {
    renderCard();
    const formData = encodeURIComponent(
      JSON.stringify({ cluster: 'resource:default/dev-one' }),
    );
    expect(await href('Change this environment')).toBe(
      `/create/templates/default/change-aks-environment?formData=${formData}`,
    );
    expect(await href('Decommission this environment')).toBe(
      `/create/templates/default/decommission-aks-environment?formData=${formData}`,
    );
  });

  it('leaves the actions out when the app has no scaffolder', async () => {
    renderCard(clusterEntity('dev-one'), false);
    expect(await screen.findAllByText('AKS environment')).toHaveLength(1);
    expect(screen.queryByText('Change this environment')).toBeNull();
  });

  it('renders any later state generically, with its pull request', async () => {
    renderCard(
      clusterEntity('dev-one', {
        state: 'decommissioning',
        pullRequest: 'https://github.com/acme/app-project-env/pull/9',
      }),
    );
    expect(
      await screen.findAllByText(
        'Active, with its removal waiting in its pull request.',
      ),
    ).toHaveLength(1);
    expect(await href(/^Pull request/)).toBe(
      'https://github.com/acme/app-project-env/pull/9',
    );
  });
});
