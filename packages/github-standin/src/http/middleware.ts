/**
 * The HTTP layer's middleware on Hono, one concern each: the host check, the request log, fault
 * injection, authentication with rate limits, and OpenAPI validation. `server.ts` puts them in order.
 */
import { performance } from 'node:perf_hooks';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import type { AppConfig, Authenticator } from '../auth';
import { describeFault, type FaultInjector, faultAnswer } from '../faults';
import type { OpenApiValidator, ValidationProblem } from '../openapi/validator';
import { DOCS, type RestResponse } from '../rest/api';
import type { Identity } from '../state';

export interface LoggedValidationProblem extends ValidationProblem {
  in: 'request' | 'response';
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested. */
  path: string;
  /**
   * The matched route: a REST route relative to /api/v3 (`/repos/:owner/:repo/git/trees`),
   * `/graphql`, `/raw/:owner/:repo/*`, `/_codeload/...` or a web page's; null when nothing matched.
   */
  route: string | null;
  /** 0 when the connection was reset. */
  status: number;
  durationMs: number;
  /** The injected fault, described. */
  fault?: string;
  /** OpenAPI validation problems of the request body (422) or of the response (500). */
  validationErrors?: LoggedValidationProblem[];
}

/** What the middleware hand each other through the Hono context. */
export interface StandinEnv {
  Bindings: HttpBindings;
  Variables: {
    entry: RequestLogEntry;
    identity: Identity;
    app: AppConfig | undefined;
    /** The parsed JSON body of a REST request. */
    body: unknown;
    /** A REST handler's answer, before it is written (validated by `openApi`, patched by a fault). */
    rest: RestResponse | undefined;
    responsePatch: Record<string, unknown> | undefined;
  };
}

export type StandinContext = Context<StandinEnv>;
type Middleware = MiddlewareHandler<StandinEnv>;

/** A GitHub-style JSON answer: no body for `undefined`. */
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

/** GitHub's error answer: `{ message, documentation_url, status }` and any extra fields. */
export function sendError(
  c: StandinContext,
  status: number,
  message: string,
  extra: { headers?: Record<string, string>; [field: string]: unknown } = {},
): Response {
  const { headers, ...fields } = extra;
  const body = { message, documentation_url: DOCS, status: String(status) };
  return sendJson(c, status, { ...body, ...fields }, headers);
}

/**
 * Answers only requests addressed to a loopback name: a web page whose DNS name an attacker
 * rebinds to 127.0.0.1 sends its own name in `Host`, and could otherwise use the tokens a local
 * portal holds against this API (issue 9 review, E1). Others get 421 Misdirected Request.
 */
export function hostCheck(): Middleware {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    const name = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i
      .exec(host)?.[1]
      ?.toLowerCase();
    if (name !== 'localhost' && name !== '127.0.0.1' && name !== '[::1]')
      return c.json(
        {
          message: `Host: must be a loopback name (localhost, 127.0.0.1, [::1]), but it is ${JSON.stringify(host.slice(0, 60))}`,
        },
        421,
      );
    await next();
    return undefined;
  };
}

/** The request log: opens an entry, records it once answered (routes name themselves in it). */
export function requestLog(
  record: (entry: RequestLogEntry) => void,
): Middleware {
  return async (c, next) => {
    const started = performance.now();
    const url = new URL(c.req.url);
    const entry: RequestLogEntry = {
      method: c.req.method,
      path: url.pathname + url.search,
      route: null,
      status: 0,
      durationMs: 0,
    };
    c.set('entry', entry);
    await next();
    entry.status = c.res === RESPONSE_ALREADY_SENT ? 0 : c.res.status;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    record(entry);
  };
}

/** Names the route in the request log and applies the first fault rule that hits this call. */
export function faults(injector: FaultInjector, route: string): Middleware {
  return async (c, next) => {
    const entry = c.get('entry');
    entry.route = route;
    const fault = injector.apply(entry.method, route);
    if (fault) {
      entry.fault = describeFault(fault);
      if ('delayMs' in fault)
        await new Promise(resolve => setTimeout(resolve, fault.delayMs));
      else if ('reset' in fault) {
        c.env.incoming.socket.destroy();
        return RESPONSE_ALREADY_SENT;
      } else if ('responsePatch' in fault)
        c.set('responsePatch', fault.responsePatch);
      else {
        const { status, message, headers } = faultAnswer(fault);
        return sendError(c, status, message, { headers });
      }
    }
    await next();
    return undefined;
  };
}

/** Counts a request of `key` (per hour, GitHub's 5,000): GitHub's `x-ratelimit-*` headers, and whether it is over. */
export type RateLimiter = (key: string) => {
  headers: Record<string, string>;
  exceeded: boolean;
};

export function rateLimiter(limit: number): RateLimiter {
  const windows = new Map<string, { used: number; resetAt: number }>();
  return key => {
    const now = Math.floor(Date.now() / 1000);
    const previous = windows.get(key);
    const window =
      previous && previous.resetAt > now
        ? previous
        : { used: 0, resetAt: now + 3600 };
    windows.set(key, window);
    window.used += 1;
    const remaining = Math.max(0, limit - window.used);
    return {
      exceeded: window.used > limit,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(window.resetAt),
      },
    };
  };
}

/**
 * Authentication (a token, or a GitHub App JWT on `/app` routes) and the rate limit of the
 * identity; bad credentials get GitHub's 401, counted against the anonymous limit.
 */
export function authenticate(
  auth: Authenticator,
  rate: RateLimiter,
  kind: 'token' | 'app' | 'graphql',
): Middleware {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const result =
      kind === 'app'
        ? await auth.authenticateApp(header)
        : auth.authenticate(header);
    if (!result.ok)
      return sendError(c, 401, result.message, {
        headers: rate('anonymous').headers,
      });
    const identity = 'app' in result ? auth.user : result.identity;
    const key =
      'app' in result
        ? `app:${result.app.id}`
        : `${kind === 'graphql' ? 'graphql' : 'core'}:${identity.login}`;
    c.set('identity', identity);
    if ('app' in result) c.set('app', result.app);
    const counted = rate(key);
    for (const [name, value] of Object.entries(counted.headers))
      c.header(name, value);
    if (counted.exceeded)
      return sendError(
        c,
        403,
        `API rate limit exceeded for ${identity.login}.`,
      );
    await next();
    return undefined;
  };
}

/** The JSON body of a REST request (`Problems parsing JSON` when it is not JSON). */
export function jsonBody(): Middleware {
  return async (c, next) => {
    const text = await c.req.text();
    if (text.length > 0) {
      try {
        c.set('body', JSON.parse(text));
      } catch {
        return sendError(c, 400, 'Problems parsing JSON');
      }
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
  validator: OpenApiValidator,
  operation: string,
  log: (line: string) => void,
): Middleware {
  return async (c, next) => {
    const entry = c.get('entry');
    const record = (
      where: 'request' | 'response',
      problems: ValidationProblem[],
    ) => {
      entry.validationErrors = [
        ...(entry.validationErrors ?? []),
        ...problems.map(problem => ({ in: where, ...problem })),
      ];
      const summary = problems
        .slice(0, 10)
        .map(p => `${p.path || '/'} ${p.message}`)
        .join('; ');
      log(
        where === 'request'
          ? `[github-standin] invalid request body for ${operation}: ${summary}`
          : `[github-standin] response of ${operation} (${c.get('rest')?.status}) does not match GitHub's OpenAPI description: ${summary}`,
      );
    };
    if (['POST', 'PUT', 'PATCH'].includes(entry.method)) {
      const checked = validator.validateRequest(operation, c.get('body') ?? {});
      if (!checked.ok) {
        record('request', checked.problems);
        const errors = checked.problems.map(problem => ({
          resource: 'Request',
          code: 'invalid',
          field: problem.path.replace(/^\//, '').replace(/\//g, '.') || 'body',
          message: `${problem.path || 'body'} ${problem.message}`,
        }));
        const messages = errors.map(error => error.message).join('\n');
        return sendError(c, 422, `Invalid request.\n\n${messages}`, { errors });
      }
    }
    await next();
    const result = c.get('rest');
    if (!result || result.raw !== undefined) return undefined;
    const checked = validator.validateResponse(
      operation,
      result.status,
      result.body,
      result.mediaType,
    );
    if (checked.ok) return undefined;
    record('response', checked.problems);
    c.res = sendError(
      c,
      500,
      "The stand-in's response does not match GitHub's OpenAPI description",
      { operation, original_status: result.status, errors: checked.problems },
    );
    return undefined;
  };
}
