/** The REST layer's answers, GitHub-style errors and small helpers for its Hono handlers. */
import type { operations } from '@octokit/openapi-types-current';
import type { StatusCode } from 'hono/utils/http-status';
import type { Authenticator } from '../auth';
import type { StandinContext } from '../http/middleware';
import type { RepoRecord, StandinState } from '../state';
import type { Urls } from './shapes';

export interface RestContext {
  state: StandinState;
  urls: Urls;
  auth: Authenticator;
}

/** A REST route's Hono handler; on /repos/:owner/:repo, given the repository the path names. */
export type RestHandler = (c: StandinContext) => Response;
export type RepoHandler = (c: StandinContext, repo: RepoRecord) => Response;

/**
 * Handlers by route: `METHOD path`, Hono's path relative to /api/v3 (`:name{.+}` is the rest of
 * the path, a trailing `?` makes it optional).
 */
export type RestRoutes<Handler = RepoHandler> = Record<string, Handler>;

/**
 * The JSON body of an operation's request, typed by @octokit/openapi-types: the OpenAPI
 * validation lets only such bodies through (the benches, which turn validation off, send the
 * product's own requests).
 */
export function bodyOf<Op extends keyof operations>(
  c: StandinContext,
): operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never {
  return c.var.body as never;
}

/** An error answered as GitHub does: `{ message, documentation_url, status }` plus extras. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(this.status),
      ...this.extra,
    };
  }
}

export function notFound(message = 'Not Found'): ApiError {
  return new ApiError(404, message);
}

/** 422 with GitHub's message; with `errors`, GitHub's `Validation Failed` and its errors array. */
export function unprocessable(
  message: string,
  ...errors: { field?: string; code: string; message?: string }[]
): ApiError {
  return errors.length === 0
    ? new ApiError(422, message)
    : new ApiError(422, 'Validation Failed', {
        errors: errors.map(error => ({ resource: message, ...error })),
      });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A GitHub-style JSON answer: no body for `undefined`. */
export function sendJson(
  c: StandinContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  const json = body === undefined ? null : JSON.stringify(body);
  return c.newResponse(json, status as StatusCode, {
    ...(json === null
      ? {}
      : { 'content-type': 'application/json; charset=utf-8' }),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
}

export function sendError(c: StandinContext, error: ApiError): Response {
  return sendJson(c, error.status, error.body(), error.headers);
}

/**
 * A REST handler's JSON answer, a fault's responsePatch over its top-level fields, kept for the
 * response's OpenAPI check (middleware.ts, jsonBody).
 */
export function reply(
  c: StandinContext,
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  const patch = c.var.responsePatch;
  const answer = patch && isRecord(body) ? { ...body, ...patch } : body;
  c.set('answer', { status, body: answer });
  return sendJson(c, status, answer, headers);
}

/** 201 Created with its `location`. */
export function created<T extends { url: string }>(
  c: StandinContext,
  body: T,
): Response {
  return reply(c, body, 201, { location: body.url });
}

export function intParam(c: StandinContext, name: string): number {
  const raw = c.req.param(name) ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** A rest-of-path parameter without trailing slashes: `contents/` is the root. */
export function restParam(c: StandinContext, name: string): string {
  return (c.req.param(name) ?? '').replace(/\/+$/, '');
}

/** One page of `items` as JSON (GitHub's page and per_page), with a Link header to the others. */
export function paginated<T>(
  c: StandinContext,
  selfUrl: string,
  items: readonly T[],
  json: (item: T) => unknown,
): Response {
  const given = new URL(c.req.url).searchParams;
  const number = (name: string, fallback: number) =>
    Math.max(1, Number(given.get(name) ?? fallback) || fallback);
  const perPage = Math.min(100, number('per_page', 30));
  const page = number('page', 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(given);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${selfUrl}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  return reply(
    c,
    items.slice((page - 1) * perPage, page * perPage).map(json),
    200,
    links.length > 0 ? { link: links.join(', ') } : {},
  );
}
