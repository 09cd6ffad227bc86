import type { EnvironmentRequestInput } from '../request';

/** The lab's dev cluster as the form sends it. */
export function newClusterRequest(overrides: Partial<EnvironmentRequestInput> = {}): EnvironmentRequestInput {
  return {
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
    addons: { argocd: true, argoEvents: false, argoRollouts: true, argoWorkflows: false, certManager: false, kargo: true },
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
    system: '',
    ...overrides,
  };
}

/** A self-signed CA certificate, base64 of its PEM, as `az aks show` reports it. */
export const CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUAKS=\n-----END CERTIFICATE-----\n',
).toString('base64');

/** An existing remote AKS cluster registered with the management Argo CD. */
export function existingClusterRequest(overrides: Partial<EnvironmentRequestInput> = {}): EnvironmentRequestInput {
  const base = newClusterRequest();
  return {
    ...base,
    mode: 'existing',
    cluster: {
      name: 'shared-staging',
      environment: 'staging',
      location: 'westeurope',
      server: 'https://shared-staging-dns-abc123.hcp.westeurope.azmk8s.io:443',
      caData: CA_DATA,
    },
    ...overrides,
  };
}
