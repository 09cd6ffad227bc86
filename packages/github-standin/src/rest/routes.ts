/** Every REST route the stand-in serves, relative to /api/v3. */
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
 * scripts/generate-openapi-subset.mjs copies from GitHub's description. Only handlers read the
 * context, so listing the routes needs none.
 */
export function servedOperations(): string[] {
  return restRoutes({} as RestContext).map(operationOf);
}
