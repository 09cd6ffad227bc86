/**
 * @aks-gitops/github-standin — a local GitHub (GitHub Enterprise layout) for the product's tests,
 * benchmarks and the offline portal. See README.md.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type AppConfig, Authenticator } from './auth';
import { FaultInjector, type FaultRule } from './faults';
import type { FileMode, FlatEntry } from './git/repository';
import type { RequestLogEntry } from './http/middleware';
import { listen, standinApp } from './http/server';
import { OpenApiValidator } from './openapi/validator';
import { ApiError } from './rest/api';
import {
  closePullRequest,
  findPull,
  type MergeOptions,
  mergePullRequest,
  openPullRequest,
} from './rest/pulls';
import { fullPullJson, type Urls } from './rest/shapes';
import { type Identity, type RepoRecord, StandinState } from './state';
import { type WebhookConfig, WebhookSender } from './webhooks';

export type { RequestLogEntry } from './http/middleware';
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

/** The running stand-in: its URLs, its repositories as a test sets and reads them, faults, the request log and webhooks. */
export type GithubStandin = Awaited<ReturnType<typeof startGithubStandin>>;

/** Every file under a folder (`.git` skipped) with its git mode: symlinks keep their target. */
function readFolder(folder: string): [string, Buffer, FileMode][] {
  return readdirSync(folder, { recursive: true, withFileTypes: true }).flatMap(
    (entry): [string, Buffer, FileMode][] => {
      const full = join(entry.parentPath, entry.name);
      const path = relative(folder, full).split(sep);
      if (path.includes('.git')) return [];
      if (entry.isSymbolicLink())
        return [[path.join('/'), Buffer.from(readlinkSync(full)), '120000']];
      if (!entry.isFile()) return [];
      const executable = (statSync(full).mode & 0o111) !== 0;
      return [
        [path.join('/'), readFileSync(full), executable ? '100755' : '100644'],
      ];
    },
  );
}

/** Runs a store operation, turning GitHub's refusal into an Error that says what was refused. */
function refusal<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const errors = error.extra.errors
      ? ` ${JSON.stringify(error.extra.errors)}`
      : '';
    throw new Error(
      `github-standin: cannot ${what}: ${error.status} ${error.message}${errors}`,
    );
  }
}

export async function startGithubStandin(options: GithubStandinOptions = {}) {
  const user: Identity = { login: 'standin-user', type: 'User' };
  const state = new StandinState(() => new Date(), user);
  const log = options.log ?? ((line: string) => console.error(line));
  const urls: Urls = { web: '', api: '' };
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  const app = standinApp({
    state,
    urls,
    auth: new Authenticator(
      options.tokens ?? [],
      options.apps ?? [],
      user,
      () => state.now(),
    ),
    faults,
    ...(options.validate === false
      ? {}
      : { validator: OpenApiValidator.fromFile() }),
    log,
    record: entry => {
      requests.push(entry);
      if (requests.length > 10_000) requests.shift();
      options.onRequest?.(entry);
    },
  });
  const { server, port } = await listen(app, options.port ?? 0);
  urls.web = `http://127.0.0.1:${port}`;
  urls.api = `${urls.web}/api/v3`;
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
  const pullJson = (repo: RepoRecord, number: number) =>
    fullPullJson(urls, state, repo, findPull(repo, number));

  return {
    /** http://127.0.0.1:PORT */
    url: urls.web,
    /** url + /api/v3: an Octokit `baseUrl`, a Backstage `apiBaseUrl`. */
    apiBaseUrl: urls.api,
    /** url + /api/graphql */
    graphqlUrl: `${urls.web}/api/graphql`,
    /** url + /raw: a Backstage `rawBaseUrl`. */
    rawBaseUrl: `${urls.web}/raw`,
    /** 127.0.0.1:PORT: what Backstage's `integrations.github[].host` matches. */
    host: `127.0.0.1:${port}`,
    /**
     * Creates the repository (default branch `main`) or adds a commit replacing its files on
     * `branch` (default: the default branch).
     */
    seedRepository(
      owner: string,
      name: string,
      source: SeedSource,
      seed: { branch?: string; private?: boolean } = {},
    ): { commit: string; tree: string; branch: string } {
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
    /** Commits `files` (`null` deletes a path) on a branch, creating it from `from` (default: the default branch); returns the commit. */
    commitFiles(
      owner: string,
      name: string,
      commit: {
        branch: string;
        files: Record<string, string | Buffer | null>;
        message?: string;
        from?: string;
      },
    ): string {
      const repo = repoOf(owner, name);
      if (!repo.git.branch(commit.branch))
        repo.git.setBranch(
          commit.branch,
          resolve(repo, commit.from ?? repo.git.defaultBranch),
        );
      return state.commitChanges(
        repo,
        commit.branch,
        new Map(Object.entries(commit.files)),
        commit.message ?? `Update ${Object.keys(commit.files).join(', ')}`,
      );
    },
    /** Opens a pull request as its author would (GitHub's checks apply); `head` is `branch` or `owner:branch`. */
    openPull(
      owner: string,
      name: string,
      pull: { head: string; base?: string; title: string; body?: string },
    ) {
      const repo = repoOf(owner, name);
      const base = pull.base ?? repo.git.defaultBranch;
      const opened = refusal('open the pull request', () =>
        openPullRequest(
          state,
          repo,
          { ...pull, base, body: pull.body ?? null, draft: false },
          user,
        ),
      );
      return pullJson(repo, opened.number);
    },
    /** Path → UTF-8 content at a branch or commit sha. */
    files(owner: string, name: string, ref: string): Map<string, string> {
      const repo = repoOf(owner, name);
      const files = repo.git.filesOf(resolve(repo, ref));
      const contents = repo.git.blobs([...files.values()].map(e => e.sha));
      return new Map(
        [...files].map(([path, { sha }]) => [
          path,
          (contents.get(sha) ?? Buffer.alloc(0)).toString('utf8'),
        ]),
      );
    },
    /** Pull requests as GitHub's REST API gives them. */
    pulls(owner: string, name: string) {
      const repo = repoOf(owner, name);
      return repo.pulls.map(pull => pullJson(repo, pull.number));
    },
    pull: (owner: string, name: string, number: number) =>
      pullJson(repoOf(owner, name), number),
    branches: (owner: string, name: string): string[] =>
      repoOf(owner, name).git.branchNames(),
    /** Merges as GitHub's merge button does; returns the merge commit. Throws when not mergeable. */
    mergePull(
      owner: string,
      name: string,
      number: number,
      merge: MergeOptions = {},
    ): string {
      const repo = repoOf(owner, name);
      return refusal(`merge #${number}`, () =>
        mergePullRequest(state, repo, findPull(repo, number), merge, user),
      ).sha;
    },
    closePull(owner: string, name: string, number: number): void {
      const repo = repoOf(owner, name);
      closePullRequest(state, repo, findPull(repo, number));
    },
    /** Writes the repository as a bare git repository the git command line can read. */
    exportRepository: (owner: string, name: string, dir: string): void =>
      repoOf(owner, name).git.exportTo(dir),
    /** Fault injection (faults.ts): a rule's fault replaces, delays or breaks matching calls. */
    faults: {
      add: (rule: FaultRule): void => faults.add(rule),
      clear: (): void => faults.clear(),
    },
    /** Requests answered so far (the last 10,000), oldest first. */
    requests: (): RequestLogEntry[] => requests.map(entry => ({ ...entry })),
    clearRequests: (): void => {
      requests.length = 0;
    },
    webhooks: {
      /** Adds a webhook from now on. */
      add: (hook: WebhookConfig): void => webhooks.add(hook),
      /** Deliveries made so far, oldest first. */
      deliveries: () => webhooks.deliveries(),
      /** Resolves once every event so far is delivered (or failed). */
      settled: (): Promise<void> => webhooks.settled(),
    },
    async close(): Promise<void> {
      await webhooks.close();
      await new Promise(done => {
        server.close(done);
        server.closeAllConnections();
      });
      state.close();
    },
  };
}
