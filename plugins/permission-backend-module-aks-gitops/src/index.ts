/**
 * The portal's permission policy for Backstage's permission framework.
 * Install: `backend.add(import('@backstage/plugin-permission-backend'))` and
 * `backend.add(import('@aks-gitops/plugin-permission-backend-module-aks-gitops'))`, then
 * `permission.enabled: true` and `aksGitops.permissions.adminGroups` in the config.
 *
 * @packageDocumentation
 */
export { permissionModuleAksGitops as default } from './module';
export { ADMIN_ONLY_PERMISSIONS, USER_PERMISSIONS } from './policy';
