/**
 * The environment request: the "New AKS environment" form's values. These field names are the
 * contract between the template, the actions and this library.
 */
import { z } from 'zod';
import { ADDON_IDS } from './addons';
import {
  DEFAULT_ADDONS,
  DEFAULT_ADDONS_REPO,
  DEFAULT_CHART_VERSIONS,
  DEFAULT_GITOPS_REVISION,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_MANAGEMENT_PATH,
  DEFAULT_NODE_POOL,
} from './defaults';
import {
  CLUSTERS_DIR,
  DEFAULT_MANAGEMENT_CLUSTER,
  DNS_LABEL_MAX_LENGTH,
} from './naming';
import {
  atLeastProblem,
  azureRegion,
  azureResourceGroup,
  basePath,
  certificateAuthorityData,
  chartVersion,
  clusterName,
  dnsLabel,
  entityRef,
  gitRevision,
  guid,
  httpsUrl,
  kubernetesVersion,
  relativePath,
  remoteApiServerUrl,
  show,
  storedKubernetesVersion,
  vmSize,
} from './rules';
import { workloadNameProblems, workloadSchema } from './workloads';

const NODE_COUNT_MAX = 1000;
const WORKLOADS_MAX = 50;

const nodeCount = z.number().int().min(1).max(NODE_COUNT_MAX);

const nodePoolSchema = z.strictObject({
  vmSize: vmSize.default(DEFAULT_NODE_POOL.vmSize),
  minCount: nodeCount.default(DEFAULT_NODE_POOL.minCount),
  maxCount: nodeCount.default(DEFAULT_NODE_POOL.maxCount),
  // The pool is the cluster's system pool, so a Linux OS SKU, and one the ManagedClustersAgentPool
  // API version of azure-aks-aso 0.4.3 (ASO v1api20231001, enum OSSKU) knows: no Ubuntu2204/2404.
  osSku: z.enum(['AzureLinux', 'Ubuntu']).default(DEFAULT_NODE_POOL.osSku),
});

const clusterSchema = z.strictObject({
  name: clusterName,
  environment: z.enum(['dev', 'staging', 'prod', 'control-plane']),
  location: azureRegion,
  kubernetesVersion: kubernetesVersion.default(DEFAULT_KUBERNETES_VERSION),
  nodePool: nodePoolSchema.prefault({}),
  server: remoteApiServerUrl.optional(),
  caData: certificateAuthorityData.optional(),
  /** Mode existing: the cluster's resource group, for the catalog's AKS dashboard link. */
  resourceGroup: azureResourceGroup.optional(),
});

const addonsSchema = z.strictObject({
  ...(Object.fromEntries(
    ADDON_IDS.map(id => [id, z.boolean().default(DEFAULT_ADDONS[id])]),
  ) as {
    [K in keyof typeof DEFAULT_ADDONS]: z.ZodDefault<z.ZodBoolean>;
  }),
  /** Left out: on for a new cluster only (see {@link argocdDefault}). */
  argocd: z.boolean().optional(),
  /** Left out: on where Kargo needs it (see {@link certManagerDefault}), else the lab's default. */
  certManager: z.boolean().optional(),
});

/**
 * Where the hub's add-on ApplicationSets install add-ons from a Secret we render for a cluster
 * whose add-ons were never installed by hand: a new cluster, or a remote existing one (the hub's
 * ApplicationSets select any cluster Secret by its `enable_*` labels, Azure-Samples/
 * aks-platform-engineering gitops/bootstrap/control-plane/addons/oss/addons-kargo-appset.yaml).
 * Only the management cluster itself (existing, no server) may have add-ons installed by hand.
 */
function addonsInstalledFromScratch(
  mode: 'new' | 'existing',
  server: string | undefined,
): boolean {
  return mode === 'new' || server !== undefined;
}

/**
 * Kargo's chart issues its TLS certificates through a cert-manager `Issuer` by default
 * (akuity/kargo v1.10.8 charts/kargo/templates/common/cert-issuer.yaml, `*.tls.selfSignedCert: true`
 * in charts/kargo/values.yaml:451-452), so Kargo needs the cert-manager add-on wherever the add-ons
 * are installed from scratch: a new cluster, and a remote existing cluster, on which the hub's
 * addons-kargo ApplicationSet installs Kargo whenever its Secret has `enable_kargo: "true"`
 * (addons-kargo-appset.yaml:20-24,56-58). Only the management cluster itself may have cert-manager
 * installed by hand (the lab's), so there the lab's default stays.
 *
 * @public
 */
export function kargoNeedsCertManager(request: {
  mode: 'new' | 'existing';
  cluster: { server?: string | undefined };
  addons: { kargo: boolean };
}): boolean {
  return (
    request.addons.kargo &&
    addonsInstalledFromScratch(request.mode, request.cluster.server)
  );
}

/** What `addons.certManager` must be where {@link kargoNeedsCertManager}; the form says it too (formRules.ts). */
export const KARGO_NEEDS_CERT_MANAGER =
  'must be true when addons.kargo is true on a new or remote cluster, but it is false (the Kargo chart creates a cert-manager Issuer, and its sync fails without cert-manager)';

function certManagerDefault(request: CheckedFields): boolean {
  return kargoNeedsCertManager(request) || DEFAULT_ADDONS.certManager;
}

/**
 * The GitOps Bridge `argocd` add-on installs release `argo-cd` of the argo-cd chart in `argocd`
 * (aks-platform-engineering addons-argo-cd-appset.yaml:20-24,56-58) with the add-ons repository's
 * values (environments/default/addons/argo-cd/values.yaml: `server.service.type: LoadBalancer`).
 * On a new cluster it adopts the release we bootstrap (objects/bootstrap.ts `ARGOCD_RELEASE`). On
 * a remote existing cluster it would install a second, unused Argo CD with a public server, and on
 * the management cluster a second release beside one installed by hand under another name: so it
 * is off by default for mode existing (turn it on only for a hub installed as release `argo-cd`).
 */
function argocdDefault(mode: 'new' | 'existing'): boolean {
  return mode === 'new' && DEFAULT_ADDONS.argocd;
}

/**
 * Names of objects someone applied by hand that the rendered ones take over (the lab's management
 * cluster: Secret `aks-labs-gitops`, ApplicationSet `cluster-addons`).
 */
const adoptSchema = z.strictObject({
  clusterSecret: dnsLabel(DNS_LABEL_MAX_LENGTH).optional(),
  clusterAddons: dnsLabel(DNS_LABEL_MAX_LENGTH).optional(),
});

const chartVersionsSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(DEFAULT_CHART_VERSIONS).map(([key, version]) => [
      key,
      chartVersion.default(version),
    ]),
  ) as {
    [K in keyof typeof DEFAULT_CHART_VERSIONS]: z.ZodDefault<
      typeof chartVersion
    >;
  },
);

/**
 * The kinds `owner` may name, the first being the kind of a short reference (`platform-team` is
 * `group:default/platform-team`); a form's entity field draws its picker with the same default.
 *
 * @public
 */
export const OWNER_KINDS = ['group', 'user'] as const;

/**
 * The kind `system` may name (`payments` is `system:default/payments`).
 *
 * @public
 */
export const SYSTEM_KINDS = ['system'] as const;

const requestShape = z.strictObject({
  mode: z.enum(['new', 'existing']).default('new'),
  cluster: clusterSchema,
  azure: z.strictObject({
    subscriptionId: guid,
    tenantId: guid,
    clientId: guid,
  }),
  addons: addonsSchema.prefault({}),
  addonsRepo: z
    .strictObject({
      url: httpsUrl.default(DEFAULT_ADDONS_REPO.url),
      basepath: basePath.default(DEFAULT_ADDONS_REPO.basepath),
      path: relativePath.default(DEFAULT_ADDONS_REPO.path),
      revision: gitRevision.default(DEFAULT_ADDONS_REPO.revision),
    })
    .prefault({}),
  gitopsRepo: z.strictObject({
    url: httpsUrl,
    revision: gitRevision.default(DEFAULT_GITOPS_REVISION),
    managementPath: relativePath.default(DEFAULT_MANAGEMENT_PATH),
    /** Mode new: Secret in the cluster's management namespace the new Argo CD gets its repository credentials from. */
    credentialsSecret: dnsLabel(DNS_LABEL_MAX_LENGTH).optional(),
  }),
  workloads: z.array(workloadSchema).max(WORKLOADS_MAX).default([]),
  adopt: adoptSchema.prefault({}),
  /** The cluster whose Argo CD runs this one (the catalog's `dependsOn`); unused on the management cluster itself. */
  managementCluster: clusterName.default(DEFAULT_MANAGEMENT_CLUSTER),
  owner: entityRef(OWNER_KINDS, 'group:default/platform-team'),
  system: z
    .union([z.literal(''), entityRef(SYSTEM_KINDS, 'system:default/payments')])
    .default(''),
  chartVersions: chartVersionsSchema.prefault({}),
});

/** The request with each field checked on its own, before the rules across fields. */
type CheckedFields = z.output<typeof requestShape>;

/** A problem a rule across fields found, on the field to change. */
interface CrossFieldIssue {
  path: (string | number)[];
  message: string;
}

/** A rule that relates several fields: the issues it finds (none when the request keeps it). */
type CrossFieldRule = (request: CheckedFields) => CrossFieldIssue[];

/** A new cluster registers itself in-cluster, in a resource group of its name: nothing to say about an existing one. */
const newClusterHasNoExistingClusterFields: CrossFieldRule = ({
  mode,
  cluster,
}) =>
  mode !== 'new'
    ? []
    : (['server', 'caData', 'resourceGroup'] as const)
        .filter(field => cluster[field] !== undefined)
        .map(field => ({
          path: ['cluster', field],
          message:
            'must be left out when mode is new, but it is set (the new cluster registers itself in-cluster, in a resource group of its name)',
        }));

/** Argo CD needs the AKS cluster CA to trust the API server of a remote existing cluster. */
const serverComesWithCaData: CrossFieldRule = ({ mode, cluster }) =>
  mode === 'existing' &&
  cluster.server !== undefined &&
  cluster.caData === undefined
    ? [
        {
          path: ['cluster', 'caData'],
          message:
            'must be set when cluster.server is set, but it is missing (Argo CD needs the AKS cluster CA to trust its API server)',
        },
      ]
    : [];

/** The Argo CD that already runs on an existing cluster has its own repository credentials. */
const credentialsSecretOnlyForNewCluster: CrossFieldRule = ({
  mode,
  gitopsRepo,
}) =>
  mode === 'existing' && gitopsRepo.credentialsSecret !== undefined
    ? [
        {
          path: ['gitopsRepo', 'credentialsSecret'],
          message:
            'must be left out when mode is existing, but it is set (the Argo CD that already runs there has its own repository credentials)',
        },
      ]
    : [];

/** Only the cluster Argo CD runs in (existing, no cluster.server) can have hand-applied objects to take over. */
const adoptOnlyWhereArgoCdRuns: CrossFieldRule = ({ mode, cluster, adopt }) => {
  const remote = mode === 'existing' && cluster.server !== undefined;
  return (['clusterSecret', 'clusterAddons'] as const)
    .filter(field => adopt[field] !== undefined && (mode === 'new' || remote))
    .map(field => ({
      path: ['adopt', field],
      message:
        'must be left out unless mode is existing without cluster.server, but it is set (only the cluster Argo CD runs in can have hand-applied objects to take over)',
    }));
};

/** See {@link kargoNeedsCertManager}: on a new or remote cluster Kargo's chart needs cert-manager. */
const kargoComesWithCertManager: CrossFieldRule = request =>
  kargoNeedsCertManager(request) && request.addons.certManager === false
    ? [{ path: ['addons', 'certManager'], message: KARGO_NEEDS_CERT_MANAGER }]
    : [];

/**
 * Azure-Samples/aks-platform-engineering keeps everything under gitops/ (gitops/bootstrap,
 * gitops/environments); its add-on ApplicationSets read `<basepath>environments/...`
 * (gitops/bootstrap/control-plane/addons/oss/addons-kargo-appset.yaml).
 */
const defaultAddonsRepoKeepsItsBasepath: CrossFieldRule = ({
  addonsRepo: { url, basepath },
}) =>
  // Only a basepath that passed its own rule: one problem per field.
  url === DEFAULT_ADDONS_REPO.url &&
  basepath !== DEFAULT_ADDONS_REPO.basepath &&
  basePath.safeParse(basepath).success
    ? [
        {
          path: ['addonsRepo', 'basepath'],
          message: `must be ${show(DEFAULT_ADDONS_REPO.basepath)} with the default add-ons repository, but it is ${show(basepath)} (that repository has its add-ons and values only under gitops/)`,
        },
      ]
    : [];

/** The same sentence the form shows (formRules.ts). */
const nodePoolMaxAtLeastMin: CrossFieldRule = ({ cluster: { nodePool } }) => {
  const problem = atLeastProblem(
    nodePool.maxCount,
    nodePool.minCount,
    'nodePool.minCount',
  );
  return problem
    ? [{ path: ['cluster', 'nodePool', 'maxCount'], message: problem }]
    : [];
};

/** The management cluster must never sync a new cluster's own Secret. */
const managementPathOutsideClusters: CrossFieldRule = ({
  gitopsRepo: { managementPath },
}) =>
  managementPath === CLUSTERS_DIR ||
  managementPath.startsWith(`${CLUSTERS_DIR}/`)
    ? [
        {
          path: ['gitopsRepo', 'managementPath'],
          message: `must be outside "${CLUSTERS_DIR}/", but it is ${show(managementPath)} (the management cluster must never sync a new cluster's own Secret)`,
        },
      ]
    : [];

/** A cluster other than the management cluster cannot be run by itself. */
const managementClusterIsAnother: CrossFieldRule = ({
  mode,
  cluster,
  managementCluster,
}) =>
  !isManagementCluster({ mode, cluster }) && managementCluster === cluster.name
    ? [
        {
          path: ['managementCluster'],
          message: `must name another cluster than cluster.name on a new or remote cluster, but it is ${show(managementCluster)} (a cluster's Argo CD runs on its management cluster)`,
        },
      ]
    : [];

/** The same sentences the form shows (workloads.ts, formRules.ts). */
const workloadNamesFitAndDiffer: CrossFieldRule = ({ cluster, workloads }) =>
  workloadNameProblems(
    cluster.name,
    workloads.map(workload => workload.name),
  ).map(({ index, message }) => ({
    path: ['workloads', index, 'name'],
    message,
  }));

/** Every rule across fields, in the order their issues are reported. */
const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  newClusterHasNoExistingClusterFields,
  serverComesWithCaData,
  credentialsSecretOnlyForNewCluster,
  adoptOnlyWhereArgoCdRuns,
  kargoComesWithCertManager,
  defaultAddonsRepoKeepsItsBasepath,
  nodePoolMaxAtLeastMin,
  managementPathOutsideClusters,
  workloadNamesFitAndDiffer,
  managementClusterIsAnother,
];

function checkCrossFields(request: CheckedFields, ctx: z.RefinementCtx) {
  for (const rule of CROSS_FIELD_RULES)
    for (const issue of rule(request))
      ctx.addIssue({ code: 'custom', ...issue });
}

function withDefaultedAddons(request: CheckedFields) {
  return {
    ...request,
    addons: {
      ...request.addons,
      argocd: request.addons.argocd ?? argocdDefault(request.mode),
      certManager: request.addons.certManager ?? certManagerDefault(request),
    },
  };
}

/** @public */
export const environmentRequestSchema = requestShape
  .superRefine(checkCrossFields)
  .transform(withDefaultedAddons);

/**
 * The request as stored with an environment (change/storedRequest.ts): every rule of
 * {@link environmentRequestSchema} but the pinned Kubernetes versions, since the stored version may
 * have left that list since; the new request of a change is checked against the list.
 */
const storedRequestSchema = requestShape
  .extend({
    cluster: clusterSchema.extend({
      kubernetesVersion: storedKubernetesVersion.default(
        DEFAULT_KUBERNETES_VERSION,
      ),
    }),
  })
  .superRefine(checkCrossFields)
  .transform(withDefaultedAddons);

/**
 * Mode existing without an API server: the cluster the management Argo CD runs in.
 *
 * @public
 */
export function isManagementCluster(request: {
  mode: 'new' | 'existing';
  cluster: { server?: string | undefined };
}): boolean {
  return request.mode === 'existing' && request.cluster.server === undefined;
}

/** Mode existing with an API server: a cluster other than the one Argo CD runs in. */
export function isRemote(request: EnvironmentRequest): boolean {
  return request.mode === 'existing' && request.cluster.server !== undefined;
}

/**
 * The form's values as a person types them.
 *
 * @public
 */
export type EnvironmentRequestInput = z.input<typeof environmentRequestSchema>;
/**
 * A validated request with every default applied.
 *
 * @public
 */
export type EnvironmentRequest = z.output<typeof environmentRequestSchema>;
/** @public */
export type Workload = EnvironmentRequest['workloads'][number];

/** @public */
export interface FieldIssue {
  /** Dotted path such as `cluster.name` or `workloads[0].namespace`. */
  field: string;
  message: string;
}

/** @public */
export class EnvironmentRequestError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'EnvironmentRequestError';
  }
}

/** @public */
export function formatIssue(issue: FieldIssue): string {
  return `${issue.field || '(request)'}: ${issue.message}`;
}

/**
 * `cluster.nodePool.minCount`, `workloads[0].name`. A key that is not a plain identifier (an
 * unknown key may hold a newline, a dot or a bidi character) is written quoted and escaped, as
 * `cluster["a\nb"]`, so the path stays one unambiguous line.
 */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name))
      return `${text}[${show(name)}]`;
    return text ? `${text}.${name}` : name;
  }, '');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string'
    ? show(value)
    : `${typeof value} ${String(value)}`;
}

const ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const field = fieldPath(issue.path);
    if (
      issue.input === undefined &&
      issue.code !== 'custom' &&
      issue.code !== 'unrecognized_keys'
    ) {
      return [{ field, message: 'is required, but it is missing' }];
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map(key => ({
          field: fieldPath([...issue.path, key]),
          message:
            'must not be set, but it is (it is not a field of the environment request)',
        }));
      case 'invalid_type':
        return [
          {
            field,
            message: `must be ${ARTICLE[issue.expected] ?? issue.expected}, but it is ${describeType(issue.input)}`,
          },
        ];
      case 'invalid_value':
        return [
          {
            field,
            message: `must be one of ${issue.values.map(v => String(v)).join(' | ')}, but it is ${show(issue.input)}`,
          },
        ];
      case 'invalid_union':
        // Only `system` is a union: empty, or an entity reference; report the reference rule.
        return toFieldIssues(new z.ZodError(issue.errors.at(-1) ?? [])).map(
          inner => ({ ...inner, field }),
        );
      case 'too_small':
      case 'too_big': {
        const bound =
          issue.code === 'too_small'
            ? `at least ${issue.minimum}`
            : `at most ${issue.maximum}`;
        const what =
          issue.origin === 'array' ? `a list of ${bound} entries` : bound;
        return [
          {
            field,
            message: `must be ${what}, but it is ${describeType(issue.input)}`,
          },
        ];
      }
      default:
        return [{ field, message: issue.message }];
    }
  });
}

/**
 * Validates the form's values and applies every default; throws {@link EnvironmentRequestError}.
 *
 * @public
 */
export function parseEnvironmentRequest(input: unknown): EnvironmentRequest {
  const result = environmentRequestSchema.safeParse(input, {
    reportInput: true,
  });
  if (!result.success)
    throw new EnvironmentRequestError(toFieldIssues(result.error));
  return result.data;
}

/**
 * Validates an environment's stored request as {@link parseEnvironmentRequest} does, but accepts
 * any Kubernetes version string (major.minor.patch): a version AKS has retired since must still
 * read, so a change can upgrade the cluster to a listed one.
 */
export function parseStoredEnvironmentRequest(
  input: unknown,
): EnvironmentRequest {
  const result = storedRequestSchema.safeParse(input, { reportInput: true });
  if (!result.success)
    throw new EnvironmentRequestError(toFieldIssues(result.error));
  return result.data;
}
