import type { EnvironmentRequestInput } from './request';

/**
 * The lab's dev cluster as the "New AKS environment" form sends it: the one example behind the
 * action examples, the CLI's example.values.yaml (a test keeps them equal) and test fixtures.
 *
 * @public
 */
export function exampleEnvironmentRequest(): EnvironmentRequestInput {
  return {
    mode: 'new',
    cluster: {
      name: 'dev-cluster',
      environment: 'dev',
      location: 'eastus',
      kubernetesVersion: '1.35.6',
      nodePool: {
        vmSize: 'Standard_DS2_v2',
        minCount: 1,
        maxCount: 3,
        osSku: 'AzureLinux',
      },
    },
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
    },
    addons: {
      argocd: true,
      argoEvents: false,
      argoRollouts: false,
      argoWorkflows: false,
      certManager: true,
      kargo: true,
    },
    addonsRepo: {
      url: 'https://github.com/Azure-Samples/aks-platform-engineering',
      basepath: 'gitops/',
      path: 'bootstrap/control-plane/addons',
      revision: 'main',
    },
    gitopsRepo: {
      url: 'https://github.com/acme/app-project-env',
      revision: 'main',
      managementPath: 'samples',
    },
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
    system: '',
  };
}
