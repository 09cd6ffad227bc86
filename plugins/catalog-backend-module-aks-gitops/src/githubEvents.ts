/**
 * GitHub's webhooks as the events backend gives them: @backstage/plugin-events-backend-module-github
 * 0.4.16 takes POSTs at /api/events/http/github (its validator checks `X-Hub-Signature-256` with
 * `events.modules.github.webhookSecret`, src/http/createGithubSignatureValidator.ts) and its
 * GithubEventRouter republishes each on `github.<X-GitHub-Event>` (src/router/GithubEventRouter.ts).
 * Here: which of those concern a provider (a pull request from one of our branches, a push to the
 * branch it reads) and what they say.
 */
import {
  parseEnvironmentBranch,
  type EnvironmentBranch,
} from '@aks-gitops/plugin-aks-gitops-common';

/** The topics the catalog module subscribes to. */
export const GITHUB_WEBHOOK_TOPICS = ['github.pull_request', 'github.push'];

/**
 * What a webhook says that may concern a provider.
 *
 * @public
 */
export type GithubChange =
  | {
      kind: 'push';
      /** `owner/repo` (the payload's repository.full_name). */
      repository: string;
      branch: string;
      defaultBranch: string;
    }
  | {
      kind: 'pull_request';
      repository: string;
      action: 'opened' | 'closed' | 'reopened';
      merged: boolean;
      number: number;
      url: string;
      /** The base branch of the pull request. */
      base: string;
      defaultBranch: string;
      environment: EnvironmentBranch;
    };

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object'
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The change a `github.push` or `github.pull_request` event reports; undefined for anything else
 * (other topics, other actions, pull requests from branches that are not ours, tags, deletions).
 * With AksClusterEntityProvider.reactsTo, what the module does with each GitHub event it receives.
 *
 * @public
 */
export function githubChange(
  topic: string,
  payload: unknown,
): GithubChange | undefined {
  const body = record(payload);
  const repository = record(body.repository);
  const fullName = text(repository.full_name);
  const defaultBranch = text(repository.default_branch);
  if (!fullName || !defaultBranch) return undefined;
  if (topic === 'github.push') {
    const ref = text(body.ref);
    if (!ref?.startsWith('refs/heads/') || body.deleted === true)
      return undefined;
    return {
      kind: 'push',
      repository: fullName,
      branch: ref.slice('refs/heads/'.length),
      defaultBranch,
    };
  }
  if (topic !== 'github.pull_request') return undefined;
  const action = text(body.action);
  if (action !== 'opened' && action !== 'closed' && action !== 'reopened')
    return undefined;
  const pull = record(body.pull_request);
  const environment = parseEnvironmentBranch(text(record(pull.head).ref) ?? '');
  const number = pull.number;
  if (!environment || typeof number !== 'number') return undefined;
  return {
    kind: 'pull_request',
    repository: fullName,
    action,
    merged: pull.merged === true,
    number,
    url: text(pull.html_url) ?? '',
    base: text(record(pull.base).ref) ?? defaultBranch,
    defaultBranch,
    environment,
  };
}
