/**
 * Repository webhooks as GitHub delivers them: `pull_request` (opened, closed with `merged`) and
 * `push` (any branch, the base branch of a merge included), POSTed as JSON with GitHub's headers
 * (`X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256` = `sha256=` + HMAC-SHA256 of the
 * raw body with the hook's secret, `User-Agent: GitHub-Hookshot/...`), after the change and
 * never inside the request that made it. Payload shapes: GitHub's webhook payloads
 * (docs.github.com "Webhook events and payloads"), checked against @octokit/webhooks-schemas in
 * webhooks.test.ts.
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

/** A repository webhook (every repository of the stand-in) for `push` and `pull_request`. */
export interface WebhookConfig {
  /** Payload URL. */
  url: string;
  /** Secret: signs each body (`X-Hub-Signature-256`); without one, no signature header. */
  secret?: string;
}

/** One delivery, as GitHub's "Recent Deliveries" lists it. */
export interface WebhookDelivery {
  /** `X-GitHub-Delivery` */
  id: string;
  event: 'push' | 'pull_request';
  url: string;
  /** The receiver's status; undefined when the POST failed (the error says why). */
  status?: number;
  error?: string;
  payload: Record<string, unknown>;
}

const ZERO_SHA = '0000000000000000000000000000000000000000';
/** GitHub lists at most 20 commits in a push payload (docs.github.com, push event). */
const PUSH_COMMITS_LIMIT = 20;

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

/** A REST object (user, repository, pull request) as webhook payloads give it. */
function webhookShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(webhookShape);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    if (!REST_ONLY.has(key)) out[key] = webhookShape(field);
  // a repository: the two fields the webhook schema requires beyond the REST ones
  return 'full_name' in out
    ? { ...out, web_commit_signoff_required: false, custom_properties: {} }
    : out;
}

/** The payload of a `push` to `ref` from `before` to `after`. */
function pushPayload(
  urls: Urls,
  sender: Identity,
  event: Extract<StandinEvent, { kind: 'push' }>,
): Record<string, unknown> {
  const { repo, ref, before, after } = event;
  const { html } = repoUrls(urls, repo);
  const commits: Record<string, unknown>[] = [];
  // First-parent walk from `after` back to `before` (a new branch: its head commit only).
  let sha: string | undefined = after;
  while (sha && sha !== before && commits.length < PUSH_COMMITS_LIMIT) {
    const commit = repo.git.commit(sha);
    if (!commit) break;
    const parent = commit.parents[0];
    const changes = parent ? repo.git.diff(parent, sha) : [];
    const paths = (status: string) =>
      changes.filter(change => change.status === status).map(c => c.path);
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
    if (before === undefined) break;
    sha = parent;
  }
  const who = userJson(urls, sender);
  return {
    ref,
    before: before ?? ZERO_SHA,
    after,
    created: before === undefined,
    deleted: false,
    forced: event.forced,
    base_ref: null,
    compare:
      before === undefined
        ? `${html}/commit/${after.slice(0, 12)}`
        : `${html}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    repository: webhookShape(repositoryJson(urls, repo)),
    pusher: { name: who.login, email: `${who.login}@users.noreply.github.com` },
    sender: webhookShape(who),
  };
}

/**
 * Sends the stand-in's events to its webhooks. Deliveries to one URL go in order, one at a time
 * (GitHub gives no order; the stand-in's is the events' order, which keeps tests readable).
 */
export class WebhookSender {
  private readonly log: WebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly stop: () => void;

  constructor(
    private readonly state: StandinState,
    private readonly urls: Urls,
    private readonly hooks: WebhookConfig[],
    private readonly sender: Identity,
    private readonly report: (line: string) => void,
  ) {
    this.stop = this.state.onEvent(event => this.onEvent(event));
  }

  add(hook: WebhookConfig): void {
    this.hooks.push(hook);
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  settled(): Promise<void> {
    return this.queue;
  }

  close(): Promise<void> {
    this.stop();
    return this.queue;
  }

  private onEvent(event: StandinEvent): void {
    if (this.hooks.length === 0) return;
    // Built now, while the repository is as the event left it.
    const payload =
      event.kind === 'push'
        ? pushPayload(this.urls, this.sender, event)
        : {
            action: event.action,
            number: event.pull.number,
            pull_request: webhookShape(
              fullPullJson(this.urls, this.state, event.repo, event.pull),
            ),
            repository: webhookShape(repositoryJson(this.urls, event.repo)),
            sender: webhookShape(userJson(this.urls, this.sender)),
          };
    const body = JSON.stringify(payload);
    for (const hook of this.hooks) {
      const delivery: WebhookDelivery = {
        id: randomUUID(),
        event: event.kind,
        url: hook.url,
        payload,
      };
      this.queue = this.queue.then(() => this.deliver(hook, delivery, body));
    }
  }

  private async deliver(
    hook: WebhookConfig,
    delivery: WebhookDelivery,
    body: string,
  ): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/standin',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.id,
      ...(hook.secret
        ? { 'x-hub-signature-256': signWebhookBody(hook.secret, body) }
        : {}),
    };
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    if (delivery.status === undefined || delivery.status >= 300)
      this.report(
        `github-standin: webhook ${delivery.event} ${delivery.id} to ${hook.url}: ${delivery.error ?? delivery.status}`,
      );
    this.log.push(delivery);
  }
}
