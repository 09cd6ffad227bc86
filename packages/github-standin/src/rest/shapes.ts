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
  mergeableState,
  nodeId,
  type PullRecord,
  pullDiff,
  type RepoRecord,
  stableId,
} from '../state';

type Schemas = components['schemas'];

export interface Urls {
  /** http://127.0.0.1:PORT */
  web: string;
  /** web + /api/v3 */
  api: string;
}

const EXAMPLES: unknown = JSON.parse(
  readFileSync(join(__dirname, '..', 'openapi', 'examples.json'), 'utf8'),
);

/** The commit GitHub's examples are about (their repository is octocat/Hello-World). */
const EXAMPLE_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

/** Turns the repository GitHub's examples are about into `repo` (for example()). */
function inRepo(repo: RepoRecord): Record<string, string> {
  return { 'octocat/Hello-World': `${repo.owner}/${repo.name}` };
}

/**
 * A copy of the example at `path` (example name, then keys) whose strings have each key of
 * `replace` turned into its value, and GitHub's hosts into the stand-in's.
 */
export function example<T>(
  urls: Urls,
  path: (string | number)[],
  replace: Record<string, string> = {},
): T {
  const found = path.reduce<unknown>(
    (value, key) => (value as Record<string | number, unknown>)[key],
    EXAMPLES,
  );
  const pairs = {
    ...replace,
    'https://api.github.com': urls.api,
    'https://github.com': urls.web,
  };
  let text = JSON.stringify(found);
  for (const [from, to] of Object.entries(pairs))
    text = text.replaceAll(from, JSON.stringify(to).slice(1, -1));
  return JSON.parse(text) as T;
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

export function repoUrls(urls: Urls, repo: RepoRecord) {
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
    inRepo(repo),
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
    description: null,
    fork: repo.forkOf !== undefined,
    default_branch: repo.git.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    // `full-repository` (and the webhooks' repository) has these; the example does not
    network_count: 0,
    subscribers_count: 0,
    is_template: false,
    permissions: { admin: true, push: true, pull: true },
  };
}

export function gitUserJson({ time, ...who }: GitIdentity) {
  return { ...who, date: isoSeconds(time) };
}

/** The fields `git-commit` and `commit` share; a listed commit's parents are under /commits. */
function commitFields(
  urls: Urls,
  repo: RepoRecord,
  commit: CommitData,
  listed: boolean,
) {
  const { api, html } = repoUrls(urls, repo);
  return {
    author: gitUserJson(commit.author),
    committer: gitUserJson(commit.committer),
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map(parent => ({
      sha: parent,
      url: `${api}/${listed ? 'commits' : 'git/commits'}/${parent}`,
      html_url: `${html}/commit/${parent}`,
    })),
  };
}

/** `git-commit`: a commit of the git data API. */
export function gitCommitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['git-commit'] {
  return {
    ...example<Schemas['git-commit']>(urls, ['git-commit'], {
      ...inRepo(repo),
      '7638417db6d59f3c431d3e1f261cc637155684cd': sha,
    }),
    sha,
    ...commitFields(urls, repo, commit, false),
  };
}

/** `commit`: an entry of GET /commits. */
export function commitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['commit'] {
  const json = example<Schemas['commit']>(urls, ['commit-items', 0], {
    ...inRepo(repo),
    [EXAMPLE_SHA]: sha,
  });
  const { parents, ...fields } = commitFields(urls, repo, commit, true);
  return { ...json, commit: { ...json.commit, ...fields }, parents };
}

/** `combined-commit-status` of a commit without statuses (nothing here reports any). */
export function combinedStatusJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
): Schemas['combined-commit-status'] {
  return {
    ...example<Schemas['combined-commit-status']>(
      urls,
      ['combined-commit-status'],
      { ...inRepo(repo), [EXAMPLE_SHA]: sha },
    ),
    state: 'pending',
    statuses: [],
    total_count: 0,
  };
}

export function gitRefJson(
  urls: Urls,
  repo: RepoRecord,
  ref: string,
  sha: string,
): Schemas['git-ref'] {
  const { api } = repoUrls(urls, repo);
  const id = stableId('ref', `${repo.owner}/${repo.name}/${ref}`);
  return {
    ref,
    node_id: nodeId('Ref', id),
    url: `${api}/git/${encodePath(ref)}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

export function labelJson(
  urls: Urls,
  repo: RepoRecord,
  name: string,
): Schemas['label'] {
  const id = stableId('label', `${repo.owner}/${repo.name}/${name}`);
  return {
    ...example<Schemas['label']>(urls, ['label-items', 0], {
      ...inRepo(repo),
      '/labels/bug': `/labels/${encodeURIComponent(name)}`,
    }),
    id,
    node_id: nodeId('Label', id),
    name,
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
    // `team` has these; the example does not
    parent: null,
    type: 'organization',
  };
}

/**
 * The example `path` of a pull request with this one's URLs and the record's fields but its merge
 * (only `pull-request` has those), and its users, sides, labels and reviewers in GitHub's form.
 */
function pullFields<T>(
  urls: Urls,
  { merged_by: _mergedBy, ...pull }: PullRecord,
  path: (string | number)[],
) {
  const { head, base } = pull;
  const user = (login: string) => userJson(urls, { login, type: 'User' });
  const side = ({ repo, ...side }: PullRecord['head']) => ({
    label: `${repo.owner}:${side.ref}`,
    ...side,
    user: user(repo.owner),
    repo: repositoryJson(urls, repo),
  });
  return {
    ...example<T>(urls, path, {
      ...inRepo(base.repo),
      '/1347': `/${pull.number}`,
      [EXAMPLE_SHA]: head.sha,
    }),
    ...pull,
    node_id: nodeId('PullRequest', pull.id),
    // nobody locks, assigns or plans a pull request here
    locked: false,
    active_lock_reason: null,
    milestone: null,
    assignee: null,
    assignees: [],
    user: userJson(urls, pull.user),
    labels: pull.labels.map(name => labelJson(urls, base.repo, name)),
    requested_reviewers: pull.requested_reviewers.map(user),
    requested_teams: pull.requested_teams.map(slug =>
      teamJson(urls, base.repo.owner, slug),
    ),
    head: side(head),
    base: side(base),
  } as const;
}

/** `pull-request-simple`: an entry of GET /pulls. */
export function pullJson(
  urls: Urls,
  pull: PullRecord,
): Schemas['pull-request-simple'] {
  return pullFields(urls, pull, ['pull-request-simple-items', 0]);
}

/** `pull-request`: one pull request with its merge state and change statistics. */
export function fullPullJson(
  urls: Urls,
  pull: PullRecord,
): Schemas['pull-request'] {
  const mergeState = mergeableState(pull);
  const changes = pullDiff(pull);
  const sum = (key: 'additions' | 'deletions') =>
    changes.reduce((total, change) => total + change[key], 0);
  return {
    ...pullFields<Schemas['pull-request']>(urls, pull, ['pull-request']),
    merged: pull.merged_at !== null,
    merged_by: pull.merged_by && userJson(urls, pull.merged_by),
    mergeable: mergeState === 'unknown' ? null : mergeState !== 'dirty',
    mergeable_state: mergeState,
    commits: pull.base.repo.git.commitsBetween(pull.base.sha, pull.head.sha),
    additions: sum('additions'),
    deletions: sum('deletions'),
    changed_files: changes.length,
    // there are no comments here (GitHub's example has 10)
    comments: 0,
  };
}
