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
import { CLUSTER_NAME_MAX_LENGTH, CLUSTERS_DIR, workloadNameMaxLength } from './naming';
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
  gitRepoUrl,
  gitRevision,
  guid,
  httpsUrl,
  kubernetesVersion,
  relativePath,
  show,
  sourcePath,
  vmSize,
} from './rules';

const NODE_COUNT_MAX = 1000;
const WORKLOADS_MAX = 50;

const nodeCount = z.number().int().min(1).max(NODE_COUNT_MAX);

const nodePoolSchema = z.strictObject({
  vmSize: vmSize.default(DEFAULT_NODE_POOL.vmSize),
  minCount: nodeCount.default(DEFAULT_NODE_POOL.minCount),
  maxCount: nodeCount.default(DEFAULT_NODE_POOL.maxCount),
  // The pool is the cluster's system pool, so a Linux OS SKU.
  osSku: z.enum(['AzureLinux', 'Ubuntu', 'Ubuntu2204', 'Ubuntu2404']).default(DEFAULT_NODE_POOL.osSku),
});

const clusterSchema = z.strictObject({
  name: clusterName,
  environment: z.enum(['dev', 'staging', 'prod', 'control-plane']),
  location: azureRegion,
  kubernetesVersion: kubernetesVersion.default(DEFAULT_KUBERNETES_VERSION),
  nodePool: nodePoolSchema.prefault({}),
  server: httpsUrl.optional(),
  caData: certificateAuthorityData.optional(),
  /** Mode existing: the cluster's resource group, for the catalog's AKS dashboard link. */
  resourceGroup: azureResourceGroup.optional(),
});

const addonsSchema = z.strictObject(
  Object.fromEntries(ADDON_IDS.map((id) => [id, z.boolean().default(DEFAULT_ADDONS[id])])) as {
    [K in keyof typeof DEFAULT_ADDONS]: z.ZodDefault<z.ZodBoolean>;
  },
);

const chartVersionsSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(DEFAULT_CHART_VERSIONS).map(([key, version]) => [key, chartVersion.default(version)]),
  ) as { [K in keyof typeof DEFAULT_CHART_VERSIONS]: z.ZodDefault<typeof chartVersion> },
);

const workloadSchema = z.strictObject({
  name: dnsLabel(CLUSTER_NAME_MAX_LENGTH),
  repoURL: gitRepoUrl,
  path: sourcePath,
  targetRevision: gitRevision.default('HEAD'),
  namespace: dnsLabel(63),
});

export const environmentRequestSchema = z
  .strictObject({
    mode: z.enum(['new', 'existing']).default('new'),
    cluster: clusterSchema,
    azure: z.strictObject({ subscriptionId: guid, tenantId: guid, clientId: guid }),
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
    }),
    workloads: z.array(workloadSchema).max(WORKLOADS_MAX).default([]),
    owner: entityRef(['group', 'user'], 'group:default/platform-team'),
    system: z.union([z.literal(''), entityRef(['system'], 'system:default/payments')]).default(''),
    chartVersions: chartVersionsSchema.prefault({}),
  })
  .superRefine((request, ctx) => {
    const { mode, cluster } = request;
    if (mode === 'new') {
      for (const field of ['server', 'caData', 'resourceGroup'] as const) {
        if (cluster[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['cluster', field],
            message: 'must be left out when mode is new, but it is set (the new cluster registers itself in-cluster, in a resource group of its name)',
          });
        }
      }
    }
    if (mode === 'existing' && cluster.server !== undefined && cluster.caData === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'caData'],
        message: 'must be set when cluster.server is set, but it is missing (Argo CD needs the AKS cluster CA to trust its API server)',
      });
    }
    const poolSizeProblem = atLeastProblem(cluster.nodePool.maxCount, cluster.nodePool.minCount, 'nodePool.minCount');
    if (poolSizeProblem) ctx.addIssue({ code: 'custom', path: ['cluster', 'nodePool', 'maxCount'], message: poolSizeProblem });
    const managementPath = request.gitopsRepo.managementPath;
    if (managementPath === CLUSTERS_DIR || managementPath.startsWith(`${CLUSTERS_DIR}/`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['gitopsRepo', 'managementPath'],
        message: `must be outside "${CLUSTERS_DIR}/", but it is ${show(managementPath)} (the management cluster must never sync a new cluster's own Secret)`,
      });
    }
    const seen = new Set<string>();
    request.workloads.forEach((workload, index) => {
      const max = workloadNameMaxLength(cluster.name);
      if (workload.name.length > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', index, 'name'],
          message: `must be at most ${max} characters with cluster name ${show(cluster.name)} (the Application is named <cluster>-<workload>), but it has ${workload.name.length}`,
        });
      }
      if (seen.has(workload.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', index, 'name'],
          message: `must be unique among workloads, but ${show(workload.name)} is used twice`,
        });
      }
      seen.add(workload.name);
    });
  });

/** The form's values as a person types them. */
export type EnvironmentRequestInput = z.input<typeof environmentRequestSchema>;
/** A validated request with every default applied. */
export type EnvironmentRequest = z.output<typeof environmentRequestSchema>;
export type Workload = EnvironmentRequest['workloads'][number];

export interface FieldIssue {
  /** Dotted path such as `cluster.name` or `workloads[0].namespace`. */
  field: string;
  message: string;
}

export class EnvironmentRequestError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'EnvironmentRequestError';
  }
}

export function formatIssue(issue: FieldIssue): string {
  return `${issue.field || '(request)'}: ${issue.message}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value === "string" ? show(value) : `${typeof value} ${String(value)}`;
}

const ARTICLE: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' };

function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const field = fieldPath(issue.path);
    if (issue.input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys') {
      return [{ field, message: 'is required, but it is missing' }];
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          field: fieldPath([...issue.path, key]),
          message: 'must not be set, but it is (it is not a field of the environment request)',
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
            message: `must be one of ${issue.values.map((v) => String(v)).join(' | ')}, but it is ${show(issue.input)}`,
          },
        ];
      case 'invalid_union':
        // Only `system` is a union: empty, or an entity reference; report the reference rule.
        return toFieldIssues(new z.ZodError(issue.errors.at(-1) ?? [])).map((inner) => ({ ...inner, field }));
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        const what = issue.origin === 'array' ? `a list of ${bound} entries` : bound;
        return [{ field, message: `must be ${what}, but it is ${describeType(issue.input)}` }];
      }
      default:
        return [{ field, message: issue.message }];
    }
  });
}

/** Validates the form's values and applies every default; throws {@link EnvironmentRequestError}. */
export function parseEnvironmentRequest(input: unknown): EnvironmentRequest {
  const result = environmentRequestSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new EnvironmentRequestError(toFieldIssues(result.error));
  return result.data;
}
