/**
 * The control API under /_standin: faults, the request log, seeding. A web page can make the
 * owner's browser send requests to 127.0.0.1 (and read the answers after a DNS rebinding): every
 * control request needs the token only the owner was given, and every write a JSON body, which a
 * cross-site request cannot send without a CORS preflight (that the stand-in never grants).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { type FaultInjector, parseFaultRule } from '../faults';
import type { Urls } from '../rest/shapes';
import type { RequestLogEntry, StandinEnv } from './middleware';

export interface ControlOptions {
  token: string;
  faults: FaultInjector;
  urls: Urls;
  requests: () => RequestLogEntry[];
  clearRequests: () => void;
  seed: (body: unknown) => unknown;
}

const TOKEN_RULE =
  'X-Standin-Control-Token: must be the control token the stand-in was started with (GithubStandin.controlToken, or what the CLI printed)';

/** Why a control request is refused (401 without the token, 415 for a write without JSON), or undefined. */
function refusal(
  token: string,
  method: string,
  pathname: string,
  given: string | undefined,
  contentType: string | undefined,
): { status: 401 | 415; message: string } | undefined {
  if (given === undefined || given === '')
    return { status: 401, message: `${TOKEN_RULE}, but the request has none` };
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return { status: 401, message: `${TOKEN_RULE}, but it is another value` };
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (
    (contentType ?? '').split(';')[0]?.trim().toLowerCase() ===
    'application/json'
  )
    return undefined;
  const problem =
    contentType === undefined
      ? 'the request has none'
      : `it is ${JSON.stringify(contentType.slice(0, 100))}`;
  return {
    status: 415,
    message: `Content-Type: must be application/json for ${method} ${pathname.slice(0, 100)}, but ${problem}`,
  };
}

export function controlRoutes(options: ControlOptions): Hono<StandinEnv> {
  const control = new Hono<StandinEnv>();
  const send = (status: number, body?: unknown): Response =>
    new Response(body === undefined ? null : JSON.stringify(body, null, 2), {
      status: status as StatusCode,
      headers:
        body === undefined
          ? {}
          : { 'content-type': 'application/json; charset=utf-8' },
    });

  control.use('*', async (c, next) => {
    const method = c.env.incoming.method ?? 'GET';
    const refused = refusal(
      options.token,
      method,
      c.req.path,
      c.req.header('x-standin-control-token'),
      c.req.header('content-type'),
    );
    if (refused) return send(refused.status, { message: refused.message });
    const text = await c.req.text();
    try {
      c.set('body', text.length > 0 ? JSON.parse(text) : undefined);
    } catch {
      return send(400, { message: 'Problems parsing JSON' });
    }
    await next();
    return undefined;
  });
  control.onError(error => send(400, { message: error.message }));
  control.get('/health', () => send(200, { ok: true, url: options.urls.web }));
  control.get('/faults', () => send(200, options.faults.list()));
  control.post('/faults', c => {
    const body = c.get('body');
    for (const rule of (Array.isArray(body) ? body : [body]).map(
      parseFaultRule,
    ))
      options.faults.add(rule);
    return send(201, options.faults.list());
  });
  control.delete('/faults', () => {
    options.faults.clear();
    return send(204);
  });
  control.get('/requests', () => send(200, options.requests()));
  control.delete('/requests', () => {
    options.clearRequests();
    return send(204);
  });
  control.post('/repos', c => send(201, options.seed(c.get('body'))));
  control.all('*', () =>
    send(404, {
      message:
        'Not Found: the control endpoints are GET /_standin/health, GET|POST|DELETE /_standin/faults, GET|DELETE /_standin/requests, POST /_standin/repos',
    }),
  );
  return control;
}
