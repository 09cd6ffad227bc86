import { z } from 'zod';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
  .max(63);

/**
 * ClusterResourceSet (addons.cluster.x-k8s.io/v1beta1) as we emit it: the fields we use, each
 * required, and nothing else. Tests also check it against the upstream CRD.
 */
export const clusterResourceSetSchema = z.strictObject({
  apiVersion: z.literal('addons.cluster.x-k8s.io/v1beta1'),
  kind: z.literal('ClusterResourceSet'),
  metadata: z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel,
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
  }),
  spec: z.strictObject({
    // An empty selector is refused by cluster-api's webhook; it would select every Cluster.
    clusterSelector: z
      .strictObject({ matchLabels: z.record(z.string(), z.string()) })
      .refine(
        s => Object.keys(s.matchLabels).length > 0,
        'must select by at least one label',
      ),
    resources: z
      .array(z.strictObject({ kind: z.literal('Secret'), name: dnsLabel }))
      .min(1),
    strategy: z.literal('Reconcile'),
  }),
});

export type ClusterResourceSet = z.infer<typeof clusterResourceSetSchema>;
