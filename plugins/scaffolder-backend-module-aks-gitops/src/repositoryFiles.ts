/**
 * The files of one branch of the GitOps repository, as the decommission plan reads them: every
 * path, with the text of each YAML file (the plan reads objects only from those; any other file
 * of an environment's folders is only ever deleted, so its content is not fetched).
 */
import {
  explainedGithubCall,
  type GithubClient,
  type GithubTarget,
} from '@aks-gitops/plugin-aks-gitops-node';

/** Blob texts per GraphQL query: aliases in one query, as the catalog module reads cluster files. */
const BLOBS_PER_QUERY = 50;

export interface RepositoryFiles {
  /** The branch's head commit the files were read at. */
  commit: string;
  /** Path → text (YAML files) or '' (any other file). */
  files: Record<string, string>;
}

/**
 * `folders`, when given, limits the texts read to YAML files below those folders (a change reads
 * one environment's folders: its GraphQL reads then do not grow with the repository); every path
 * is still listed.
 */
export async function readRepositoryFiles(
  client: GithubClient,
  target: GithubTarget,
  branch: string,
  folders?: string[],
): Promise<RepositoryFiles> {
  const { owner, repo } = target;
  const github = <T>(operation: string, call: () => Promise<T>) =>
    explainedGithubCall(operation, target, call);
  // The branch by its full name, then its tree: a short name could name a tag (issue 9, E3).
  const { data: ref } = await github(`read branch ${branch}`, () =>
    client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }),
  );
  const { data: tree } = await github(`list branch ${branch}`, () =>
    client.rest.git.getTree({
      owner,
      repo,
      tree_sha: ref.object.sha,
      recursive: 'true',
    }),
  );
  if (tree.truncated)
    throw new Error(
      `the tree of ${owner}/${repo}@${branch} is too large for one listing`,
    );
  const files: Record<string, string> = {};
  const yamlBlobs: Array<{ path: string; oid: string }> = [];
  for (const entry of tree.tree) {
    if (entry.type !== 'blob' || !entry.path || !entry.sha) continue;
    files[entry.path] = '';
    if (
      /\.ya?ml$/.test(entry.path) &&
      (folders === undefined ||
        folders.some(folder => entry.path?.startsWith(`${folder}/`)))
    )
      yamlBlobs.push({ path: entry.path, oid: entry.sha });
  }
  for (let start = 0; start < yamlBlobs.length; start += BLOBS_PER_QUERY) {
    const batch = yamlBlobs.slice(start, start + BLOBS_PER_QUERY);
    // Aliases and variables only: no value is spliced into the query text.
    const variables: Record<string, string> = { owner, repo };
    batch.forEach(({ oid }, i) => (variables[`v${i}`] = oid));
    const query = `query AksGitopsRepositoryFiles($owner: String!, $repo: String!, ${batch
      .map((_, i) => `$v${i}: GitObjectID!`)
      .join(', ')}) { repository(owner: $owner, name: $repo) { ${batch
      .map((_, i) => `b${i}: object(oid: $v${i}) { ... on Blob { text } }`)
      .join(' ')} } }`;
    const result = await github('read the repository files', () =>
      client.graphql<{
        repository: Record<string, { text: string | null } | null>;
      }>(query, variables),
    );
    batch.forEach(({ path }, i) => {
      // A binary file keeps '': the plan reads no object from it.
      files[path] = result.repository[`b${i}`]?.text ?? '';
    });
  }
  return { commit: ref.object.sha, files };
}
