/**
 * What changing or decommissioning an environment asks of the permission policy: resource
 * permissions on the cluster's catalog entity, so a policy can answer with the catalog's own
 * conditions (`catalogConditions.isEntityOwner`, @backstage/plugin-catalog-backend 4.0.0 alpha),
 * which the permission backend applies to the entity named in the request (resourceRef).
 */
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Opening a pull request that changes an existing environment (aks-gitops:environment:change).
 *
 * @public
 */
export const environmentChangePermission = createPermission({
  name: 'aks-gitops.environment.change',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Opening a pull request that removes an environment (aks-gitops:environment:decommission).
 *
 * @public
 */
export const environmentDecommissionPermission = createPermission({
  name: 'aks-gitops.environment.decommission',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Both, for a policy that lists what it has reviewed.
 *
 * @public
 */
export const aksGitopsPermissions = [
  environmentChangePermission,
  environmentDecommissionPermission,
];
