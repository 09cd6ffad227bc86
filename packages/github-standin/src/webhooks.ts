/**
 * Repository webhooks as GitHub delivers them (`push`, `pull_request` opened and closed), after the
 * change, never inside its request; webhooks.test.ts checks them against @octokit/webhooks-schemas.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { isoSeconds } from './git/repository';
import {
  fullPullJson,
  gitUserJson,
  repositoryJson,
  repoUrls,
  userJson,
  type Urls,
} from './rest/shapes';
import type { Identity, StandinEvent, StandinState } from './state';

export interface WebhookConfig {
  url: string;
  /** Signs each body (`X-Hub-Signature-256`); without one, no signature header. */
  secret?: string;
}

/** One delivery, as GitHub's "Recent Deliveries" lists it: no status when the POST failed. */
export interface WebhookDelivery {
  id: string;
  event: 'push' | 'pull_request';
  url: string;
  status?: number;
  error?: string;
  payload: Record<string, unknown>;
}

/** `sha256=` + hex HMAC-SHA256 of the body: GitHub's `X-Hub-Signature-256`. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Fields of REST objects that GitHub's webhook payload schemas (@octokit/webhooks-schemas 7.6) do not have. */
const REST_ONLY = new Set([
  'user_view_type',
  'permissions',
  'network_count',
  'subscribers_count',
]);

/** A JSON.stringify replacer: REST objects (users, repositories, pull requests) as webhook payloads give them. */
function webhookShape(key: string, value: unknown): unknown {
  if (REST_ONLY.has(key)) return undefined;
  // a repository: the two fields the webhook schema requires beyond the REST ones
  return value && typeof value === 'object' && 'full_name' in value
    ? { ...value, web_commit_signoff_required: false, custom_properties: {} }
    : value;
}

/** GitHub lists at most 20 commits in a push payload (docs.github.com, push event). */
const PUSH_COMMITS_LIMIT = 20;

/** A `push` payload's own fields, from `before` (undefined: a new branch) to `after`. */
function pushPayload(
  urls: Urls,
  sender: Identity,
  { repo, ref, before, after, forced }: Extract<StandinEvent, { kind: 'push' }>,
) {
  const { html } = repoUrls(urls, repo);
  const commits: Record<string, unknown>[] = [];
  // First-parent walk from `after` back to `before` (a new branch: its head commit only).
  for (let sha: string | undefined = after; sha && sha !== before;) {
    const commit = repo.git.commit(sha);
    if (!commit || commits.length === PUSH_COMMITS_LIMIT) break;
    const parent = commit.parents[0];
    const changes = parent ? repo.git.diff(parent, sha) : [];
    const paths = (status: string) =>
      changes
        .filter(change => change.status === status)
        .map(change => change.path);
    commits.unshift({
      id: sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message,
      timestamp: isoSeconds(commit.committer.time),
      url: `${html}/commit/${sha}`,
      author: gitUserJson(commit.author),
      committer: gitUserJson(commit.committer),
      added: paths('added'),
      removed: paths('removed'),
      modified: paths('modified'),
    });
    sha = before === undefined ? undefined : parent;
  }
  const { login } = sender;
  const short = (sha: string) => sha.slice(0, 12);
  return {
    ref,
    before: before ?? '0'.repeat(40),
    after,
    created: before === undefined,
    deleted: false,
    forced,
    base_ref: null,
    compare: before
      ? `${html}/compare/${short(before)}...${short(after)}`
      : `${html}/commit/${short(after)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    pusher: { name: login, email: `${login}@users.noreply.github.com` },
  };
}

/** Sends the store's events to the webhooks, in order, one at a time (GitHub gives no order; tests read better). */
export function startWebhooks(
  state: StandinState,
  urls: Urls,
  hooks: WebhookConfig[],
  sender: Identity,
  report: (line: string) => void,
) {
  const delivered: WebhookDelivery[] = [];
  let queue = Promise.resolve();

  async function deliver(
    hook: WebhookConfig,
    delivery: WebhookDelivery,
    body: string,
  ): Promise<void> {
    const signature = hook.secret && signWebhookBody(hook.secret, body);
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/standin',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    if (delivery.status === undefined || delivery.status >= 300)
      report(
        `github-standin: webhook ${delivery.event} ${delivery.id} to ${hook.url}: ${delivery.error ?? delivery.status}`,
      );
    delivered.push(delivery);
  }

  const onEvent = (event: StandinEvent) => {
    if (hooks.length === 0) return;
    // Built now, while the repository is as the event left it.
    const body = JSON.stringify(
      {
        ...(event.kind === 'push'
          ? pushPayload(urls, sender, event)
          : {
              action: event.action,
              number: event.pull.number,
              pull_request: fullPullJson(urls, event.pull),
            }),
        repository: repositoryJson(urls, event.repo),
        sender: userJson(urls, sender),
      },
      webhookShape,
    );
    const payload = JSON.parse(body) as Record<string, unknown>;
    for (const hook of hooks) {
      const delivery = {
        id: randomUUID(),
        event: event.kind,
        url: hook.url,
        payload,
      };
      queue = queue.then(() => deliver(hook, delivery, body));
    }
  };
  state.on('event', onEvent);

  return {
    add: (hook: WebhookConfig): void => {
      hooks.push(hook);
    },
    deliveries: (): WebhookDelivery[] => [...delivered],
    settled: (): Promise<void> => queue,
    close: (): Promise<void> => {
      state.off('event', onEvent);
      return queue;
    },
  };
}
