/**
 * The portal's backend: Backstage's new backend system with the portal's features (features.ts).
 * Configured by app-config.yaml (SQLite, the local GitHub stand-in) or app-config.production.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from './features';

const backend = createBackend();
for (const feature of portalFeatures()) backend.add(feature);
backend.start();
