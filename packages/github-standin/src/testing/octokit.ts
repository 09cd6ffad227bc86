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

const quiet = () => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

export function client(
  standin: GithubStandin,
  options: ClientOptions = {},
): TestOctokit {
  const retries = options.retries ?? 3;
  const events = options.events ?? [];
  const onLimit =
    (kind: string) =>
    (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => {
      events.push(`${kind} ${retryAfter}`);
      return retryCount < retries;
    };
  return new RetryingOctokit({
    baseUrl: standin.apiBaseUrl,
    auth: options.token ?? TOKEN,
    log: silent,
    retry: { retries, retryAfterBaseValue: 5 },
    throttle: {
      enabled: options.throttle ?? false,
      retryAfterBaseValue: 5,
      onRateLimit: onLimit('rate-limit'),
      onSecondaryRateLimit: onLimit('secondary-limit'),
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

/** What a rejected Octokit call (RequestError) says: status, message, the body and headers. */
export async function statusOf(promise: Promise<unknown>): Promise<{
  status: number;
  message: string;
  data: unknown;
  headers: Record<string, unknown>;
}> {
  try {
    await promise;
  } catch (error) {
    const failure = error as {
      status?: unknown;
      message?: unknown;
      response?: { data?: unknown; headers?: Record<string, unknown> };
    };
    if (typeof failure.status !== 'number') throw error;
    return {
      status: failure.status,
      message: String(failure.message),
      data: failure.response?.data,
      headers: failure.response?.headers ?? {},
    };
  }
  throw new Error('expected the call to fail');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
