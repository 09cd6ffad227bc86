/**
 * The HTTP layer's middleware, one concern each, on Hono: the request log, fault injection,
 * authentication with rate limits, and OpenAPI validation. `server.ts` puts them in order.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import type { AppConfig, Authenticator, AuthKind } from '../auth';
import {
  type AppliedFault,
  describeFault,
  type FaultInjector,
} from '../faults';
import type { OpenApiValidator, ValidationProblem } from '../openapi/validator';
import { DOCS, type RestResponse, type RestRoute } from '../rest/api';
import type { Identity } from '../state';
import { decodeSegments } from './router';

export type RequestArea = 'rest' | 'graphql' | 'raw' | 'web' | 'archive';

export interface LoggedValidationProblem extends ValidationProblem {
  in: 'request' | 'response';
}

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

/** What the middleware hand each other through the Hono context. */
export interface StandinEnv {
  Bindings: HttpBindings;
  Variables: {
    entry: RequestLogEntry;
    /** The path below the area (`/api/v3`), split and percent-decoded: what routes and faults match. */
    segments: string[];
    fault: AppliedFault | undefined;
    /** The REST route the request matched, and its parameters. */
    route: { route: RestRoute; params: Record<string, string> } | undefined;
    identity: Identity;
    app: AppConfig | undefined;
    /** The parsed JSON body of a REST request. */
    body: unknown;
    /** A REST handler's answer, before it is written (validated by `openApi`). */
    rest: RestResponse | undefined;
  };
}

export type StandinContext = Context<StandinEnv>;

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function requestId(): string {
  const hex = randomBytes(14).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 15)}:${hex.slice(15, 22)}:${hex.slice(22, 28)}`;
}

export function areaOf(pathname: string): RequestArea {
  if (pathname.startsWith('/api/v3/') || pathname === '/api/v3') return 'rest';
  if (pathname === '/api/graphql') return 'graphql';
  if (pathname.startsWith('/raw/')) return 'raw';
  if (pathname.startsWith('/_codeload/')) return 'archive';
  return 'web';
}

/** A GitHub-style JSON answer: `x-github-media-type`, no body for `undefined` (Hono drops HEAD bodies). */
export function sendJson(
  c: StandinContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return c.newResponse(
    body === undefined ? null : JSON.stringify(body),
    status as StatusCode,
    {
      ...(body === undefined
        ? {}
        : { 'content-type': 'application/json; charset=utf-8' }),
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    },
  );
}

/** The request log: opens an entry (and the `x-github-request-id`), records it once answered. */
export function requestLog(
  record: (entry: RequestLogEntry) => void,
): MiddlewareHandler<StandinEnv> {
  let nextId = 1;
  return async (c, next) => {
    const started = performance.now();
    const url = new URL(c.req.url);
    const entry: RequestLogEntry = {
      id: nextId++,
      requestId: requestId(),
      time: new Date().toISOString(),
      method: c.env.incoming.method ?? 'GET',
      path: url.pathname + url.search,
      area: areaOf(url.pathname),
      route: null,
      status: 0,
      durationMs: 0,
      auth: 'none',
    };
    c.set('entry', entry);
    c.header('x-github-request-id', entry.requestId);
    await next();
    entry.status = c.res === RESPONSE_ALREADY_SENT ? 0 : c.res.status;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    record(entry);
  };
}

/**
 * Splits the path below its area (REST relative to /api/v3, GraphQL as `/graphql`) for faults
 * and routes; a path that is not valid percent-encoding is answered 400 after the faults.
 */
export function faults(
  injector: FaultInjector,
  rateLimit: number,
  now: () => Date,
): MiddlewareHandler<StandinEnv> {
  return async (c, next) => {
    const entry = c.get('entry');
    const decoded = decodeSegments(new URL(c.req.url).pathname);
    const segments =
      entry.area === 'rest'
        ? (decoded ?? []).slice(2)
        : entry.area === 'graphql'
          ? ['graphql']
          : (decoded ?? []);
    c.set('segments', segments);
    const applied = injector.apply(entry.method, segments);
    c.set('fault', applied);
    if (applied) {
      const fault = applied.fault;
      entry.fault = describeFault(fault);
      if ('delayMs' in fault) await sleep(fault.delayMs);
      else if ('connectionReset' in fault || 'reset' in fault) {
        c.env.incoming.socket.destroy();
        entry.error = 'connection reset (injected)';
        return RESPONSE_ALREADY_SENT;
      } else if (!('responsePatch' in fault))
        return faultAnswer(c, fault, rateLimit, now);
    }
    if (decoded === undefined)
      return sendJson(c, 400, {
        message: 'Bad request: malformed URL',
        documentation_url: DOCS,
      });
    await next();
    return undefined;
  };
}

function faultAnswer(
  c: StandinContext,
  fault: AppliedFault['fault'],
  rateLimit: number,
  now: () => Date,
): Response {
  const seconds = Math.floor(now().getTime() / 1000);
  const id = c.get('entry').requestId;
  const base: Record<string, string> = {
    'x-ratelimit-limit': String(rateLimit),
    'x-ratelimit-remaining': String(rateLimit - 1),
    'x-ratelimit-reset': String(seconds + 3600),
    'x-ratelimit-resource':
      c.get('entry').area === 'graphql' ? 'graphql' : 'core',
  };
  if ('secondaryRateLimit' in fault) {
    const message = `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`;
    const documentation_url =
      'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
    return sendJson(
      c,
      403,
      { message, documentation_url, status: '403' },
      { ...base, 'retry-after': String(fault.retryAfter ?? 60) },
    );
  }
  if ('primaryRateLimit' in fault) {
    const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${id}.`;
    const documentation_url =
      'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits';
    const headers = {
      ...base,
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(rateLimit),
      'x-ratelimit-reset': String(seconds + (fault.resetAfterSeconds ?? 60)),
    };
    return sendJson(
      c,
      403,
      { message, documentation_url, status: '403' },
      headers,
    );
  }
  const status = 'status' in fault ? fault.status : 500;
  const messages: Record<number, string> = {
    429: 'Too Many Requests',
    500: 'Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  const retryAfter = 'status' in fault ? fault.retryAfter : undefined;
  const message =
    ('status' in fault ? fault.message : undefined) ??
    messages[status] ??
    'Injected failure';
  return sendJson(
    c,
    status,
    { message, documentation_url: DOCS, status: String(status) },
    {
      ...base,
      ...(retryAfter === undefined
        ? {}
        : { 'retry-after': String(retryAfter) }),
    },
  );
}

/** Requests per hour and identity, with GitHub's `x-ratelimit-*` headers. */
export class RateLimiter {
  private readonly windows = new Map<
    string,
    { used: number; resetAt: number }
  >();

  constructor(
    readonly limit: number,
    private readonly now: () => Date,
  ) {}

  count(key: string): { headers: Record<string, string>; exceeded: boolean } {
    const now = Math.floor(this.now().getTime() / 1000);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + 3600 };
      this.windows.set(key, window);
    }
    window.used += 1;
    return {
      exceeded: window.used > this.limit,
      headers: {
        'x-ratelimit-limit': String(this.limit),
        'x-ratelimit-remaining': String(Math.max(0, this.limit - window.used)),
        'x-ratelimit-reset': String(window.resetAt),
        'x-ratelimit-used': String(Math.min(window.used, this.limit)),
        'x-ratelimit-resource': key.startsWith('graphql:') ? 'graphql' : 'core',
      },
    };
  }
}

/**
 * REST authentication (a token, or a GitHub App JWT on `/app` routes) and the rate limit of the
 * identity; bad credentials get GitHub's answer, counted against the anonymous limit.
 */
export function restAuth(
  auth: Authenticator,
  rate: RateLimiter,
  user: Identity,
): MiddlewareHandler<StandinEnv> {
  return async (c, next) => {
    const entry = c.get('entry');
    const headers: Record<string, string> = {};
    const reject = (result: { status: number; message: string }): Response => {
      entry.auth = 'rejected';
      return sendJson(
        c,
        result.status,
        {
          message: result.message,
          documentation_url: DOCS,
          status: String(result.status),
        },
        rate.count('anonymous').headers,
      );
    };
    let identity = user;
    let rateKey: string;
    if (c.get('route')?.route.auth === 'app') {
      const result = await auth.authenticateApp(c.req.header('authorization'));
      if (!result.ok) return reject(result);
      c.set('app', result.app);
      entry.auth = 'jwt';
      entry.user = `app ${result.app.id}`;
      rateKey = `app:${result.app.id}`;
    } else {
      const result = auth.authenticate(c.req.header('authorization'));
      if (!result.ok) return reject(result);
      identity = result.identity;
      entry.auth = result.kind;
      entry.user = identity.login;
      rateKey = `core:${identity.login}`;
      if (result.kind === 'token') headers['x-oauth-scopes'] = 'repo, workflow';
    }
    c.set('identity', identity);
    const counted = rate.count(rateKey);
    for (const [name, value] of Object.entries({
      ...headers,
      ...counted.headers,
    }))
      c.header(name, value);
    if (counted.exceeded) {
      const body = {
        message: `API rate limit exceeded for ${identity.login}.`,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: '403',
      };
      return sendJson(c, 403, body);
    }
    await next();
    return undefined;
  };
}

/**
 * OpenAPI validation: a request body that does not match its operation is answered 422 like
 * GitHub (`Invalid request.`); a REST answer that does not match is answered 500 with the schema
 * errors. Both are logged and recorded in the request log.
 */
export function openApi(
  validator: OpenApiValidator | undefined,
  operationOf: (route: RestRoute) => string,
  log: (line: string) => void,
): MiddlewareHandler<StandinEnv> {
  return async (c, next) => {
    const matched = c.get('route');
    const entry = c.get('entry');
    if (!validator || !matched) {
      await next();
      return undefined;
    }
    const operation = operationOf(matched.route);
    if (['POST', 'PUT', 'PATCH'].includes(entry.method)) {
      const checked = validator.validateRequest(operation, c.get('body') ?? {});
      if (!checked.ok) {
        entry.validationErrors = checked.problems.map(problem => ({
          in: 'request',
          ...problem,
        }));
        log(
          `[github-standin] invalid request body for ${operation}: ${checked.problems.map(p => `${p.path || '/'} ${p.message}`).join('; ')}`,
        );
        const errors = checked.problems.map(problem => ({
          resource: 'Request',
          code: 'invalid',
          field: problem.path.replace(/^\//, '').replace(/\//g, '.') || 'body',
          message: `${problem.path || 'body'} ${problem.message}`,
        }));
        return sendJson(c, 422, {
          message: `Invalid request.\n\n${errors.map(error => error.message).join('\n')}`,
          documentation_url: DOCS,
          status: '422',
          errors,
        });
      }
    }
    await next();
    const result = c.get('rest');
    if (!result || result.raw !== undefined || entry.error) return undefined;
    const checked = validator.validateResponse(
      operation,
      result.status,
      result.body,
      result.mediaType,
    );
    if (checked.ok) return undefined;
    entry.validationErrors = [
      ...(entry.validationErrors ?? []),
      ...checked.problems.map(problem => ({
        in: 'response' as const,
        ...problem,
      })),
    ];
    const summary = checked.problems
      .slice(0, 10)
      .map(p => `${p.path || '/'} ${p.message}`)
      .join('; ');
    log(
      `[github-standin] response of ${operation} (${result.status}) does not match GitHub's OpenAPI description: ${summary}`,
    );
    const body = {
      message:
        "The stand-in's response does not match GitHub's OpenAPI description",
      documentation_url: DOCS,
      status: '500',
      operation,
      original_status: result.status,
      errors: checked.problems,
    };
    c.res = new Response(JSON.stringify(body), {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    c.res.headers.delete('etag');
    return undefined;
  };
}
