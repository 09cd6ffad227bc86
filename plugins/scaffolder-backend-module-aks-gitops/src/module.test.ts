import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderAutocompleteExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { scaffolderModuleAksGitops } from './module';

describe('scaffolderModuleAksGitops', () => {
  it('registers the aks-gitops actions with the scaffolder', async () => {
    const added: TemplateAction[] = [];
    const providers: string[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderAutocompleteExtensionPoint,
          {
            addAutocompleteProvider: ({ id }: { id: string }) =>
              void providers.push(id),
          },
        ],
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: TemplateAction[]) =>
              void added.push(...actions),
          },
        ],
      ],
      features: [
        scaffolderModuleAksGitops,
        eventsServiceFactory,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_test' }],
            },
          },
        }),
      ],
    });
    expect(added.map(action => action.id)).toEqual([
      'aks-gitops:environment:render',
      'aks-gitops:pull-request:open',
      'aks-gitops:cluster:register',
      'aks-gitops:environment:change',
      'aks-gitops:environment:decommission',
    ]);
    // The change form reads the stored request through the scaffolder's autocomplete endpoint.
    expect(providers).toEqual(['aks-gitops']);
    for (const action of added) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
    }
    // Every action but decommission (which takes a cluster name) takes the environment request.
    for (const action of added.filter(
      a => a.id !== 'aks-gitops:environment:decommission',
    )) {
      expect(action.schema?.input).toMatchObject({
        type: 'object',
        properties: { environment: { type: 'object' } },
      });
    }
  });

  it('reads the allowed repositories when the backend starts, so a malformed entry stops it there', async () => {
    const start = startTestBackend({
      extensionPoints: [
        [scaffolderActionsExtensionPoint, { addActions: () => {} }],
        [
          scaffolderAutocompleteExtensionPoint,
          { addAutocompleteProvider: () => {} },
        ],
      ],
      features: [
        scaffolderModuleAksGitops,
        eventsServiceFactory,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_test' }],
            },
            aksGitops: {
              scaffolder: {
                allowedRepositories: ['https://github.com/acme/%2e%2e'],
              },
            },
          },
        }),
      ],
    });
    await expect(start).rejects.toThrow(
      /aksGitops\.scaffolder\.allowedRepositories\[0\]: must be a repository URL such as https:\/\/github\.com\/acme\/app-project-env .*, but it is "https:\/\/github\.com\/acme\/%2e%2e"/,
    );
  });
});
