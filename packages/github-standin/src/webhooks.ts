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
import type { Identity, RepoRecord, StandinEvent, StandinState } from './state';

/** The webhook events the stand-in delivers. */
export type WebhookEventName = 'push' | 'pull_request';

/** A repository webhook (every repository of the stand-in), as GitHub's "Add webhook" form sets one. */
export interface WebhookConfig {
  /** Payload URL. */
  url: string;
  /** Secret: signs each body (`X-Hub-Signature-256`); without one, no signature headers. */
  secret?: string;
  /** Events sent (default both). */
  events?: WebhookEventName[];
}

/** One delivery, as GitHub's "Recent Deliveries" lists it. */
export interface WebhookDelivery {
  /** `X-GitHub-Delivery` */
  id: string;
  event: WebhookEventName;
  /** `action` of a pull_request payload. */
  action?: string;
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

/**
 * A user as webhook payloads give it: the REST simple user without `user_view_type`, which
 * GitHub's webhook payload schema (@octokit/webhooks-schemas 7.6 `user`) does not have.
 */
function webhookUser(user: unknown): unknown {
  if (!user || typeof user !== 'object') return user;
  const rest = { ...(user as Record<string, unknown>) };
  delete rest['user_view_type'];
  return rest;
}

/** A REST repository (`repositoryJson`) as webhook payloads give it: no REST-only fields. */
function webhookRepository(repository: unknown): unknown {
  if (!repository || typeof repository !== 'object') return repository;
  const rest = { ...(repository as Record<string, unknown>) };
  for (const field of ['permissions', 'network_count', 'subscribers_count'])
    delete rest[field];
  return {
    ...rest,
    web_commit_signoff_required: false,
    owner: webhookUser(rest['owner']),
    custom_properties: {},
  };
}

function webhookRepositoryJson(urls: Urls, repo: RepoRecord): unknown {
  return webhookRepository(repositoryJson(urls, repo));
}

/** A REST pull request (`fullPullJson`) as pull_request payloads give it. */
function webhookPull(pull: Record<string, unknown>): Record<string, unknown> {
  const side = (value: unknown): unknown => {
    const ref = value as Record<string, unknown>;
    return {
      ...ref,
      user: webhookUser(ref['user']),
      repo: webhookRepository(ref['repo']),
    };
  };
  const users = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(webhookUser) : value;
  return {
    ...pull,
    user: webhookUser(pull['user']),
    merged_by: webhookUser(pull['merged_by']),
    assignee: webhookUser(pull['assignee']),
    assignees: users(pull['assignees']),
    requested_reviewers: users(pull['requested_reviewers']),
    head: side(pull['head']),
    base: side(pull['base']),
  };
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
    repository: webhookRepositoryJson(urls, repo),
    pusher: { name: who.login, email: `${who.login}@users.noreply.github.com` },
    sender: webhookUser(who),
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

  /** Adds a webhook from now on. */
  add(hook: WebhookConfig): void {
    this.hooks.push(hook);
  }

  /** The deliveries made so far (oldest first), answered or failed. */
  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  /** Resolves once every event so far has been delivered (or has failed). */
  settled(): Promise<void> {
    return this.queue;
  }

  close(): Promise<void> {
    this.stop();
    return this.queue;
  }

  private onEvent(event: StandinEvent): void {
    const name: WebhookEventName = event.kind;
    const hooks = this.hooks.filter(hook =>
      (hook.events ?? ['push', 'pull_request']).includes(name),
    );
    if (hooks.length === 0) return;
    // Built now, while the repository is as the event left it.
    const payload =
      event.kind === 'push'
        ? pushPayload(this.urls, this.sender, event)
        : {
            action: event.action,
            number: event.pull.number,
            pull_request: webhookPull(
              fullPullJson(this.urls, this.state, event.repo, event.pull),
            ),
            repository: webhookRepositoryJson(this.urls, event.repo),
            sender: webhookUser(userJson(this.urls, this.sender)),
          };
    const body = JSON.stringify(payload);
    for (const hook of hooks) {
      const delivery: WebhookDelivery = {
        id: randomUUID(),
        event: name,
        ...(event.kind === 'pull_request' ? { action: event.action } : {}),
        url: hook.url,
        payload,
      };
      this.queue = this.queue.then(() =>
        this.deliver(hook, event.repo, delivery, body),
      );
    }
  }

  private async deliver(
    hook: WebhookConfig,
    repo: RepoRecord,
    delivery: WebhookDelivery,
    body: string,
  ): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/standin',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.id,
      'x-github-hook-id': '1',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(repo.id),
      ...(hook.secret
        ? {
            'x-hub-signature': `sha1=${createHmac('sha1', hook.secret).update(body).digest('hex')}`,
            'x-hub-signature-256': signWebhookBody(hook.secret, body),
          }
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
      if (!response.ok)
        this.report(
          `github-standin: webhook ${delivery.event} ${delivery.id} to ${hook.url}: ${response.status}`,
        );
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      this.report(
        `github-standin: webhook ${delivery.event} ${delivery.id} to ${hook.url} failed: ${delivery.error}`,
      );
    }
    this.log.push(delivery);
  }
}
