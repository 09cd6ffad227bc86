/**
 * The portal's permission policy for Backstage's permission framework.
 * Install: `backend.add(import('@backstage/plugin-permission-backend'))` and
 * `backend.add(import('@aks-gitops/plugin-permission-backend-module-aks-gitops'))`, then
 * `permission.enabled: true` and `aksGitops.permissions.adminGroups` in the config.
 */
export { permissionModuleAksGitops as default } from './module';
export {
  AksGitopsPermissionPolicy,
  ADMIN_ONLY_PERMISSIONS,
  USER_PERMISSIONS,
  readAdminGroups,
} from './policy';
