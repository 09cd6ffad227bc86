/** Every REST route the stand-in serves, relative to /api/v3. */
import { Authenticator } from '../auth';
import { StandinState } from '../state';
import { operationOf, type RestContext, type RestRoute } from './api';
import { appRoutes } from './apps';
import { gitRoutes } from './git';
import { pullRoutes } from './pulls';
import { repoRoutes } from './repos';

export function restRoutes(context: RestContext): RestRoute[] {
  return [
    ...repoRoutes(context),
    ...gitRoutes(context),
    ...pullRoutes(context),
    ...appRoutes(context),
  ];
}

/**
 * The OpenAPI operations (`get /repos/{owner}/{repo}`) the routes serve, in route order: what
 * scripts/generate-openapi-subset.mjs copies from GitHub's description.
 */
export function servedOperations(): string[] {
  const user = { login: 'standin-user', type: 'User' } as const;
  const state = new StandinState(() => new Date(), user);
  const auth = new Authenticator([], [], user, () => new Date());
  return restRoutes({ state, urls: { web: '', api: '' }, auth }).map(
    operationOf,
  );
}
