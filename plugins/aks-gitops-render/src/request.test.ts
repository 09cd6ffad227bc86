import { EnvironmentRequestError, parseEnvironmentRequest } from './request';
import { existingClusterRequest, newClusterRequest } from './testing/fixtures';

/** The issues a request produces, as `field: message` lines. */
function problems(input: unknown): string[] {
  try {
    parseEnvironmentRequest(input);
    return [];
  } catch (error) {
    if (!(error instanceof EnvironmentRequestError)) throw error;
    return error.issues.map((i) => `${i.field}: ${i.message}`);
  }
}

const minimal = {
  cluster: { name: 'dev-cluster', environment: 'dev', location: 'eastus' },
  azure: newClusterRequest().azure,
  gitopsRepo: { url: 'https://github.com/acme/app-project-env' },
  owner: 'group:default/platform-team',
};

describe('parseEnvironmentRequest', () => {
  it('fills the lab defaults for everything the form may leave out', () => {
    const request = parseEnvironmentRequest(minimal);
    expect(request.mode).toBe('new');
    expect(request.cluster.kubernetesVersion).toBe('1.32.7');
    expect(request.cluster.nodePool).toEqual({ vmSize: 'Standard_DS2_v2', minCount: 1, maxCount: 3, osSku: 'AzureLinux' });
    expect(request.addons).toEqual({
      argocd: true, argoEvents: false, argoRollouts: false, argoWorkflows: false, certManager: false, kargo: true,
    });
    expect(request.addonsRepo).toEqual({
      url: 'https://github.com/Azure-Samples/aks-platform-engineering',
      basepath: 'gitops/',
      path: 'bootstrap/control-plane/addons',
      revision: 'main',
    });
    expect(request.gitopsRepo).toEqual({ url: 'https://github.com/acme/app-project-env', revision: 'main', managementPath: 'samples' });
    expect(request.workloads).toEqual([]);
    expect(request.system).toBe('');
  });

  it('is idempotent: a parsed request parses to itself', () => {
    const once = parseEnvironmentRequest(newClusterRequest());
    expect(parseEnvironmentRequest(once)).toEqual(once);
  });

  it('accepts a leading v on the Kubernetes version and drops it', () => {
    expect(parseEnvironmentRequest({ ...minimal, cluster: { ...minimal.cluster, kubernetesVersion: 'v1.31.2' } }).cluster.kubernetesVersion).toBe('1.31.2');
  });

  it('names the field, the rule and the problem in one line', () => {
    expect(problems({ ...minimal, cluster: { ...minimal.cluster, name: 'Dev_Cluster' } })).toEqual([
      'cluster.name: must be a DNS-1123 label of at most 42 characters (lowercase letters, digits and \'-\', starting and ending with a letter or digit), but "Dev_Cluster" contains "D"',
    ]);
  });

  it.each([
    ['a name over the length that keeps derived names valid', { name: 'a'.repeat(43) }, 'cluster.name', 'it has 43 characters'],
    ['a name ending in a dash', { name: 'dev-' }, 'cluster.name', 'starts or ends with "-"'],
    ['an unknown environment', { environment: 'qa' }, 'cluster.environment', 'must be one of dev | staging | prod | control-plane, but it is "qa"'],
    ['a region with spaces', { location: 'East US' }, 'cluster.location', 'contains "E"'],
    ['a version without patch', { kubernetesVersion: '1.32' }, 'cluster.kubernetesVersion', 'MAJOR.MINOR.PATCH'],
    ['a VM size of another cloud', { nodePool: { vmSize: 'm5.large' } }, 'cluster.nodePool.vmSize', 'Standard_DS2_v2'],
    ['a Windows system pool', { nodePool: { osSku: 'Windows2022' } }, 'cluster.nodePool.osSku', 'must be one of'],
    ['zero nodes', { nodePool: { minCount: 0 } }, 'cluster.nodePool.minCount', 'must be at least 1, but it is number 0'],
    ['a fractional node count', { nodePool: { maxCount: 2.5 } }, 'cluster.nodePool.maxCount', 'must be'],
  ])('rejects %s', (_what, clusterPatch, field, fragment) => {
    const found = problems({ ...minimal, cluster: { ...minimal.cluster, ...clusterPatch } });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${field}: `);
    expect(found[0]).toContain(fragment);
  });

  it('rejects a pool whose minimum exceeds its maximum, on maxCount', () => {
    expect(problems({ ...minimal, cluster: { ...minimal.cluster, nodePool: { minCount: 5, maxCount: 2 } } })).toEqual([
      'cluster.nodePool.maxCount: must be at least nodePool.minCount (5), but it is 2',
    ]);
  });

  it.each([
    ['subscriptionId', 'not-a-guid', 'is not a GUID'],
    ['tenantId', '00000000-0000-0000-0000-00000000000g', 'is not a GUID'],
  ])('rejects azure.%s %j', (field, value, fragment) => {
    const found = problems({ ...minimal, azure: { ...minimal.azure, [field]: value } });
    expect(found).toEqual([expect.stringMatching(new RegExp(`^azure\\.${field}: must be a GUID .*${fragment}`))]);
  });

  it.each([
    ['credentials in the URL', 'https://user:token@github.com/acme/env', 'carries credentials'],
    ['plain http', 'http://github.com/acme/env', 'is not of that form'],
    ['a query', 'https://github.com/acme/env?x=1', 'has a query or fragment'],
    ['a newline', 'https://github.com/acme/env\nkind: Secret', 'is not of that form'],
  ])('rejects a GitOps repository URL with %s', (_what, url, fragment) => {
    const found = problems({ ...minimal, gitopsRepo: { url } });
    expect(found).toEqual([expect.stringContaining(`gitopsRepo.url: must be an https URL`)]);
    expect(found[0]).toContain(fragment);
  });

  it.each([
    ['addonsRepo.path', { addonsRepo: { path: '../etc' } }, 'has a ".." segment'],
    ['addonsRepo.path', { addonsRepo: { path: '/abs' } }, 'starts with "/"'],
    ['addonsRepo.basepath', { addonsRepo: { basepath: 'gitops' } }, 'does not end with "/"'],
    ['addonsRepo.revision', { addonsRepo: { revision: 'main..x' } }, 'contains ".." or "//"'],
    ['gitopsRepo.managementPath', { gitopsRepo: { url: minimal.gitopsRepo.url, managementPath: 'clusters/x' } }, 'must be outside "clusters/"'],
  ])('rejects %s %j', (field, patch, fragment) => {
    const found = problems({ ...minimal, ...patch });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(found[0]).toContain(fragment);
  });

  it('accepts an empty add-ons basepath (GitOps Bridge allows it)', () => {
    expect(parseEnvironmentRequest({ ...minimal, addonsRepo: { basepath: '' } }).addonsRepo.basepath).toBe('');
  });

  it('rejects fields that are not part of the contract, by name', () => {
    expect(problems({ ...minimal, token: 'ghp_x', cluster: { ...minimal.cluster, size: 'L' } })).toEqual([
      'cluster.size: must not be set, but it is (it is not a field of the environment request)',
      'token: must not be set, but it is (it is not a field of the environment request)',
    ]);
  });

  it('reports a missing required field as missing', () => {
    expect(problems({ ...minimal, owner: undefined })).toEqual(['owner: is required, but it is missing']);
  });

  it('rejects an owner that is not a group or user, and a system that is not a system', () => {
    expect(problems({ ...minimal, owner: 'component:default/x', system: 'group:default/y' })).toEqual([
      'owner: must be a Backstage entity reference such as group:default/platform-team, but its kind "component" is not group or user',
      'system: must be a Backstage entity reference such as system:default/payments, but its kind "group" is not system',
    ]);
  });

  describe('mode rules', () => {
    it('rejects an API server URL for a new cluster', () => {
      expect(problems({ ...minimal, cluster: { ...minimal.cluster, server: 'https://x.example.com' } })).toEqual([
        'cluster.server: must be left out when mode is new, but it is set (the new cluster registers itself in-cluster, in a resource group of its name)',
      ]);
    });

    it('accepts an existing cluster without server: the cluster Argo CD runs in', () => {
      const request = parseEnvironmentRequest({ ...minimal, mode: 'existing' });
      expect(request.cluster.server).toBeUndefined();
    });

    it('requires the CA of a remote existing cluster', () => {
      const input = existingClusterRequest();
      expect(problems({ ...input, cluster: { ...input.cluster, caData: undefined } })).toEqual([
        'cluster.caData: must be set when cluster.server is set, but it is missing (Argo CD needs the AKS cluster CA to trust its API server)',
      ]);
    });

    it('rejects CA data that is not a base64 PEM certificate', () => {
      const input = existingClusterRequest();
      expect(problems({ ...input, cluster: { ...input.cluster, caData: Buffer.from('hello').toString('base64') } })).toEqual([
        'cluster.caData: must be the base64-encoded PEM certificate of the cluster CA, but it does not decode to a PEM certificate',
      ]);
    });
  });

  describe('workloads', () => {
    const workload = newClusterRequest().workloads?.[0];

    it('rejects two workloads with one name', () => {
      expect(problems({ ...minimal, workloads: [workload, workload] })).toEqual([
        'workloads[1].name: must be unique among workloads, but "aks-store-demo" is used twice',
      ]);
    });

    it('rejects a workload name that would make its Application name too long', () => {
      const name = 'w'.repeat(30);
      expect(problems({ ...minimal, workloads: [{ ...workload, name }] })).toEqual([]);
      const longCluster = { ...minimal.cluster, name: 'c'.repeat(42) };
      expect(problems({ ...minimal, cluster: longCluster, workloads: [{ ...workload, name }] })).toEqual([
        `workloads[0].name: must be at most 20 characters with cluster name "${'c'.repeat(40)}…" (the Application is named <cluster>-<workload>), but it has 30`,
      ]);
    });

    it('accepts "." as a workload path and ssh repository URLs', () => {
      const request = parseEnvironmentRequest({
        ...minimal,
        workloads: [{ ...workload, path: '.', repoURL: 'git@github.com:acme/app.git' }],
      });
      expect(request.workloads[0]?.path).toBe('.');
    });

    it('names the index of the bad workload', () => {
      expect(problems({ ...minimal, workloads: [workload, { ...workload, name: 'second', namespace: 'Pets' }] })).toEqual([
        expect.stringMatching(/^workloads\[1\]\.namespace: must be a DNS-1123 label/),
      ]);
    });
  });

  it('rejects a chart version that cannot be a label value', () => {
    expect(problems({ ...minimal, chartVersions: { kargo: '1.2.3+build.1' } })).toEqual([
      expect.stringMatching(/^chartVersions\.kargo: must be a chart version such as 1\.2\.3/),
    ]);
  });

  it('keeps user text in error messages to one short line', () => {
    const [line] = problems({ ...minimal, gitopsRepo: { url: `https://evil\n${'x'.repeat(100)}` } });
    expect(line).not.toContain('\n');
    expect(line).toContain(`"https://evil\\n${'x'.repeat(27)}…"`);
  });
});
