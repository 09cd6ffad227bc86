/**
 * @aks-gitops/github-standin — a local GitHub (github.com / GitHub Enterprise layout) for tests,
 * benchmarks and an offline portal. See README.md.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppConfig } from './auth';
import type { FaultRule } from './faults';
import type { FileMode, FlatEntry } from './git/repository';
import { OpenApiValidator } from './openapi/validator';
import { ApiError } from './rest/api';
import {
  closePullRequest,
  findPull,
  type MergeOptions,
  mergePullRequest,
  openPullRequest,
} from './rest/pulls';
import {
  fullPullJson,
  type PullRequestJson as PullRequest,
} from './rest/shapes';
import { type RequestLogEntry, StandinServer } from './http/server';
import {
  type WebhookConfig,
  type WebhookDelivery,
  WebhookSender,
} from './webhooks';
import {
  type Identity,
  type PullRecord,
  type RepoRecord,
  StandinState,
} from './state';

export type { AppConfig, AppInstallationConfig } from './auth';
export type { Fault, FaultRule } from './faults';
export type { MergeOptions } from './rest/pulls';
export type {
  LoggedValidationProblem,
  RequestArea,
  RequestLogEntry,
} from './http/server';
export type { ValidationProblem } from './openapi/validator';
export { OpenApiValidator } from './openapi/validator';
export type {
  WebhookConfig,
  WebhookDelivery,
  WebhookEventName,
} from './webhooks';
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
  /** Login of the user behind the tokens (default `standin-user`). */
  user?: string;
  /** Requests per hour and identity before the primary rate limit (default 5000). */
  rateLimit?: number;
  /** The clock (commit dates, timestamps, token expiry); default the real one. */
  now?: () => Date;
  /** Where unmatched routes, validation failures and internal errors are reported (default console.error). */
  log?: (line: string) => void;
  /** Called for every request once answered. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Requests kept in the log (default 10000). */
  requestLogLimit?: number;
  /**
   * Host names (no port) a request's `Host` may name besides localhost, 127.0.0.1 and [::1]
   * (default none): every other name is refused, so a page whose DNS name rebinds to 127.0.0.1 cannot
   * use the API.
   */
  allowedHosts?: string[];
  /** Repository webhooks (every repository): `push` and `pull_request`, delivered as GitHub does (webhooks.ts). */
  webhooks?: WebhookConfig[];
}

export type SeedSource =
  { folder: string } | { files: Record<string, string | Buffer> };

export interface SeedOptions {
  /** Branch the repository is created with (default `main`); ignored when it exists already. */
  defaultBranch?: string;
  /** Branch to commit the seed to (default: the default branch). */
  branch?: string;
  private?: boolean;
  description?: string;
  /** Commit message (default `Initial commit`, or `Seed` when the branch exists). */
  message?: string;
}

export interface SeedResult {
  commit: string;
  tree: string;
  branch: string;
}

/**
 * A pull request as GitHub's REST API gives it (`GET /pulls/{n}`, typed by @octokit/openapi-types):
 * the library's view is the REST view of the same record.
 */
export type { PullRequestJson as PullRequest } from './rest/shapes';

export interface CommitFilesOptions {
  branch: string;
  files: Record<string, string | Buffer | null>;
  message?: string;
  /** Where a new branch starts (branch or sha); default the default branch. */
  from?: string;
}

export interface OpenPullRequestOptions {
  /** `branch` or `owner:branch` */
  head: string;
  /** Default: the default branch. */
  base?: string;
  title: string;
  body?: string;
  draft?: boolean;
}

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
  readonly port: number;
  /** Milliseconds from the call to startGithubStandin until it listened. */
  readonly startupMs: number;
  /**
   * Creates the repository (or adds a commit replacing its files) from a folder or a
   * `{path: content}` map; returns the new commit.
   */
  seedRepository(
    owner: string,
    repo: string,
    source: SeedSource,
    options?: SeedOptions,
  ): SeedResult;
  /** Commits `files` (`null` deletes a path) on a branch, creating it from `from` (default: the default branch); returns the commit. */
  commitFiles(owner: string, repo: string, commit: CommitFilesOptions): string;
  /** Opens a pull request as its author would (GitHub's checks apply: duplicates, no commits, missing branches). */
  openPull(
    owner: string,
    repo: string,
    options: OpenPullRequestOptions,
  ): PullRequest;
  /** Path → UTF-8 content at a branch or commit sha. */
  files(owner: string, repo: string, ref: string): Map<string, string>;
  pulls(owner: string, repo: string): PullRequest[];
  pull(owner: string, repo: string, number: number): PullRequest;
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
  readonly faults: {
    add(rule: FaultRule): void;
    clear(): void;
    list(): FaultRule[];
  };
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
function readFolder(
  folder: string,
): Map<string, { mode: FileMode; content: Buffer }> {
  const out = new Map<string, { mode: FileMode; content: Buffer }>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue;
      const full = join(dir, name);
      const path = relative(folder, full).split(sep).join('/');
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isSymbolicLink())
        out.set(path, {
          mode: '120000',
          content: Buffer.from(readlinkSync(full)),
        });
      else if (stat.isFile())
        out.set(path, {
          mode: (stat.mode & 0o111) !== 0 ? '100755' : '100644',
          content: readFileSync(full),
        });
    }
  };
  walk(folder);
  return out;
}

export async function startGithubStandin(
  options: GithubStandinOptions = {},
): Promise<GithubStandin> {
  const started = performance.now();
  const user: Identity = {
    login: options.user ?? 'standin-user',
    type: 'User',
  };
  const state = new StandinState(options.now ?? (() => new Date()), user);
  const log = options.log ?? ((line: string) => console.error(line));

  const repoOrThrow = (owner: string, name: string): RepoRecord => {
    const repo = state.repo(owner, name);
    if (!repo)
      throw new Error(`github-standin: no repository ${owner}/${name}`);
    return repo;
  };

  const seedRepository = (
    owner: string,
    name: string,
    source: SeedSource,
    seed: SeedOptions = {},
  ): SeedResult => {
    const existing = state.repo(owner, name);
    const repo =
      existing ??
      state.createRepo(owner, name, {
        defaultBranch: seed.defaultBranch ?? 'main',
        private: seed.private ?? false,
        description: seed.description ?? null,
      });
    const branch = seed.branch ?? repo.git.defaultBranch;
    const files = new Map<string, Buffer | string | FlatEntry>();
    if ('folder' in source) {
      const folder = [...readFolder(source.folder)];
      const shas = repo.git.writeBlobs(folder.map(([, file]) => file.content));
      folder.forEach(([path, file], index) =>
        files.set(path, { mode: file.mode, sha: shas[index] ?? '' }),
      );
    } else {
      for (const [path, content] of Object.entries(source.files))
        files.set(path.replace(/^\/+/, ''), content);
    }
    const message =
      seed.message ?? (repo.git.branch(branch) ? 'Seed' : 'Initial commit');
    const commit = state.commitSnapshot(repo, branch, files, message);
    return { commit, tree: repo.git.commit(commit)?.tree ?? '', branch };
  };

  const validator =
    options.validate === false ? undefined : OpenApiValidator.fromFile();
  const standinServer = new StandinServer({
    port: options.port ?? 0,
    tokens: options.tokens ?? [],
    apps: options.apps ?? [],
    ...(validator ? { validator } : {}),
    rateLimit: options.rateLimit ?? 5000,
    log,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    state,
    user,
    logLimit: options.requestLogLimit ?? 10_000,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const urls = await standinServer.listen();
  const port = Number(new URL(urls.web).port);
  const view = (repo: RepoRecord, pull: PullRecord): PullRequest =>
    fullPullJson(urls, state, repo, pull);
  const webhooks = new WebhookSender(
    state,
    urls,
    [...(options.webhooks ?? [])],
    user,
    log,
  );

  const standin: GithubStandin = {
    url: urls.web,
    apiBaseUrl: urls.api,
    graphqlUrl: `${urls.web}/api/graphql`,
    rawBaseUrl: `${urls.web}/raw`,
    host: `127.0.0.1:${port}`,
    port,
    startupMs: Math.round((performance.now() - started) * 10) / 10,
    seedRepository,
    commitFiles(owner, name, { branch, files, message, from }) {
      const repo = repoOrThrow(owner, name);
      if (!repo.git.branch(branch)) {
        const start = repo.git.resolve(from ?? repo.git.defaultBranch);
        if (!start)
          throw new Error(
            `github-standin: no ref ${from ?? repo.git.defaultBranch} in ${owner}/${name}`,
          );
        repo.git.setBranch(branch, start);
      }
      return state.commitChanges(
        repo,
        branch,
        new Map(Object.entries(files)),
        message ?? `Update ${Object.keys(files).join(', ')}`,
      );
    },
    openPull(owner, name, { head, base, title, body, draft }) {
      const repo = repoOrThrow(owner, name);
      try {
        const pull = openPullRequest(
          state,
          repo,
          {
            head,
            base: base ?? repo.git.defaultBranch,
            title,
            body: body ?? null,
            draft: draft ?? false,
          },
          user,
        );
        return view(repo, pull);
      } catch (error) {
        if (error instanceof ApiError)
          throw new Error(
            `github-standin: cannot open the pull request: ${JSON.stringify(error.body())}`,
          );
        throw error;
      }
    },
    files(owner, name, ref) {
      const repo = repoOrThrow(owner, name);
      const sha = repo.git.resolve(ref);
      if (!sha)
        throw new Error(`github-standin: no ref ${ref} in ${owner}/${name}`);
      const files = repo.git.filesOf(sha);
      const contents = repo.git.blobs(
        [...files.values()].map(entry => entry.sha),
      );
      return new Map(
        [...files].map(([path, entry]) => [
          path,
          (contents.get(entry.sha) ?? Buffer.alloc(0)).toString('utf8'),
        ]),
      );
    },
    pulls(owner, name) {
      const repo = repoOrThrow(owner, name);
      return repo.pulls.map(pull => view(repo, pull));
    },
    pull(owner, name, number) {
      const repo = repoOrThrow(owner, name);
      return view(repo, findPull(repo, number));
    },
    branches(owner, name) {
      return repoOrThrow(owner, name).git.branchNames();
    },
    mergePull(owner, name, number, mergeOptions = {}) {
      const repo = repoOrThrow(owner, name);
      try {
        return mergePullRequest(
          state,
          repo,
          findPull(repo, number),
          mergeOptions,
          user,
        ).sha;
      } catch (error) {
        if (error instanceof ApiError)
          throw new Error(
            `github-standin: cannot merge #${number}: ${error.status} ${error.message}`,
          );
        throw error;
      }
    },
    closePull(owner, name, number) {
      const repo = repoOrThrow(owner, name);
      closePullRequest(state, repo, findPull(repo, number));
    },
    exportRepository(owner, name, dir) {
      repoOrThrow(owner, name).git.exportTo(dir);
    },
    faults: {
      add: rule => standinServer.faults.add(rule),
      clear: () => standinServer.faults.clear(),
      list: () => standinServer.faults.list(),
    },
    requests: () => standinServer.requests(),
    clearRequests: () => standinServer.clearRequests(),
    webhooks: {
      add: hook => webhooks.add(hook),
      deliveries: () => webhooks.deliveries(),
      settled: () => webhooks.settled(),
    },
    close: async () => {
      await webhooks.close();
      await standinServer.close();
      state.close();
    },
  };
  return standin;
}
