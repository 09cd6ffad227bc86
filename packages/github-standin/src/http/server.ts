/**
 * The HTTP server, on Hono: one loopback port laid out like GitHub Enterprise —
 *   /api/v3/...        REST        /api/graphql   GraphQL
 *   /raw/o/r/ref/path  raw files   /_codeload/... archives (where the tarball redirects)
 *   /o/r/pull/n        the pull request page with its Merge and Close buttons
 *   /o/r/tree|blob/... a file or folder ("View source" in the local portal)
 * Each route is a chain of the middleware in `middleware.ts` ending in its handler.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { type AppConfig, Authenticator } from '../auth';
import { FaultInjector } from '../faults';
import { GitError, SHA_PATTERN } from '../git/repository';
import { executeGraphql, graphqlRoot } from '../graphql/github';
import type { OpenApiValidator } from '../openapi/validator';
import {
  ApiError,
  DOCS,
  isRecord,
  operationOf,
  type RestResponse,
  type RestRoute,
} from '../rest/api';
import { restRoutes } from '../rest/routes';
import type { Urls } from '../rest/shapes';
import { type Identity, NotFoundError, type StandinState } from '../state';
import { browsePage, pullAction, pullPage, type WebResponse } from '../web';
import {
  authenticate,
  faults,
  hostCheck,
  jsonBody,
  openApi,
  RateLimiter,
  type RequestLogEntry,
  requestLog,
  sendJson,
  type StandinContext,
  type StandinEnv,
} from './middleware';

export type { LoggedValidationProblem, RequestLogEntry } from './middleware';

export interface ServerOptions {
  port: number;
  tokens: string[];
  apps: AppConfig[];
  validator?: OpenApiValidator;
  log: (line: string) => void;
  onRequest?: (entry: RequestLogEntry) => void;
  state: StandinState;
  user: Identity;
}

/** Requests kept in the log (oldest dropped first). */
const LOG_LIMIT = 10_000;

/** Hono paths of a REST pattern: `*name` is the rest of the path, `*name?` the rest or nothing. */
function honoPaths(pattern: string): string[] {
  const rest = /\/\*(\w+)(\?)?$/.exec(pattern);
  if (!rest) return [pattern];
  const base = pattern.slice(0, rest.index);
  return rest[2]
    ? [base, `${base}/:${rest[1]}{.*}`]
    : [`${base}/:${rest[1]}{.+}`];
}

function sendPage(c: StandinContext, page: WebResponse): Response {
  return c.body(
    typeof page.body === 'string' ? page.body : new Uint8Array(page.body),
    page.status as 200,
    { 'content-type': page.contentType, ...page.headers },
  );
}

export class StandinServer {
  readonly faults = new FaultInjector();
  private readonly log: RequestLogEntry[] = [];
  private readonly auth: Authenticator;
  private readonly rate = new RateLimiter(5000);
  private readonly urls: Urls = { web: '', api: '' };
  /** Put in the pull request page's forms at start: a cross-site page cannot read it (web.ts isOwnForm). */
  private readonly formToken = randomBytes(32).toString('hex');
  private server: Server | undefined;

  constructor(private readonly options: ServerOptions) {
    this.auth = new Authenticator(
      options.tokens,
      options.apps,
      options.user,
      () => options.state.now(),
    );
  }

  private app(): Hono<StandinEnv> {
    const { options, auth, rate } = this;
    const { state } = options;
    const app = new Hono<StandinEnv>();
    app.use(
      '*',
      hostCheck(),
      requestLog(entry => this.record(entry)),
    );
    for (const route of restRoutes({ state, urls: this.urls, auth }))
      app.on(
        route.method,
        honoPaths(`/api/v3${route.pattern}`),
        faults(this.faults, route.pattern),
        authenticate(auth, rate, route.auth === 'app' ? 'app' : 'token'),
        jsonBody(),
        etag({ weak: true }),
        ...(options.validator
          ? [openApi(options.validator, operationOf(route), options.log)]
          : []),
        c => this.rest(c, route),
      );
    app.post(
      '/api/graphql',
      faults(this.faults, '/graphql'),
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
        const root = graphqlRoot(state, this.urls);
        const { query, variables, operationName } = payload;
        return sendJson(
          c,
          200,
          executeGraphql(
            query,
            isRecord(variables) ? variables : {},
            typeof operationName === 'string' ? operationName : undefined,
            root,
          ),
        );
      },
    );
    // Like raw.githubusercontent.com: a private repository needs a valid token, and hides otherwise.
    app.get(
      '/raw/:owner/:repo/:path{.+}',
      faults(this.faults, '/raw/:owner/:repo/*'),
      c => {
        const { owner, repo: name, path } = c.req.param();
        const repo = state.repo(owner, name);
        const split = repo?.git.splitRefAndPath(path.split('/'));
        const commit = split ? repo?.git.commit(split.sha) : undefined;
        const found =
          split && commit
            ? repo?.git.entryAt(commit.tree, split.path)
            : undefined;
        if (
          !repo ||
          (repo.private &&
            !auth.authenticate(c.req.header('authorization')).ok) ||
          !found ||
          found.mode === '040000' ||
          found.mode === '160000'
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
      },
    );
    app.get(
      '/_codeload/:owner/:repo/legacy.tar.gz/:sha',
      faults(this.faults, '/_codeload/:owner/:repo/legacy.tar.gz/:sha'),
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
    app.get(
      '/:owner/:repo/pull/:number',
      faults(this.faults, '/:owner/:repo/pull/:number'),
      c => {
        const { owner, repo, number } = c.req.param();
        return sendPage(
          c,
          pullPage(state, owner, repo, number, this.formToken),
        );
      },
    );
    app.post(
      '/:owner/:repo/pull/:number/:action{merge|close}',
      faults(this.faults, '/:owner/:repo/pull/:number/:action'),
      async c => {
        const form = await c.req.parseBody();
        const { owner, repo, number, action } = c.req.param();
        return sendPage(
          c,
          pullAction(
            state,
            {
              owner,
              repo,
              number,
              action: action === 'merge' ? 'merge' : 'close',
              token: form.token,
              host: c.req.header('host'),
              origin: c.req.header('origin'),
              secFetchSite: c.req.header('sec-fetch-site'),
            },
            this.formToken,
            options.user,
          ),
        );
      },
    );
    app.get(
      '/:owner/:repo/:kind{tree|blob}/:path{.+}',
      faults(this.faults, '/:owner/:repo/:kind/*'),
      c => {
        const { owner, repo, path } = c.req.param();
        return sendPage(c, browsePage(state, owner, repo, path.split('/')));
      },
    );
    app.notFound(c => {
      const { path } = c.get('entry');
      if (!path.startsWith('/api/')) return c.text('404: Not Found', 404);
      options.log(
        `[github-standin] no route for ${c.req.method} ${path}: answered 404`,
      );
      return sendJson(c, 404, {
        message: 'Not Found',
        documentation_url: DOCS,
        status: '404',
      });
    });
    app.onError((error, c) => {
      options.log(
        `[github-standin] internal error: ${error.stack ?? error.message}`,
      );
      return sendJson(c, 500, {
        message: `Stand-in failure: ${error.message}`,
        documentation_url: DOCS,
        status: '500',
      });
    });
    return app;
  }

  /** Runs a REST route's handler and writes its answer; GitHub's errors come back as thrown. */
  private rest(c: StandinContext, route: RestRoute): Response {
    let result: RestResponse;
    try {
      const app = c.get('app');
      const params = Object.fromEntries(
        // a trailing slash leaves the rest empty: `contents/` is the root
        Object.entries(c.req.param()).map(([k, v]) => [
          k,
          v.replace(/\/+$/, ''),
        ]),
      );
      result = route.handler({
        method: c.req.method,
        params,
        query: new URL(c.req.url).searchParams,
        body: c.get('body'),
        headers: c.env.incoming.headers,
        identity: c.get('identity'),
        ...(app ? { app } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError)
        result = {
          status: error.status,
          body: error.body(),
          headers: error.headers,
        };
      else if (error instanceof GitError)
        result = { status: 422, body: new ApiError(422, error.message).body() };
      else if (error instanceof NotFoundError)
        result = { status: 404, body: new ApiError(404, 'Not Found').body() };
      else throw error;
    }
    const patch = c.get('responsePatch');
    if (patch && isRecord(result.body))
      result = { ...result, body: { ...result.body, ...patch } };
    c.set('rest', result);
    if (result.raw)
      return c.body(new Uint8Array(result.raw.data), result.status as 200, {
        'content-type': result.raw.contentType,
        'x-github-media-type': 'github.v3; param=raw',
        ...result.headers,
      });
    return sendJson(c, result.status, result.body, result.headers);
  }

  async listen(): Promise<Urls> {
    const app = this.app();
    const server = await new Promise<Server>((resolve, reject) => {
      const created = serve(
        { fetch: app.fetch, port: this.options.port, hostname: '127.0.0.1' },
        () => resolve(created as Server),
      ) as Server;
      created.once('error', reject);
    });
    server.keepAliveTimeout = 5_000;
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.urls.web = `http://127.0.0.1:${port}`;
    this.urls.api = `${this.urls.web}/api/v3`;
    return this.urls;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  requests(): RequestLogEntry[] {
    return this.log.map(entry => ({ ...entry }));
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  private record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT)
      this.log.splice(0, this.log.length - LOG_LIMIT);
    this.options.onRequest?.(entry);
  }
}
