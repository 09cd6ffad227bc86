/**
 * The GitOps repository of a task, from its `repoUrl` (RepoUrlPicker's `host?owner=..&repo=..`):
 * where the pull request goes, and the one place the environment's `gitopsRepo.url` (what the
 * rendered files tell Argo CD to watch) is derived from. Both actions use it, so the files the
 * render action writes are the files the pull request action commits.
 */
import { show } from '@aks-gitops/plugin-aks-gitops-common';
import {
  repositoryKey,
  type GithubTarget,
} from '@aks-gitops/plugin-aks-gitops-node';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

export interface GitopsRepository extends GithubTarget {
  /** `https://host/owner/repo`: the environment's `gitopsRepo.url`. */
  url: string;
}

/** What GitHub allows in an owner or repository name. */
const GITHUB_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Reads `repoUrl` with the scaffolder's own parser; refuses, naming it, one without owner or repository. */
export function gitopsRepositoryOf(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
): GitopsRepository {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch {
    // parseRepoUrl's own messages echo the raw value (@backstage/plugin-scaffolder-node, actions/util).
    throw new InputError(
      `repoUrl: must be host?owner=..&repo=.. for a host with an integration, such as github.com?owner=acme&repo=app-project-env, but it is ${show(repoUrl)}`,
    );
  }
  const { host, owner, repo } = parsed;
  if (
    owner !== undefined &&
    repo !== undefined &&
    !(GITHUB_NAME.test(owner) && GITHUB_NAME.test(repo))
  ) {
    throw new InputError(
      `repoUrl: must name an owner and a repository of letters, digits, '.', '-' and '_' (as GitHub names them), but it is ${show(repoUrl)}`,
    );
  }
  if (!owner || !repo) {
    throw new InputError(
      `repoUrl: must name an owner and a repository, such as ${host}?owner=acme&repo=app-project-env, but it is ${show(repoUrl)}`,
    );
  }
  return { host, owner, repo, url: `https://${host}/${owner}/${repo}` };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `environment` input with `gitopsRepo.url` set to the repository of `repoUrl`. A URL the
 * input already holds must name that repository (the form may carry it; it cannot point elsewhere).
 * Anything that is not an object is left for the request's own rules to report.
 */
export function withGitopsRepository(
  environment: unknown,
  repository: GitopsRepository,
): unknown {
  if (!isRecord(environment)) return environment;
  const gitopsRepo = isRecord(environment.gitopsRepo)
    ? environment.gitopsRepo
    : {};
  const given = gitopsRepo.url;
  if (
    given !== undefined &&
    (typeof given !== 'string' ||
      repositoryKey(given) !== repositoryKey(repository.url))
  ) {
    const { host, owner, repo } = repository;
    throw new InputError(
      `environment.gitopsRepo.url: must be the repository of repoUrl (${host}/${owner}/${repo}) or left out, but it is ${show(given)}`,
    );
  }
  return { ...environment, gitopsRepo: { ...gitopsRepo, url: repository.url } };
}
