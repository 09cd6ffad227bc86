import {
  coreServices,
  createBackendFeatureLoader,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import { hostCheckedRootHttpRouter } from './hostCheck';

/**
 * Guest sign-in only where `auth.environment` is `development` (app-config.yaml), decided from the
 * configuration and not from NODE_ENV: the guest provider's own guard
 * (dangerouslyAllowOutsideDevelopment) reads NODE_ENV, so a production profile started with
 * NODE_ENV=development signed guests in (issue 9 review, H2). Elsewhere the module is not there
 * at all: /api/auth/guest/* answers 404.
 */
export const guestSignInInDevelopment = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async *loader({ config }) {
    if (guestSignInAllowed(config))
      yield import('@backstage/plugin-auth-backend-module-guest-provider');
  },
});

/** Whether the guest provider is added: only when `auth.environment` says `development` (not when unset). */
export function guestSignInAllowed(
  config: Pick<RootConfigService, 'getOptionalString'>,
): boolean {
  return config.getOptionalString('auth.environment') === 'development';
}

/**
 * The portal's backend features: Backstage's catalog, scaffolder, guest sign-in (development only), events and permissions, the
 * aks-gitops modules, and the built web app (packages/app) served on the same origin, behind a
 * root HTTP router that answers only the portal's own host names (hostCheck.ts). Shared by
 * the portal's entry (index.ts) and backends that add to it (bench/backend.ts).
 */
export function portalFeatures() {
  return [
    hostCheckedRootHttpRouter,
    import('@backstage/plugin-app-backend'),
    import('@backstage/plugin-auth-backend'),
    guestSignInInDevelopment,
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
    import('@backstage/plugin-events-backend'),
    // GitHub's webhooks at /api/events/http/github (signature checked with
    // events.modules.github.webhookSecret), republished as github.<event>.
    import('@backstage/plugin-events-backend-module-github'),
    // Notifications to an environment's owner (the catalog module sends them).
    import('@backstage/plugin-notifications-backend'),
    // The permission framework and the portal's policy (on with `permission.enabled`, as in production).
    import('@backstage/plugin-permission-backend'),
    import('@aks-gitops/plugin-permission-backend-module-aks-gitops'),
    import('@backstage/plugin-scaffolder-backend'),
    import('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops'),
    import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'),
  ];
}
