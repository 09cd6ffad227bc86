/** Every REST route the stand-in serves, relative to /api/v3: http/server.ts registers them. */
import {
  notFound,
  type RestContext,
  type RestHandler,
  type RestRoutes,
} from './api';
import { appRoutes } from './apps';
import { gitRoutes } from './git';
import { pullRoutes } from './pulls';
import { repoRoutes } from './repos';

export function restRoutes(context: RestContext): RestRoutes<RestHandler> {
  const inRepo = {
    ...repoRoutes(context),
    ...gitRoutes(context),
    ...pullRoutes(context),
  };
  const routes: RestRoutes<RestHandler> = {};
  for (const [route, handler] of Object.entries(inRepo))
    routes[route] = c => {
      const { owner = '', repo = '' } = c.req.param();
      const found = context.state.repo(owner, repo);
      if (!found) throw notFound();
      return handler(c, found);
    };
  return { ...routes, ...appRoutes(context) };
}

/** A route's name in the request log and in fault rules: its path, the rest of the path `*name`. */
export function routeName(path: string): string {
  return path.replace(/:(\w+)\{[^}]+\}/, '*$1');
}

/** The route's `method path` key in the OpenAPI description: `post /repos/{owner}/{repo}/git/trees`. */
export function operationOf(route: string): string {
  const [method = '', path = ''] = route.split(' ');
  return `${method.toLowerCase()} ${routeName(path).replace(/[:*](\w+)\??/g, '{$1}')}`;
}

/**
 * The OpenAPI operations (`get /repos/{owner}/{repo}`) the routes serve, in route order: what
 * scripts/generate-openapi-subset.mjs copies from GitHub's description. Only handlers read the
 * context, so listing the routes needs none.
 */
export function servedOperations(): string[] {
  return Object.keys(restRoutes({} as RestContext)).map(operationOf);
}
