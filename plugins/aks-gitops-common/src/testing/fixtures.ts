import { exampleEnvironmentRequest } from '../example';
import type { EnvironmentRequestInput } from '../request';

/** The lab's dev cluster, with Argo Rollouts on so its chart-version label shows. */
export function newClusterRequest(
  overrides: Partial<EnvironmentRequestInput> = {},
): EnvironmentRequestInput {
  const example = exampleEnvironmentRequest();
  return {
    ...example,
    addons: { ...example.addons, argoRollouts: true },
    ...overrides,
  };
}

/** A self-signed CA certificate, base64 of its PEM, as `az aks show` reports it. */
export const CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUAKS=\n-----END CERTIFICATE-----\n',
).toString('base64');

/** An existing remote AKS cluster registered with the management Argo CD. */
export function existingClusterRequest(
  overrides: Partial<EnvironmentRequestInput> = {},
): EnvironmentRequestInput {
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

/** The lab's management cluster (`aks-labs-gitops`), registered in-cluster with its own Argo CD. */
export function managementClusterRequest(
  overrides: Partial<EnvironmentRequestInput> = {},
): EnvironmentRequestInput {
  return newClusterRequest({
    mode: 'existing',
    cluster: {
      name: 'aks-labs-gitops',
      environment: 'control-plane',
      location: 'eastus',
    },
    ...overrides,
  });
}
