/**
 * Helpers of the stand-in's own tests: a real @octokit/rest client with the retry and throttling
 * plugins, the line Backstage itself uses (@octokit/rest 19, core 4, plugin-retry 4, plugin-throttling 6).
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import {
  type GithubStandin,
  type GithubStandinOptions,
  startGithubStandin,
} from '../index';

export { isRecord } from '../rest/api';

export const TOKEN = 'ghp_standinTestToken0000000000000000000';

const RetryingOctokit = Octokit.plugin(retry, throttling);
export type TestOctokit = InstanceType<typeof RetryingOctokit>;

export function client(
  standin: GithubStandin,
  options: {
    token?: string;
    /** Enable plugin-throttling (its write queue spaces writes 1 s apart, so flows keep it off). */
    throttle?: boolean;
    /** Retries of plugin-retry (default 3); throttling retries up to this many times too. */
    retries?: number;
    /** Collects what the throttling plugin reports: `rate-limit 2` / `secondary-limit 1`. */
    events?: string[];
  } = {},
): TestOctokit {
  const { retries = 3, events = [] } = options;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      _options: unknown,
      _octokit: unknown,
      retryCount: number,
    ) => {
      events.push(`${kind} ${retryAfter}`);
      return retryCount < retries;
    };
  const quiet = () => undefined;
  return new RetryingOctokit({
    baseUrl: standin.apiBaseUrl,
    auth: options.token ?? TOKEN,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    retry: { retries, retryAfterBaseValue: 5 },
    throttle: {
      enabled: options.throttle ?? false,
      retryAfterBaseValue: 5,
      onRateLimit: onLimit('rate-limit'),
      onSecondaryRateLimit: onLimit('secondary-limit'),
    },
  });
}

/** A stand-in with one token, its log collected into `lines`. */
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

/** What a rejected Octokit call (RequestError) says: status, message and the body. */
export async function statusOf(
  promise: Promise<unknown>,
): Promise<{ status: number; message: string; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const { status, message, response } = error as {
      status?: unknown;
      message?: unknown;
      response?: { data?: unknown };
    };
    if (typeof status !== 'number') throw error;
    return { status, message: String(message), data: response?.data };
  }
  throw new Error('expected the call to fail');
}
