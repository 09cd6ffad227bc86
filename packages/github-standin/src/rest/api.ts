/** The REST layer's request/response types, GitHub-style errors and small helpers. */
import type { IncomingHttpHeaders } from 'node:http';
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
  /** A non-JSON body (raw file contents, diffs); not validated. */
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

export interface ValidationErrorItem {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

/** 422 Validation Failed with GitHub's `errors` array. */
export function validationFailed(...errors: ValidationErrorItem[]): ApiError {
  return new ApiError(422, 'Validation Failed', { errors });
}

export function unprocessable(message: string): ApiError {
  return new ApiError(422, message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(body: unknown, key: string): unknown {
  return isRecord(body) ? body[key] : undefined;
}

export function stringField(body: unknown, key: string): string | undefined {
  const value = field(body, key);
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(
  body: unknown,
  key: string,
  resource: string,
): string {
  const value = stringField(body, key);
  if (value === undefined)
    throw validationFailed({ resource, code: 'missing_field', field: key });
  return value;
}

export function booleanField(body: unknown, key: string): boolean | undefined {
  const value = field(body, key);
  return typeof value === 'boolean' ? value : undefined;
}

export function stringArray(body: unknown, key: string): string[] {
  const value = field(body, key);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

export function repoOf(context: RestContext, request: RestRequest): RepoRecord {
  const repo = context.state.repo(
    request.params.owner ?? '',
    request.params.repo ?? '',
  );
  if (!repo) throw notFound();
  return repo;
}

export function intParam(request: RestRequest, name: string): number {
  const raw = request.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** GitHub's page/per_page paging with a Link header. */
export function paginate<T>(
  items: readonly T[],
  request: RestRequest,
  selfUrl: string,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(request.query.get('per_page') ?? '30') || 30),
  );
  const pageNumber = Math.max(1, Number(request.query.get('page') ?? '1') || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${selfUrl}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1)
    links.push(link(pageNumber - 1, 'prev'), link(1, 'first'));
  if (pageNumber < last)
    links.push(link(pageNumber + 1, 'next'), link(last, 'last'));
  return { page, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

export function ok(
  body: unknown,
  headers: Record<string, string> = {},
  status = 200,
): RestResponse {
  return { status, body, headers };
}

export function wantsRaw(request: RestRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}
