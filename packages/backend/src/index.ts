/**
 * The portal's backend: Backstage's new backend system with the catalog, the scaffolder, guest
 * sign-in, the aks-gitops modules, and the built web app (packages/app) served on the same origin. Configured by app-config.yaml (SQLite, the local GitHub
 * stand-in) or app-config.production.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@aks-gitops/plugin-scaffolder-backend-module-aks-gitops'));
backend.add(import('@aks-gitops/plugin-catalog-backend-module-aks-gitops'));
backend.start();
