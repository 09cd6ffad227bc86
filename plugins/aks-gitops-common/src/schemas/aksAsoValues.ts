import { z } from 'zod';

/**
 * Values of the ASO API version azure-aks-aso 0.4.3 renders (values.yaml:
 * `managedClusterAPIVersion` and `managedMachinePoolAPIVersion` are both v1api20231001); the enums
 * below are that version's (azure-service-operator v2/api/containerservice/v1api20231001).
 */
const OS_SKUS = ['AzureLinux', 'Ubuntu'] as const;
const ZONES = ['1', '2', '3'] as const;

const machinePool = z.strictObject({
  count: z.number().int().min(1),
  enableAutoScaling: z.boolean(),
  minCount: z.number().int().min(1),
  maxCount: z.number().int().min(1),
  mode: z.enum(['System', 'User']),
  osSKU: z.enum(OS_SKUS),
  vmSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/),
  type: z.literal('VirtualMachineScaleSets'),
  availabilityZones: z.array(z.enum(ZONES)).min(1).optional(),
});

/**
 * The ManagedCluster settings we set; Helm merges them over the chart's `managedClusterSpec`
 * defaults (sku, autoUpgradeProfile, identity, ...), which stay as they are otherwise.
 */
const managedClusterSpec = z.strictObject({
  // Git holds the Kubernetes version (`kubernetesVersion`): AKS must not upgrade it by itself.
  // Node images still get their security updates.
  autoUpgradeProfile: z.strictObject({
    upgradeChannel: z.literal('none'),
    nodeOSUpgradeChannel: z.literal('NodeImage'),
  }),
  oidcIssuerProfile: z.strictObject({ enabled: z.literal(true) }),
  securityProfile: z.strictObject({
    workloadIdentity: z.strictObject({ enabled: z.literal(true) }),
  }),
  sku: z.strictObject({
    name: z.literal('Base'),
    tier: z.enum(['Free', 'Standard']),
  }),
});

/**
 * The values we pass to the azure-aks-aso chart. Its templates print `location` unquoted and use
 * the other values in names, so each is held to a pattern that cannot break its YAML.
 */
export const aksAsoValuesSchema = z.strictObject({
  clusterName: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
    .max(63),
  location: z.string().regex(/^[a-z][a-z0-9]+$/),
  subscriptionID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  tenantID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  clientID: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  authMode: z.literal('workloadidentity'),
  kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
  clusterClassName: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
    .max(63),
  withClusterClass: z.literal(true),
  withClusterTopology: z.literal(true),
  managedClusterSpec,
  // `null` deletes a chart default pool (Helm's rule); the chart always defines pool1.
  managedMachinePoolSpecs: z.record(
    z.string().regex(/^[a-z][a-z0-9]{0,11}$/),
    machinePool.nullable(),
  ),
});

export type AksAsoValues = z.infer<typeof aksAsoValuesSchema>;
