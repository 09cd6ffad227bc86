/**
 * fast-check generators of environment requests: valid ones across the whole contract, with the
 * YAML-special words and dates that tempt a serializer, and hostile strings for any field.
 */
import fc from 'fast-check';
import type { EnvironmentRequestInput } from '../request';
import { AKS_KUBERNETES_VERSIONS } from '../defaults';
import { YAML_1_1_WORDS } from '../naming';
import { CA_DATA } from './fixtures';

/** Valid DNS labels that plain YAML would read as booleans, nulls, numbers or dates. */
const YAML_WORDS = [
  'no',
  'on',
  'off',
  'yes',
  'y',
  'n',
  'null',
  'true',
  'false',
  '1e3',
  '0x1f',
  '0o17',
  '012',
  '2024-01-01',
  '1-2',
  'nan',
  'inf',
];

const dnsLabel = (max: number) =>
  fc.oneof(
    fc.constantFrom(...YAML_WORDS),
    fc.stringMatching(
      new RegExp(`^[a-z0-9]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`),
    ),
  );

const segment = fc
  .oneof(
    fc.constantFrom('no', 'on', '2024-01-01', '1.0', '...x', '-'),
    fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,11}$/),
  )
  .filter(s => s !== '.' && s !== '..');
const relativePath = fc
  .array(segment, { minLength: 1, maxLength: 4 })
  .map(parts => parts.join('/'));

/**
 * Cluster names: a first letter and no YAML 1.1 word (the azure-aks-aso chart writes the name
 * unquoted), with the near-misses that stay strings.
 */
const clusterName = fc
  .oneof(
    fc.constantFrom(
      'nan',
      'inf',
      'e3',
      'x1e3',
      'nul',
      'yes1',
      'on-1',
      'no-cluster',
      'y2024-01-01',
    ),
    fc.stringMatching(/^[a-z]([a-z0-9-]{0,40}[a-z0-9])?$/),
  )
  .filter(name => !(YAML_1_1_WORDS as readonly string[]).includes(name));

const host = fc.stringMatching(
  /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\.(com|io|example)$/,
);
// No "." or ".." path segments: the URL rules refuse them.
const urlSegment = fc
  .stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)
  .filter(s => s !== '.' && s !== '..');
const httpsUrl = fc
  .tuple(host, fc.array(urlSegment, { maxLength: 3 }))
  .map(([h, parts]) => `https://${[h, ...parts].join('/')}`);

const gitRevision = fc.oneof(
  fc.constantFrom(
    'main',
    'HEAD',
    'no',
    'on',
    'v1.2.3',
    '2024-01-01',
    'release/1.0',
    '0123abc',
    '1e3',
  ),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,20}[A-Za-z0-9_]$/),
);

const workload = (maxName: number) =>
  fc.record({
    name: dnsLabel(Math.min(maxName, 20)),
    repoURL: fc.oneof(httpsUrl, fc.constant('git@github.com:acme/app.git')),
    path: fc.oneof(fc.constant('.'), relativePath),
    targetRevision: gitRevision,
    // Not a system namespace (rules.ts workloadNamespace refuses those).
    namespace: dnsLabel(63).filter(
      ns =>
        !['argocd', 'cert-manager'].includes(ns) &&
        !/^(kube-|cluster-)|-system$/.test(ns),
    ),
  });

export const validRequest: fc.Arbitrary<EnvironmentRequestInput> = fc
  .record({
    mode: fc.constantFrom('new' as const, 'existing' as const),
    remote: fc.boolean(),
    adopt: fc.boolean(),
    name: clusterName,
    environment: fc.constantFrom(
      'dev' as const,
      'staging' as const,
      'prod' as const,
      'control-plane' as const,
    ),
    location: fc.oneof(
      fc.constantFrom('eastus', 'westus3', 'yes', 'off', 'nan', 'inf'),
      fc.stringMatching(/^[a-z][a-z0-9]{2,15}$/),
    ),
    // Only the pinned AKS versions pass (defaults.ts).
    version: fc.constantFrom(...AKS_KUBERNETES_VERSIONS),
    counts: fc
      .tuple(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
      )
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
    vmSize: fc.stringMatching(/^Standard_[A-Za-z0-9_]{1,12}$/),
    osSku: fc.constantFrom('AzureLinux' as const, 'Ubuntu' as const),
    guids: fc.tuple(fc.uuid(), fc.uuid(), fc.uuid()),
    addons: fc.record({
      argocd: fc.boolean(),
      argoEvents: fc.boolean(),
      argoRollouts: fc.boolean(),
      argoWorkflows: fc.boolean(),
      certManager: fc.boolean(),
      kargo: fc.boolean(),
    }),
    addonsRepo: fc.record({
      url: httpsUrl,
      basepath: fc.oneof(
        fc.constant(''),
        relativePath.map(p => `${p}/`),
      ),
      path: relativePath,
      revision: gitRevision,
    }),
    gitopsRepo: fc.record({
      url: httpsUrl,
      revision: gitRevision,
      managementPath: relativePath.filter(
        p => p !== 'clusters' && !p.startsWith('clusters/'),
      ),
    }),
    credentialsSecret: fc.option(dnsLabel(63), { nil: undefined }),
    workloads: fc.uniqueArray(workload(20), {
      maxLength: 3,
      selector: w => w.name,
    }),
    owner: fc.oneof(
      fc.constantFrom(
        'group:default/platform-team',
        'user:jane',
        'no',
        'group:team-a/y',
      ),
      dnsLabel(20),
    ),
    system: fc.oneof(
      fc.constant(''),
      fc.constantFrom('system:default/payments', 'on'),
    ),
  })
  .map(v => ({
    mode: v.mode,
    cluster: {
      name: v.name,
      environment: v.environment,
      location: v.location,
      kubernetesVersion: v.version,
      nodePool: {
        vmSize: v.vmSize,
        minCount: v.counts[0],
        maxCount: v.counts[1],
        osSku: v.osSku,
      },
      ...(v.mode === 'existing' && v.remote
        ? {
            server: `https://${v.name}.hcp.${v.location}.azmk8s.io:443`,
            caData: CA_DATA,
            resourceGroup: `rg-${v.name}`,
          }
        : {}),
    },
    azure: {
      subscriptionId: v.guids[0],
      tenantId: v.guids[1],
      clientId: v.guids[2],
    },
    // A new cluster with Kargo needs cert-manager: explicitly on, or left to the default that turns it on.
    // Kargo needs cert-manager on a new or remote cluster (request.ts kargoNeedsCertManager).
    addons:
      (v.mode === 'new' || v.remote) && v.addons.kargo && !v.addons.certManager
        ? { ...v.addons, certManager: undefined }
        : v.addons,
    addonsRepo: v.addonsRepo,
    // Mode new only: an existing cluster's Argo CD has its own repository credentials.
    gitopsRepo:
      v.mode === 'new' && v.credentialsSecret !== undefined
        ? { ...v.gitopsRepo, credentialsSecret: v.credentialsSecret }
        : v.gitopsRepo,
    workloads: v.workloads,
    // Only the cluster Argo CD runs in can take over hand-applied objects.
    ...(v.mode === 'existing' && !v.remote && v.adopt
      ? {
          adopt: {
            clusterSecret: `${v.name}-secret`,
            clusterAddons: 'cluster-addons',
          },
        }
      : {}),
    owner: v.owner,
    system: v.system,
  }));

/** Strings that break naive YAML, templates, paths and terminals. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'no',
    'on',
    'y',
    'off',
    'null',
    '~',
    'true',
    '2024-01-01',
    '2001-12-14 21:59:43.10 -5',
    '1e3',
    '0o17',
    '0x1F',
    '+.inf',
    'a: b',
    'key: value\nother: x',
    '# comment',
    'x # y',
    '---',
    '--- !!binary',
    '...',
    '{{ .name }}',
    '{{- fail "x" -}}',
    '${HOME}',
    '../../etc/passwd',
    'clusters',
    '/abs',
    'a\u2028b',
    '\ufeff',
    'tab\t',
    '\u0000',
    'é',
    '🚀',
    '中文',
    '"quoted"',
    "'single'",
    '[1, 2]',
    '{a: 1}',
    '&a',
    '*a',
    '!!python/object',
    '|\n  x',
    '>-\n  y',
    'x'.repeat(500),
    '',
    ' ',
    'https://u:p@github.com/a/b',
    'https://github.com/a/b\nkind: Secret',
    'group:default/x\n---\nkind: Secret',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(
      ':',
      ' ',
      '#',
      '-',
      '\n',
      '{',
      '}',
      '"',
      "'",
      '!',
      '&',
      '*',
      '|',
      '>',
      '%',
      '@',
      '`',
      'a',
      '1',
      '.',
      '/',
    ),
    maxLength: 16,
  }),
);

/** Every string field of the contract, as the dotted paths field errors use. */
export const STRING_FIELDS = [
  'mode',
  'cluster.name',
  'cluster.environment',
  'cluster.location',
  'cluster.kubernetesVersion',
  'cluster.nodePool.vmSize',
  'cluster.nodePool.osSku',
  'cluster.server',
  'cluster.caData',
  'cluster.resourceGroup',
  'azure.subscriptionId',
  'azure.tenantId',
  'azure.clientId',
  'addonsRepo.url',
  'addonsRepo.basepath',
  'addonsRepo.path',
  'addonsRepo.revision',
  'gitopsRepo.url',
  'gitopsRepo.revision',
  'gitopsRepo.managementPath',
  'workloads[0].name',
  'workloads[0].repoURL',
  'workloads[0].path',
  'workloads[0].targetRevision',
  'workloads[0].namespace',
  'owner',
  'system',
  'chartVersions.argoCd',
  'chartVersions.kargo',
] as const;

/** A copy of `input` with the field at `path` (as in STRING_FIELDS) set to `value`. */
export function withField(
  input: EnvironmentRequestInput,
  path: string,
  value: string,
): EnvironmentRequestInput {
  const copy = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
  return copy as EnvironmentRequestInput;
}
