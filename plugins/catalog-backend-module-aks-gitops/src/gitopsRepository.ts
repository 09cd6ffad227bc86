/**
 * Reads the cluster files of a GitOps repository with few requests whatever the fleet size: the
 * default branch's head and one recursive tree listing of it, one listing of open pull requests, the ids and
 * sizes of the pull requests' files and their head commits' messages in GraphQL batches, and blob texts in GraphQL batches,
 * fetched only for blobs not seen before and not larger than MAX_CLUSTER_FILE_BYTES.
 */
import {
  CATALOG_FILE,
  CLUSTERS_DIR,
  clusterOfBranch,
  clusterPaths,
  parseEnvironmentBranch,
  REQUEST_TRAILER,
  type ClusterState,
  type EnvironmentOperation,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  explainedGithubCall,
  type GitObjectRequest,
  type GithubClient,
  type GithubTarget,
  readBranchTree,
  readGitObjects,
} from '@aks-gitops/plugin-aks-gitops-node';
import type {
  ClusterFile,
  ClusterOperation,
  ClusterProblem,
} from './clusterEntities';

/** The state an active cluster shows while an open pull request of ours applies `operation` to it. */
const OPERATION_STATE: Record<
  Exclude<EnvironmentOperation, 'create'>,
  ClusterState
> = { change: 'changing', decommission: 'decommissioning' };

/** A cluster file larger than this is not read (ours are about 2 KiB). */
export const MAX_CLUSTER_FILE_BYTES = 64 * 1024;
const CLUSTER_FILE = new RegExp(
  `^${CLUSTERS_DIR}/([^/]+)/${CATALOG_FILE.replace('.', '\\.')}$`,
);

const BLOB_INFO = '... on Blob { oid byteSize }';
const BLOB_TEXT = '... on Blob { text }';
const COMMIT_MESSAGE = '... on Commit { message }';

/**
 * Whether a commit message ends with our request trailer (withMark in the scaffolder module:
 * `Aks-Gitops-Request: <sha256 hex>` in its last paragraph). Plain text anyone who can push may
 * write: a check against branches nobody requested through the portal, not against a forger; the
 * ruleset on aks-gitops/** (README, Security model) is what stops those.
 */
export function hasRequestTrailer(message: string): boolean {
  const paragraphs = message.trim().split(/\n[ \t]*\n/);
  if (paragraphs.length < 2) return false;
  const last = paragraphs[paragraphs.length - 1] ?? '';
  return last
    .split('\n')
    .some(line =>
      new RegExp(`^${REQUEST_TRAILER}: [0-9a-f]{64}$`).test(line.trim()),
    );
}

interface BlobInfo {
  oid: string;
  byteSize: number;
}

/** The fields of a pull request this reader uses (REST `pulls.list`). */
interface OpenPull {
  number: number;
  html_url: string;
  head: {
    ref: string;
    sha: string;
    repo: { id: number; full_name: string } | null;
  };
  base: { repo: { id: number } };
}

const tooLarge = (path: string, size: number): ClusterProblem => ({
  path,
  message: `file size: must be at most ${MAX_CLUSTER_FILE_BYTES} bytes, but it is ${size} bytes; not read`,
  outcome: 'skipped',
});

export class GitopsRepository {
  /** Blob texts by id: a blob never changes, so a warm refresh reads only new ones. */
  private readonly blobs = new Map<string, string | null>();

  constructor(
    /** A client per refresh: GitHub App installation tokens expire. */
    private readonly clientFactory: () => Promise<GithubClient>,
    private readonly target: GithubTarget,
    private readonly webBaseUrl: string,
    private readonly branch?: string,
  ) {}

  private github<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return explainedGithubCall(operation, this.target, call);
  }

  private get repositoryUrl(): string {
    return `${this.webBaseUrl}/${this.target.owner}/${this.target.repo}`;
  }

  private async defaultBranch(client: GithubClient): Promise<string> {
    if (this.branch) return this.branch;
    const { owner, repo } = this.target;
    const { data } = await this.github('read the repository', () =>
      client.rest.repos.get({ owner, repo }),
    );
    return data.default_branch;
  }

  /**
   * Every cluster file: active on the default branch, pending on open pull requests of this
   * repository on our branch rule (`aks-gitops/<cluster>`, read at clusters/<cluster>); with the
   * problems of files not read (too large, binary) and of pull requests from forks.
   */
  async clusterFiles(): Promise<{
    branch: string;
    files: ClusterFile[];
    problems: ClusterProblem[];
    /** Open pull requests of ours changing or removing a cluster (their head commit carries our trailer). */
    operations: ClusterOperation[];
  }> {
    const client = await this.clientFactory();
    const { owner, repo } = this.target;
    const branch = await this.defaultBranch(client);
    const problems: ClusterProblem[] = [];

    const { blobs } = await readBranchTree(client, this.target, branch);
    const active: Array<{ path: string; blob: BlobInfo }> = [];
    for (const { path, sha, size } of blobs) {
      if (!CLUSTER_FILE.test(path)) continue;
      const blob = { oid: sha, byteSize: size };
      if (blob.byteSize > MAX_CLUSTER_FILE_BYTES)
        problems.push(tooLarge(path, blob.byteSize));
      else active.push({ path, blob });
    }

    const pulls: OpenPull[] = await this.github('list open pull requests', () =>
      // By route, not client.rest.pulls.list: in @octokit/rest 19.0.13 the method's types (@octokit/types 10) and paginate's (9) disagree.
      client.paginate('GET /repos/{owner}/{repo}/pulls', {
        owner,
        repo,
        state: 'open',
        base: branch,
        per_page: 100,
      }),
    );
    const ours = this.pullsOfOurs(pulls, problems);
    // One batch: each pull request's catalog file (id and size) and its head commit's message.
    const found = await this.objects<Partial<BlobInfo> & { message?: string }>(
      client,
      ours.flatMap(({ pull, paths }) => [
        {
          expression: `${pull.head.sha}:${paths.catalogFile}`,
          fragment: BLOB_INFO,
        },
        { oid: pull.head.sha, fragment: COMMIT_MESSAGE },
      ]),
    );
    const pending: Array<{
      pull: OpenPull;
      cluster: string;
      paths: ReturnType<typeof clusterPaths>;
      blob: BlobInfo;
    }> = [];
    ours.forEach((candidate, i) => {
      const info = found[2 * i];
      // A tree at the path answers `{}`: no blob.
      const blob =
        info?.oid !== undefined && info.byteSize !== undefined
          ? { oid: info.oid, byteSize: info.byteSize }
          : undefined;
      if (!blob) return; // the pull request has no catalog file (yet)
      if (!hasRequestTrailer(found[2 * i + 1]?.message ?? '')) {
        problems.push({
          path: candidate.paths.catalogFile,
          message: `pull request #${candidate.pull.number}: must have been opened by the portal (its head commit ends with an ${REQUEST_TRAILER} trailer), but head commit ${candidate.pull.head.sha.slice(0, 7)} has none; not shown`,
          outcome: 'skipped',
        });
        return;
      }
      if (blob.byteSize > MAX_CLUSTER_FILE_BYTES)
        problems.push(tooLarge(candidate.paths.catalogFile, blob.byteSize));
      else pending.push({ ...candidate, blob });
    });

    const texts = await this.readTexts(client, [
      ...active.map(a => a.blob.oid),
      ...pending.map(p => p.blob.oid),
    ]);
    const files: ClusterFile[] = [];
    const add = (
      path: string,
      text: string | null | undefined,
      file: Omit<ClusterFile, 'path' | 'text' | 'repositoryUrl'>,
    ) => {
      if (text === undefined) return;
      if (text === null)
        problems.push({
          path,
          message:
            'file content: must be UTF-8 text, but it is binary; not read',
          outcome: 'skipped',
        });
      else
        files.push({ path, text, repositoryUrl: this.repositoryUrl, ...file });
    };
    active.forEach(({ path }, i) =>
      add(path, texts[i], {
        state: 'active',
        url: this.browseUrl('blob', branch, path),
      }),
    );
    pending.forEach(({ pull, cluster, paths }, i) =>
      add(paths.catalogFile, texts[active.length + i], {
        state: 'pending',
        url: this.browseUrl('blob', pull.head.ref, paths.catalogFile),
        pullRequest: {
          number: pull.number,
          url: pull.html_url,
          cluster,
          folder: paths.clusterDir,
          folderUrl: this.browseUrl('tree', pull.head.ref, paths.clusterDir),
        },
      }),
    );
    const operations = await this.operations(client, pulls);
    return { branch, files, problems, operations };
  }

  /**
   * The open pull requests of this repository on a change or decommission branch of ours whose
   * head commit carries our trailer, oldest first (one more GraphQL request, only when there are
   * such pull requests). A fork's pull request, or one whose head someone else pushed, is ignored.
   */
  private async operations(
    client: GithubClient,
    pulls: OpenPull[],
  ): Promise<ClusterOperation[]> {
    const candidates = [...pulls]
      .sort((a, b) => a.number - b.number)
      .flatMap(pull => {
        const parsed = parseEnvironmentBranch(pull.head.ref);
        if (
          !parsed ||
          parsed.operation === 'create' ||
          pull.head.repo === null ||
          pull.head.repo.id !== pull.base.repo.id
        )
          return [];
        return [
          {
            pull,
            cluster: parsed.cluster,
            state: OPERATION_STATE[parsed.operation],
          },
        ];
      });
    if (candidates.length === 0) return [];
    const messages = await this.objects<{ message?: string }>(
      client,
      candidates.map(({ pull }) => ({
        oid: pull.head.sha,
        fragment: COMMIT_MESSAGE,
      })),
    );
    return candidates
      .filter((_, i) => hasRequestTrailer(messages[i]?.message ?? ''))
      .map(({ pull, cluster, state }) => ({
        cluster,
        state,
        pullRequest: { number: pull.number, url: pull.html_url },
      }));
  }

  private browseUrl(kind: 'blob' | 'tree', ref: string, path: string): string {
    return `${this.repositoryUrl}/${kind}/${ref}/${path}`;
  }

  /**
   * The open pull requests whose cluster may be shown pending, oldest first: from this
   * repository (a fork's branch can be named like ours, and anyone can open one), on a branch our
   * naming rule gives a cluster for. A fork's pull request on such a branch is a problem.
   */
  private pullsOfOurs(pulls: OpenPull[], problems: ClusterProblem[]) {
    const ours: Array<{
      pull: OpenPull;
      cluster: string;
      paths: ReturnType<typeof clusterPaths>;
    }> = [];
    for (const pull of [...pulls].sort((a, b) => a.number - b.number)) {
      const cluster = clusterOfBranch(pull.head.ref);
      if (cluster === undefined) continue;
      // `clusterPaths` puts the catalog file under clusters/<cluster>; the management path is not used here.
      const paths = clusterPaths('', cluster);
      // GitHub gives head.repo null when the fork was deleted.
      if (pull.head.repo === null || pull.head.repo.id !== pull.base.repo.id) {
        problems.push({
          path: paths.catalogFile,
          message: `pull request #${pull.number}: must come from ${this.target.owner}/${this.target.repo}, but it comes from ${pull.head.repo?.full_name ?? 'a deleted fork'}; not shown`,
          outcome: 'skipped',
        });
        continue;
      }
      ours.push({ pull, cluster, paths });
    }
    return ours;
  }

  /** GraphQL `object(...)` lookups in batches: each result is the request's fragment of the object, or null. */
  private objects<T>(
    client: GithubClient,
    requests: GitObjectRequest[],
  ): Promise<Array<T | null>> {
    return readGitObjects<T>(
      client,
      this.target,
      requests,
      'read the cluster files',
    );
  }

  /**
   * Texts of the blobs `oids`, in order (null for a binary blob, undefined for one gone since it
   * was listed), read only when not seen before; the cache keeps only the blobs of this refresh.
   */
  private async readTexts(
    client: GithubClient,
    oids: string[],
  ): Promise<Array<string | null | undefined>> {
    const wanted = new Set(oids);
    for (const oid of this.blobs.keys())
      if (!wanted.has(oid)) this.blobs.delete(oid);
    const missing = [...wanted].filter(oid => !this.blobs.has(oid));
    const read = await this.objects<{ text: string | null }>(
      client,
      missing.map(oid => ({ oid, fragment: BLOB_TEXT })),
    );
    missing.forEach((oid, i) => {
      const blob = read[i];
      if (blob) this.blobs.set(oid, blob.text);
    });
    return oids.map(oid => this.blobs.get(oid));
  }
}
