/**
 * The GitOps repositories the pull request action may write to, read once when the backend starts:
 * `aksGitops.scaffolder.allowedRepositories`, by default the repositories the catalog module
 * watches (`catalog.providers.aksGitops.<id>.repoUrl`). A template's `repoUrl` is only a form value:
 * this list, on the server, is what pins the portal's credentials to the fleet's repository.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CLUSTER_PROVIDERS_CONFIG_KEY,
  show,
} from '@aks-gitops/plugin-aks-gitops-common';
import {
  parseRepositoryUrl,
  repositoryKey,
  type GithubTarget,
} from '@aks-gitops/plugin-aks-gitops-node';

export const ALLOWED_REPOSITORIES_KEY =
  'aksGitops.scaffolder.allowedRepositories';

/** @public */
export interface AllowedRepositories {
  /** `host/owner/repo`, lowercase, one per allowed repository. */
  readonly repositories: readonly string[];
  /** Where the list came from, for the error message. */
  readonly source: string;
}

/**
 * The allow-list the actions take (their `allowedRepositories` option), read from config as the
 * module does at start.
 *
 * @public
 */
export function readAllowedRepositories(config: Config): AllowedRepositories {
  const explicit = config.getOptionalStringArray(ALLOWED_REPOSITORIES_KEY);
  if (explicit) {
    return {
      repositories: explicit.map((url, i) =>
        repositoryOfUrl(url, `${ALLOWED_REPOSITORIES_KEY}[${i}]`),
      ),
      source: ALLOWED_REPOSITORIES_KEY,
    };
  }
  const providers = config.getOptionalConfig(CLUSTER_PROVIDERS_CONFIG_KEY);
  const repoUrls = providers
    ? providers
        .keys()
        .map(id => ({ id, url: providers.getString(`${id}.repoUrl`) }))
    : [];
  return {
    repositories: repoUrls.map(({ id, url }) =>
      repositoryOfUrl(url, `${CLUSTER_PROVIDERS_CONFIG_KEY}.${id}.repoUrl`),
    ),
    source: `${ALLOWED_REPOSITORIES_KEY} (unset, so every ${CLUSTER_PROVIDERS_CONFIG_KEY}.<id>.repoUrl)`,
  };
}

/** Refuses, naming `repoUrl`, a repository that is not on the list (shown as `host/owner/repo`, escaped and cut short by show()). */
export function checkAllowedRepository(
  allowed: AllowedRepositories,
  target: GithubTarget,
): void {
  const repository =
    `${target.host}/${target.owner}/${target.repo}`.toLowerCase();
  if (allowed.repositories.includes(repository)) return;
  const list =
    allowed.repositories.length === 0
      ? 'none is configured'
      : allowed.repositories.join(', ');
  throw new InputError(
    `repoUrl: must be a GitOps repository this portal may write to (${allowed.source}: ${list}), but it names ${show(repository)}`,
  );
}

/** `host/owner/repo` of a repository URL (parseRepositoryUrl: the raw text must already be in that form). */
function repositoryOfUrl(url: string, key: string): string {
  if (parseRepositoryUrl(url) === undefined) {
    throw new Error(
      `${key}: must be a repository URL such as https://github.com/acme/app-project-env (no credentials, query, percent-escape or . and .. segments), but it is ${JSON.stringify(url)}`,
    );
  }
  return repositoryKey(url);
}
