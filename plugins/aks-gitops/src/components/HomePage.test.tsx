import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { aksGitopsHomePageModule, aksGitopsPlugin } from '../plugin';
import { templateRouteRef } from '../routes';

describe('the root page', () => {
  it('leads to the fleet and to the two forms that add an environment', async () => {
    renderTestApp({
      // A module applies to its plugin only when the app has that plugin too.
      features: [aksGitopsPlugin, aksGitopsHomePageModule],
      mountedRoutes: {
        '/create/templates/:namespace/:templateName': templateRouteRef,
      },
      initialRouteEntries: ['/'],
    });
    const href = async (text: string) =>
      (await screen.findByText(text)).closest('a')?.getAttribute('href');
    expect(await href('Open the AKS fleet')).toBe('/aks-fleet');
    expect(await href('New AKS environment')).toBe(
      '/create/templates/default/new-aks-environment',
    );
    expect(await href('Onboard an existing AKS cluster')).toBe(
      '/create/templates/default/onboard-aks-cluster',
    );
  });
});
