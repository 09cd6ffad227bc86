/** The REST layer's request/response types, GitHub-style errors and small helpers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { operations } from '@octokit/openapi-types-current';
import type { AppConfig, Authenticator } from '../auth';
import type { Identity, RepoRecord, StandinState } from '../state';
import type { Urls } from './shapes';

export const DOCS = 'https://docs.github.com/rest';

export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (validated against the operation's request schema when validation is on). */
  body: unknown;
  headers: IncomingHttpHeaders;
  identity: Identity;
  /** Set on /app/... routes: the app whose JWT authenticated the request. */
  app?: AppConfig;
}

export interface RestResponse {
  status: number;
  /** A JSON body. */
  body?: unknown;
  /** A non-JSON body (raw file contents); not validated. */
  raw?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
  /** Which documented media type `body` is (default application/json). */
  mediaType?: string;
}

export interface RestContext {
  state: StandinState;
  urls: Urls;
  auth: Authenticator;
}

export interface RestRoute {
  method: string;
  /** Router pattern relative to /api/v3; `:name` and `*name` are the OpenAPI path's `{name}`. */
  pattern: string;
  /** `app`: authenticated by a GitHub App JWT instead of a token. */
  auth?: 'app';
  handler: (request: RestRequest) => RestResponse;
}

/** The route's `method path` key in the OpenAPI description: `post /repos/{owner}/{repo}/git/trees`. */
export function operationOf(
  route: Pick<RestRoute, 'method' | 'pattern'>,
): string {
  return `${route.method.toLowerCase()} ${route.pattern.replace(/[:*](\w+)\??/g, '{$1}')}`;
}

/**
 * The JSON body of an operation's request, typed by @octokit/openapi-types: the OpenAPI
 * validation lets only such bodies through (the benches, which turn validation off, send the
 * product's own requests).
 */
export function bodyOf<Op extends keyof operations>(
  request: RestRequest,
): operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never {
  return request.body as never;
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
      documentation_url: DOCS,
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

/** Makes routes under /repos/:owner/:repo: each handler gets the repository the path names (404 when there is none). */
export function repoRouter({ state }: RestContext) {
  return (
    route: `${'GET' | 'POST' | 'PATCH'} /repos/:owner/:repo${string}`,
    handler: (request: RestRequest, repo: RepoRecord) => RestResponse,
  ): RestRoute => {
    const [method = '', pattern = ''] = route.split(' ');
    return {
      method,
      pattern,
      handler: request => {
        const { owner = '', repo = '' } = request.params;
        const found = state.repo(owner, repo);
        if (!found) throw notFound();
        return handler(request, found);
      },
    };
  };
}

export function intParam(request: RestRequest, name: string): number {
  const raw = request.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** One page of `items` as JSON (GitHub's page and per_page), with a Link header to the others. */
export function paginated<T>(
  request: RestRequest,
  selfUrl: string,
  items: readonly T[],
  json: (item: T) => unknown,
): RestResponse {
  const number = (name: string, fallback: number) =>
    Math.max(1, Number(request.query.get(name) ?? fallback) || fallback);
  const perPage = Math.min(100, number('per_page', 30));
  const page = number('page', 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${selfUrl}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  return ok(
    items.slice((page - 1) * perPage, page * perPage).map(json),
    links.length > 0 ? { link: links.join(', ') } : {},
  );
}

export function ok(
  body: unknown,
  headers: Record<string, string> = {},
  status = 200,
): RestResponse {
  return { status, body, headers };
}

/** 201 Created with its `location`. */
export function created<T extends { url: string }>(body: T): RestResponse {
  return ok(body, { location: body.url }, 201);
}
