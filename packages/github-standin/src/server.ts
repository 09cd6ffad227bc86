/**
 * The HTTP server: one loopback port laid out like GitHub Enterprise —
 *   /api/v3/...        REST        /api/graphql   GraphQL
 *   /raw/o/r/ref/path  raw files   /o/r/...       web pages
 *   /_codeload/...     archives    /_standin/...  control (faults, request log; the control token)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type AppConfig, Authenticator, type AuthKind } from './auth';
import { type AppliedFault, describeFault, FaultInjector, parseFaultRule } from './faults';
import { executeGraphql, graphqlRoot } from './graphql/github';
import { decodeSegments, Router } from './http/router';
import type { OpenApiValidator, ValidationProblem } from './openapi/validator';
import { ApiError, DOCS, isRecord, operationOf, type RestContext, type RestResponse, type RestRoute } from './rest/api';
import { restRoutes } from './rest/routes';
import type { Urls } from './rest/shapes';
import { type Identity, NotFoundError, type StandinState } from './state';
import { repositoryTarball } from './tarball';
import { renderWeb } from './web';
import { GitError } from './git/repository';

export type RequestArea = 'rest' | 'graphql' | 'raw' | 'web' | 'archive';

export interface RequestLogEntry {
  id: number;
  /** The `x-github-request-id` sent back. */
  requestId: string;
  time: string;
  method: string;
  /** Path and query as requested. */
  path: string;
  area: RequestArea;
  /**
   * The matched route pattern, without the method: REST relative to /api/v3
   * (`/repos/:owner/:repo/git/trees`), `/graphql`, `/raw/:owner/:repo/*`, `/_codeload/...`, or
   * the web page kind (`/:owner/:repo/pull/:number`); null when nothing matched.
   */
  route: string | null;
  /** The OpenAPI operation (`get /repos/{owner}/{repo}`) of a REST route. */
  operation?: string;
  /** 0 when the connection was reset. */
  status: number;
  durationMs: number;
  /** How the request authenticated; credentials themselves are never recorded. */
  auth: AuthKind | 'rejected';
  user?: string;
  /** The injected fault, described. */
  fault?: string;
  /** OpenAPI validation problems of the request body (422) or of the response (500). */
  validationErrors?: LoggedValidationProblem[];
  /** Set when no route matched (answered 404). */
  unmatched?: true;
  /** A failure inside the stand-in (answered 500). */
  error?: string;
}

export interface LoggedValidationProblem extends ValidationProblem {
  in: 'request' | 'response';
}

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
  seedOverHttp: (body: unknown) => unknown;
  /** What `/_standin/*` requests must carry in `X-Standin-Control-Token`. */
  controlToken: string;
}

const MAX_BODY = 100 * 1024 * 1024;

const CONTROL_TOKEN_RULE =
  'X-Standin-Control-Token: must be the control token the stand-in was started with (GithubStandin.controlToken, or what the CLI printed)';

function requestId(): string {
  const hex = randomBytes(14).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 15)}:${hex.slice(15, 22)}:${hex.slice(22, 28)}`;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'Request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A web page's route kind for the log: `/:owner/:repo/pull/:number`. */
function webRoute(segments: readonly string[]): string {
  if (segments.length === 0 || segments[0] === '') return '/';
  if (segments.length === 1) return '/:owner';
  if (segments.length === 2) return '/:owner/:repo';
  const section = segments[2] ?? '';
  if (section === 'pull') return '/:owner/:repo/pull/:number';
  if (section === 'commit') return '/:owner/:repo/commit/:sha';
  if (['tree', 'blob', 'raw'].includes(section)) return `/:owner/:repo/${section}/*`;
  return `/:owner/:repo/${section}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface RateWindow {
  used: number;
  resetAt: number;
}

export class StandinServer {
  readonly server: Server;
  readonly faults = new FaultInjector();
  private readonly router = new Router<RestRoute>();
  private readonly log: RequestLogEntry[] = [];
  private nextLogId = 1;
  private readonly rate = new Map<string, RateWindow>();
  readonly auth: Authenticator;
  private urls: Urls = { web: '', api: '' };
  private readonly context: RestContext;

  constructor(private readonly options: ServerOptions) {
    this.auth = new Authenticator(options.tokens, options.apps, options.user, () => options.state.now());
    this.context = { state: options.state, urls: this.urls, auth: this.auth };
    for (const route of restRoutes(this.context)) {
      this.router.add(route.method, route.pattern, route);
    }
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.log(`[github-standin] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          response.end(JSON.stringify({ message: 'Internal stand-in error', documentation_url: DOCS }));
        } else response.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  get restRoutes(): RestRoute[] {
    return this.router.list().map((route) => route.value);
  }

  async listen(): Promise<Urls> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.urls.web = `http://127.0.0.1:${port}`;
    this.urls.api = `${this.urls.web}/api/v3`;
    return this.urls;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  requests(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  private record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > this.options.logLimit) this.log.splice(0, this.log.length - this.options.logLimit);
    this.options.onRequest?.(entry);
  }

  private rateHeaders(key: string, count: boolean): { headers: Record<string, string>; exceeded: boolean } {
    const now = Math.floor(this.options.state.now().getTime() / 1000);
    let window = this.rate.get(key);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + 3600 };
      this.rate.set(key, window);
    }
    if (count) window.used += 1;
    const limit = this.options.rateLimit;
    return {
      exceeded: window.used > limit,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - window.used)),
        'x-ratelimit-reset': String(window.resetAt),
        'x-ratelimit-used': String(Math.min(window.used, limit)),
        'x-ratelimit-resource': key.startsWith('graphql:') ? 'graphql' : 'core',
      },
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const segments = decodeSegments(url.pathname);

    if (url.pathname.startsWith('/_standin/') || url.pathname === '/_standin') {
      await this.handleControl(request, response, method, url.pathname);
      return;
    }

    const area: RequestArea = url.pathname.startsWith('/api/v3/') || url.pathname === '/api/v3'
      ? 'rest'
      : url.pathname === '/api/graphql'
        ? 'graphql'
        : url.pathname.startsWith('/raw/')
          ? 'raw'
          : url.pathname.startsWith('/_codeload/')
            ? 'archive'
            : 'web';
    const id = requestId();
    const entry: RequestLogEntry = {
      id: this.nextLogId++,
      requestId: id,
      time: new Date().toISOString(),
      method,
      path: url.pathname + url.search,
      area,
      route: null,
      status: 0,
      durationMs: 0,
      auth: 'none',
    };
    const finish = (status: number): void => {
      entry.status = status;
      entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
      this.record(entry);
    };

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof ApiError) {
        this.sendJson(response, error.status, error.body(), { 'x-github-request-id': id });
        finish(error.status);
        return;
      }
      throw error;
    }

    // fault rules see REST paths relative to /api/v3 and GraphQL as /graphql
    const relative = area === 'rest' ? (segments ?? []).slice(2) : area === 'graphql' ? ['graphql'] : (segments ?? []);
    if (area === 'rest') {
      // name the route up front, so even a faulted request is logged with it
      const matched = this.router.match(method, relative);
      if (matched && 'route' in matched) {
        entry.route = matched.route.pattern.source;
        entry.operation = operationOf(matched.route.value);
      }
    }
    const fault = this.faults.apply(method, relative);
    if (fault) {
      entry.fault = describeFault(fault.fault);
      if ('delayMs' in fault.fault) await sleep(fault.fault.delayMs);
      else if ('connectionReset' in fault.fault || 'reset' in fault.fault) {
        request.socket.destroy();
        entry.error = 'connection reset (injected)';
        finish(0);
        return;
      } else if (!('responsePatch' in fault.fault)) {
        const status = this.sendFault(response, fault, id, area);
        finish(status);
        return;
      }
    }

    if (segments === undefined) {
      this.sendJson(response, 400, { message: 'Bad request: malformed URL', documentation_url: DOCS }, { 'x-github-request-id': id });
      finish(400);
      return;
    }

    switch (area) {
      case 'rest':
        finish(await this.handleRest(request, response, method, url, relative, body, entry, fault));
        return;
      case 'graphql':
        finish(this.handleGraphql(request, response, method, body, entry));
        return;
      case 'raw':
        finish(this.handleRaw(request, response, method, segments.slice(1), entry));
        return;
      case 'archive':
        finish(this.handleArchive(response, segments.slice(1), entry));
        return;
      default: {
        const page = renderWeb(this.options.state, this.urls, segments);
        entry.route = webRoute(segments);
        if (page.status === 404) {
          entry.route = null;
          entry.unmatched = true;
        }
        response.writeHead(page.status, { 'content-type': page.contentType, 'x-github-request-id': id, ...page.headers });
        response.end(method === 'HEAD' ? undefined : page.body);
        finish(page.status);
      }
    }
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>, head = false): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    });
    response.end(head || body === undefined ? undefined : text);
  }

  private sendFault(response: ServerResponse, applied: AppliedFault, id: string, area: RequestArea): number {
    const fault = applied.fault;
    const now = Math.floor(this.options.state.now().getTime() / 1000);
    const limit = String(this.options.rateLimit);
    const base: Record<string, string> = {
      'x-github-request-id': id,
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': String(this.options.rateLimit - 1),
      'x-ratelimit-reset': String(now + 3600),
      'x-ratelimit-resource': area === 'graphql' ? 'graphql' : 'core',
    };
    if ('secondaryRateLimit' in fault) {
      const retryAfter = fault.retryAfter ?? 60;
      this.sendJson(
        response,
        403,
        {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        },
        { ...base, 'retry-after': String(retryAfter) },
      );
      return 403;
    }
    if ('primaryRateLimit' in fault) {
      const reset = now + (fault.resetAfterSeconds ?? 60);
      this.sendJson(
        response,
        403,
        {
          message: `API rate limit exceeded for user ID ${String(1)}. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
          status: '403',
        },
        { ...base, 'x-ratelimit-remaining': '0', 'x-ratelimit-used': limit, 'x-ratelimit-reset': String(reset) },
      );
      return 403;
    }
    if ('status' in fault) {
      const messages: Record<number, string> = { 429: 'Too Many Requests', 500: 'Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
      const headers = { ...base, ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }) };
      this.sendJson(response, fault.status, { message: fault.message ?? messages[fault.status] ?? 'Injected failure', documentation_url: DOCS, status: String(fault.status) }, headers);
      return fault.status;
    }
    return 0;
  }

  private async handleRest(
    request: IncomingMessage,
    response: ServerResponse,
    method: string,
    url: URL,
    segments: string[],
    rawBody: Buffer,
    entry: RequestLogEntry,
    fault: AppliedFault | undefined,
  ): Promise<number> {
    const head = method === 'HEAD';
    const headers: Record<string, string> = { 'x-github-request-id': entry.requestId };
    const matched = this.router.match(method, segments);
    const found = matched && 'route' in matched ? matched : undefined;
    const route = found?.route.value;

    // authentication (the /app endpoints take an app JWT)
    let identity: Identity = this.options.user;
    let app: AppConfig | undefined;
    let rateKey = 'anonymous';
    // Bad credentials get GitHub's answer, counted against the anonymous rate limit.
    const reject = (result: { status: number; message: string }): number => {
      entry.auth = 'rejected';
      Object.assign(headers, this.rateHeaders('anonymous', true).headers);
      this.sendJson(response, result.status, { message: result.message, documentation_url: DOCS, status: String(result.status) }, headers, head);
      return result.status;
    };
    if (route?.auth === 'app') {
      const result = this.auth.authenticateApp(request.headers.authorization);
      if (!result.ok) return reject(result);
      app = result.app;
      entry.auth = 'jwt';
      entry.user = `app ${app.id}`;
      rateKey = `app:${app.id}`;
    } else {
      const result = this.auth.authenticate(request.headers.authorization);
      if (!result.ok) return reject(result);
      identity = result.identity;
      entry.auth = result.kind;
      entry.user = identity.login;
      rateKey = `core:${identity.login}`;
      if (result.kind === 'token') headers['x-oauth-scopes'] = 'repo, workflow';
    }
    const rate = this.rateHeaders(rateKey, true);
    Object.assign(headers, rate.headers);
    if (rate.exceeded) {
      this.sendJson(
        response,
        403,
        { message: `API rate limit exceeded for ${identity.login}.`, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' },
        headers,
        head,
      );
      return 403;
    }

    if (!route || !found) {
      entry.route = null;
      entry.unmatched = true;
      this.options.log(`[github-standin] no route for ${method} ${url.pathname}${url.search}: answered 404`);
      this.sendJson(response, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' }, headers, head);
      return 404;
    }
    entry.route = found.route.pattern.source;
    const operation = operationOf(route);
    entry.operation = operation;

    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        this.sendJson(response, 400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' }, headers, head);
        return 400;
      }
    }
    const validator = this.options.validator;
    if (validator && ['POST', 'PUT', 'PATCH'].includes(method)) {
      const checked = validator.validateRequest(operation, body ?? {});
      if (!checked.ok) {
        entry.validationErrors = checked.problems.map((problem) => ({ in: 'request', ...problem }));
        this.options.log(`[github-standin] invalid request body for ${operation}: ${checked.problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
        const errors = checked.problems.map((problem) => ({ resource: 'Request', code: 'invalid', field: problem.path.replace(/^\//, '').replace(/\//g, '.') || 'body', message: `${problem.path || 'body'} ${problem.message}` }));
        this.sendJson(response, 422, { message: `Invalid request.\n\n${errors.map((error) => error.message).join('\n')}`, documentation_url: DOCS, status: '422', errors }, headers, head);
        return 422;
      }
    }

    let result: RestResponse;
    try {
      result = route.handler({ method, params: found.params, query: url.searchParams, body, headers: request.headers, identity, ...(app ? { app } : {}) });
    } catch (error) {
      if (error instanceof ApiError) result = { status: error.status, body: error.body(), headers: error.headers };
      else if (error instanceof GitError) result = { status: 422, body: new ApiError(422, error.message).body() };
      else if (error instanceof NotFoundError) result = { status: 404, body: new ApiError(404, 'Not Found').body() };
      else {
        entry.error = error instanceof Error ? error.message : String(error);
        this.options.log(`[github-standin] ${operation} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        result = { status: 500, body: { message: `Stand-in failure: ${entry.error}`, documentation_url: DOCS, status: '500' } };
      }
    }

    if (fault && 'responsePatch' in fault.fault && isRecord(result.body)) {
      result = { ...result, body: { ...result.body, ...fault.fault.responsePatch } };
    }

    if (validator && result.raw === undefined && !entry.error) {
      const checked = validator.validateResponse(operation, result.status, result.body, result.mediaType);
      if (!checked.ok) {
        entry.validationErrors = [...(entry.validationErrors ?? []), ...checked.problems.map((problem) => ({ in: 'response' as const, ...problem }))];
        this.options.log(
          `[github-standin] response of ${operation} (${result.status}) does not match GitHub's OpenAPI description: ${checked.problems
            .slice(0, 10)
            .map((p) => `${p.path || '/'} ${p.message}`)
            .join('; ')}`,
        );
        result = {
          status: 500,
          body: {
            message: "The stand-in's response does not match GitHub's OpenAPI description",
            documentation_url: DOCS,
            status: '500',
            operation,
            original_status: result.status,
            errors: checked.problems,
          },
        };
      }
    }

    Object.assign(headers, result.headers ?? {});
    if (result.raw) {
      response.writeHead(result.status, { 'content-type': result.raw.contentType, 'x-github-media-type': 'github.v3; param=raw', ...headers });
      response.end(head ? undefined : result.raw.data);
      return result.status;
    }
    if (method === 'GET' || method === 'HEAD') {
      if (result.status === 200 && result.body !== undefined) {
        const etag = headers.etag ?? `W/"${createHash('sha1').update(JSON.stringify(result.body)).digest('hex')}"`;
        headers.etag = etag;
        if (request.headers['if-none-match'] === etag) {
          this.sendJson(response, 304, undefined, headers, true);
          return 304;
        }
      }
    }
    this.sendJson(response, result.status, result.body, headers, head);
    return result.status;
  }

  private handleGraphql(request: IncomingMessage, response: ServerResponse, method: string, rawBody: Buffer, entry: RequestLogEntry): number {
    const headers: Record<string, string> = { 'x-github-request-id': entry.requestId };
    entry.route = '/graphql';
    const result = this.auth.authenticate(request.headers.authorization);
    if (!result.ok) {
      entry.auth = 'rejected';
      this.sendJson(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' }, headers);
      return 401;
    }
    entry.auth = result.kind;
    entry.user = result.identity.login;
    Object.assign(headers, this.rateHeaders(`graphql:${result.identity.login}`, true).headers);
    if (method !== 'POST') {
      this.sendJson(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/graphql' }, headers);
      return 404;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      this.sendJson(response, 400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' }, headers);
      return 400;
    }
    if (!isRecord(payload) || typeof payload.query !== 'string') {
      this.sendJson(response, 200, { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }, headers);
      return 200;
    }
    const variables = isRecord(payload.variables) ? payload.variables : {};
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
    const answer = executeGraphql(payload.query, variables, operationName, graphqlRoot(this.options.state, this.urls, result.identity));
    this.sendJson(response, 200, answer, headers);
    return 200;
  }

  private handleRaw(request: IncomingMessage, response: ServerResponse, method: string, segments: string[], entry: RequestLogEntry): number {
    const [owner = '', name = '', ...rest] = segments;
    entry.route = '/raw/:owner/:repo/*';
    const repo = this.options.state.repo(owner, name);
    const authResult = this.auth.authenticate(request.headers.authorization);
    entry.auth = authResult.ok ? authResult.kind : 'rejected';
    const notFound = (): number => {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-github-request-id': entry.requestId });
      response.end(method === 'HEAD' ? undefined : '404: Not Found');
      return 404;
    };
    // like raw.githubusercontent.com: a private repository needs a valid token, and hides otherwise
    if (!repo || (repo.private && !authResult.ok) || (method !== 'GET' && method !== 'HEAD')) return notFound();
    const split = repo.git.splitRefAndPath(rest);
    const commit = split ? repo.git.commit(split.sha) : undefined;
    const found = split && commit ? repo.git.entryAt(commit.tree, split.path) : undefined;
    if (!found || found.mode === '040000' || found.mode === '160000') return notFound();
    const data = repo.git.blob(found.sha) ?? Buffer.alloc(0);
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', etag: `"${found.sha}"`, 'x-github-request-id': entry.requestId });
    response.end(method === 'HEAD' ? undefined : data);
    return 200;
  }

  private handleArchive(response: ServerResponse, segments: string[], entry: RequestLogEntry): number {
    const [owner = '', name = '', kind, sha = ''] = segments;
    entry.route = '/_codeload/:owner/:repo/legacy.tar.gz/:sha';
    const repo = this.options.state.repo(owner, name);
    if (!repo || kind !== 'legacy.tar.gz' || !repo.git.commit(sha)) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('404: Not Found');
      return 404;
    }
    const archive = repositoryTarball(repo.git, sha);
    response.writeHead(200, {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${archive.fileName}`,
      etag: `"${sha}"`,
      'x-github-request-id': entry.requestId,
    });
    response.end(archive.data);
    return 200;
  }

  private controlRefusal(request: IncomingMessage, method: string, pathname: string): { status: number; message: string } | undefined {
    const given = request.headers['x-standin-control-token'];
    const expected = Buffer.from(this.options.controlToken);
    if (typeof given !== 'string' || given === '') {
      return { status: 401, message: `${CONTROL_TOKEN_RULE}, but the request has none` };
    }
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return { status: 401, message: `${CONTROL_TOKEN_RULE}, but it is another value` };
    }
    if (method === 'GET' || method === 'HEAD') return undefined;
    const contentType = request.headers['content-type'];
    const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      const problem = contentType === undefined ? 'the request has none' : `it is ${JSON.stringify(contentType.slice(0, 100))}`;
      return { status: 415, message: `Content-Type: must be application/json for ${method} ${pathname.slice(0, 100)}, but ${problem}` };
    }
    return undefined;
  }

  private async handleControl(request: IncomingMessage, response: ServerResponse, method: string, pathname: string): Promise<void> {
    const send = (status: number, body?: unknown): void => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' });
      response.end(body === undefined ? undefined : JSON.stringify(body, null, 2));
    };
    // A web page can make the owner's browser send requests to 127.0.0.1 (and read the answers
    // after a DNS rebinding): every control request needs the token only the owner was given, and
    // every write a JSON body, which a cross-site request cannot send without a CORS preflight
    // (that the stand-in never grants).
    const refused = this.controlRefusal(request, method, pathname);
    if (refused) {
      request.resume();
      send(refused.status, { message: refused.message });
      return;
    }
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      send(400, { message: 'Problems parsing JSON' });
      return;
    }
    const route = `${method} ${pathname.replace(/\/+$/, '')}`;
    try {
      switch (route) {
        case 'GET /_standin/health':
          send(200, { ok: true, url: this.urls.web });
          return;
        case 'GET /_standin/faults':
          send(200, this.faults.list());
          return;
        case 'POST /_standin/faults': {
          const rules = (Array.isArray(body) ? body : [body]).map(parseFaultRule);
          for (const rule of rules) this.faults.add(rule);
          send(201, this.faults.list());
          return;
        }
        case 'DELETE /_standin/faults':
          this.faults.clear();
          send(204);
          return;
        case 'GET /_standin/requests':
          send(200, this.requests());
          return;
        case 'DELETE /_standin/requests':
          this.clearRequests();
          send(204);
          return;
        case 'POST /_standin/repos':
          send(201, this.options.seedOverHttp(body));
          return;
        default:
          send(404, { message: `Not Found: the control endpoints are GET /_standin/health, GET|POST|DELETE /_standin/faults, GET|DELETE /_standin/requests, POST /_standin/repos` });
      }
    } catch (error) {
      send(400, { message: error instanceof Error ? error.message : String(error) });
    }
  }
}
