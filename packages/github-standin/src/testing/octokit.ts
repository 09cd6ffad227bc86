/**
 * Test helpers: a real @octokit/rest client with the retry and throttling plugins, pointed at a
 * stand-in. The line is the one Backstage itself uses (@octokit/rest 19, @octokit/core 4, CommonJS),
 * with the plugin versions made for that core (plugin-retry 4, plugin-throttling 6).
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { GithubStandin, GithubStandinOptions } from '../index';
import { startGithubStandin } from '../index';

export const TOKEN = 'ghp_standinTestToken0000000000000000000';

const RetryingOctokit = Octokit.plugin(retry, throttling);
export type TestOctokit = InstanceType<typeof RetryingOctokit>;

export interface ClientOptions {
  token?: string;
  /** Enable plugin-throttling (its write queue spaces writes 1 s apart, so flows keep it off). */
  throttle?: boolean;
  /** Retries of plugin-retry (default 3); throttling retries up to this many times too. */
  retries?: number;
  /** Collects what the throttling plugin reports: `rate-limit 2` / `secondary-limit 1`. */
  events?: string[];
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function client(
  standin: GithubStandin,
  options: ClientOptions = {},
): TestOctokit {
  const retries = options.retries ?? 3;
  const events = options.events ?? [];
  return new RetryingOctokit({
    baseUrl: standin.apiBaseUrl,
    auth: options.token ?? TOKEN,
    log: silent,
    retry: { retries, retryAfterBaseValue: 5 },
    throttle: {
      enabled: options.throttle ?? false,
      retryAfterBaseValue: 5,
      onRateLimit: (
        retryAfter: number,
        _options: unknown,
        _octokit: unknown,
        retryCount: number,
      ) => {
        events.push(`rate-limit ${retryAfter}`);
        return retryCount < retries;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        _options: unknown,
        _octokit: unknown,
        retryCount: number,
      ) => {
        events.push(`secondary-limit ${retryAfter}`);
        return retryCount < retries;
      },
    },
  });
}

/** A stand-in with one token, silent logging collected into `lines`. */
export async function standinForTests(
  options: GithubStandinOptions = {},
): Promise<{ standin: GithubStandin; lines: string[] }> {
  const lines: string[] = [];
  const standin = await startGithubStandin({
    tokens: [TOKEN],
    log: line => lines.push(line),
    ...options,
  });
  return { standin, lines };
}

/** The `status` of a rejected Octokit call (RequestError), or undefined. */
export async function statusOf(promise: Promise<unknown>): Promise<{
  status: number;
  message: string;
  data: unknown;
  headers: Record<string, unknown>;
}> {
  try {
    await promise;
  } catch (error) {
    if (
      typeof error === 'object' &&
      error !== null &&
      'status' in error &&
      typeof error.status === 'number'
    ) {
      const response =
        'response' in error &&
        typeof error.response === 'object' &&
        error.response !== null
          ? error.response
          : {};
      const data = 'data' in response ? response.data : undefined;
      const headers =
        'headers' in response &&
        typeof response.headers === 'object' &&
        response.headers !== null
          ? (response.headers as Record<string, unknown>)
          : {};
      return {
        status: error.status,
        message: error instanceof Error ? error.message : String(error),
        data,
        headers,
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
