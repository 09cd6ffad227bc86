/**
 * The permission policy's say on changing or decommissioning one cluster, asked with the task
 * user's credentials before anything is read from or written to GitHub. The portal's policy
 * (plugins/permission-backend-module-aks-gitops) lets admins and the cluster's owners through.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { clusterEntityRef } from '@aks-gitops/plugin-aks-gitops-common';
import {
  environmentChangePermission,
  environmentDecommissionPermission,
} from '@aks-gitops/plugin-aks-gitops-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

const PERMISSION_OF = {
  change: environmentChangePermission,
  decommission: environmentDecommissionPermission,
};

/** Refuses, naming `field` and the permission, a user the policy does not allow on the cluster's entity. */
export async function authorizeClusterOperation(options: {
  permissions: PermissionsService;
  operation: keyof typeof PERMISSION_OF;
  cluster: string;
  field: string;
  credentials: BackstageCredentials;
}): Promise<void> {
  const { permissions, operation, cluster, field, credentials } = options;
  const permission = PERMISSION_OF[operation];
  const resourceRef = clusterEntityRef(cluster);
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef }],
    { credentials },
  );
  if (decision?.result !== AuthorizeResult.ALLOW)
    throw new NotAllowedError(
      `${field}: must be a cluster you may ${operation}, but the permission policy denies you ${permission.name} on ${resourceRef}`,
    );
}
