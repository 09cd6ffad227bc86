/**
 * The portal's backend (features.ts) plus the test-only sign-in provider (testSignInModule.ts), for
 * tests that need real user tokens on the production profile: `startPortal({ entry })`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalFeatures } from '@aks-gitops/backend/features';
import { authModuleTestSignIn } from './testSignInModule';

const backend = createBackend();
for (const feature of portalFeatures()) backend.add(feature);
backend.add(authModuleTestSignIn);
backend.start();
