import { parseEnvironmentRequest } from '../request';
import { renderEnvironment } from '../render';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from '../testing/fixtures';
import { readYaml, type Yaml } from '../testing/readBack';
import type { EnvironmentRequestInput } from '../request';

/** The cluster's catalog entity as the render writes it. */
function entityOf(input: EnvironmentRequestInput): Yaml {
  const request = parseEnvironmentRequest(input);
  return readYaml(
    renderEnvironment(input).files[
      `clusters/${request.cluster.name}/catalog-info.yaml`
    ] ?? '',
  );
}

describe('the cluster entity carries what the AKS environment card shows', () => {
  it('names the Kubernetes version, the node pool as JSON, the workloads and the management cluster', () => {
    const request = newClusterRequest();
    expect(entityOf(request).metadata.annotations).toMatchObject({
      'aks-gitops.io/kubernetes-version':
        parseEnvironmentRequest(request).cluster.kubernetesVersion,
      'aks-gitops.io/node-pool':
        '{"vmSize":"Standard_DS2_v2","osSku":"AzureLinux","minCount":1,"maxCount":3,"modes":["System"]}',
      'aks-gitops.io/workloads': 'aks-store-demo',
      'aks-gitops.io/management-cluster': 'aks-labs-gitops',
    });
  });

  it('lists both pools of a production cluster (a User pool beside the System pool)', () => {
    const base = newClusterRequest();
    const prod = entityOf({
      ...base,
      cluster: { ...base.cluster, environment: 'prod' },
    });
    expect(
      JSON.parse(String(prod.metadata.annotations['aks-gitops.io/node-pool']))
        .modes,
    ).toEqual(['System', 'User']);
  });

  it('leaves the workloads annotation out when the cluster has none', () => {
    expect(
      entityOf(newClusterRequest({ workloads: [] })).metadata.annotations,
    ).not.toHaveProperty(['aks-gitops.io/workloads']);
  });
});

describe('every cluster but the management cluster depends on it', () => {
  it('makes a new cluster depend on the default management cluster', () => {
    expect(entityOf(newClusterRequest()).spec.dependsOn).toEqual([
      'resource:default/aks-labs-gitops',
    ]);
  });

  it('makes a remote existing cluster depend on the management cluster the request names', () => {
    const remote = entityOf(
      existingClusterRequest({ managementCluster: 'hub-cluster' }),
    );
    expect(remote.spec.dependsOn).toEqual(['resource:default/hub-cluster']);
    expect(remote.metadata.annotations).toMatchObject({
      'aks-gitops.io/management-cluster': 'hub-cluster',
    });
  });

  it('gives the management cluster itself no dependency and no management-cluster annotation', () => {
    const management = entityOf(managementClusterRequest());
    expect(management.spec).not.toHaveProperty('dependsOn');
    expect(management.metadata.annotations).not.toHaveProperty([
      'aks-gitops.io/management-cluster',
    ]);
  });
});
