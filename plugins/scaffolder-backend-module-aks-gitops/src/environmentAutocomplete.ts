/**
 * What the "Change this environment" form reads from Git before submit, through the scaffolder's
 * own autocomplete endpoint (`POST /api/scaffolder/v2/autocomplete/aks-gitops/<resource>`, behind
 * the scaffolder's sign-in; @backstage/plugin-scaffolder-backend 4.2.0 service/router: it hands
 * `{ resource, token, context }` to the provider registered with
 * scaffolderAutocompleteExtensionPoint). No route or plugin of our own:
 *
 * - `stored-request`, context `{ repoUrl, cluster }`: the environment's stored request on the
 *   repository's default branch, as one result whose `id` is the request's JSON.
 * - `change-preview`, context `{ repoUrl, request }` (the form's request as JSON): what the change
 *   action would do, computed by the same core on the base branch's files: one result per line,
 *   `title` saying what it is (`change`, `file`, `drift`, `refused`).
 *
 * Reads only repositories of the allow-list (aksGitops.scaffolder.allowedRepositories), with the
 * user's token when the form passes one, else the integration's credentials; writes nothing.
 */
import {
  ChangeConflictError,
  changeEnvironmentInRepository,
  clusterOfBranch,
  clusterPaths,
  describeChange,
  describeDrift,
  EnvironmentRequestError,
  formatConflict,
  formatIssue,
  PULL_REQUEST_BRANCH_PREFIX,
  readStoredRequest,
  show,
  StoredRequestError,
  type EnvironmentRequest,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  createGithubClient,
  explainedGithubCall,
  githubToken,
  type GithubClient,
  type GithubTarget,
  type RetryPolicy,
} from '@aks-gitops/plugin-aks-gitops-node';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  checkAllowedRepository,
  type AllowedRepositories,
} from './allowedRepositories';
import { readRepositoryFiles } from './repositoryFiles';
import { gitopsRepositoryOf, withGitopsRepository } from './repoUrl';
import { parseEnvironmentInput } from './environmentInput';

/** The autocomplete provider id: `ui:options` and the form field name it. */
export const AUTOCOMPLETE_PROVIDER = 'aks-gitops';
/** The token the form sends when the user has no SCM token of their own (the endpoint requires one). */
export const NO_USER_TOKEN = 'integration';

export interface AutocompleteResult {
  title?: string;
  id: string;
}

export interface EnvironmentAutocompleteOptions {
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  allowedRepositories: AllowedRepositories;
  logger: LoggerService;
  retryPolicy?: RetryPolicy;
}

function contextValue(context: Record<string, string>, key: string): string {
  const value = context[key];
  if (typeof value !== 'string' || value === '')
    throw new InputError(`context.${key}: is required, but it is missing`);
  return value;
}

/** The stored request of `cluster` on the default branch of `target`. */
async function storedRequest(
  client: GithubClient,
  target: GithubTarget,
  cluster: string,
): Promise<{ request: EnvironmentRequest; title: string }> {
  const { owner, repo } = target;
  const { data } = await explainedGithubCall(
    'read the repository',
    target,
    () => client.rest.repos.get({ owner, repo }),
  );
  const branch = data.default_branch;
  const { requestFile } = clusterPaths('', cluster);
  // Fully qualified, as publishPullRequest reads folders: a short name could name a tag.
  const result = await explainedGithubCall(`read ${requestFile}`, target, () =>
    client.graphql<{
      repository: { file: { text: string | null } | null } | null;
    }>(
      'query AksGitopsStoredRequest($owner: String!, $repo: String!, $file: String!) { repository(owner: $owner, name: $repo) { file: object(expression: $file) { ... on Blob { text } } } }',
      { owner, repo, file: `refs/heads/${branch}:${requestFile}` },
    ),
  );
  const text = result.repository?.file?.text ?? undefined;
  if (text === undefined)
    throw new NotFoundError(
      `cluster: must name an environment with a stored request on ${branch} of ${owner}/${repo}, but ${requestFile} is not there`,
    );
  return {
    request: readStoredRequest(requestFile, text),
    title: `${owner}/${repo}@${branch}:${requestFile}`,
  };
}

/** The lines of the preview: the typed diff, the files, the drift; or the refusals. */
async function changePreview(
  client: GithubClient,
  target: GithubTarget,
  request: EnvironmentRequest,
): Promise<AutocompleteResult[]> {
  const { clusterDir, managementDir } = clusterPaths(
    request.gitopsRepo.managementPath,
    request.cluster.name,
  );
  const { files } = await readRepositoryFiles(
    client,
    target,
    request.gitopsRepo.revision,
    [clusterDir, managementDir],
  );
  try {
    const result = changeEnvironmentInRepository(files, request);
    return [
      ...result.changes.map(c => ({ title: 'change', id: describeChange(c) })),
      ...Object.entries(result.files).map(([path, text]) => ({
        title: 'file',
        id: `${path}${text === null ? ' (deleted)' : ''}`,
      })),
      ...result.drift.map(d => ({ title: 'drift', id: describeDrift(d) })),
    ];
  } catch (error) {
    const refused = (lines: string[]) =>
      lines.map(line => ({ title: 'refused', id: line }));
    if (error instanceof EnvironmentRequestError)
      return refused(error.issues.map(i => `environment.${formatIssue(i)}`));
    if (error instanceof ChangeConflictError)
      return refused(error.conflicts.map(formatConflict));
    if (error instanceof StoredRequestError) return refused([error.message]);
    throw error;
  }
}

/** The autocomplete handler (scaffolderAutocompleteExtensionPoint's `handler`). */
export function environmentAutocomplete(
  options: EnvironmentAutocompleteOptions,
) {
  return async ({
    resource,
    token,
    context,
  }: {
    resource: string;
    token: string;
    context: Record<string, string>;
  }): Promise<{ results: AutocompleteResult[] }> => {
    const repository = gitopsRepositoryOf(
      contextValue(context, 'repoUrl'),
      options.integrations,
    );
    const target = {
      host: repository.host,
      owner: repository.owner,
      repo: repository.repo,
    };
    checkAllowedRepository(options.allowedRepositories, target);
    const { token: githubCredentials, apiBaseUrl } = await githubToken({
      integrations: options.integrations,
      credentialsProvider: options.credentialsProvider,
      target,
      userToken: token === NO_USER_TOKEN ? undefined : token,
    });
    const client = createGithubClient({
      token: githubCredentials,
      baseUrl: apiBaseUrl,
      logger: options.logger,
      retryPolicy: options.retryPolicy,
    });
    const githubTarget = { ...target, apiBaseUrl };
    switch (resource) {
      case 'stored-request': {
        const cluster = contextValue(context, 'cluster');
        // It becomes a path of the repository: only a name a cluster can have.
        if (
          clusterOfBranch(`${PULL_REQUEST_BRANCH_PREFIX}${cluster}`) !== cluster
        )
          throw new InputError(
            `context.cluster: must be a cluster name (lowercase letters, digits and '-', starting with a letter, at most 42 characters), but it is ${show(cluster)}`,
          );
        const found = await storedRequest(client, githubTarget, cluster);
        return {
          results: [{ title: found.title, id: JSON.stringify(found.request) }],
        };
      }
      case 'change-preview': {
        let input: unknown;
        try {
          input = JSON.parse(contextValue(context, 'request'));
        } catch {
          throw new InputError('context.request: must be JSON, but it is not');
        }
        const request = parseEnvironmentInput(
          withGitopsRepository(input, repository),
        );
        return { results: await changePreview(client, githubTarget, request) };
      }
      default:
        throw new InputError(
          `resource: must be stored-request or change-preview, but it is ${JSON.stringify(resource).slice(0, 60)}`,
        );
    }
  };
}
