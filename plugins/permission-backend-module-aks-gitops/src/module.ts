import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  ADMIN_GROUPS_KEY,
  AksGitopsPermissionPolicy,
  readAdminGroups,
} from './policy';

/**
 * Sets the portal's permission policy: `backend.add(import('@aks-gitops/plugin-permission-backend-module-aks-gitops'))`.
 *
 * @public
 */
export const permissionModuleAksGitops = createBackendModule({
  pluginId: 'permission',
  moduleId: 'aks-gitops-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({ policy, config, userInfo, logger }) {
        const adminGroups = readAdminGroups(config);
        if (
          config.getOptionalBoolean('permission.enabled') &&
          adminGroups.length === 0
        ) {
          logger.warn(
            `${ADMIN_GROUPS_KEY} is empty: nobody may dry-run templates, register locations or delete entities`,
          );
        }
        policy.setPolicy(new AksGitopsPermissionPolicy(adminGroups, userInfo));
      },
    });
  },
});
