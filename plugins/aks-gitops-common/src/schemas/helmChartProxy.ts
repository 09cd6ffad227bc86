import { z } from 'zod';

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()),
});

/**
 * HelmChartProxy (addons.cluster.x-k8s.io/v1alpha1) as we emit it: the fields we use, each
 * required, and nothing else. Tests also check it against the upstream CRD.
 */
export const helmChartProxySchema = z.strictObject({
  apiVersion: z.literal('addons.cluster.x-k8s.io/v1alpha1'),
  kind: z.literal('HelmChartProxy'),
  metadata: z.strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
      .max(63),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
      .max(63),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
  }),
  spec: z.strictObject({
    // An empty selector would select every Cluster in the namespace.
    clusterSelector: labelSelector.refine(
      s => Object.keys(s.matchLabels).length > 0,
      'must select by at least one label',
    ),
    repoURL: z.url({ protocol: /^https$/ }),
    chartName: z.string().min(1),
    version: z.string().min(1),
    releaseName: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
      .max(53),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
      .max(63),
    // CAAPH v0.3.1 enum: "", InstallOnce, Continuous (unset = Continuous).
    reconcileStrategy: z.literal('InstallOnce').optional(),
    options: z.strictObject({
      wait: z.boolean(),
      waitForJobs: z.boolean(),
      timeout: z.string().regex(/^\d+[smh]$/),
      install: z.strictObject({ createNamespace: z.boolean() }),
    }),
    valuesTemplate: z.string().optional(),
  }),
});

export type HelmChartProxy = z.infer<typeof helmChartProxySchema>;
