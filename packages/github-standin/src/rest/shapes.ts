/**
 * GitHub's response objects, each built from the example GitHub's OpenAPI description gives for
 * it (src/openapi/examples.json, kept by scripts/generate-openapi-subset.mjs): the example's URLs
 * point at the stand-in's repository, and the fields the stand-in knows carry its values. Typed by
 * `@octokit/openapi-types` at the version the subset is generated from; the validator checks each
 * response at run time too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '@octokit/openapi-types-current';
import {
  type CommitData,
  type GitIdentity,
  isoSeconds,
} from '../git/repository';
import {
  type Identity,
  nodeId,
  type PullRecord,
  type RepoRecord,
  type StandinState,
  stableId,
} from '../state';

type Schemas = components['schemas'];
export type PullRequestJson = Schemas['pull-request'];

export interface Urls {
  /** http://127.0.0.1:PORT */
  web: string;
  /** web + /api/v3 */
  api: string;
}

const EXAMPLES: unknown = JSON.parse(
  readFileSync(join(__dirname, '..', 'openapi', 'examples.json'), 'utf8'),
);

/** The repository and commit GitHub's examples are about. */
const EXAMPLE_REPO = 'octocat/Hello-World';
const EXAMPLE_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

/**
 * A copy of the example at `path` (example name, then keys) whose strings have each `from` of
 * `replace` turned into its `to`, and GitHub's hosts into the stand-in's.
 */
export function example<T>(
  urls: Urls,
  path: (string | number)[],
  replace: Record<string, string> = {},
): T {
  const pairs = [
    ...Object.entries(replace),
    ['https://api.github.com', urls.api],
    ['https://github.com', urls.web],
  ];
  const localize = (value: unknown): unknown => {
    if (typeof value === 'string')
      return pairs.reduce(
        (text, [from = '', to = '']) => text.replaceAll(from, to),
        value,
      );
    if (Array.isArray(value)) return value.map(localize);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, localize(child)]),
    );
  };
  const found = path.reduce<unknown>(
    (value, key) => (value as Record<string | number, unknown>)[key],
    EXAMPLES,
  );
  return localize(found) as T;
}

/** Path segments escaped for a URL, slashes kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

export function userJson(urls: Urls, who: Identity): Schemas['simple-user'] {
  const id = stableId('user', who.login);
  return {
    ...example<Schemas['simple-user']>(urls, ['pull-request', 'user'], {
      octocat: encodeURIComponent(who.login),
    }),
    login: who.login,
    id,
    node_id: nodeId(who.type, id),
    type: who.type,
  };
}

export function repoUrls(
  urls: Urls,
  repo: RepoRecord,
): { api: string; html: string } {
  return {
    api: `${urls.api}/repos/${repo.owner}/${repo.name}`,
    html: `${urls.web}/${repo.owner}/${repo.name}`,
  };
}

/** Satisfies `full-repository`, `repository` and `minimal-repository` at once. */
export function repositoryJson(
  urls: Urls,
  repo: RepoRecord,
): Schemas['full-repository'] & Schemas['repository'] {
  const openIssues = repo.pulls.filter(pull => pull.state === 'open').length;
  const json = example<Schemas['full-repository'] & Schemas['repository']>(
    urls,
    ['pull-request', 'head', 'repo'],
    { [EXAMPLE_REPO]: `${repo.owner}/${repo.name}` },
  );
  // a secret of the example's clone, which webhook payloads do not have
  delete json.temp_clone_token;
  return {
    ...json,
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: userJson(urls, { login: repo.owner, type: 'User' }),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    is_template: false,
    description: repo.description,
    fork: repo.forkOf !== undefined,
    mirror_url: null,
    homepage: null,
    default_branch: repo.git.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    network_count: 0,
    subscribers_count: 0,
    permissions: {
      admin: true,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    },
  };
}

export function gitUserJson(identity: GitIdentity): {
  name: string;
  email: string;
  date: string;
} {
  return {
    name: identity.name,
    email: identity.email,
    date: isoSeconds(identity.time),
  };
}

/** `git-commit`: a commit of the git data API. */
export function gitCommitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['git-commit'] {
  const { api, html } = repoUrls(urls, repo);
  return {
    ...example<Schemas['git-commit']>(urls, ['git-commit'], {
      [EXAMPLE_REPO]: `${repo.owner}/${repo.name}`,
      '7638417db6d59f3c431d3e1f261cc637155684cd': sha,
    }),
    sha,
    node_id: nodeId('Commit', stableId('commit', sha)),
    author: gitUserJson(commit.author),
    committer: gitUserJson(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map(parent => ({
      sha: parent,
      url: `${api}/git/commits/${parent}`,
      html_url: `${html}/commit/${parent}`,
    })),
  };
}

/** `commit`: an entry of GET /commits. */
export function commitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['commit'] {
  const { api, html } = repoUrls(urls, repo);
  const json = example<Schemas['commit']>(urls, ['commit-items', 0], {
    [EXAMPLE_REPO]: `${repo.owner}/${repo.name}`,
    [EXAMPLE_SHA]: sha,
  });
  return {
    ...json,
    node_id: nodeId('Commit', stableId('commit', sha)),
    commit: {
      ...json.commit,
      author: gitUserJson(commit.author),
      committer: gitUserJson(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    },
    author: null,
    committer: null,
    parents: commit.parents.map(parent => ({
      sha: parent,
      url: `${api}/commits/${parent}`,
      html_url: `${html}/commit/${parent}`,
    })),
  };
}

/** `combined-commit-status` of a commit without statuses (nothing here reports any); its `repository` is the example's, pointed at this one. */
export function combinedStatusJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
): Schemas['combined-commit-status'] {
  const { api } = repoUrls(urls, repo);
  const json = example<Schemas['combined-commit-status']>(
    urls,
    ['combined-commit-status'],
    { [EXAMPLE_REPO]: `${repo.owner}/${repo.name}`, [EXAMPLE_SHA]: sha },
  );
  return {
    ...json,
    state: 'pending',
    statuses: [],
    sha,
    total_count: 0,
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}

export function gitRefJson(
  urls: Urls,
  repo: RepoRecord,
  ref: string,
  sha: string,
): Schemas['git-ref'] {
  const { api } = repoUrls(urls, repo);
  return {
    ref,
    node_id: nodeId(
      'Ref',
      stableId('ref', `${repo.owner}/${repo.name}/${ref}`),
    ),
    url: `${api}/git/${encodePath(ref)}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

export function labelJson(
  urls: Urls,
  repo: RepoRecord,
  name: string,
): Schemas['label'] & { description: string } {
  const id = stableId('label', `${repo.owner}/${repo.name}/${name}`);
  return {
    ...example<Schemas['label']>(urls, ['label-items', 0], {
      [EXAMPLE_REPO]: `${repo.owner}/${repo.name}`,
      '/labels/bug': `/labels/${encodeURIComponent(name)}`,
    }),
    id,
    node_id: nodeId('Label', id),
    name,
    description: '',
    color: 'ededed',
    default: false,
  };
}

function teamJson(urls: Urls, org: string, slug: string): Schemas['team'] {
  const id = stableId('team', `${org}/${slug}`);
  return {
    ...example<Schemas['team']>(urls, ['pull-request', 'requested_teams', 0], {
      '/teams/1': `/teams/${id}`,
      'orgs/github/teams/justice-league': `orgs/${org}/teams/${slug}`,
    }),
    id,
    node_id: nodeId('Team', id),
    name: slug,
    slug,
    description: null,
    parent: null,
    type: 'organization',
  };
}

/**
 * The example `path` of a pull request with this one's URLs, and what the stand-in knows of it in
 * the fields `pull-request-simple` and `pull-request` share.
 */
function pullFields<T>(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
  path: (string | number)[],
) {
  const headSha = state.pullHeadSha(repo, pull);
  const user = (login: string) => userJson(urls, { login, type: 'User' });
  return {
    ...example<T>(urls, path, {
      [EXAMPLE_REPO]: `${repo.owner}/${repo.name}`,
      '/1347': `/${pull.number}`,
      [EXAMPLE_SHA]: headSha,
    }),
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(urls, pull.user),
    body: pull.body,
    labels: pull.labels.map(name => labelJson(urls, repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map(user),
    requested_teams: pull.requestedTeams.map(slug =>
      teamJson(urls, repo.owner, slug),
    ),
    // A fork's pull request names the fork as head.repo (the stand-in never deletes a repository).
    head: {
      label: `${pull.head.owner}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: headSha,
      user: user(pull.head.owner),
      repo: repositoryJson(urls, state.pullHeadRepo(repo, pull) ?? repo),
    },
    base: {
      label: `${repo.owner}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha: state.pullBaseSha(repo, pull),
      user: user(repo.owner),
      repo: repositoryJson(urls, repo),
    },
    author_association: pull.user.login === repo.owner ? 'OWNER' : 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  } as const;
}

/** `pull-request-simple`: an entry of GET /pulls. */
export function pullJson(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): Schemas['pull-request-simple'] {
  return pullFields<Schemas['pull-request-simple']>(urls, state, repo, pull, [
    'pull-request-simple-items',
    0,
  ]);
}

/** Whether an open pull request merges cleanly (git's three-way merge); null once closed. */
export function pullStats(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): { mergeable: boolean | null } {
  return {
    mergeable:
      pull.state === 'open'
        ? repo.git.merge(
            state.pullBaseSha(repo, pull),
            state.pullHeadSha(repo, pull),
          ).ok
        : null,
  };
}

/** `pull-request`: one pull request with its merge state and change statistics. */
export function fullPullJson(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): PullRequestJson {
  const { mergeable } = pullStats(state, repo, pull);
  const changes = state.pullDiff(repo, pull);
  const sum = (key: 'additions' | 'deletions') =>
    changes.reduce((total, change) => total + change[key], 0);
  return {
    ...pullFields<PullRequestJson>(urls, state, repo, pull, ['pull-request']),
    merged: pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state:
      mergeable === null
        ? 'unknown'
        : !mergeable
          ? 'dirty'
          : pull.draft
            ? 'draft'
            : 'clean',
    merged_by: pull.mergedBy
      ? userJson(urls, {
          login: pull.mergedBy,
          type: pull.mergedBy.endsWith('[bot]') ? 'Bot' : 'User',
        })
      : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: true,
    commits: repo.git.commitsBetween(
      state.pullBaseSha(repo, pull),
      state.pullHeadSha(repo, pull),
    ),
    additions: sum('additions'),
    deletions: sum('deletions'),
    changed_files: changes.length,
  };
}
