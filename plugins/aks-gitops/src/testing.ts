import type { Entity } from '@backstage/catalog-model';

/** A cluster entity as the aks-gitops catalog provider emits it (the render's annotations, state, pull request). */
export function clusterEntity(
  name: string,
  overrides: {
    state?: string;
    environment?: string;
    owner?: string;
    pullRequest?: string;
  } = {},
): Entity {
  const state = overrides.state ?? 'active';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      labels: { 'aks-gitops.io/state': state },
      annotations: {
        'aks-gitops.io/state': state,
        'aks-gitops.io/mode': 'new',
        'aks-gitops.io/environment': overrides.environment ?? 'dev',
        'aks-gitops.io/location': 'eastus',
        'aks-gitops.io/kubernetes-version': '1.32.7',
        'aks-gitops.io/node-pool':
          '{"vmSize":"Standard_DS2_v2","osSku":"AzureLinux","minCount":1,"maxCount":3,"modes":["System"]}',
        'aks-gitops.io/addon-argocd': 'true',
        'aks-gitops.io/addon-argo-events': 'false',
        'aks-gitops.io/addon-argo-rollouts': 'true',
        'aks-gitops.io/addon-argo-workflows': 'false',
        'aks-gitops.io/addon-cert-manager': 'true',
        'aks-gitops.io/addon-kargo': 'true',
        'aks-gitops.io/workloads': 'aks-store-demo',
        'aks-gitops.io/management-cluster': 'aks-labs-gitops',
        'aks-gitops.io/gitops-repo': 'https://github.com/acme/app-project-env',
        'aks-gitops.io/gitops-path': `clusters/${name}`,
        ...(overrides.pullRequest
          ? { 'aks-gitops.io/pull-request': overrides.pullRequest }
          : {}),
      },
      links: [
        {
          url: `https://github.com/acme/app-project-env/tree/main/clusters/${name}`,
          title: 'GitOps folder',
        },
      ],
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: overrides.owner ?? 'group:default/platform-team',
      dependsOn: ['resource:default/aks-labs-gitops'],
    },
  };
}
