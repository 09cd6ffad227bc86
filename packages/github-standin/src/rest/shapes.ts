/**
 * GitHub's response objects, typed by `@octokit/openapi-types` at the OpenAPI version the REST
 * subset is generated from (so the compiler checks every required field; the validator checks
 * each response at run time too).
 */
import type { components } from '@octokit/openapi-types-current';
import {
  type CommitData,
  type FileMode,
  type GitIdentity,
  isoSeconds,
} from '../git/repository';
import {
  type Identity,
  type LabelRecord,
  nodeId,
  type PullRecord,
  type RepoRecord,
  type StandinState,
  stableId,
} from '../state';

type Schemas = components['schemas'];
export type SimpleUser = Schemas['simple-user'];
export type PullRequestJson = Schemas['pull-request'];
export type GitTreeJson = Schemas['git-tree'];

export interface Urls {
  /** http://127.0.0.1:PORT */
  web: string;
  /** web + /api/v3 */
  api: string;
}

/** Path segments escaped for a URL, slashes kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function userJson(urls: Urls, who: Identity): SimpleUser {
  const id = stableId('user', who.login);
  const api = `${urls.api}/users/${encodeURIComponent(who.login)}`;
  return {
    login: who.login,
    id,
    node_id: nodeId(who.type, id),
    avatar_url: `${urls.web}/avatars/${encodeURIComponent(who.login)}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${encodeURIComponent(who.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: who.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

export function ownerIdentity(login: string): Identity {
  return { login, type: 'User' };
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
  const { api, html } = repoUrls(urls, repo);
  const host = new URL(urls.web).host;
  const openIssues = repo.pulls.filter(pull => pull.state === 'open').length;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: userJson(urls, ownerIdentity(repo.owner)),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    html_url: html,
    description: repo.description,
    fork: repo.forkOf !== undefined,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(urls.web).hostname}:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.git.defaultBranch,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    permissions: {
      admin: true,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    license: null,
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function gitUserJson(
  identity: GitIdentity,
): Schemas['git-commit']['author'] {
  return {
    name: identity.name,
    email: identity.email,
    date: isoSeconds(identity.time),
  };
}

export function gitCommitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['git-commit'] {
  const { api, html } = repoUrls(urls, repo);
  return {
    sha,
    node_id: nodeId('Commit', stableId('commit', sha)),
    url: `${api}/git/commits/${sha}`,
    html_url: `${html}/commit/${sha}`,
    author: gitUserJson(commit.author),
    committer: gitUserJson(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map(parent => ({
      sha: parent,
      url: `${api}/git/commits/${parent}`,
      html_url: `${html}/commit/${parent}`,
    })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** `commit`: an entry of GET /commits. */
export function commitJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  commit: CommitData,
): Schemas['commit'] {
  const { api, html } = repoUrls(urls, repo);
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: nodeId('Commit', stableId('commit', sha)),
    html_url: `${html}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: gitUserJson(commit.author),
      committer: gitUserJson(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
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
  label: LabelRecord,
): Schemas['label'] {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${repoUrls(urls, repo).api}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

export function teamJson(
  urls: Urls,
  org: string,
  slug: string,
): Schemas['team'] {
  const id = stableId('team', `${org}/${slug}`);
  const api = `${urls.api}/organizations/${stableId('user', org)}/team/${id}`;
  return {
    id,
    node_id: nodeId('Team', id),
    url: api,
    members_url: `${api}/members{/member}`,
    name: slug,
    description: null,
    permission: 'pull',
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    html_url: `${urls.web}/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(slug)}`,
    repositories_url: `${api}/repos`,
    slug,
    type: 'organization',
    parent: null,
  };
}

export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeable: boolean | null;
}

/** What `pull-request-simple` and `pull-request` share. */
function pullFields(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
) {
  // no return type: each caller's (simple or full) checks the fields
  const association: Schemas['author-association'] =
    pull.user.login === repo.owner ? 'OWNER' : 'MEMBER';
  const { api, html } = repoUrls(urls, repo);
  const url = `${api}/pulls/${pull.number}`;
  const htmlUrl = `${html}/pull/${pull.number}`;
  const headSha = state.pullHeadSha(repo, pull);
  const baseSha = state.pullBaseSha(repo, pull);
  const repoJson = repositoryJson(urls, repo);
  const owner = userJson(urls, ownerIdentity(repo.owner));
  const link = (href: string): { href: string } => ({ href });
  return {
    url,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(urls, pull.user),
    body: pull.body,
    labels: pull.labels.flatMap(name => {
      const label = repo.labels.get(name.toLowerCase());
      return label
        ? [
            {
              ...labelJson(urls, repo, label),
              description: label.description ?? '',
            },
          ]
        : [];
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map(login =>
      userJson(urls, { login, type: 'User' }),
    ),
    requested_teams: pull.requestedTeams.map(slug =>
      teamJson(urls, repo.owner, slug),
    ),
    // A fork's pull request names the fork as head.repo (the stand-in never deletes a repository).
    head: {
      label: `${pull.head.owner}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: headSha,
      user: userJson(urls, ownerIdentity(pull.head.owner)),
      repo: repositoryJson(urls, state.pullHeadRepo(repo, pull) ?? repo),
    },
    base: {
      label: `${repo.owner}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha: baseSha,
      user: owner,
      repo: repoJson,
    },
    _links: {
      self: link(url),
      html: link(htmlUrl),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${api}/statuses/${headSha}`),
    },
    author_association: association,
    auto_merge: null,
    draft: pull.draft,
  };
}

/** `pull-request-simple`: an entry of GET /pulls. */
export function pullJson(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): Schemas['pull-request-simple'] {
  return pullFields(urls, state, repo, pull);
}

/** A pull request's numbers, from git: commits, line changes, files, and whether it merges cleanly. */
export function pullStats(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): PullStats {
  const head = state.pullHeadSha(repo, pull);
  const base = state.pullBaseSha(repo, pull);
  const changes = state.pullDiff(repo, pull);
  let additions = 0;
  let deletions = 0;
  for (const change of changes) {
    additions += change.additions;
    deletions += change.deletions;
  }
  const commits = repo.git.commitsBetween(base, head);
  const mergeable =
    pull.state === 'open' ? repo.git.merge(base, head).ok : null;
  return {
    commits,
    additions,
    deletions,
    changedFiles: changes.length,
    mergeable,
  };
}

/** `pull-request`: one pull request with its merge state and change statistics. */
export function fullPullJson(
  urls: Urls,
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): PullRequestJson {
  const stats = pullStats(state, repo, pull);
  return {
    ...pullFields(urls, state, repo, pull),
    merged: pull.merged,
    mergeable: pull.state === 'open' ? stats.mergeable : null,
    rebaseable: pull.state === 'open' ? stats.mergeable : null,
    mergeable_state:
      pull.state !== 'open'
        ? 'unknown'
        : stats.mergeable
          ? pull.draft
            ? 'draft'
            : 'clean'
          : 'dirty',
    merged_by: pull.mergedBy
      ? userJson(urls, {
          login: pull.mergedBy,
          type: pull.mergedBy.endsWith('[bot]') ? 'Bot' : 'User',
        })
      : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

export function contentEntryJson(
  urls: Urls,
  repo: RepoRecord,
  ref: string,
  path: string,
  entry: { mode: FileMode; sha: string },
  size: number,
): Record<string, unknown> {
  const { api, html } = repoUrls(urls, repo);
  const type =
    entry.mode === '040000'
      ? 'dir'
      : entry.mode === '120000'
        ? 'symlink'
        : entry.mode === '160000'
          ? 'submodule'
          : 'file';
  const encoded = encodePath(path);
  const self = `${api}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const gitUrl =
    type === 'dir'
      ? `${api}/git/trees/${entry.sha}`
      : type === 'submodule'
        ? null
        : `${api}/git/blobs/${entry.sha}`;
  const htmlUrl =
    type === 'submodule'
      ? null
      : `${html}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${encoded}`;
  return {
    type,
    size: type === 'file' || type === 'symlink' ? size : 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: entry.sha,
    url: self,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url:
      type === 'file'
        ? `${urls.web}/raw/${repo.owner}/${repo.name}/${ref}/${encoded}`
        : null,
    _links: { self, git: gitUrl, html: htmlUrl },
  };
}

/** Base64 wrapped at 60 columns, as GitHub sends `content`. */
export function wrappedBase64(content: Buffer): string {
  const text = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 60) lines.push(text.slice(i, i + 60));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
