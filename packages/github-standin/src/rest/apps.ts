/** GitHub App endpoints: list installations and mint installation tokens (JWT-authenticated). */
import { isoSeconds } from '../git/repository';
import type { StandinContext } from '../http/middleware';
import { stableId } from '../state';
import {
  ApiError,
  intParam,
  notFound,
  reply,
  type RestContext,
  type RestHandler,
  type RestRoutes,
} from './api';
import { example, userJson } from './shapes';

const PERMISSIONS = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  metadata: 'read',
};

/** Authenticated by the app's JWT (http/server.ts authenticates /app routes so). */
export function appRoutes({
  urls,
  auth,
  state,
}: RestContext): RestRoutes<RestHandler> {
  /** The app whose JWT authenticated the request, and its installations: without configured ones, every owner. */
  const installationsOf = (c: StandinContext) => {
    const { app } = c.var;
    if (!app) throw new ApiError(401, 'A JSON web token could not be decoded');
    const installations =
      app.installations ??
      state.owners().map(account => ({
        id: stableId('installation', `${app.id}/${account}`),
        account,
      }));
    return { app, installations };
  };
  const stamp = isoSeconds(new Date(0));

  return {
    'GET /app/installations': c => {
      const { app, installations } = installationsOf(c);
      return reply(
        c,
        installations.map(({ id, account }) => ({
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
    'POST /app/installations/:installation_id/access_tokens': c => {
      const { app, installations } = installationsOf(c);
      const id = intParam(c, 'installation_id');
      if (!installations.some(installation => installation.id === id))
        throw notFound();
      const { token, expiresAt } = auth.issueInstallationToken(app);
      return reply(
        c,
        {
          token,
          expires_at: isoSeconds(expiresAt),
          permissions: PERMISSIONS,
          repository_selection: 'all',
        },
        201,
      );
    },
  };
}
