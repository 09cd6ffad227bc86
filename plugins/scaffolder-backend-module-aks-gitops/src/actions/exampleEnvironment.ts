/** The environment request the action examples use: the lab's dev cluster. */
export const exampleEnvironment = {
  mode: 'new',
  cluster: {
    name: 'dev-cluster',
    environment: 'dev',
    location: 'eastus',
    kubernetesVersion: '1.32.7',
    nodePool: { vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3, osSku: 'AzureLinux' },
  },
  azure: {
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-000000000002',
    clientId: '00000000-0000-0000-0000-000000000003',
  },
  addons: { argocd: true, kargo: true, certManager: false },
  gitopsRepo: { url: 'https://github.com/acme/app-project-env', revision: 'main', managementPath: 'samples' },
  workloads: [
    {
      name: 'aks-store-demo',
      repoURL: 'https://github.com/Azure-Samples/aks-store-demo.git',
      path: 'kustomize/overlays/dev',
      targetRevision: 'HEAD',
      namespace: 'pets',
    },
  ],
  owner: 'group:default/platform-team',
};
