/** The HTTP layer's middleware on Hono, one concern each; `server.ts` puts them in order. */
import { performance } from 'node:perf_hooks';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppConfig, Authenticator } from '../auth';
import { describeFault, type FaultInjector, faultError } from '../faults';
import type { OpenApiValidator, ValidationProblem } from '../openapi/validator';
import { ApiError, sendError } from '../rest/api';
import type { Identity } from '../state';

/** One request, as README.md ("Request log") documents it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  route: string | null;
  status: number;
  durationMs: number;
  fault?: string;
  validationErrors?: (ValidationProblem & { in: 'request' | 'response' })[];
}

/** What the middleware hand each other through the Hono context. */
export interface StandinEnv {
  Bindings: HttpBindings;
  Variables: {
    entry: RequestLogEntry;
    identity: Identity;
    app: AppConfig | undefined;
    /** The parsed JSON body. */
    body: unknown;
    /** A REST handler's JSON answer (a fault's patch applied), for the response validation. */
    answer: { status: number; body: unknown } | undefined;
    responsePatch: Record<string, unknown> | undefined;
  };
}

export type StandinContext = Context<StandinEnv>;
type Middleware = MiddlewareHandler<StandinEnv>;

/**
 * Answers only requests addressed to a loopback name: a web page whose DNS name an attacker
 * rebinds to 127.0.0.1 sends its own name in `Host`, and could otherwise use the tokens a local
 * portal holds against this API (issue 9 review, E1). Others get 421 Misdirected Request.
 */
export const hostCheck: Middleware = async (c, next) => {
  const host = c.req.header('host') ?? '';
  const name = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i
    .exec(host)?.[1]
    ?.toLowerCase();
  const shown = JSON.stringify(host.slice(0, 60));
  const message = `Host: must be a loopback name (localhost, 127.0.0.1, [::1]), but it is ${shown}`;
  if (name !== 'localhost' && name !== '127.0.0.1' && name !== '[::1]')
    return c.json({ message }, 421);
  return next();
};

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
    if (!fault) return next();
    entry.fault = describeFault(fault);
    if ('reset' in fault) {
      c.env.incoming.socket.destroy();
      return RESPONSE_ALREADY_SENT;
    }
    if ('status' in fault || 'secondaryRateLimit' in fault)
      return sendError(c, faultError(fault));
    if ('delayMs' in fault)
      await new Promise(resolve => setTimeout(resolve, fault.delayMs));
    else c.set('responsePatch', fault.responsePatch);
    return next();
  };
}

/**
 * Authentication (a token, or a GitHub App JWT on `/app` routes) and GitHub's rate limit of 5,000
 * requests an hour per identity, with its `x-ratelimit-*` headers; bad credentials get GitHub's 401,
 * counted against the anonymous limit. Gives the middleware of each kind of route.
 */
export function authentication(auth: Authenticator, limit = 5000) {
  const windows = new Map<string, { used: number; resetAt: number }>();
  /** Counts a request against `key`'s hour and sets its `x-ratelimit-*` headers; whether it is over. */
  const count = (c: StandinContext, key: string): boolean => {
    const now = Math.floor(Date.now() / 1000);
    const previous = windows.get(key);
    const window =
      previous && previous.resetAt > now
        ? previous
        : { used: 0, resetAt: now + 3600 };
    windows.set(key, window);
    window.used += 1;
    c.header('x-ratelimit-limit', String(limit));
    c.header('x-ratelimit-remaining', String(Math.max(0, limit - window.used)));
    c.header('x-ratelimit-reset', String(window.resetAt));
    return window.used > limit;
  };
  return (kind: 'token' | 'app' | 'graphql'): Middleware =>
    async (c, next) => {
      const header = c.req.header('authorization');
      const result =
        kind === 'app'
          ? await auth.authenticateApp(header)
          : auth.authenticate(header);
      if (!result.ok) {
        count(c, 'anonymous');
        return sendError(c, new ApiError(401, result.message));
      }
      const { identity, app } = result;
      c.set('identity', identity);
      c.set('app', app);
      const bucket = kind === 'graphql' ? 'graphql' : 'core';
      if (count(c, app ? `app:${app.id}` : `${bucket}:${identity.login}`)) {
        const message = `API rate limit exceeded for ${identity.login}.`;
        return sendError(c, new ApiError(403, message));
      }
      return next();
    };
}

/**
 * The JSON body (`Problems parsing JSON` when it is not JSON) and, given an OpenAPI check, GitHub's
 * validation: a request body that does not match is answered 422 `Invalid request.`, a REST answer
 * that does not match 500 with the schema errors; both are logged and kept in the request log.
 */
export function jsonBody(openApi?: {
  validator: OpenApiValidator;
  /** The route's `method path` in the OpenAPI description. */
  operation: string;
  log: (line: string) => void;
}): Middleware {
  return async (c, next) => {
    const text = await c.req.text();
    try {
      c.set('body', text.length > 0 ? JSON.parse(text) : undefined);
    } catch {
      return sendError(c, new ApiError(400, 'Problems parsing JSON'));
    }
    if (!openApi) return next();
    const { validator, operation, log } = openApi;
    const entry = c.get('entry');
    /** Keeps problems in the request log; returns them as `path message` lines. */
    const keep = (
      where: 'request' | 'response',
      problems: ValidationProblem[],
    ) => {
      const logged = problems.map(problem => ({ in: where, ...problem }));
      entry.validationErrors = [...(entry.validationErrors ?? []), ...logged];
      return problems.map(
        ({ path, message }) => `${path || 'body'} ${message}`,
      );
    };
    if (['POST', 'PUT', 'PATCH'].includes(entry.method)) {
      const refused = validator.validateRequest(operation, c.get('body') ?? {});
      if (refused.length > 0) {
        const problems = keep('request', refused);
        log(
          `[github-standin] invalid request body for ${operation}: ${problems.slice(0, 10).join('; ')}`,
        );
        // GitHub's answer to a body its schema refuses: the problems in the message
        const message = `Invalid request.\n\n${problems.join('\n')}`;
        return sendError(c, new ApiError(422, message));
      }
    }
    await next();
    const answer = c.get('answer');
    if (!answer) return; // a file's bytes
    const { status, body } = answer;
    const problems = validator.validateResponse(operation, status, body);
    if (problems.length === 0) return;
    log(
      `[github-standin] response of ${operation} (${status}) does not match GitHub's OpenAPI description: ${keep('response', problems).slice(0, 10).join('; ')}`,
    );
    const message =
      "The stand-in's response does not match GitHub's OpenAPI description";
    const extra = { operation, original_status: status, errors: problems };
    c.res = sendError(c, new ApiError(500, message, extra));
  };
}
