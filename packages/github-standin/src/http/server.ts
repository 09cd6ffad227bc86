/**
 * The HTTP server, on Hono: one loopback port laid out like GitHub Enterprise —
 *   /api/v3/...        REST        /api/graphql   GraphQL
 *   /raw/o/r/ref/path  raw files   /_codeload/... archives (where the tarball redirects)
 *   /o/r/pull/n, /o/r/tree|blob/... web pages (web.ts)
 * Each route is a chain of the middleware in `middleware.ts` ending in its handler.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { Authenticator } from '../auth';
import type { FaultInjector } from '../faults';
import { GitError, SHA_PATTERN } from '../git/repository';
import { executeGraphql, graphqlRoot } from '../graphql/github';
import type { OpenApiValidator } from '../openapi/validator';
import {
  ApiError,
  isRecord,
  operationOf,
  type RestResponse,
  type RestRoute,
} from '../rest/api';
import { restRoutes } from '../rest/routes';
import type { Urls } from '../rest/shapes';
import { NotFoundError, type StandinState } from '../state';
import { webPages } from '../web';
import {
  authenticate,
  faults,
  hostCheck,
  jsonBody,
  openApi,
  rateLimiter,
  type RequestLogEntry,
  requestLog,
  sendError,
  sendJson,
  type StandinContext,
  type StandinEnv,
} from './middleware';

export interface AppOptions {
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

/** Hono paths of a REST pattern: `*name` is the rest of the path, `*name?` the rest or nothing. */
function honoPaths(pattern: string): string[] {
  const rest = /\/\*(\w+)(\?)?$/.exec(pattern);
  if (!rest) return [pattern];
  const base = pattern.slice(0, rest.index);
  return rest[2]
    ? [base, `${base}/:${rest[1]}{.*}`]
    : [`${base}/:${rest[1]}{.+}`];
}

/** Runs a REST route's handler and writes its answer; GitHub's errors come back as thrown. */
function rest(c: StandinContext, route: RestRoute): Response {
  let result: RestResponse;
  try {
    const app = c.get('app');
    result = route.handler({
      method: c.req.method,
      // a trailing slash leaves the rest empty: `contents/` is the root
      params: Object.fromEntries(
        Object.entries(c.req.param()).map(([k, v]) => [
          k,
          v.replace(/\/+$/, ''),
        ]),
      ),
      query: new URL(c.req.url).searchParams,
      body: c.get('body'),
      headers: c.env.incoming.headers,
      identity: c.get('identity'),
      ...(app ? { app } : {}),
    });
  } catch (thrown) {
    const error =
      thrown instanceof GitError
        ? new ApiError(422, thrown.message)
        : thrown instanceof NotFoundError
          ? new ApiError(404, 'Not Found')
          : thrown;
    if (!(error instanceof ApiError)) throw error;
    result = {
      status: error.status,
      body: error.body(),
      headers: error.headers,
    };
  }
  const patch = c.get('responsePatch');
  if (patch && isRecord(result.body))
    result = { ...result, body: { ...result.body, ...patch } };
  c.set('rest', result);
  if (!result.raw)
    return sendJson(c, result.status, result.body, result.headers);
  return c.body(new Uint8Array(result.raw.data), result.status as 200, {
    'content-type': result.raw.contentType,
    'x-github-media-type': 'github.v3; param=raw',
    ...result.headers,
  });
}

export function standinApp(options: AppOptions): Hono<StandinEnv> {
  const { state, urls, auth, validator, log } = options;
  const rate = rateLimiter(5000);
  const routed = (route: string) => faults(options.faults, route);
  const app = new Hono<StandinEnv>();
  app.use('*', hostCheck(), requestLog(options.record));
  for (const route of restRoutes({ state, urls, auth }))
    app.on(
      route.method,
      honoPaths(`/api/v3${route.pattern}`),
      routed(route.pattern),
      authenticate(auth, rate, route.auth === 'app' ? 'app' : 'token'),
      jsonBody(),
      etag({ weak: true }),
      ...(validator ? [openApi(validator, operationOf(route), log)] : []),
      c => rest(c, route),
    );
  app.post(
    '/api/graphql',
    routed('/graphql'),
    authenticate(auth, rate, 'graphql'),
    jsonBody(),
    c => {
      const payload = c.get('body');
      if (!isRecord(payload) || typeof payload.query !== 'string')
        return sendJson(c, 200, {
          errors: [
            {
              message:
                'A query attribute must be specified and must be a string.',
            },
          ],
        });
      const { query, variables, operationName } = payload;
      return sendJson(
        c,
        200,
        executeGraphql(
          query,
          isRecord(variables) ? variables : {},
          typeof operationName === 'string' ? operationName : undefined,
          graphqlRoot(state, urls),
        ),
      );
    },
  );
  // Like raw.githubusercontent.com: a private repository needs a valid token, and hides otherwise.
  app.get('/raw/:owner/:repo/:path{.+}', routed('/raw/:owner/:repo/*'), c => {
    const { owner, repo: name, path } = c.req.param();
    const repo = state.repo(owner, name);
    const split = repo?.git.splitRefAndPath(path.split('/'));
    const commit = split && repo?.git.commit(split.sha);
    const found = commit && repo?.git.entryAt(commit.tree, split.path);
    if (
      !repo ||
      !found ||
      ['040000', '160000'].includes(found.mode) ||
      (repo.private && !auth.authenticate(c.req.header('authorization')).ok)
    )
      return c.text('404: Not Found', 404);
    return c.body(
      new Uint8Array(repo.git.blob(found.sha) ?? Buffer.alloc(0)),
      200,
      {
        'content-type': 'text/plain; charset=utf-8',
        etag: `"${found.sha}"`,
      },
    );
  });
  app.get(
    '/_codeload/:owner/:repo/legacy.tar.gz/:sha',
    routed('/_codeload/:owner/:repo/legacy.tar.gz/:sha'),
    c => {
      const { owner, repo: name, sha } = c.req.param();
      const repo = state.repo(owner, name);
      if (!repo || !SHA_PATTERN.test(sha) || !repo.git.commit(sha))
        return c.text('404: Not Found', 404);
      // GitHub's layout: every entry under `<owner>-<repo>-<short sha>/`
      const root = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}`;
      return c.body(new Uint8Array(repo.git.archive(sha, root)), 200, {
        'content-type': 'application/x-gzip',
        'content-disposition': `attachment; filename=${root}.tar.gz`,
        etag: `"${sha}"`,
      });
    },
  );
  webPages(app, state, auth.user, routed);
  app.notFound(c => {
    const { path } = c.get('entry');
    if (!path.startsWith('/api/')) return c.text('404: Not Found', 404);
    log(`[github-standin] no route for ${c.req.method} ${path}: answered 404`);
    return sendError(c, 404, 'Not Found');
  });
  app.onError((error, c) => {
    log(`[github-standin] internal error: ${error.stack ?? error.message}`);
    return sendError(c, 500, `Stand-in failure: ${error.message}`);
  });
  return app;
}

/** Serves the app on 127.0.0.1 (`port` 0: a free one); resolves with the server and its port. */
export async function listen(
  app: Hono<StandinEnv>,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      { fetch: app.fetch, port, hostname: '127.0.0.1' },
      () => resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  });
  server.keepAliveTimeout = 5_000;
  return { server, port: (server.address() as AddressInfo).port };
}
