import { parseEnvironmentRequest } from '@aks-gitops/render';
import { exampleEnvironment } from './actions/exampleEnvironment';
import { pullRequestBody, pullRequestTitle } from './pullRequestBody';

const request = parseEnvironmentRequest(exampleEnvironment);

describe('pullRequestBody', () => {
  const body = pullRequestBody({ request, files: ['a.yaml', 'b.yaml'], taskUrl: 'https://backstage.example.com/create/tasks/t1' });

  it('summarises the environment in a table', () => {
    expect(body).toContain('| Cluster | dev-cluster |');
    expect(body).toContain('| Region | eastus |');
    expect(body).toContain('| Add-ons | ✅ Argo CD · ⬜ Argo Events · ⬜ Argo Rollouts · ⬜ Argo Workflows · ⬜ cert-manager · ✅ Kargo |');
    expect(body).toContain('| Workloads | aks-store-demo → pets |');
    expect(body).toContain('| System | — |');
  });

  it('lists the files, a checklist and the task link', () => {
    expect(body).toContain('### Files (2)\n\n- `a.yaml`\n- `b.yaml`');
    expect(body).toContain('- [ ] Chart versions are the ones we pin: azureAksAso v0.4.3');
    expect(body).toContain('[this Backstage task](https://backstage.example.com/create/tasks/t1)');
  });

  it('escapes what would break the Markdown table', () => {
    const withPipes = pullRequestBody({ request: { ...request, owner: 'user:a|b' }, files: [] });
    expect(withPipes).toContain('| Owner | user:a\\|b |');
  });

  it('titles a new and an onboarded environment differently', () => {
    expect(pullRequestTitle(request)).toBe('Create AKS environment dev-cluster (dev, eastus)');
    expect(pullRequestTitle({ ...request, mode: 'existing' })).toBe('Onboard AKS environment dev-cluster (dev, eastus)');
  });
});
