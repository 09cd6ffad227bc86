/**
 * A test-only sign-in provider, for tests of the production profile (guest sign-in is off there):
 * GET /api/auth/portal-tests/refresh with `x-portal-test-user: <name>` signs in as
 * user:default/<name>. It stands in for the organisation's provider (GitHub, Entra ID) and for
 * nothing else: the resolver is Backstage's own `signInWithCatalogUser`, so the auth backend looks
 * the User up in the catalog, takes its groups from the catalog's memberOf relations as ownership
 * refs, and issues the token with its own signing keys, as it does for a real provider's user. The
 * backend then verifies that token as it would any user's. Only testing/permissionsBackend.ts adds
 * this module; the portal's features never do.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { TEST_PROVIDER_ID, TEST_USER_HEADER } from './testSignIn';

export const authModuleTestSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'portal-tests-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: TEST_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const name = req.header(TEST_USER_HEADER);
                if (!name)
                  throw new AuthenticationError(
                    `${TEST_USER_HEADER}: must name a catalog User, but the header is missing`,
                  );
                return { result: { name } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.name } }),
          }),
        });
      },
    });
  },
});
