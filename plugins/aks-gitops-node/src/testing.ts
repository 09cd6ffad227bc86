/**
 * Test helpers for code built on \@aks-gitops/plugin-aks-gitops-node:
 * `import { createTestGithubClient } from '@aks-gitops/plugin-aks-gitops-node/testing'`.
 *
 * @packageDocumentation
 */
import {
  githubClient,
  type GithubClient,
  type GithubClientOptions,
} from './github';

export type { GithubClient, GithubClientOptions, RetryPolicy } from './github';

/**
 * createGithubClient whose second lasts `secondMs` milliseconds (default 1): the same retries and
 * rate-limit handling, with every wait GitHub or plugin-retry asks for shortened, so a test of a
 * fault does not wait real seconds.
 *
 * @public
 */
export function createTestGithubClient(
  options: GithubClientOptions,
  secondMs = 1,
): GithubClient {
  return githubClient(options, secondMs);
}
