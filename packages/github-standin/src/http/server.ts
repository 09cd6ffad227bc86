/**
 * The HTTP server on Hono, one loopback port laid out like GitHub Enterprise: REST under /api/v3,
 * GraphQL at /api/graphql, the rest in web.ts; each route a chain of `middleware.ts`'s middleware.
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import type { Authenticator } from '../auth';
import type { FaultInjector } from '../faults';
import { GitError } from '../git/repository';
import { executeGraphql, graphqlRoot } from '../graphql/github';
import type { OpenApiValidator } from '../openapi/validator';
import {
  ApiError,
  isRecord,
  notFound,
  reply,
  sendError,
  sendJson,
} from '../rest/api';
import { operationOf, restRoutes, routeName } from '../rest/routes';
import type { Urls } from '../rest/shapes';
import type { StandinState } from '../state';
import { webRoutes } from '../web';
import {
  authentication,
  faults,
  hostCheck,
  jsonBody,
  type RequestLogEntry,
  requestLog,
  type StandinEnv,
} from './middleware';

export interface AppOptions {
  /** 0: a free one. */
  port: number;
  state: StandinState;
  /** Filled in once the server listens. */
  urls: Urls;
  auth: Authenticator;
  faults: FaultInjector;
  validator?: OpenApiValidator;
  /** Unmatched routes, validation failures and internal errors. */
  log: (line: string) => void;
  /** Every request once answered. */
  record: (entry: RequestLogEntry) => void;
}

/** Builds the app and serves it on 127.0.0.1. */
export async function serve(options: AppOptions): Promise<Server> {
  const { state, urls, auth, validator, log } = options;
  const authenticate = authentication(auth);
  const routed = (route: string) => faults(options.faults, route);
  const app = new Hono<StandinEnv>();
  app.use('*', hostCheck, requestLog(options.record));
  const rest = new Hono<StandinEnv>();
  for (const [route, handler] of Object.entries(restRoutes(options))) {
    const [method = '', path = ''] = route.split(' ');
    rest.on(
      method,
      path,
      routed(routeName(path)),
      authenticate(path.startsWith('/app/') ? 'app' : 'token'),
      etag({ weak: true }),
      jsonBody(validator && { validator, operation: operationOf(route), log }),
      handler,
    );
  }
  // a REST handler's refusal (a git refusal is 422) is answered as its answers are: through
  // reply(), a fault's patch and the response check; anything else is the app's 500 below
  rest.onError((thrown, c) => {
    const error =
      thrown instanceof GitError ? new ApiError(422, thrown.message) : thrown;
    if (!(error instanceof ApiError)) throw error;
    return reply(c, error.body(), error.status, error.headers);
  });
  app.route('/api/v3', rest);
  app.post(
    '/api/graphql',
    routed('/graphql'),
    authenticate('graphql'),
    jsonBody(),
    c => {
      const payload = c.get('body');
      if (!isRecord(payload) || typeof payload.query !== 'string') {
        const message =
          'A query attribute must be specified and must be a string.';
        return sendJson(c, 200, { errors: [{ message }] });
      }
      const { query, variables, operationName } = payload;
      const result = executeGraphql(
        query,
        isRecord(variables) ? variables : {},
        typeof operationName === 'string' ? operationName : undefined,
        graphqlRoot(state, urls),
      );
      return sendJson(c, 200, result);
    },
  );
  webRoutes(app, state, auth, routed);
  app.notFound(c => {
    const { path } = c.get('entry');
    if (!path.startsWith('/api/')) return c.text('404: Not Found', 404);
    log(`[github-standin] no route for ${c.req.method} ${path}: answered 404`);
    return sendError(c, notFound());
  });
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse(); // hono/csrf's 403
    log(`[github-standin] internal error: ${error.stack ?? error.message}`);
    const message = `Stand-in failure: ${error.message}`;
    return sendError(c, new ApiError(500, message));
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((listening, failed) =>
    server.once('error', failed).listen(options.port, '127.0.0.1', listening),
  );
  server.keepAliveTimeout = 5_000;
  return server;
}
