import { EnvironmentRequestError, parseEnvironmentRequest } from './request';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from './testing/fixtures';

/** The issues a request produces, as `field: message` lines. */
function problems(input: unknown): string[] {
  try {
    parseEnvironmentRequest(input);
    return [];
  } catch (error) {
    if (!(error instanceof EnvironmentRequestError)) throw error;
    return error.issues.map(i => `${i.field}: ${i.message}`);
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
    expect(request.cluster.kubernetesVersion).toBe('1.35.6');
    expect(request.cluster.nodePool).toEqual({
      vmSize: 'Standard_DS2_v2',
      minCount: 1,
      maxCount: 3,
      osSku: 'AzureLinux',
    });
    // cert-manager turns on with Kargo for a new cluster (see 'Kargo needs cert-manager' below).
    expect(request.addons).toEqual({
      argocd: true,
      argoEvents: false,
      argoRollouts: false,
      argoWorkflows: false,
      certManager: true,
      kargo: true,
    });
    expect(request.addonsRepo).toEqual({
      url: 'https://github.com/Azure-Samples/aks-platform-engineering',
      basepath: 'gitops/',
      path: 'bootstrap/control-plane/addons',
      revision: 'main',
    });
    expect(request.gitopsRepo).toEqual({
      url: 'https://github.com/acme/app-project-env',
      revision: 'main',
      managementPath: 'samples',
    });
    expect(request.workloads).toEqual([]);
    expect(request.system).toBe('');
  });

  it('is idempotent: a parsed request parses to itself', () => {
    const once = parseEnvironmentRequest(newClusterRequest());
    expect(parseEnvironmentRequest(once)).toEqual(once);
  });

  it('accepts a leading v on the Kubernetes version and drops it', () => {
    expect(
      parseEnvironmentRequest({
        ...minimal,
        cluster: { ...minimal.cluster, kubernetesVersion: 'v1.36.2' },
      }).cluster.kubernetesVersion,
    ).toBe('1.36.2');
  });

  it('names the field, the rule and the problem in one line', () => {
    expect(
      problems({
        ...minimal,
        cluster: { ...minimal.cluster, name: 'Dev_Cluster' },
      }),
    ).toEqual([
      'cluster.name: must be a DNS-1123 label of at most 42 characters (lowercase letters, digits and \'-\') that starts with a letter, ends with a letter or digit and is not a YAML 1.1 word (y, yes, n, no, true, false, on, off, null), since the azure-aks-aso chart writes it unquoted as a label value, but "Dev_Cluster" contains "D"',
    ]);
  });

  it.each([
    [
      'a name over the length that keeps derived names valid',
      { name: 'a'.repeat(43) },
      'cluster.name',
      'it has 43 characters',
    ],
    [
      'a name ending in a dash',
      { name: 'dev-' },
      'cluster.name',
      '"dev-" ends with "-"',
    ],
    [
      'an unknown environment',
      { environment: 'qa' },
      'cluster.environment',
      'must be one of dev | staging | prod | control-plane, but it is "qa"',
    ],
    [
      'a region with spaces',
      { location: 'East US' },
      'cluster.location',
      'contains "E"',
    ],
    [
      'a version without patch',
      { kubernetesVersion: '1.32' },
      'cluster.kubernetesVersion',
      'one of them',
    ],
    [
      // 1.32 reached its AKS end of life in March 2026 (defaults.ts AKS_KUBERNETES_VERSIONS).
      'a version AKS no longer supports',
      { kubernetesVersion: '1.32.7' },
      'cluster.kubernetesVersion',
      'must be a Kubernetes version AKS supports (1.36.2 or 1.35.6), but "1.32.7" is not one of them',
    ],
    [
      'a VM size of another cloud',
      { nodePool: { vmSize: 'm5.large' } },
      'cluster.nodePool.vmSize',
      'Standard_DS2_v2',
    ],
    [
      'a Windows system pool',
      { nodePool: { osSku: 'Windows2022' } },
      'cluster.nodePool.osSku',
      'must be one of',
    ],
    [
      'zero nodes',
      { nodePool: { minCount: 0 } },
      'cluster.nodePool.minCount',
      'must be at least 1, but it is number 0',
    ],
    [
      'a fractional node count',
      { nodePool: { maxCount: 2.5 } },
      'cluster.nodePool.maxCount',
      'must be',
    ],
  ])('rejects %s', (_what, clusterPatch, field, fragment) => {
    const found = problems({
      ...minimal,
      cluster: { ...minimal.cluster, ...clusterPatch },
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${field}: `);
    expect(found[0]).toContain(fragment);
  });

  it('rejects a pool whose minimum exceeds its maximum, on maxCount', () => {
    expect(
      problems({
        ...minimal,
        cluster: { ...minimal.cluster, nodePool: { minCount: 5, maxCount: 2 } },
      }),
    ).toEqual([
      'cluster.nodePool.maxCount: must be at least nodePool.minCount (5), but it is 2',
    ]);
  });

  it.each([
    ['subscriptionId', 'not-a-guid', 'is not a GUID'],
    ['tenantId', '00000000-0000-0000-0000-00000000000g', 'is not a GUID'],
  ])('rejects azure.%s %j', (field, value, fragment) => {
    const found = problems({
      ...minimal,
      azure: { ...minimal.azure, [field]: value },
    });
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(`^azure\\.${field}: must be a GUID .*${fragment}`),
      ),
    ]);
  });

  it.each([
    [
      'credentials in the URL',
      'https://user:token@github.com/acme/env',
      'carries credentials',
    ],
    ['plain http', 'http://github.com/acme/env', 'is not of that form'],
    ['a query', 'https://github.com/acme/env?x=1', 'has a query or fragment'],
    [
      'a newline',
      'https://github.com/acme/env\nkind: Secret',
      'is not of that form',
    ],
    [
      'a ".." path segment',
      'https://github.com/acme/env/../../mallory/evil',
      'has a ".." path segment',
    ],
    [
      'a "." path segment',
      'https://github.com/acme/./env',
      'has a "." path segment',
    ],
  ])('rejects a GitOps repository URL with %s', (_what, url, fragment) => {
    const found = problems({ ...minimal, gitopsRepo: { url } });
    expect(found).toEqual([
      expect.stringContaining(`gitopsRepo.url: must be an https URL`),
    ]);
    expect(found[0]).toContain(fragment);
  });

  it.each([
    [
      'addonsRepo.path',
      { addonsRepo: { path: '../etc' } },
      'has a ".." segment',
    ],
    ['addonsRepo.path', { addonsRepo: { path: '/abs' } }, 'starts with "/"'],
    [
      'addonsRepo.basepath',
      { addonsRepo: { basepath: 'gitops' } },
      'does not end with "/"',
    ],
    [
      'addonsRepo.revision',
      { addonsRepo: { revision: 'main..x' } },
      'contains ".." or "//"',
    ],
    [
      'gitopsRepo.managementPath',
      {
        gitopsRepo: {
          url: minimal.gitopsRepo.url,
          managementPath: 'clusters/x',
        },
      },
      'must be outside "clusters/"',
    ],
  ])('rejects %s %j', (field, patch, fragment) => {
    const found = problems({ ...minimal, ...patch });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(found[0]).toContain(fragment);
  });

  it('accepts an empty add-ons basepath for a repository of its own (GitOps Bridge allows it)', () => {
    const addonsRepo = { url: 'https://github.com/acme/addons', basepath: '' };
    expect(
      parseEnvironmentRequest({ ...minimal, addonsRepo }).addonsRepo.basepath,
    ).toBe('');
  });

  // Azure-Samples/aks-platform-engineering has no top-level bootstrap/ or environments/: its
  // add-on ApplicationSets read <basepath>environments/... (gitops/bootstrap/control-plane/addons/
  // oss/addons-kargo-appset.yaml), which exists only as gitops/environments.
  it('refuses an empty add-ons basepath with the default add-ons repository, by field', () => {
    expect(problems({ ...minimal, addonsRepo: { basepath: '' } })).toEqual([
      'addonsRepo.basepath: must be "gitops/" with the default add-ons repository, but it is "" (that repository has its add-ons and values only under gitops/)',
    ]);
  });

  describe('cluster names the azure-aks-aso chart can label', () => {
    // mboersma/cluster-api-charts charts/azure-aks-aso/templates/_helpers.tpl (chart 0.4.3) writes
    // `app.kubernetes.io/instance: {{ $.Release.Name }}` unquoted; the release is the cluster name.
    it.each(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'])(
      'refuses the YAML 1.1 word %j, saying why',
      name => {
        const [line] = problems({
          ...minimal,
          cluster: { ...minimal.cluster, name },
        });
        expect(line).toMatch(
          /^cluster\.name: must be .* since the azure-aks-aso chart writes it unquoted as a label value, but /,
        );
        expect(line).toMatch(new RegExp(`but "${name}" is a YAML 1.1 word$`));
      },
    );

    it.each(['123', '1e3', '0x1f', '2024-01-01', '0o17'])(
      'refuses %j, which does not start with a letter',
      name => {
        expect(
          problems({ ...minimal, cluster: { ...minimal.cluster, name } }),
        ).toEqual([
          expect.stringMatching(
            new RegExp(
              `^cluster\\.name: .*, but "${name}" does not start with a letter$`,
            ),
          ),
        ]);
      },
    );

    it('accepts names that only look like YAML words', () => {
      for (const name of ['nan', 'inf', 'no-cluster', 'yes1', 'e3']) {
        expect(
          problems({ ...minimal, cluster: { ...minimal.cluster, name } }),
        ).toEqual([]);
      }
    });
  });

  describe('Kargo needs cert-manager on a new or remote cluster', () => {
    // akuity/kargo v1.10.8 charts/kargo/templates/common/cert-issuer.yaml: a cert-manager Issuer
    // whenever a `*.tls.selfSignedCert` is true, which charts/kargo/values.yaml defaults to.
    const remote = existingClusterRequest();
    it('refuses Kargo without cert-manager for a new cluster, on addons.certManager', () => {
      expect(
        problems({ ...minimal, addons: { kargo: true, certManager: false } }),
      ).toEqual([
        'addons.certManager: must be true when addons.kargo is true on a new or remote cluster, but it is false (the Kargo chart creates a cert-manager Issuer, and its sync fails without cert-manager)',
      ]);
    });

    it('turns cert-manager on, visibly in the request, when a new cluster gets Kargo and cert-manager is left out', () => {
      expect(
        parseEnvironmentRequest({ ...minimal, addons: { kargo: true } }).addons
          .certManager,
      ).toBe(true);
      expect(
        parseEnvironmentRequest({ ...minimal, addons: { kargo: false } }).addons
          .certManager,
      ).toBe(false);
    });

    // The hub's addons-kargo ApplicationSet installs Kargo on any remote cluster Secret with
    // enable_kargo "true" (Azure-Samples/aks-platform-engineering gitops/bootstrap/control-plane/
    // addons/oss/addons-kargo-appset.yaml:20-24,56-58): nothing was installed there by hand.
    it('turns cert-manager on for a remote existing cluster with Kargo, and refuses turning it off', () => {
      expect(
        parseEnvironmentRequest({ ...remote, addons: { kargo: true } }).addons
          .certManager,
      ).toBe(true);
      expect(
        problems({ ...remote, addons: { kargo: true, certManager: false } }),
      ).toEqual([
        expect.stringMatching(
          /^addons\.certManager: must be true when addons\.kargo is true on a new or remote cluster, but it is false/,
        ),
      ]);
    });

    it('leaves the management cluster (cert-manager may be installed by hand) to the lab default', () => {
      const request = parseEnvironmentRequest({
        ...minimal,
        mode: 'existing',
        addons: { kargo: true },
      });
      expect(request.addons).toMatchObject({ kargo: true, certManager: false });
      expect(
        problems({
          ...minimal,
          mode: 'existing',
          addons: { kargo: true, certManager: false },
        }),
      ).toEqual([]);
    });
  });

  describe('the argocd add-on defaults', () => {
    it('is on by default for a new cluster, whose bootstrap release argo-cd it adopts', () => {
      expect(
        parseEnvironmentRequest({ ...minimal, addons: {} }).addons.argocd,
      ).toBe(true);
    });

    // aks-platform-engineering addons-argo-cd-appset.yaml:20-24,56-58 installs release argo-cd with
    // environments/default/addons/argo-cd/values.yaml (server.service.type LoadBalancer).
    it('is off by default for a remote existing cluster and for the management cluster', () => {
      expect(
        parseEnvironmentRequest({ ...existingClusterRequest(), addons: {} })
          .addons.argocd,
      ).toBe(false);
      expect(
        parseEnvironmentRequest({ ...minimal, mode: 'existing', addons: {} })
          .addons.argocd,
      ).toBe(false);
    });

    it('stays on for mode existing when the request turns it on', () => {
      expect(
        parseEnvironmentRequest({
          ...minimal,
          mode: 'existing',
          addons: { argocd: true },
        }).addons.argocd,
      ).toBe(true);
    });
  });

  it('writes an unknown key that is not a plain name quoted and escaped, so the field stays one line', () => {
    expect(
      problems({
        ...minimal,
        'a\nb': 1,
        cluster: { ...minimal.cluster, 'x.y\u202e': 'L' },
      }),
    ).toEqual([
      'cluster["x.y\\u202e"]: must not be set, but it is (it is not a field of the environment request)',
      '["a\\nb"]: must not be set, but it is (it is not a field of the environment request)',
    ]);
  });

  it('rejects fields that are not part of the contract, by name', () => {
    expect(
      problems({
        ...minimal,
        token: 'ghp_x',
        cluster: { ...minimal.cluster, size: 'L' },
      }),
    ).toEqual([
      'cluster.size: must not be set, but it is (it is not a field of the environment request)',
      'token: must not be set, but it is (it is not a field of the environment request)',
    ]);
  });

  it('reports a missing required field as missing', () => {
    expect(problems({ ...minimal, owner: undefined })).toEqual([
      'owner: is required, but it is missing',
    ]);
  });

  it('rejects an owner that is not a group or user, and a system that is not a system', () => {
    expect(
      problems({
        ...minimal,
        owner: 'component:default/x',
        system: 'group:default/y',
      }),
    ).toEqual([
      'owner: must be a Backstage entity reference such as group:default/platform-team, but its kind "component" is not group or user',
      'system: must be a Backstage entity reference such as system:default/payments, but its kind "group" is not system',
    ]);
  });

  describe('entity references in the short forms Backstage accepts', () => {
    // @backstage/catalog-model 1.10 parseEntityRef with a default kind and namespace 'default'.
    it.each([
      ['platform-team', 'group:default/platform-team'],
      ['other/platform-team', 'group:other/platform-team'],
      ['user:jdoe', 'user:default/jdoe'],
      ['Group:platform-team', 'group:default/platform-team'],
      ['group:default/platform-team', 'group:default/platform-team'],
    ])('reads the owner %s as %s', (owner, full) => {
      expect(parseEnvironmentRequest({ ...minimal, owner }).owner).toBe(full);
    });

    it('reads the system payments as system:default/payments', () => {
      expect(
        parseEnvironmentRequest({ ...minimal, system: 'payments' }).system,
      ).toBe('system:default/payments');
    });

    it('refuses a short form whose kind is not allowed, in one sentence naming the field', () => {
      expect(problems({ ...minimal, owner: 'system:payments' })).toEqual([
        'owner: must be a Backstage entity reference such as group:default/platform-team, but its kind "system" is not group or user',
      ]);
    });
  });

  describe('adopting the hand-applied registration of the management cluster', () => {
    const management = {
      ...minimal,
      mode: 'existing',
      cluster: {
        ...minimal.cluster,
        name: 'aks-labs-gitops',
        environment: 'control-plane',
      },
    };

    it("accepts the names of the lab's Secret and ApplicationSet for the cluster Argo CD runs in", () => {
      const request = parseEnvironmentRequest({
        ...management,
        adopt: {
          clusterSecret: 'aks-labs-gitops',
          clusterAddons: 'cluster-addons',
        },
      });
      expect(request.adopt).toEqual({
        clusterSecret: 'aks-labs-gitops',
        clusterAddons: 'cluster-addons',
      });
    });

    it('refuses adopting for a new cluster or a remote one, by field', () => {
      const message =
        'must be left out unless mode is existing without cluster.server, but it is set (only the cluster Argo CD runs in can have hand-applied objects to take over)';
      expect(
        problems({ ...minimal, adopt: { clusterSecret: 'aks-labs-gitops' } }),
      ).toEqual([`adopt.clusterSecret: ${message}`]);
      expect(
        problems({
          ...existingClusterRequest(),
          adopt: { clusterAddons: 'cluster-addons' },
        }),
      ).toEqual([`adopt.clusterAddons: ${message}`]);
    });
  });

  describe('mode rules', () => {
    it('rejects an API server URL for a new cluster', () => {
      expect(
        problems({
          ...minimal,
          cluster: { ...minimal.cluster, server: 'https://x.example.com' },
        }),
      ).toEqual([
        'cluster.server: must be left out when mode is new, but it is set (the new cluster registers itself in-cluster, in a resource group of its name)',
      ]);
    });

    it('accepts an existing cluster without server: the cluster Argo CD runs in', () => {
      const request = parseEnvironmentRequest({ ...minimal, mode: 'existing' });
      expect(request.cluster.server).toBeUndefined();
    });

    it('requires the CA of a remote existing cluster', () => {
      const input = existingClusterRequest();
      expect(
        problems({
          ...input,
          cluster: { ...input.cluster, caData: undefined },
        }),
      ).toEqual([
        'cluster.caData: must be set when cluster.server is set, but it is missing (Argo CD needs the AKS cluster CA to trust its API server)',
      ]);
    });

    it('rejects CA data that is not a base64 PEM certificate', () => {
      const input = existingClusterRequest();
      expect(
        problems({
          ...input,
          cluster: {
            ...input.cluster,
            caData: Buffer.from('hello').toString('base64'),
          },
        }),
      ).toEqual([
        'cluster.caData: must be the base64-encoded PEM certificate of the cluster CA, but it does not decode to a PEM certificate',
      ]);
    });
  });

  describe('the management cluster', () => {
    it("defaults to the lab's management cluster, aks-labs-gitops", () => {
      expect(parseEnvironmentRequest(minimal).managementCluster).toBe(
        'aks-labs-gitops',
      );
    });

    it('refuses a new cluster naming itself its management cluster, on managementCluster', () => {
      expect(
        problems({ ...minimal, managementCluster: minimal.cluster.name }),
      ).toEqual([
        `managementCluster: must name another cluster than cluster.name on a new or remote cluster, but it is "${minimal.cluster.name}" (a cluster's Argo CD runs on its management cluster)`,
      ]);
    });

    it('accepts the management cluster naming itself', () => {
      const input = managementClusterRequest({
        managementCluster: 'aks-labs-gitops',
      });
      expect(parseEnvironmentRequest(input).managementCluster).toBe(
        'aks-labs-gitops',
      );
    });
  });

  describe('workloads', () => {
    const workload = newClusterRequest().workloads?.[0];

    it('rejects two workloads with one name', () => {
      expect(problems({ ...minimal, workloads: [workload, workload] })).toEqual(
        [
          'workloads[1].name: must be unique among workloads, but "aks-store-demo" is used twice',
        ],
      );
    });

    it('rejects a workload name that would make its Application name too long', () => {
      const name = 'w'.repeat(30);
      expect(
        problems({ ...minimal, workloads: [{ ...workload, name }] }),
      ).toEqual([]);
      const longCluster = { ...minimal.cluster, name: 'c'.repeat(42) };
      expect(
        problems({
          ...minimal,
          cluster: longCluster,
          workloads: [{ ...workload, name }],
        }),
      ).toEqual([
        `workloads[0].name: must be at most 20 characters with cluster name "${'c'.repeat(40)}…" (the Application is named <cluster>-<workload>), but it has 30`,
      ]);
    });

    it('accepts "." as a workload path and ssh repository URLs', () => {
      const request = parseEnvironmentRequest({
        ...minimal,
        workloads: [
          { ...workload, path: '.', repoURL: 'git@github.com:acme/app.git' },
        ],
      });
      expect(request.workloads[0]?.path).toBe('.');
    });

    // Its AppProject admits the namespace as a destination: one of these would let a workload
    // repository reconfigure Argo CD, Kubernetes, Cluster API or another cluster's provisioning.
    it.each([
      'argocd',
      'kube-system',
      'cluster-prod-eu',
      'capz-system',
      'cert-manager',
    ])('rejects the system namespace %s for a workload', namespace => {
      expect(
        problems({ ...minimal, workloads: [{ ...workload, namespace }] }),
      ).toEqual([
        `workloads[0].namespace: must be a DNS-1123 label of at most 63 characters (lowercase letters, digits and '-', starting and ending with a letter or digit) that is not a namespace of Kubernetes, Argo CD, Cluster API or an operator (kube-*, argocd, cluster-*, *-system, cert-manager), but "${namespace}" is one`,
      ]);
    });

    it('accepts an application namespace that only resembles a system one', () => {
      for (const namespace of [
        'default',
        'pets',
        'argocd-demo',
        'my-cluster',
        'systems',
      ])
        expect(
          problems({ ...minimal, workloads: [{ ...workload, namespace }] }),
        ).toEqual([]);
    });

    it('names the index of the bad workload', () => {
      expect(
        problems({
          ...minimal,
          workloads: [
            workload,
            { ...workload, name: 'second', namespace: 'Pets' },
          ],
        }),
      ).toEqual([
        expect.stringMatching(
          /^workloads\[1\]\.namespace: must be a DNS-1123 label/,
        ),
      ]);
    });
  });

  it('rejects a chart version that cannot be a label value', () => {
    expect(
      problems({ ...minimal, chartVersions: { kargo: '1.2.3+build.1' } }),
    ).toEqual([
      expect.stringMatching(
        /^chartVersions\.kargo: must be a chart version such as 1\.2\.3/,
      ),
    ]);
  });

  it.each([
    [
      'addonsRepo.url',
      {
        addonsRepo: {
          url: 'https://github.com/Azure-Samples/../mallory/addons',
        },
      },
    ],
    [
      'workloads[0].repoURL',
      {
        workloads: [
          {
            ...newClusterRequest().workloads?.[0],
            repoURL: 'https://github.com/acme/app/../../mallory/app',
          },
        ],
      },
    ],
    [
      'workloads[0].repoURL',
      {
        workloads: [
          {
            ...newClusterRequest().workloads?.[0],
            repoURL: 'git@github.com:acme/../mallory/app.git',
          },
        ],
      },
    ],
  ])('refuses "." and ".." path segments in %s', (field, patch) => {
    expect(problems({ ...minimal, ...patch })).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${field.replace(/[.[\]]/g, '\\$&')}: .*has a "\\.\\." path segment$`,
        ),
      ),
    ]);
  });

  it('refuses "." and ".." path segments in cluster.server', () => {
    const input = existingClusterRequest();
    expect(
      problems({
        ...input,
        cluster: { ...input.cluster, server: 'https://aks.example.com/a/../b' },
      }),
    ).toEqual([
      expect.stringMatching(/^cluster\.server: .*has a "\.\." path segment$/),
    ]);
  });

  // A second cluster Secret for the management cluster's own API server, under another name and
  // labels, would compete with its Secret; Argo CD would also send it the Azure identity's token.
  it.each([
    'https://kubernetes.default.svc',
    'https://kubernetes.default.svc.cluster.local:443',
    'https://KUBERNETES.default.svc/',
    'https://grafana.monitoring.svc',
    'https://localhost:6443',
  ])('refuses the in-cluster API server %s for a remote cluster', server => {
    const input = existingClusterRequest();
    expect(
      problems({ ...input, cluster: { ...input.cluster, server } }),
    ).toEqual([
      expect.stringMatching(
        /^cluster\.server: must be an https URL .* of an API server outside the management cluster \(not kubernetes\.default\.svc, another \*\.svc or \*\.cluster\.local name, or localhost\), but its host "[^"]+" is the management cluster itself or a service in it$/,
      ),
    ]);
  });

  it('accepts an AKS API server whose name only contains svc', () => {
    const input = existingClusterRequest();
    const server = 'https://svc-prod-dns-1a2b3c.hcp.westeurope.azmk8s.io:443';
    expect(
      problems({ ...input, cluster: { ...input.cluster, server } }),
    ).toEqual([]);
  });

  it('escapes bidi, invisible and control characters of user text in error messages', () => {
    const [line] = problems({
      ...minimal,
      cluster: {
        ...minimal.cluster,
        location: 'east\u202eus\u200b\u0085\u2028',
      },
    });
    expect(line).toBe(
      'cluster.location: must be an Azure region name such as eastus (lowercase letters and digits), but "east\\u202eus\\u200b\\u0085\\u2028" contains "\\u202e"',
    );
    expect(line).not.toMatch(/[\u0085\u200b\u202e\u2028]/);
  });

  it('keeps user text in error messages to one short line', () => {
    const [line] = problems({
      ...minimal,
      gitopsRepo: { url: `https://evil\n${'x'.repeat(100)}` },
    });
    expect(line).not.toContain('\n');
    expect(line).toContain(`"https://evil\\n${'x'.repeat(27)}…"`);
  });
});
