/**
 * @aks-gitops/github-standin — a local GitHub (GitHub Enterprise layout) for the product's tests,
 * benchmarks and the offline portal. See README.md.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { AppConfig } from './auth';
import type { FaultRule } from './faults';
import type { FileMode, FlatEntry } from './git/repository';
import { type RequestLogEntry, StandinServer } from './http/server';
import { OpenApiValidator } from './openapi/validator';
import { ApiError } from './rest/api';
import {
  closePullRequest,
  findPull,
  type MergeOptions,
  mergePullRequest,
  openPullRequest,
} from './rest/pulls';
import { fullPullJson, type PullRequestJson } from './rest/shapes';
import { type Identity, type RepoRecord, StandinState } from './state';
import {
  type WebhookConfig,
  type WebhookDelivery,
  WebhookSender,
} from './webhooks';

export type { RequestLogEntry } from './http/server';
export { signWebhookBody } from './webhooks';

export interface GithubStandinOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Accepted tokens (`Authorization: token X` or `Bearer X`); empty or absent: anything goes. */
  tokens?: string[];
  /** GitHub Apps whose JWTs the /app endpoints accept. */
  apps?: AppConfig[];
  /** Validate request bodies and responses against GitHub's OpenAPI description (default true). */
  validate?: boolean;
  /** Where unmatched routes, validation failures and internal errors are reported (default console.error). */
  log?: (line: string) => void;
  /** Called for every request once answered. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Repository webhooks (every repository): `push` and `pull_request`, delivered as GitHub does (webhooks.ts). */
  webhooks?: WebhookConfig[];
}

/** A repository's files: a folder (modes and symlinks kept, `.git` skipped) or a `{path: content}` map. */
export type SeedSource =
  { folder: string } | { files: Record<string, string | Buffer> };

export interface GithubStandin {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** url + /api/v3: an Octokit `baseUrl`, a Backstage `apiBaseUrl`. */
  readonly apiBaseUrl: string;
  /** url + /api/graphql */
  readonly graphqlUrl: string;
  /** url + /raw: a Backstage `rawBaseUrl`. */
  readonly rawBaseUrl: string;
  /** 127.0.0.1:PORT: what Backstage's `integrations.github[].host` matches. */
  readonly host: string;
  /**
   * Creates the repository (or adds a commit replacing its files on `branch`, default the
   * default branch `main`); returns the new commit.
   */
  seedRepository(
    owner: string,
    repo: string,
    source: SeedSource,
    options?: { branch?: string; private?: boolean },
  ): { commit: string; tree: string; branch: string };
  /** Commits `files` (`null` deletes a path) on a branch, creating it from `from` (default: the default branch); returns the commit. */
  commitFiles(
    owner: string,
    repo: string,
    commit: {
      branch: string;
      files: Record<string, string | Buffer | null>;
      message?: string;
      from?: string;
    },
  ): string;
  /** Opens a pull request as its author would (GitHub's checks apply); `head` is `branch` or `owner:branch`. */
  openPull(
    owner: string,
    repo: string,
    options: { head: string; base?: string; title: string; body?: string },
  ): PullRequestJson;
  /** Path → UTF-8 content at a branch or commit sha. */
  files(owner: string, repo: string, ref: string): Map<string, string>;
  /** Pull requests as GitHub's REST API gives them. */
  pulls(owner: string, repo: string): PullRequestJson[];
  pull(owner: string, repo: string, number: number): PullRequestJson;
  branches(owner: string, repo: string): string[];
  /** Merges as GitHub's merge button does; returns the merge commit. Throws when not mergeable. */
  mergePull(
    owner: string,
    repo: string,
    number: number,
    options?: MergeOptions,
  ): string;
  closePull(owner: string, repo: string, number: number): void;
  /** Writes the repository as a bare git repository the git command line can read. */
  exportRepository(owner: string, repo: string, dir: string): void;
  /** Fault injection (faults.ts): a rule's fault replaces, delays or breaks matching calls. */
  readonly faults: { add(rule: FaultRule): void; clear(): void };
  /** Requests answered so far (the last 10,000), oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  readonly webhooks: {
    /** Adds a webhook from now on. */
    add(hook: WebhookConfig): void;
    /** Deliveries made so far, oldest first. */
    deliveries(): WebhookDelivery[];
    /** Resolves once every event so far is delivered (or failed). */
    settled(): Promise<void>;
  };
  close(): Promise<void>;
}

/** Every file under a folder (`.git` skipped) with its git mode: symlinks keep their target. */
function readFolder(folder: string): [string, Buffer, FileMode][] {
  const out: [string, Buffer, FileMode][] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue;
      const full = join(dir, name);
      const path = relative(folder, full).split(sep).join('/');
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isSymbolicLink())
        out.push([path, Buffer.from(readlinkSync(full)), '120000']);
      else if (stat.isFile())
        out.push([
          path,
          readFileSync(full),
          (stat.mode & 0o111) !== 0 ? '100755' : '100644',
        ]);
    }
  };
  walk(folder);
  return out;
}

/** Runs a store operation, turning GitHub's refusal into an Error that says what was refused. */
function refusal<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ApiError)
      throw new Error(
        `github-standin: cannot ${what}: ${error.status} ${error.message}${'errors' in error.extra ? ` ${JSON.stringify(error.extra.errors)}` : ''}`,
      );
    throw error;
  }
}

export async function startGithubStandin(
  options: GithubStandinOptions = {},
): Promise<GithubStandin> {
  const user: Identity = { login: 'standin-user', type: 'User' };
  const state = new StandinState(() => new Date(), user);
  const log = options.log ?? ((line: string) => console.error(line));
  const server = new StandinServer({
    port: options.port ?? 0,
    tokens: options.tokens ?? [],
    apps: options.apps ?? [],
    ...(options.validate === false
      ? {}
      : { validator: OpenApiValidator.fromFile() }),
    log,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    state,
    user,
  });
  const urls = await server.listen();
  const webhooks = new WebhookSender(
    state,
    urls,
    [...(options.webhooks ?? [])],
    user,
    log,
  );
  const repoOf = (owner: string, name: string): RepoRecord => {
    const repo = state.repo(owner, name);
    if (!repo)
      throw new Error(`github-standin: no repository ${owner}/${name}`);
    return repo;
  };
  const resolve = (repo: RepoRecord, ref: string): string => {
    const sha = repo.git.resolve(ref);
    if (!sha)
      throw new Error(
        `github-standin: no ref ${ref} in ${repo.owner}/${repo.name}`,
      );
    return sha;
  };

  return {
    url: urls.web,
    apiBaseUrl: urls.api,
    graphqlUrl: `${urls.web}/api/graphql`,
    rawBaseUrl: `${urls.web}/raw`,
    host: new URL(urls.web).host,
    seedRepository(owner, name, source, seed = {}) {
      const repo =
        state.repo(owner, name) ??
        state.createRepo(owner, name, {
          defaultBranch: 'main',
          private: seed.private ?? false,
          description: null,
        });
      const branch = seed.branch ?? repo.git.defaultBranch;
      const files = new Map<string, Buffer | string | FlatEntry>();
      if ('folder' in source) {
        const folder = readFolder(source.folder);
        const shas = repo.git.writeBlobs(folder.map(([, content]) => content));
        folder.forEach(([path, , mode], index) =>
          files.set(path, { mode, sha: shas[index] ?? '' }),
        );
      } else
        for (const [path, content] of Object.entries(source.files))
          files.set(path.replace(/^\/+/, ''), content);
      const message = repo.git.branch(branch) ? 'Seed' : 'Initial commit';
      const commit = state.commitSnapshot(repo, branch, files, message);
      return { commit, tree: repo.git.commit(commit)?.tree ?? '', branch };
    },
    commitFiles(owner, name, { branch, files, message, from }) {
      const repo = repoOf(owner, name);
      if (!repo.git.branch(branch))
        repo.git.setBranch(
          branch,
          resolve(repo, from ?? repo.git.defaultBranch),
        );
      return state.commitChanges(
        repo,
        branch,
        new Map(Object.entries(files)),
        message ?? `Update ${Object.keys(files).join(', ')}`,
      );
    },
    openPull(owner, name, { head, base, title, body }) {
      const repo = repoOf(owner, name);
      const pull = refusal('open the pull request', () =>
        openPullRequest(
          state,
          repo,
          {
            head,
            base: base ?? repo.git.defaultBranch,
            title,
            body: body ?? null,
            draft: false,
          },
          user,
        ),
      );
      return fullPullJson(urls, state, repo, pull);
    },
    files(owner, name, ref) {
      const repo = repoOf(owner, name);
      const files = repo.git.filesOf(resolve(repo, ref));
      const contents = repo.git.blobs([...files.values()].map(e => e.sha));
      return new Map(
        [...files].map(([path, entry]) => [
          path,
          (contents.get(entry.sha) ?? Buffer.alloc(0)).toString('utf8'),
        ]),
      );
    },
    pulls(owner, name) {
      const repo = repoOf(owner, name);
      return repo.pulls.map(pull => fullPullJson(urls, state, repo, pull));
    },
    pull(owner, name, number) {
      const repo = repoOf(owner, name);
      return fullPullJson(urls, state, repo, findPull(repo, number));
    },
    branches: (owner, name) => repoOf(owner, name).git.branchNames(),
    mergePull(owner, name, number, merge = {}) {
      const repo = repoOf(owner, name);
      return refusal(`merge #${number}`, () =>
        mergePullRequest(state, repo, findPull(repo, number), merge, user),
      ).sha;
    },
    closePull(owner, name, number) {
      const repo = repoOf(owner, name);
      closePullRequest(state, repo, findPull(repo, number));
    },
    exportRepository: (owner, name, dir) =>
      repoOf(owner, name).git.exportTo(dir),
    faults: {
      add: rule => server.faults.add(rule),
      clear: () => server.faults.clear(),
    },
    requests: () => server.requests(),
    clearRequests: () => server.clearRequests(),
    webhooks: {
      add: hook => webhooks.add(hook),
      deliveries: () => webhooks.deliveries(),
      settled: () => webhooks.settled(),
    },
    close: async () => {
      await webhooks.close();
      await server.close();
      state.close();
    },
  };
}
