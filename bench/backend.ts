/**
 * bench:e2e's backend: the portal's features plus Backstage's GitHub scaffolder module, whose
 * publish:github:pull-request the built-in template (bench/builtin-template) needs. Only the
 * benchmark runs it; the portal itself does not ship the module.
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from '@aks-gitops/backend/features';

const backend = createBackend();
for (const feature of portalFeatures()) backend.add(feature);
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.start();
