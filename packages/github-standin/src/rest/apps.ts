/** GitHub App endpoints: list installations and mint installation tokens (JWT-authenticated). */
import type { AppConfig, AppInstallationConfig } from '../auth';
import { isoSeconds } from '../git/repository';
import { stableId } from '../state';
import {
  ApiError,
  intParam,
  notFound,
  ok,
  type RestContext,
  type RestRequest,
  type RestRoute,
} from './api';
import { example, userJson } from './shapes';

const PERMISSIONS = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  metadata: 'read',
};

export function appRoutes(context: RestContext): RestRoute[] {
  const { urls, auth, state } = context;
  const appOf = (request: RestRequest): AppConfig => {
    if (!request.app)
      throw new ApiError(401, 'A JSON web token could not be decoded');
    return request.app;
  };
  /** Without configured installations, an app is installed on every owner. */
  const installations = (app: AppConfig): AppInstallationConfig[] =>
    app.installations ??
    state.owners().map(account => ({
      id: stableId('installation', `${app.id}/${account}`),
      account,
    }));

  return [
    {
      method: 'GET',
      pattern: '/app/installations',
      auth: 'app',
      handler: request => {
        const app = appOf(request);
        const stamp = isoSeconds(new Date(0));
        return ok(
          installations(app).map(({ id, account }) => ({
            ...example<object>(urls, ['base-installation-items', 0], {
              '/installations/1': `/installations/${id}`,
            }),
            id,
            // the description asks for both a user and an enterprise here
            account: {
              ...userJson(urls, { login: account, type: 'User' }),
              name: account,
              slug: account,
              created_at: stamp,
              updated_at: stamp,
              description: null,
              website_url: null,
            },
            repository_selection: 'all',
            app_id: app.id,
            app_slug: auth.slugOf(app),
            target_id: stableId('user', account),
            target_type: 'User',
            permissions: PERMISSIONS,
          })),
        );
      },
    },
    {
      method: 'POST',
      pattern: '/app/installations/:installation_id/access_tokens',
      auth: 'app',
      handler: request => {
        const app = appOf(request);
        const id = intParam(request, 'installation_id');
        if (!installations(app).some(installation => installation.id === id))
          throw notFound();
        const token = auth.issueInstallationToken(app, id);
        return ok(
          {
            token: token.token,
            expires_at: isoSeconds(token.expiresAt),
            permissions: PERMISSIONS,
            repository_selection: 'all',
          },
          {},
          201,
        );
      },
    },
  ];
}
