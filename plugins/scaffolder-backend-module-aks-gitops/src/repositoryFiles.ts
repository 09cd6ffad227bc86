/**
 * The files of one branch of the GitOps repository, as the decommission plan reads them: every
 * path, with the text of each YAML file (the plan reads objects only from those; any other file
 * of an environment's folders is only ever deleted, so its content is not fetched).
 */
import {
  type GithubClient,
  type GithubTarget,
  readBranchTree,
  readGitObjects,
} from '@aks-gitops/plugin-aks-gitops-node';

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
  const { commit, blobs } = await readBranchTree(client, target, branch);
  const files: Record<string, string> = {};
  for (const { path } of blobs) files[path] = '';
  const yamlBlobs = blobs.filter(
    ({ path }) =>
      /\.ya?ml$/.test(path) &&
      (folders === undefined ||
        folders.some(folder => path.startsWith(`${folder}/`))),
  );
  const texts = await readGitObjects<{ text: string | null }>(
    client,
    target,
    yamlBlobs.map(({ sha }) => ({
      oid: sha,
      fragment: '... on Blob { text }',
    })),
    'read the repository files',
  );
  // A binary file keeps '': the plan reads no object from it.
  yamlBlobs.forEach(({ path }, i) => (files[path] = texts[i]?.text ?? ''));
  return { commit, files };
}
