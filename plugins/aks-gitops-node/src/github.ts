/**
 * One place for talking to GitHub: which credentials, how to retry, and what an error says.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

const GithubClient = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof GithubClient>;

export interface RetryPolicy {
  /** Retries per request after the first attempt. */
  retries: number;
  /** Longest wait GitHub may ask for (retry-after / x-ratelimit-reset) before we give up instead. */
  maxWaitSeconds: number;
  /** Milliseconds per second of requested wait; tests shrink it. */
  secondMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, maxWaitSeconds: 60, secondMs: 1000 };

/**
 * Write pacing without the throttler's 1 s / 3 s gaps: a pull request is 3-4 writes, far from the
 * "large number of writes" GitHub's guidance is about, and Backstage's own action disables the
 * throttler altogether. Writes still go one at a time per process.
 */
const writeGroup = new Bottleneck.Group({ id: 'aks-gitops-write', maxConcurrent: 1, minTime: 0 });

interface HttpError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createGithubClient(options: { token: string; baseUrl: string; logger: LoggerService; retryPolicy?: RetryPolicy }): GithubClient {
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const { logger } = options;
  const shouldRetry = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < policy.retries && retryAfter <= policy.maxWaitSeconds;
    logger.warn(`GitHub ${kind} on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return again;
  };
  const client = new GithubClient({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'aks-gitops-backstage',
    // Octokit's own console logging would bypass the task log.
    log: { debug: () => {}, info: () => {}, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
    // 429 is left to our hook below, which honours its retry-after.
    retry: { retries: policy.retries, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: policy.secondMs },
    throttle: {
      write: writeGroup,
      notifications: writeGroup,
      retryAfterBaseValue: policy.secondMs,
      onRateLimit: shouldRetry('rate limit'),
      onSecondaryRateLimit: shouldRetry('secondary rate limit'),
    },
  });
  client.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (!isHttpError(error) || error.status !== 429 || attempt >= policy.retries) throw error;
        const wait = Number(header(error, 'retry-after') ?? 1);
        if (!(wait <= policy.maxWaitSeconds)) throw error;
        logger.warn(`GitHub 429 on ${requestOptions.method} ${requestOptions.url}: retrying in ${wait}s`);
        await sleep(wait * policy.secondMs);
      }
    }
  });
  return client;
}

export interface GithubTarget {
  host: string;
  owner: string;
  repo: string;
  /** The API the requests go to, named when GitHub cannot be reached (default: the host's). */
  apiBaseUrl?: string;
}

/**
 * The token for a repository: the user's own when the template passes one, else the integration's
 * (token or GitHub App installation) for that host. `requireUserToken` refuses the fallback.
 */
export async function githubToken(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  target: GithubTarget;
  userToken?: string;
  requireUserToken?: boolean;
}): Promise<{ token: string; apiBaseUrl: string }> {
  const { integrations, target, userToken } = options;
  const integration = integrations.github.byHost(target.host);
  if (!integration) {
    throw new InputError(
      `repoUrl: must name a GitHub host configured under integrations.github, but ${target.host} is not configured`,
    );
  }
  const apiBaseUrl = integration.config.apiBaseUrl ?? 'https://api.github.com';
  if (userToken) return { token: userToken, apiBaseUrl };
  if (options.requireUserToken) {
    throw new NotAllowedError(
      'token: must be the signed-in user\'s GitHub token (scaffolder.requireScmUserCredentials is on), but the template passed none; add requestUserCredentials to its RepoUrlPicker',
    );
  }
  const provider = options.credentialsProvider ?? DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  let token: string | undefined;
  try {
    // With a GitHub App this asks GitHub for the installation's credentials: the first request to fail when GitHub is down.
    ({ token } = await provider.getCredentials({
      url: `https://${target.host}/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`,
    }));
  } catch (error) {
    if (isHttpError(error) || connectionErrorCode(error) !== undefined) {
      throw explainGithubError(error, 'get the GitHub App installation\'s credentials', { ...target, apiBaseUrl });
    }
    // Backstage's own refusals (a suspended app, an installation without this repository) carry no secret.
    throw new NotAllowedError(
      `integrations.github: must give credentials for ${target.host}/${target.owner}/${target.repo}, but ${firstLine(error instanceof Error ? error.message : String(error))}`,
    );
  }
  if (!token) {
    throw new NotAllowedError(
      `GitHub credentials for ${target.host}/${target.owner} are missing: configure a token or a GitHub App installed on ${target.owner} under integrations.github`,
    );
  }
  return { token, apiBaseUrl };
}

/**
 * What a failed GitHub request means and what to do about it, in one sentence, without the
 * request's headers (where the credentials are). The hints never contain the word the scaffolder
 * redacts when a template passes the `token` input (its redaction adds the input's name, see
 * throughTheScaffolder.test.ts in the scaffolder module): they say "credentials" and "PAT".
 */
export function explainGithubError(error: unknown, operation: string, target: GithubTarget): Error {
  const where = `${target.owner}/${target.repo} on ${target.host}`;
  const graphqlStatus = graphqlErrorStatus(error);
  if (graphqlStatus !== undefined) {
    return explainGithubError({ status: graphqlStatus, message: (error as Error).message }, operation, target);
  }
  if (!isHttpError(error) || isConnectionFailure(error)) {
    const code = connectionErrorCode(error);
    const api = target.apiBaseUrl ?? `the API of ${target.host}`;
    return new ServiceUnavailableError(
      `GitHub could not be reached at ${api} to ${operation} for ${where}${code ? ` (${code})` : ''}; check that the backend can reach that address (DNS, firewall, proxy) and integrations.github apiBaseUrl, then retry the task`,
    );
  }
  const detail = `${error.status} ${firstLine(error.message)}`;
  switch (error.status) {
    case 401:
      return new NotAllowedError(`GitHub rejected the credentials to ${operation} for ${where} (${detail}); renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again when the template passes the user's own credentials`);
    case 403:
      if (/rate limit/i.test(error.message) || header(error, 'x-ratelimit-remaining') === '0') {
        return new ServiceUnavailableError(`GitHub kept rate-limiting us while trying to ${operation} for ${where} (${detail}); retry the task later`);
      }
      return new NotAllowedError(`GitHub refused to ${operation} for ${where} (${detail}); a classic PAT needs the repo scope, a fine-grained PAT or the GitHub App needs Contents and Pull requests read/write on this repository`);
    case 404:
      return new InputError(`GitHub found nothing to ${operation} for ${where} (${detail}); check the repository URL and that the credentials (PAT or GitHub App installation) can see this repository`);
    case 409:
    case 422:
      return new InputError(`GitHub refused to ${operation} for ${where} (${detail}${validationDetail(error)})`);
    case 429:
      return new ServiceUnavailableError(`GitHub kept rate-limiting us while trying to ${operation} for ${where} (${detail}); retry the task later`);
    default:
      return new ServiceUnavailableError(`GitHub kept failing to ${operation} for ${where} (${detail}) after retries; retry the task later`);
  }
}

/**
 * Octokit reports a request that never got an answer (refused, reset, DNS, TLS) as status 500
 * without a response (@octokit/request 10.0.16 dist-bundle/index.js: `new RequestError(message,
 * 500, { request })` with the fetch error as `cause`); a real 500 from GitHub has a response.
 */
function isConnectionFailure(error: HttpError): boolean {
  return error.status === 500 && error.response === undefined;
}

/** ECONNREFUSED, ENOTFOUND...: on the error, or on undici's `fetch failed` TypeError beneath it. */
function connectionErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * GraphQL answers 200 with `errors` (NOT_FOUND, FORBIDDEN, RATE_LIMITED...): the HTTP status each
 * of those stands for, so they read like the REST errors.
 */
function graphqlErrorStatus(error: unknown): number | undefined {
  const errors = (error as { errors?: Array<{ type?: string }> } | undefined)?.errors;
  if (isHttpError(error) || !Array.isArray(errors)) return undefined;
  const types = errors.map((e) => e.type);
  if (types.includes('RATE_LIMITED')) return 429;
  if (types.includes('FORBIDDEN')) return 403;
  if (types.includes('NOT_FOUND')) return 404;
  return 422;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.replace(/\s+-\s+https:\/\/docs\.github\.com\S*/, '') ?? '';
}

function validationDetail(error: HttpError): string {
  const errors = (error.response?.data as { errors?: Array<{ message?: string; code?: string; field?: string }> } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  return `: ${errors.map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' ')).join('; ')}`;
}

/** `https://host/owner/repo(.git)` in any scheme → `host/owner/repo`, to tell whether two URLs name one repository. */
export function repositoryKey(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').replace(/\.git$/, '').replace(/\/$/, '').toLowerCase();
}
