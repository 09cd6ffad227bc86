import { hostCheckedRootHttpRouter } from './hostCheck';

/**
 * The portal's backend features: Backstage's catalog, scaffolder, guest sign-in, events and permissions, the
 * aks-gitops modules, and the built web app (packages/app) served on the same origin, behind a
 * root HTTP router that answers only the portal's own host names (hostCheck.ts). Shared by
 * the portal's entry (index.ts) and backends that add to it (bench/backend.ts).
 */
export function portalFeatures() {
  return [
    hostCheckedRootHttpRouter,
    import('@backstage/plugin-app-backend'),
    import('@backstage/plugin-auth-backend'),
    import('@backstage/plugin-auth-backend-module-guest-provider'),
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
    import('@backstage/plugin-events-backend'),
    // The permission framework and the portal's policy (on with `permission.enabled`, as in production).
    import('@backstage/plugin-permission-backend'),
    import('@aks-gitops/plugin-permission-backend-module-aks-gitops'),
    import('@backstage/plugin-scaffolder-backend'),
    import('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops'),
    import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'),
  ];
}
