/** GitHub App endpoints: list installations and mint installation tokens (JWT-authenticated). */
import type { AppConfig, AppInstallationConfig } from '../auth';
import { isoSeconds } from '../git/repository';
import { nodeId, stableId } from '../state';
import {
  ApiError,
  intParam,
  notFound,
  ok,
  paginate,
  type RestContext,
  type RestRequest,
  type RestRoute,
} from './api';
import { ownerIdentity, userJson } from './shapes';

const PERMISSIONS = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  metadata: 'read',
};

function appOf(request: RestRequest): AppConfig {
  if (!request.app)
    throw new ApiError(401, 'A JSON web token could not be decoded');
  return request.app;
}

export function installationsOf(
  context: RestContext,
  app: AppConfig,
): AppInstallationConfig[] {
  return (
    app.installations ??
    context.state.owners().map(account => ({
      id: stableId('installation', `${app.id}/${account}`),
      account,
    }))
  );
}

export function appRoutes(context: RestContext): RestRoute[] {
  const { urls, auth } = context;

  const installationJson = (
    app: AppConfig,
    installation: AppInstallationConfig,
  ): Record<string, unknown> => {
    const account = userJson(urls, ownerIdentity(installation.account));
    const stamp = isoSeconds(new Date(0));
    return {
      id: installation.id,
      // the description asks for both a user and an enterprise here
      account: {
        ...account,
        name: installation.account,
        slug: installation.account,
        created_at: stamp,
        updated_at: stamp,
        description: null,
        website_url: null,
      },
      repository_selection: 'all',
      access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${urls.api}/installation/repositories`,
      html_url: `${urls.web}/settings/installations/${installation.id}`,
      app_id: app.id,
      app_slug: auth.slugOf(app),
      target_id: stableId('user', installation.account),
      target_type: 'User',
      permissions: PERMISSIONS,
      events: [],
      created_at: stamp,
      updated_at: stamp,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
      client_id: app.clientId ?? `Iv1.${nodeId('App', app.id).slice(0, 16)}`,
    };
  };

  return [
    {
      method: 'GET',
      pattern: '/app/installations',
      auth: 'app',
      handler: request => {
        const app = appOf(request);
        const all = installationsOf(context, app).map(installation =>
          installationJson(app, installation),
        );
        const { page, headers } = paginate(
          all,
          request,
          `${urls.api}/app/installations`,
        );
        return ok(page, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/app/installations/:installation_id/access_tokens',
      auth: 'app',
      handler: request => {
        const app = appOf(request);
        const id = intParam(request, 'installation_id');
        if (
          !installationsOf(context, app).some(
            installation => installation.id === id,
          )
        )
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
