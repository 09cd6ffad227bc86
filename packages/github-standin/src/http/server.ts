/**
 * The HTTP server, on Hono: one loopback port laid out like GitHub Enterprise —
 *   /api/v3/...        REST        /api/graphql   GraphQL
 *   /raw/o/r/ref/path  raw files   /o/r/...       web pages
 *   /_codeload/...     archives
 * Each area is a chain of the middleware in `middleware.ts` ending in its handler.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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
  type RestContext,
  type RestResponse,
  type RestRoute,
} from '../rest/api';
import { restRoutes } from '../rest/routes';
import type { Urls } from '../rest/shapes';
import { type Identity, NotFoundError, type StandinState } from '../state';
import { pullAction, renderWeb, type WebResponse } from '../web';
import { hostCheck } from './hostCheck';
import {
  faults,
  openApi,
  RateLimiter,
  type RequestLogEntry,
  requestLog,
  restAuth,
  sendJson,
  type StandinContext,
  type StandinEnv,
} from './middleware';
import { decodeSegments, Router } from './router';

export type {
  LoggedValidationProblem,
  RequestArea,
  RequestLogEntry,
} from './middleware';

export interface ServerOptions {
  port: number;
  tokens: string[];
  apps: AppConfig[];
  validator?: OpenApiValidator;
  rateLimit: number;
  log: (line: string) => void;
  onRequest?: (entry: RequestLogEntry) => void;
  state: StandinState;
  user: Identity;
  /** Requests kept in the log (oldest dropped first). */
  logLimit: number;
  /** Host names besides loopback ones that `Host` may name (hostCheck.ts). */
  allowedHosts?: readonly string[];
}

/** A web page's route kind for the log: `/:owner/:repo/pull/:number`. */
function webRoute(segments: readonly string[]): string {
  if (segments.length === 0 || segments[0] === '') return '/';
  if (segments.length === 1) return '/:owner';
  if (segments.length === 2) return '/:owner/:repo';
  const section = segments[2] ?? '';
  if (section === 'pull') return '/:owner/:repo/pull/:number';
  if (section === 'commit') return '/:owner/:repo/commit/:sha';
  if (['tree', 'blob', 'raw'].includes(section))
    return `/:owner/:repo/${section}/*`;
  return `/:owner/:repo/${section}`;
}

function notFoundText(c: StandinContext): Response {
  return c.text('404: Not Found', 404);
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
  private readonly router = new Router<RestRoute>();
  private readonly auth: Authenticator;
  private readonly rate: RateLimiter;
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
    this.rate = new RateLimiter(options.rateLimit, () => options.state.now());
    const context: RestContext = {
      state: options.state,
      urls: this.urls,
      auth: this.auth,
    };
    for (const route of restRoutes(context))
      this.router.add(route.method, route.pattern, route);
  }

  private app(): Hono<StandinEnv> {
    const { options } = this;
    const app = new Hono<StandinEnv>();
    app.use('*', hostCheck(options.allowedHosts ?? []));
    app.use(
      '*',
      requestLog(entry => this.record(entry)),
      bodyLimit({
        maxSize: 100 * 1024 * 1024,
        onError: c =>
          sendJson(c, 413, {
            message: 'Request body too large',
            documentation_url: DOCS,
            status: '413',
          }),
      }),
      async (c, next) => {
        // name the REST route up front, so even a faulted request is logged with it
        const entry = c.get('entry');
        if (entry.area !== 'rest') return next();
        const segments = (
          decodeSegments(new URL(c.req.url).pathname) ?? []
        ).slice(2);
        const matched = this.router.match(entry.method, segments);
        if (matched && 'route' in matched) {
          c.set('route', {
            route: matched.route.value,
            params: matched.params,
          });
          entry.route = matched.route.pattern.source;
          entry.operation = operationOf(matched.route.value);
        }
        return next();
      },
      faults(this.faults, options.rateLimit, () => options.state.now()),
    );
    app.use(
      '/api/v3/*',
      restAuth(this.auth, this.rate, options.user),
      this.parseJson(),
      openApi(options.validator, operationOf, options.log),
    );
    app.all('/api/v3/*', c => this.rest(c));
    app.all('/api/graphql', c => this.graphql(c));
    app.all('/raw/*', c => this.raw(c));
    app.all('/_codeload/*', c => this.archive(c));
    app.post('/:owner/:repo/pull/:number/:action{merge|close}', async c => {
      c.get('entry').route = '/:owner/:repo/pull/:number/:action';
      const form = await c.req.parseBody();
      const { owner, repo, number, action } = c.req.param();
      return sendPage(
        c,
        pullAction(
          options.state,
          this.urls,
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
    });
    app.all('*', c => {
      const segments = c.get('segments');
      const page = renderWeb(
        options.state,
        this.urls,
        segments,
        this.formToken,
      );
      const entry = c.get('entry');
      entry.route = page.status === 404 ? null : webRoute(segments);
      if (page.status === 404) entry.unmatched = true;
      return sendPage(c, page);
    });
    app.onError((error, c) => {
      options.log(
        `[github-standin] internal error: ${error.stack ?? error.message}`,
      );
      return c.json(
        { message: 'Internal stand-in error', documentation_url: DOCS },
        500,
      );
    });
    return app;
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
    if (this.log.length > this.options.logLimit)
      this.log.splice(0, this.log.length - this.options.logLimit);
    this.options.onRequest?.(entry);
  }

  /** The JSON body of a matched REST route (`Problems parsing JSON` when it is not JSON). */
  private parseJson() {
    return async (
      c: StandinContext,
      next: () => Promise<void>,
    ): Promise<Response | undefined> => {
      if (!c.get('route')) {
        await next();
        return undefined;
      }
      const text = await c.req.text();
      if (text.length > 0) {
        try {
          c.set('body', JSON.parse(text));
        } catch {
          return sendJson(c, 400, {
            message: 'Problems parsing JSON',
            documentation_url: DOCS,
            status: '400',
          });
        }
      }
      await next();
      return undefined;
    };
  }

  /** Runs the matched REST route's handler and writes its answer (with an ETag on GETs). */
  private rest(c: StandinContext): Response {
    const entry = c.get('entry');
    const matched = c.get('route');
    if (!matched) {
      entry.route = null;
      entry.unmatched = true;
      const url = new URL(c.req.url);
      this.options.log(
        `[github-standin] no route for ${entry.method} ${url.pathname}${url.search}: answered 404`,
      );
      return sendJson(c, 404, {
        message: 'Not Found',
        documentation_url: DOCS,
        status: '404',
      });
    }
    const { route, params } = matched;
    let result: RestResponse;
    try {
      const app = c.get('app');
      result = route.handler({
        method: entry.method,
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
      else {
        entry.error = error instanceof Error ? error.message : String(error);
        this.options.log(
          `[github-standin] ${operationOf(route)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        result = {
          status: 500,
          body: {
            message: `Stand-in failure: ${entry.error}`,
            documentation_url: DOCS,
            status: '500',
          },
        };
      }
    }
    const fault = c.get('fault')?.fault;
    if (fault && 'responsePatch' in fault && isRecord(result.body))
      result = { ...result, body: { ...result.body, ...fault.responsePatch } };
    c.set('rest', result);
    const headers = { ...(result.headers ?? {}) };
    if (result.raw) {
      return c.body(new Uint8Array(result.raw.data), result.status as 200, {
        'content-type': result.raw.contentType,
        'x-github-media-type': 'github.v3; param=raw',
        ...headers,
      });
    }
    if (
      (entry.method === 'GET' || entry.method === 'HEAD') &&
      result.status === 200 &&
      result.body !== undefined
    ) {
      headers.etag ??= `W/"${createHash('sha1').update(JSON.stringify(result.body)).digest('hex')}"`;
      if (c.req.header('if-none-match') === headers.etag)
        return sendJson(c, 304, undefined, headers);
    }
    return sendJson(c, result.status, result.body, headers);
  }

  private async graphql(c: StandinContext): Promise<Response> {
    const entry = c.get('entry');
    entry.route = '/graphql';
    const documentation_url = 'https://docs.github.com/graphql';
    const result = this.auth.authenticate(c.req.header('authorization'));
    if (!result.ok) {
      entry.auth = 'rejected';
      return sendJson(c, 401, {
        message: 'Bad credentials',
        documentation_url,
      });
    }
    entry.auth = result.kind;
    entry.user = result.identity.login;
    const headers = this.rate.count(`graphql:${result.identity.login}`).headers;
    if (entry.method !== 'POST')
      return sendJson(
        c,
        404,
        { message: 'Not Found', documentation_url },
        headers,
      );
    let payload: unknown;
    try {
      payload = JSON.parse(await c.req.text());
    } catch {
      return sendJson(
        c,
        400,
        { message: 'Problems parsing JSON', documentation_url },
        headers,
      );
    }
    if (!isRecord(payload) || typeof payload.query !== 'string') {
      return sendJson(
        c,
        200,
        {
          errors: [
            {
              message:
                'A query attribute must be specified and must be a string.',
            },
          ],
        },
        headers,
      );
    }
    const variables = isRecord(payload.variables) ? payload.variables : {};
    const operationName =
      typeof payload.operationName === 'string'
        ? payload.operationName
        : undefined;
    return sendJson(
      c,
      200,
      executeGraphql(
        payload.query,
        variables,
        operationName,
        graphqlRoot(this.options.state, this.urls, result.identity),
      ),
      headers,
    );
  }

  /** Like raw.githubusercontent.com: a private repository needs a valid token, and hides otherwise. */
  private raw(c: StandinContext): Response {
    const entry = c.get('entry');
    const [, owner = '', name = '', ...rest] = c.get('segments');
    entry.route = '/raw/:owner/:repo/*';
    const repo = this.options.state.repo(owner, name);
    const authResult = this.auth.authenticate(c.req.header('authorization'));
    entry.auth = authResult.ok ? authResult.kind : 'rejected';
    if (
      !repo ||
      (repo.private && !authResult.ok) ||
      (entry.method !== 'GET' && entry.method !== 'HEAD')
    )
      return notFoundText(c);
    const split = repo.git.splitRefAndPath(rest);
    const commit = split ? repo.git.commit(split.sha) : undefined;
    const found =
      split && commit ? repo.git.entryAt(commit.tree, split.path) : undefined;
    if (!found || found.mode === '040000' || found.mode === '160000')
      return notFoundText(c);
    return c.body(
      new Uint8Array(repo.git.blob(found.sha) ?? Buffer.alloc(0)),
      200,
      { 'content-type': 'text/plain; charset=utf-8', etag: `"${found.sha}"` },
    );
  }

  private archive(c: StandinContext): Response {
    const [, owner = '', name = '', kind, sha = ''] = c.get('segments');
    c.get('entry').route = '/_codeload/:owner/:repo/legacy.tar.gz/:sha';
    const repo = this.options.state.repo(owner, name);
    if (
      !repo ||
      kind !== 'legacy.tar.gz' ||
      !SHA_PATTERN.test(sha) ||
      !repo.git.commit(sha)
    )
      return notFoundText(c);
    // GitHub's layout: every entry under `<owner>-<repo>-<short sha>/`
    const root = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}`;
    return c.body(new Uint8Array(repo.git.archive(sha, root)), 200, {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${root}.tar.gz`,
      etag: `"${sha}"`,
    });
  }
}
