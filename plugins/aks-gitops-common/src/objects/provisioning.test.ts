import fc from 'fast-check';
import { SYNC_RETRY } from '../defaults';
import { clusterNames } from '../naming';
import {
  parseEnvironmentRequest,
  type EnvironmentRequestInput,
} from '../request';
import { validRequest } from '../testing/arbitraries';
import {
  asoSchemaProblems,
  chartDefaults,
  coalesce,
  renderedAsoSpecs,
} from '../testing/azureAksAsoChart';
import { newClusterRequest } from '../testing/fixtures';
import {
  aksAsoValues,
  capiNamespace,
  provisioningApplication,
} from './provisioning';

function valuesFor(input: EnvironmentRequestInput) {
  const request = parseEnvironmentRequest(input);
  return aksAsoValues(request, clusterNames(request.cluster.name));
}

const prod = newClusterRequest({
  cluster: { name: 'shop-prod', environment: 'prod', location: 'westeurope' },
});

describe('keeping a cluster when its folder goes (issue 10 item 7)', () => {
  // gitops-engine (argo-cd v3.2.5's pin) pkg/sync/resource/annotations.go reads the annotation as
  // comma-separated options; sync_context.go skips pruning `Prune=false`, argo-cd
  // controller/appcontroller.go `shouldBeDeleted` keeps `Delete=false` on cascade deletion.
  it('marks the cluster namespace neither prunable nor deletable by Argo CD', () => {
    const names = clusterNames('dev-cluster');
    expect(capiNamespace(names).metadata?.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
  });

  it('marks the provisioning Application neither prunable nor deletable by Argo CD', () => {
    const request = parseEnvironmentRequest(newClusterRequest());
    const app = provisioningApplication(
      request,
      clusterNames(request.cluster.name),
      '',
    );
    expect(app.metadata?.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
  });
});

describe('provisioning Application retries (issue 10 item 9)', () => {
  // argo-cd v3.2.5 controller/appcontroller.go retries a failed sync only while RetryCount < retry.limit.
  it('retries a failed sync with backoff', () => {
    const request = parseEnvironmentRequest(newClusterRequest());
    const app = provisioningApplication(
      request,
      clusterNames(request.cluster.name),
      '',
    );
    expect(app.spec.syncPolicy?.retry).toEqual({
      limit: 10,
      backoff: { duration: '30s', factor: 2, maxDuration: '10m' },
    });
    expect(app.spec.syncPolicy?.retry).toEqual(SYNC_RETRY);
  });
});

describe('per-environment AKS settings (issue 10 item 15)', () => {
  it('turns on the OIDC issuer and workload identity on every new cluster', () => {
    const values = valuesFor(newClusterRequest());
    expect(values.managedClusterSpec.oidcIssuerProfile).toEqual({
      enabled: true,
    });
    expect(values.managedClusterSpec.securityProfile).toEqual({
      workloadIdentity: { enabled: true },
    });
  });

  it('keeps the Kubernetes version in Git: no automatic upgrade channel, node images still patched', () => {
    // azure-aks-aso 0.4.3 values.yaml defaults to `upgradeChannel: stable`, which would move the version under Git.
    const specs = renderedAsoSpecs(valuesFor(newClusterRequest()));
    expect(specs.managedCluster.autoUpgradeProfile).toEqual({
      upgradeChannel: 'none',
      nodeOSUpgradeChannel: 'NodeImage',
    });
  });

  it('gives prod the Standard tier, three zones and a user pool beside the system pool', () => {
    const values = valuesFor(prod);
    expect(values.managedClusterSpec.sku).toEqual({
      name: 'Base',
      tier: 'Standard',
    });
    expect(values.managedMachinePoolSpecs.pool0).toMatchObject({
      mode: 'System',
      availabilityZones: ['1', '2', '3'],
    });
    expect(values.managedMachinePoolSpecs.pool1).toMatchObject({
      mode: 'User',
      availabilityZones: ['1', '2', '3'],
    });
  });

  it('gives dev the Free tier, no zones and only the system pool', () => {
    const values = valuesFor(newClusterRequest());
    expect(values.managedClusterSpec.sku).toEqual({
      name: 'Base',
      tier: 'Free',
    });
    expect(values.managedMachinePoolSpecs.pool0).not.toHaveProperty(
      'availabilityZones',
    );
    expect(values.managedMachinePoolSpecs.pool1).toBeNull();
    expect(Object.keys(renderedAsoSpecs(values).agentPools)).toEqual(['pool0']);
  });

  it('renders, through the chart, only ManagedCluster and agent pool fields of the ASO API version the chart uses', () => {
    expect(asoSchemaProblems(renderedAsoSpecs(valuesFor(prod)))).toEqual([]);
    fc.assert(
      fc.property(validRequest, input => {
        fc.pre(input.mode !== 'existing');
        expect(asoSchemaProblems(renderedAsoSpecs(valuesFor(input)))).toEqual(
          [],
        );
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 1000) / 5 },
    );
  });

  it('would catch a key the ASO API version does not have, and a value outside its enum', () => {
    const values = valuesFor(newClusterRequest());
    const broken = coalesce(values, {
      managedClusterSpec: {
        nodeProvisioningProfile: { mode: 'Auto' },
        sku: { tier: 'Gold' },
      },
    });
    expect(asoSchemaProblems(renderedAsoSpecs(broken))).toEqual([
      expect.stringContaining(
        'ManagedCluster: must NOT have additional properties {"additionalProperty":"nodeProvisioningProfile"}',
      ),
      expect.stringContaining(
        'ManagedCluster/sku/tier: must be equal to one of the allowed values',
      ),
    ]);
  });

  it('merges over the chart defaults as Helm does: our keys win, null drops a default pool', () => {
    const merged = coalesce(chartDefaults(), {
      managedClusterSpec: { sku: { tier: 'Standard' } },
      managedMachinePoolSpecs: { pool1: null },
    });
    expect(merged.managedClusterSpec).toMatchObject({
      sku: { name: 'Base', tier: 'Standard' },
      enableRBAC: true,
    });
    expect(Object.keys(merged.managedMachinePoolSpecs as object)).toEqual([
      'pool0',
    ]);
  });
});
