import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint, type TemplateAction } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleAksGitops } from './module';

describe('scaffolderModuleAksGitops', () => {
  it('registers the aks-gitops actions with the scaffolder', async () => {
    const added: TemplateAction[] = [];
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...actions: TemplateAction[]) => void added.push(...actions) }]],
      features: [
        scaffolderModuleAksGitops,
        mockServices.rootConfig.factory({ data: { integrations: { github: [{ host: 'github.com', token: 'ghp_test' }] } } }),
      ],
    });
    expect(added.map((action) => action.id)).toEqual(['aks-gitops:environment:render', 'aks-gitops:pull-request:open']);
    for (const action of added) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
      expect(action.schema?.input).toMatchObject({ type: 'object', properties: { environment: { type: 'object' } } });
    }
  });
});
