import { z } from 'zod';

const machinePool = z.strictObject({
  count: z.number().int().min(1),
  enableAutoScaling: z.boolean(),
  minCount: z.number().int().min(1),
  maxCount: z.number().int().min(1),
  mode: z.enum(['System', 'User']),
  osSKU: z.string().regex(/^[A-Za-z0-9]+$/),
  vmSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/),
  type: z.literal('VirtualMachineScaleSets'),
});

/**
 * The values we pass to the azure-aks-aso chart. Its templates print `location` unquoted and use
 * the other values in names, so each is held to a pattern that cannot break its YAML.
 */
export const aksAsoValuesSchema = z.strictObject({
  clusterName: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/).max(63),
  location: z.string().regex(/^[a-z][a-z0-9]+$/),
  subscriptionID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  tenantID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  clientID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  authMode: z.literal('workloadidentity'),
  kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
  clusterClassName: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/).max(63),
  withClusterClass: z.literal(true),
  withClusterTopology: z.literal(true),
  // `null` deletes a chart default pool (Helm's rule); the chart always defines pool1.
  managedMachinePoolSpecs: z.record(z.string().regex(/^[a-z][a-z0-9]{0,11}$/), machinePool.nullable()),
});

export type AksAsoValues = z.infer<typeof aksAsoValuesSchema>;
