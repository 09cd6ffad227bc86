/**
 * Pull requests: the store's open, merge and close (the library's and the web page's too), and the
 * REST routes to list, open and update them, label them and request reviews.
 */
import type { Identity, PullRecord, RepoRecord, StandinState } from '../state';
import {
  ApiError,
  bodyOf,
  intParam,
  notFound,
  ok,
  paginate,
  repoOf,
  type RestContext,
  type RestRoute,
  unprocessable,
} from './api';
import { fullPullJson, labelJson, pullJson, repoUrls } from './shapes';

export interface MergeOptions {
  /** The head sha the caller expects (409 when the branch moved). */
  sha?: string;
}

export function findPull(repo: RepoRecord, number: number): PullRecord {
  const pull = repo.pulls.find(candidate => candidate.number === number);
  if (!pull) throw notFound();
  return pull;
}

/** Closes a pull request, freezing its head and base; a merge moves the base branch to its commit. */
function close(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
  merge?: { sha: string; by: string },
): void {
  state.pullHeadSha(repo, pull);
  state.pullBaseSha(repo, pull);
  const stamp = state.timestamp();
  Object.assign(
    pull,
    { state: 'closed', closedAt: stamp, updatedAt: stamp },
    merge && {
      merged: true,
      mergedAt: stamp,
      mergedBy: merge.by,
      mergeCommitSha: merge.sha,
    },
  );
  if (merge) state.moveRef(repo, `refs/heads/${pull.base.ref}`, merge.sha);
  state.emit({ kind: 'pull_request', repo, pull, action: 'closed' });
}

/** Merges a pull request as GitHub's merge button does (a merge commit); throws ApiError 405/409 like GitHub. */
export function mergePullRequest(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
  options: MergeOptions,
  actor: Identity,
): { sha: string } {
  const head = state.pullHeadSha(repo, pull);
  const base = repo.git.branch(pull.base.ref);
  const merged =
    pull.state === 'open' && !pull.draft && base
      ? repo.git.merge(base, head)
      : undefined;
  if (!base || !merged?.ok)
    throw new ApiError(405, 'Pull Request is not mergeable');
  if (options.sha !== undefined && options.sha !== head)
    throw new ApiError(
      409,
      'Head branch was modified. Review and try the merge again.',
    );
  const who = state.identity(actor);
  const sha = repo.git.writeCommit({
    tree: merged.tree,
    parents: [base, head],
    author: who,
    committer: who,
    message: `Merge pull request #${pull.number} from ${pull.head.owner}/${pull.head.ref}\n\n${pull.title}`,
  });
  close(state, repo, pull, { sha, by: actor.login });
  return { sha };
}

export function closePullRequest(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): void {
  if (pull.state === 'open') close(state, repo, pull);
}

/** Whether a pull request comes from `owner:ref`. */
function isFrom(
  pull: PullRecord,
  { owner, ref }: { owner: string; ref: string },
) {
  return (
    pull.head.ref === ref &&
    pull.head.owner.toLowerCase() === owner.toLowerCase()
  );
}

/** Adds the names `to` lacks. */
function add(to: string[], names: string[]): void {
  to.push(...names.filter(name => !to.includes(name)));
}

/** `branch` or `owner:branch` of a pull request into `repo`. */
function parseHead(
  repo: RepoRecord,
  head: string,
): { owner: string; ref: string } {
  const [owner, ref] = head.includes(':')
    ? head.split(/:(.*)/)
    : [repo.owner, head];
  return { owner: owner ?? '', ref: ref ?? '' };
}

/** Opens a pull request with GitHub's checks (422 Validation Failed, as ApiError). */
export function openPullRequest(
  state: StandinState,
  repo: RepoRecord,
  options: {
    title: string;
    head: string;
    base: string;
    body?: string | null;
    draft?: boolean;
  },
  author: Identity,
): PullRecord {
  const head = parseHead(repo, options.head);
  // `owner:branch` from another owner: a branch of their fork (the stand-in's forks are `<owner>/<same name>`).
  const source = state.headRepo(repo, head.owner);
  const headSha = source?.git.branch(head.ref);
  const baseSha = repo.git.branch(options.base);
  if (!headSha || !baseSha)
    throw unprocessable('PullRequest', {
      field: headSha ? 'base' : 'head',
      code: 'invalid',
    });
  if (options.title.trim() === '')
    throw unprocessable('PullRequest', {
      field: 'title',
      code: 'missing_field',
    });
  const owner = source?.owner ?? head.owner;
  const duplicate = repo.pulls.some(
    pull =>
      pull.state === 'open' &&
      pull.base.ref === options.base &&
      isFrom(pull, { owner, ref: head.ref }),
  );
  if (duplicate)
    throw unprocessable('PullRequest', {
      code: 'custom',
      message: `A pull request already exists for ${owner}:${head.ref}.`,
    });
  if (repo.git.isAncestor(headSha, baseSha))
    throw unprocessable('PullRequest', {
      code: 'custom',
      message: `No commits between ${options.base} and ${head.ref}`,
    });
  const stamp = state.timestamp();
  const pull: PullRecord = {
    id: state.id(),
    number: repo.pulls.length + 1,
    title: options.title,
    body: options.body ?? null,
    state: 'open',
    draft: options.draft ?? false,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    closedAt: null,
    createdAt: stamp,
    updatedAt: stamp,
    user: author,
    head: { owner, ref: head.ref, sha: headSha },
    base: { ref: options.base, sha: baseSha },
    labels: [],
    requestedReviewers: [],
    requestedTeams: [],
  };
  repo.pulls.push(pull);
  state.emit({ kind: 'pull_request', repo, pull, action: 'opened' });
  return pull;
}

export function pullRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/pulls',
      handler: request => {
        const repo = repoOf(context, request);
        const wanted = request.query.get('state') ?? 'open';
        const head = request.query.get('head');
        const base = request.query.get('base');
        // newest first, GitHub's default order
        const pulls = repo.pulls
          .filter(
            pull =>
              (wanted === 'all' || pull.state === wanted) &&
              (!head || isFrom(pull, parseHead(repo, head))) &&
              (!base || pull.base.ref === base),
          )
          .reverse();
        const { page, headers } = paginate(
          pulls,
          request,
          `${repoUrls(urls, repo).api}/pulls`,
        );
        return ok(
          page.map(pull => pullJson(urls, state, repo, pull)),
          headers,
        );
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/pulls',
      handler: request => {
        const repo = repoOf(context, request);
        const { title = '', ...rest } = bodyOf<'pulls/create'>(request);
        const pull = openPullRequest(
          state,
          repo,
          { ...rest, title },
          request.identity,
        );
        const body = fullPullJson(urls, state, repo, pull);
        return ok(body, { location: body.url }, 201);
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/pulls/:pull_number',
      handler: request => {
        const repo = repoOf(context, request);
        const pull = findPull(repo, intParam(request, 'pull_number'));
        const { title, body, state: wanted } = bodyOf<'pulls/update'>(request);
        Object.assign(pull, {
          ...(title !== undefined ? { title } : {}),
          ...(body !== undefined ? { body } : {}),
          updatedAt: state.timestamp(),
        });
        if (wanted === 'closed') closePullRequest(state, repo, pull);
        return ok(fullPullJson(urls, state, repo, pull));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      handler: request => {
        const repo = repoOf(context, request);
        const pull = findPull(repo, intParam(request, 'issue_number'));
        const { labels = [] } = bodyOf<'issues/add-labels'>(request) ?? {};
        add(
          pull.labels,
          labels.map(label => (typeof label === 'string' ? label : label.name)),
        );
        pull.updatedAt = state.timestamp();
        return ok(pull.labels.map(name => labelJson(urls, repo, name)));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/pulls/:pull_number/requested_reviewers',
      handler: request => {
        const repo = repoOf(context, request);
        const pull = findPull(repo, intParam(request, 'pull_number'));
        const { reviewers = [], team_reviewers = [] } =
          bodyOf<'pulls/request-reviewers'>(request);
        add(pull.requestedReviewers, reviewers);
        add(pull.requestedTeams, team_reviewers);
        pull.updatedAt = state.timestamp();
        return ok(pullJson(urls, state, repo, pull), {}, 201);
      },
    },
  ];
}
