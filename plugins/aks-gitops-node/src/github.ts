/**
 * One place for talking to GitHub: which credentials, how to retry, and what an error says.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { Octokit } from '@octokit/rest';

/**
 * The Octokit line Backstage itself uses: @backstage/integration and @backstage/backend-defaults
 * depend on @octokit/rest ^19.0.3 (CommonJS, @octokit/core 4), so every Backstage backend already
 * holds this tree and ours dedupes into it; @octokit/plugin-retry 4.1.6 is the retry plugin of that
 * core (peer @octokit/core >=3). No ES-module-only Octokit, so no require(esm) on any Node that
 * Backstage supports.
 *
 * Rate limits are handled by our own hook below, not by @octokit/plugin-throttling: its Bottleneck
 * queues (plugin-throttling 11.0.5 wrap-request.js: a retry limiter, a write group and a global
 * group per request) cost three queues of setTimeout hops per request (bottleneck 2.19.5
 * LocalDatastore.js yieldLoop), about three times the wall time of the request itself against a
 * local GitHub, and its write queue only spaced the start of writes (it schedules a no-op).
 */
const GithubOctokit: typeof Octokit = Octokit.plugin(oneWriteAtATime, retry);
/**
 * Named by \@octokit/rest alone (our dependency), so our declarations need nothing else of Octokit's.
 *
 * @public
 */
export type GithubClient = Octokit;

/**
 * How persistent the client is with GitHub: what a platform engineer may tune.
 *
 * @public
 */
export interface RetryPolicy {
  /** Retries per request after the first attempt. */
  retries: number;
  /** Longest wait GitHub may ask for (retry-after / x-ratelimit-reset) before we give up instead. */
  maxWaitSeconds: number;
}

/** At most 4 retries per request, never a wait over 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  maxWaitSeconds: 60,
};

/**
 * Writes (anything but GET and HEAD, GraphQL included) go to GitHub one at a time per process, as
 * GitHub's guidance on secondary rate limits asks ("make requests serially instead of
 * concurrently"); a write holds its turn for one HTTP attempt only, never across a retry's wait.
 * Registered as the first plugin, so its hook is the innermost one (before-after-hook applies the
 * hooks in the order they were added, the first closest to the request).
 */
let writeTurn: Promise<void> = Promise.resolve();

function oneWriteAtATime(
  octokit: Pick<Octokit, 'hook'>,
): Record<string, never> {
  octokit.hook.wrap('request', async (request, options) => {
    if (options.method === 'GET' || options.method === 'HEAD')
      return request(options);
    const previous = writeTurn;
    let release: () => void = () => {};
    writeTurn = new Promise<void>(resolve => (release = resolve));
    await previous;
    try {
      return await request(options);
    } finally {
      release();
    }
  });
  return {};
}

/**
 * A failed GitHub request as Octokit reports it: its status, message and answer.
 *
 * @public
 */
export interface HttpError {
  status: number;
  message: string;
  response?: {
    headers?: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

/**
 * Whether `error` is a failed GitHub request (it has a numeric status).
 *
 * @public
 */
export function isHttpError(error: unknown): error is HttpError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * How long GitHub asks us to wait before trying again, and why; undefined when the error is no rate
 * limit. The same reading as @octokit/plugin-throttling 11.0.5 (dist-bundle/index.js, the retry
 * limiter's "failed" handler): a "secondary rate" message waits retry-after (else 60 s); a 403/429
 * with x-ratelimit-remaining 0 waits until x-ratelimit-reset plus one second; a GraphQL answer with
 * a RATE_LIMITED error likewise. Any other 429 waits its retry-after (else 1 s).
 */
export function rateLimitWait(
  error: unknown,
  now: number = Date.now(),
): { kind: string; seconds: number } | undefined {
  if (!isHttpError(error)) return undefined;
  const graphqlErrors = (
    error.response?.data as { errors?: Array<{ type?: string }> } | undefined
  )?.errors;
  const graphqlRateLimited =
    Array.isArray(graphqlErrors) &&
    graphqlErrors.some(e => e.type === 'RATE_LIMITED');
  // A successful answer is a rate limit only when GraphQL says so (x-ratelimit-remaining 0 on a 200 is the last allowed request).
  if (error.status === 200 && !graphqlRateLimited) return undefined;
  if (error.status !== 200 && error.status !== 403 && error.status !== 429)
    return undefined;
  if (/\bsecondary rate\b/i.test(error.message)) {
    return {
      kind: 'secondary rate limit',
      seconds: Number(header(error, 'retry-after')) || 60,
    };
  }
  if (header(error, 'x-ratelimit-remaining') === '0' || graphqlRateLimited) {
    const reset = Number(header(error, 'x-ratelimit-reset') ?? 0) * 1000;
    return {
      kind: 'rate limit',
      seconds: Math.max(Math.ceil((reset - now) / 1000) + 1, 0),
    };
  }
  if (error.status === 429)
    return { kind: '429', seconds: Number(header(error, 'retry-after') ?? 1) };
  return undefined;
}

/**
 * A request that never got an answer: @octokit/request 6.2.8 (dist-node/index.js, fetchWrapper)
 * turns it into `RequestError(error.message, 500)` without the cause, and undici's message is only
 * "fetch failed"; this fetch puts the code (ECONNREFUSED...) in the message, where
 * connectionErrorCode finds it again.
 */
async function fetchNamingTheFailure(
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    // Duck-typed: undici's errors come from Node's own realm, not a test sandbox's Error.
    const { name, message } = (error ?? {}) as {
      name?: unknown;
      message?: unknown;
    };
    const code = connectionErrorCode(error);
    if (
      name === 'AbortError' ||
      typeof message !== 'string' ||
      code === undefined
    )
      throw error;
    throw new Error(`${message} (${code})`, { cause: error });
  }
}

/**
 * What createGithubClient needs: the credentials, the API, where warnings go, and how persistent
 * to be (default: DEFAULT_RETRY_POLICY).
 *
 * @public
 */
export interface GithubClientOptions {
  token: string;
  baseUrl: string;
  logger: LoggerService;
  retryPolicy?: RetryPolicy;
}

/**
 * An Octokit for `baseUrl` with our retries, rate-limit waits and one write at a time per process.
 *
 * @public
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  return githubClient(options, 1000);
}

/**
 * createGithubClient with the length of its second given, in milliseconds: every wait (a rate
 * limit's, plugin-retry's (n+1)² s) is counted in it. Only tests shorten it (the `testing` entry
 * point's createTestGithubClient); nothing a platform engineer configures, so not on RetryPolicy.
 */
export function githubClient(
  options: GithubClientOptions,
  secondMs: number,
): GithubClient {
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const { logger } = options;
  const client = new GithubOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'aks-gitops-backstage',
    // Octokit's own console logging would bypass the task log.
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => logger.warn(m),
      error: (m: string) => logger.error(m),
    },
    request: { fetch: fetchNamingTheFailure },
    // 5xx and connection failures: plugin-retry, waiting (n+1)² seconds. Rate limits: our hook below.
    retry: {
      retries: policy.retries,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      retryAfterBaseValue: secondMs,
    },
  });
  client.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      let answered: Awaited<ReturnType<typeof request>> | undefined;
      try {
        answered = await request(requestOptions);
        // GraphQL reports a rate limit in a 200 answer (plugin-throttling 11.0.5 doRequest reads it the same way).
        failure = { status: 200, message: '', response: answered };
      } catch (error) {
        failure = error;
      }
      const wait = rateLimitWait(failure);
      if (wait === undefined) {
        if (answered !== undefined) return answered;
        throw failure;
      }
      const again =
        attempt < policy.retries && wait.seconds <= policy.maxWaitSeconds;
      logger.warn(
        `GitHub ${wait.kind} on ${requestOptions.method} ${requestOptions.url}: ${again ? `retrying in ${wait.seconds}s` : 'giving up'}`,
      );
      if (!again) {
        // A GraphQL answer goes back as it came: @octokit/graphql raises its RATE_LIMITED error, which explainGithubError reads.
        if (answered !== undefined) return answered;
        throw failure;
      }
      await sleep(wait.seconds * secondMs);
    }
  });
  return client;
}

/**
 * The repository a GitHub call is about, for its error messages.
 *
 * @public
 */
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
 *
 * @public
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
      "token: must be the signed-in user's GitHub token (scaffolder.requireScmUserCredentials is on), but the template passed none; add requestUserCredentials to its RepoUrlPicker",
    );
  }
  const provider =
    options.credentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  let token: string | undefined;
  try {
    // With a GitHub App this asks GitHub for the installation's credentials: the first request to fail when GitHub is down.
    ({ token } = await provider.getCredentials({
      url: `https://${target.host}/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`,
    }));
  } catch (error) {
    if (isHttpError(error) || connectionErrorCode(error) !== undefined) {
      throw explainGithubError(
        error,
        "get the GitHub App installation's credentials",
        { ...target, apiBaseUrl },
      );
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
 * What `call` answers, or its failure as explainGithubError tells it: `operation` on `target`.
 *
 * @public
 */
export async function explainedGithubCall<T>(
  operation: string,
  target: GithubTarget,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainGithubError(error, operation, target);
  }
}

/**
 * What a failed GitHub request means and what to do about it, in one sentence, without the
 * request's headers (where the credentials are). The hints never contain the word the scaffolder
 * redacts when a template passes the `token` input (its redaction adds the input's name, see
 * throughTheScaffolder.test.ts in the scaffolder module): they say "credentials" and "PAT".
 *
 * @public
 */
export function explainGithubError(
  error: unknown,
  operation: string,
  target: GithubTarget,
): Error {
  const where = `${target.owner}/${target.repo} on ${target.host}`;
  const graphqlStatus = graphqlErrorStatus(error);
  if (graphqlStatus !== undefined) {
    return explainGithubError(
      { status: graphqlStatus, message: (error as Error).message },
      operation,
      target,
    );
  }
  if (!isHttpError(error) || isConnectionFailure(error)) {
    const code =
      connectionErrorCode(error) ??
      /\(([A-Z][A-Z0-9_]+)\)$/.exec(
        (error as { message?: string }).message ?? '',
      )?.[1];
    const api = target.apiBaseUrl ?? `the API of ${target.host}`;
    return new ServiceUnavailableError(
      `GitHub could not be reached at ${api} to ${operation} for ${where}${code ? ` (${code})` : ''}; check that the backend can reach that address (DNS, firewall, proxy) and integrations.github apiBaseUrl, then retry the task`,
    );
  }
  const detail = `${error.status} ${firstLine(error.message)}`;
  switch (error.status) {
    case 401:
      return new NotAllowedError(
        `GitHub rejected the credentials to ${operation} for ${where} (${detail}); renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again when the template passes the user's own credentials`,
      );
    case 403:
      if (
        /rate limit/i.test(error.message) ||
        header(error, 'x-ratelimit-remaining') === '0'
      ) {
        return new ServiceUnavailableError(
          `GitHub kept rate-limiting us while trying to ${operation} for ${where} (${detail}); retry the task later`,
        );
      }
      return new NotAllowedError(
        `GitHub refused to ${operation} for ${where} (${detail}); a classic PAT needs the repo scope, a fine-grained PAT or the GitHub App needs Contents and Pull requests read/write on this repository`,
      );
    case 404:
      return new InputError(
        `GitHub found nothing to ${operation} for ${where} (${detail}); check the repository URL and that the credentials (PAT or GitHub App installation) can see this repository`,
      );
    case 409:
    case 422:
      return new InputError(
        `GitHub refused to ${operation} for ${where} (${detail}${validationDetail(error)})`,
      );
    case 429:
      return new ServiceUnavailableError(
        `GitHub kept rate-limiting us while trying to ${operation} for ${where} (${detail}); retry the task later`,
      );
    default:
      return new ServiceUnavailableError(
        `GitHub kept failing to ${operation} for ${where} (${detail}) after retries; retry the task later`,
      );
  }
}

/**
 * Octokit reports a request that never got an answer (refused, reset, DNS, TLS) as status 500
 * without a response (@octokit/request 6.2.8 dist-node/index.js, fetchWrapper: `new
 * RequestError(error.message, 500, { request })`, the code put in the message by
 * fetchNamingTheFailure); a real 500 from GitHub has a response.
 */
function isConnectionFailure(error: HttpError): boolean {
  return error.status === 500 && error.response === undefined;
}

/**
 * ECONNREFUSED, ENOTFOUND...: on the error, or on undici's `fetch failed` TypeError beneath it.
 * An HTTP error's `code` is not read: @octokit/request-error 3 (under @octokit/rest 19) makes it a
 * deprecated getter for the status that warns on the console (dist-src/index.js, logOnceCode).
 */
function connectionErrorCode(error: unknown): string | undefined {
  for (
    let current = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 4;
    depth++
  ) {
    const code = isHttpError(current)
      ? undefined
      : (current as { code?: unknown }).code;
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
  const errors = (error as { errors?: Array<{ type?: string }> } | undefined)
    ?.errors;
  if (isHttpError(error) || !Array.isArray(errors)) return undefined;
  const types = errors.map(e => e.type);
  if (types.includes('RATE_LIMITED')) return 429;
  if (types.includes('FORBIDDEN')) return 403;
  if (types.includes('NOT_FOUND')) return 404;
  return 422;
}

function firstLine(text: string): string {
  return (
    text.split('\n')[0]?.replace(/\s+-\s+https:\/\/docs\.github\.com\S*/, '') ??
    ''
  );
}

function validationDetail(error: HttpError): string {
  const errors = (
    error.response?.data as
      | { errors?: Array<{ message?: string; code?: string; field?: string }> }
      | undefined
  )?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  return `: ${errors.map(e => e.message ?? [e.field, e.code].filter(Boolean).join(' ')).join('; ')}`;
}
