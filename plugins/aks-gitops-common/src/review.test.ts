import { parseEnvironmentRequest } from './request';
import { manualSteps, reviewChecklist } from './review';
import { existingClusterRequest, newClusterRequest } from './testing/fixtures';

const remote = parseEnvironmentRequest(existingClusterRequest());
const management = parseEnvironmentRequest(
  newClusterRequest({ mode: 'existing', cluster: { name: 'aks-labs-gitops', environment: 'control-plane', location: 'eastus' } }),
);

describe('manual steps for a remote cluster reached through workload identity', () => {
  // argo-cd v3.2.5 docs/operator-manual/declarative-setup.md, section AKS: label the controller and
  // server pods, federate both service accounts, annotate them; argo-helm argo-cd 9.3.4 values keys.
  const text = manualSteps(remote).join('\n');

  it('labels the application controller and server pods and annotates their service accounts in the argo-cd values', () => {
    expect(text).toContain('controller:\n  podLabels: { azure.workload.identity/use: "true" }');
    expect(text).toContain('server:\n  podLabels: { azure.workload.identity/use: "true" }');
    expect(text.match(/azure\.workload\.identity\/client-id: 00000000-0000-0000-0000-000000000003/g)).toHaveLength(2);
  });

  it('federates both service accounts with the identity', () => {
    for (const account of ['argocd-application-controller', 'argocd-server']) {
      expect(text).toContain(`--subject system:serviceaccount:argocd:${account} --audiences api://AzureADTokenExchange`);
    }
    expect(text).toContain(`az identity list --query "[?clientId=='00000000-0000-0000-0000-000000000003'].[name,resourceGroup]" -o tsv`);
  });

  it('gives the identity an AKS RBAC role on the remote cluster', () => {
    expect(text).toContain(
      'az role assignment create --assignee 00000000-0000-0000-0000-000000000003 --role "Azure Kubernetes Service RBAC Cluster Admin" --scope "$(az aks show -g "<resource group of shared-staging>" -n shared-staging',
    );
  });

  it('asks the reviewer to check the management cluster runs the add-on ApplicationSets', () => {
    expect(reviewChecklist(remote)).toContainEqual(expect.stringMatching(/^The management cluster is onboarded/));
  });

  it('has none of it for a new cluster or the management cluster', () => {
    for (const request of [parseEnvironmentRequest(newClusterRequest()), management]) {
      expect(manualSteps(request).join('\n')).not.toContain('azure.workload.identity');
    }
  });
});

describe('the management cluster registered by hand (the lab)', () => {
  it('says to delete the lab\'s Secret and ApplicationSet right after merge when it adopts neither', () => {
    const text = manualSteps(management).join('\n');
    expect(text).toContain('kubectl -n argocd delete secret aks-labs-gitops --ignore-not-found');
    expect(text).toContain('kubectl -n argocd delete applicationset cluster-addons --ignore-not-found');
    expect(reviewChecklist(management)).toContainEqual(expect.stringContaining('set `adopt` in the request to take them over'));
  });

  it('deletes only what it does not adopt, and nothing when it adopts both', () => {
    const secretOnly = parseEnvironmentRequest({ ...management, adopt: { clusterSecret: 'aks-labs-gitops' } });
    expect(manualSteps(secretOnly).join('\n')).not.toContain('delete secret');
    expect(manualSteps(secretOnly).join('\n')).toContain('delete applicationset cluster-addons');
    const both = parseEnvironmentRequest({ ...management, adopt: { clusterSecret: 'aks-labs-gitops', clusterAddons: 'cluster-addons' } });
    expect(manualSteps(both)).toEqual([]);
  });
});
