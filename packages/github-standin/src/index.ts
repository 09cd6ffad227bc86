/** @aks-gitops/github-standin: a local GitHub (Enterprise layout) for the product's tests, benchmarks and offline portal; see README.md. */
import { cpSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type AppConfig, Authenticator } from './auth';
import { FaultInjector } from './faults';
import type { RequestLogEntry } from './http/middleware';
import { serve } from './http/server';
import { OpenApiValidator } from './openapi/validator';
import { ApiError } from './rest/api';
import { fullPullJson, type Urls } from './rest/shapes';
import {
  findPull,
  type Identity,
  type RepoRecord,
  StandinState,
} from './state';
import { startWebhooks, type WebhookConfig } from './webhooks';

export type { RequestLogEntry } from './http/middleware';
export { signWebhookBody } from './webhooks';

/** The options and the members of a running stand-in are documented in README.md. */
export interface GithubStandinOptions {
  port?: number;
  tokens?: string[];
  apps?: AppConfig[];
  validate?: boolean;
  log?: (line: string) => void;
  onRequest?: (entry: RequestLogEntry) => void;
  webhooks?: WebhookConfig[];
}

export type GithubStandin = Awaited<ReturnType<typeof startGithubStandin>>;

/** Runs a store operation, turning GitHub's refusal into an Error that says what was refused. */
function refusal<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { errors } = error.extra;
    const details = errors ? ` ${JSON.stringify(errors)}` : '';
    throw new Error(
      `github-standin: cannot ${what}: ${error.status} ${error.message}${details}`,
    );
  }
}

/** `value`, or an Error saying it is missing. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`github-standin: no ${what}`);
  return value;
}

export async function startGithubStandin(options: GithubStandinOptions = {}) {
  const user: Identity = { login: 'standin-user', type: 'User' };
  const state = new StandinState(() => new Date(), user);
  const log = options.log ?? ((line: string) => console.error(line));
  const urls: Urls = { web: '', api: '' };
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  const auth = new Authenticator(
    options.tokens ?? [],
    options.apps ?? [],
    user,
    () => state.now(),
  );
  const server = await serve({
    port: options.port ?? 0,
    state,
    urls,
    auth,
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
  const { port } = server.address() as AddressInfo;
  urls.web = `http://127.0.0.1:${port}`;
  urls.api = `${urls.web}/api/v3`;
  const { close: closeWebhooks, ...webhooks } = startWebhooks(
    state,
    urls,
    [...(options.webhooks ?? [])],
    user,
    log,
  );
  const repoOf = (owner: string, name: string): RepoRecord =>
    required(state.repo(owner, name), `repository ${owner}/${name}`);
  const resolve = (repo: RepoRecord, ref: string): string =>
    required(repo.git.resolve(ref), `ref ${ref} in ${repo.owner}/${repo.name}`);
  const pullOf = (owner: string, name: string, number: number) =>
    findPull(repoOf(owner, name), number);

  return {
    url: urls.web,
    apiBaseUrl: urls.api,
    graphqlUrl: `${urls.web}/api/graphql`,
    rawBaseUrl: `${urls.web}/raw`,
    host: `127.0.0.1:${port}`,
    seedRepository(
      owner: string,
      name: string,
      source: { folder: string } | { files: Record<string, string | Buffer> },
      seed: { branch?: string; private?: boolean } = {},
    ): { commit: string; tree: string; branch: string } {
      const repo =
        state.repo(owner, name) ??
        state.createRepo(owner, name, seed.private ?? false);
      const branch = seed.branch ?? repo.git.defaultBranch;
      const tree =
        'folder' in source
          ? repo.git.writeFolder(source.folder)
          : repo.git.writeFiles(source.files);
      const message = repo.git.branch(branch) ? 'Seed' : 'Initial commit';
      const commit = state.commitTree(repo, branch, tree, message);
      return { commit, tree, branch };
    },
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
      const { branch, files, from } = commit;
      const repo = repoOf(owner, name);
      if (!repo.git.branch(branch))
        repo.git.setRef(
          `refs/heads/${branch}`,
          resolve(repo, from ?? repo.git.defaultBranch),
        );
      const tree = repo.git.writeFiles(files, repo.git.branch(branch));
      const message =
        commit.message ?? `Update ${Object.keys(files).join(', ')}`;
      return state.commitTree(repo, branch, tree, message);
    },
    openPull(
      owner: string,
      name: string,
      pull: { head: string; base?: string; title: string; body?: string },
    ) {
      const repo = repoOf(owner, name);
      const base = pull.base ?? repo.git.defaultBranch;
      const opened = refusal('open the pull request', () =>
        state.openPull(repo, { ...pull, base }, user),
      );
      return fullPullJson(urls, opened);
    },
    files(owner: string, name: string, ref: string): Map<string, string> {
      const repo = repoOf(owner, name);
      const files = repo.git.flatten(resolve(repo, ref));
      return new Map(
        [...files].map(([path, { sha }]) => [
          path,
          repo.git.blob(sha)?.toString('utf8') ?? '',
        ]),
      );
    },
    pulls: (owner: string, name: string) =>
      repoOf(owner, name).pulls.map(pull => fullPullJson(urls, pull)),
    pull: (owner: string, name: string, number: number) =>
      fullPullJson(urls, pullOf(owner, name, number)),
    branches: (owner: string, name: string): string[] =>
      repoOf(owner, name).git.branchNames(),
    mergePull(
      owner: string,
      name: string,
      number: number,
      merge: { sha?: string } = {},
    ): string {
      return refusal(`merge #${number}`, () =>
        state.mergePull(pullOf(owner, name, number), merge, user),
      );
    },
    closePull(owner: string, name: string, number: number): void {
      state.closePull(pullOf(owner, name, number));
    },
    // a copy of the bare repository, for `git --git-dir DIR log` or `git clone DIR`
    exportRepository: (owner: string, name: string, dir: string): void =>
      cpSync(repoOf(owner, name).git.dir, dir, { recursive: true }),
    faults: {
      add: faults.add.bind(faults),
      clear: faults.clear.bind(faults),
    },
    requests: (): RequestLogEntry[] => requests.map(entry => ({ ...entry })),
    clearRequests: (): void => {
      requests.length = 0;
    },
    webhooks,
    async close(): Promise<void> {
      await closeWebhooks();
      await new Promise(done => {
        server.close(done);
        server.closeAllConnections();
      });
      state.close();
    },
  };
}
