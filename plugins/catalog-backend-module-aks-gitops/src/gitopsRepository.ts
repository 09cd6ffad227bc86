/**
 * Reads the cluster files of a GitOps repository with few requests whatever the fleet size: one
 * recursive tree listing of the default branch, one listing of open pull requests, and blob
 * texts in GraphQL batches, fetched only for blobs not seen before.
 */
import { CATALOG_FILE, CLUSTERS_DIR } from '@aks-gitops/render';
import { explainGithubError, type GithubClient, type GithubTarget } from '@aks-gitops/plugin-aks-gitops-node';
import type { ClusterFile } from './clusterEntities';

/** Branches our pull-request action opens: aks-gitops/<cluster>. */
export const PULL_REQUEST_BRANCH_PREFIX = 'aks-gitops/';
const BLOBS_PER_QUERY = 100;
const CLUSTER_FILE = new RegExp(`^${CLUSTERS_DIR}/([^/]+)/${CATALOG_FILE.replace('.', '\\.')}$`);

interface BlobRequest {
  /** A blob id, or a `<commit>:<path>` expression for files of pull request branches. */
  oid?: string;
  expression?: string;
}

export class GitopsRepository {
  /** Blob texts by id: a blob never changes, so a warm refresh reads only new ones. */
  private readonly blobs = new Map<string, string>();

  constructor(
    /** A client per refresh: GitHub App installation tokens expire. */
    private readonly clientFactory: () => Promise<GithubClient>,
    private readonly target: GithubTarget,
    private readonly webBaseUrl: string,
    private readonly branch?: string,
  ) {}

  private async github<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw explainGithubError(error, operation, this.target);
    }
  }

  private fileUrl(ref: string, path: string): string {
    return `${this.webBaseUrl}/${this.target.owner}/${this.target.repo}/blob/${ref}/${path}`;
  }

  private async defaultBranch(client: GithubClient): Promise<string> {
    if (this.branch) return this.branch;
    const { owner, repo } = this.target;
    const { data } = await this.github('read the repository', () => client.rest.repos.get({ owner, repo }));
    return data.default_branch;
  }

  /** Every cluster file: active on the default branch, pending on open aks-gitops pull requests. */
  async clusterFiles(): Promise<{ branch: string; files: ClusterFile[] }> {
    const client = await this.clientFactory();
    const { owner, repo } = this.target;
    const branch = await this.defaultBranch(client);
    const { data: tree } = await this.github(`list branch ${branch}`, () =>
      client.rest.git.getTree({ owner, repo, tree_sha: branch, recursive: 'true' }),
    );
    if (tree.truncated) throw new Error(`the tree of ${owner}/${repo}@${branch} is too large for one listing`);
    const active = tree.tree.filter((entry) => entry.type === 'blob' && entry.path && entry.sha && CLUSTER_FILE.test(entry.path));

    const pulls = await this.github('list open pull requests', () =>
      client.paginate(client.rest.pulls.list, { owner, repo, state: 'open', base: branch, per_page: 100 }),
    );
    const pending = pulls
      .filter((pull) => pull.head.ref.startsWith(PULL_REQUEST_BRANCH_PREFIX))
      .map((pull) => ({ pull, path: `${CLUSTERS_DIR}/${pull.head.ref.slice(PULL_REQUEST_BRANCH_PREFIX.length)}/${CATALOG_FILE}` }));

    const texts = await this.readBlobs(client, [
      ...active.map((entry) => ({ oid: entry.sha as string })),
      ...pending.map(({ pull, path }) => ({ expression: `${pull.head.sha}:${path}` })),
    ]);
    const files: ClusterFile[] = [];
    active.forEach((entry, i) => {
      const text = texts[i];
      if (text !== undefined) files.push({ path: entry.path as string, text, state: 'active', url: this.fileUrl(branch, entry.path as string) });
    });
    pending.forEach(({ pull, path }, i) => {
      const text = texts[active.length + i];
      if (text !== undefined) {
        files.push({ path, text, state: 'pending', url: this.fileUrl(pull.head.ref, path), pullRequest: { number: pull.number, url: pull.html_url } });
      }
    });
    return { branch, files };
  }

  /** Texts of the requested blobs, in order; undefined where none exists (e.g. a PR without the file). */
  private async readBlobs(client: GithubClient, requests: BlobRequest[]): Promise<Array<string | undefined>> {
    const missing = requests.filter((r) => r.oid === undefined || !this.blobs.has(r.oid));
    const fetched = new Map<BlobRequest, { oid: string; text: string } | null>();
    for (let start = 0; start < missing.length; start += BLOBS_PER_QUERY) {
      const batch = missing.slice(start, start + BLOBS_PER_QUERY);
      // Aliases and variables only: no value is spliced into the query text.
      const variables: Record<string, string> = { owner: this.target.owner, repo: this.target.repo };
      const fields = batch.map((request, i) => {
        const [argument, value] = request.oid !== undefined ? ['oid', request.oid] : ['expression', request.expression ?? ''];
        variables[`v${i}`] = value;
        return `b${i}: object(${argument}: $v${i}) { ... on Blob { oid text } }`;
      });
      const declarations = batch.map((request, i) => `$v${i}: ${request.oid !== undefined ? 'GitObjectID!' : 'String!'}`);
      const query = `query AksGitopsClusterFiles($owner: String!, $repo: String!, ${declarations.join(', ')}) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } }`;
      const result = await this.github('read the cluster files', () =>
        client.graphql<{ repository: Record<string, { oid: string; text: string } | null> }>(query, variables),
      );
      batch.forEach((request, i) => fetched.set(request, result.repository[`b${i}`] ?? null));
    }
    return requests.map((request) => {
      if (request.oid !== undefined && this.blobs.has(request.oid)) return this.blobs.get(request.oid);
      const blob = fetched.get(request);
      if (!blob) return undefined;
      this.blobs.set(blob.oid, blob.text);
      return blob.text;
    });
  }
}
