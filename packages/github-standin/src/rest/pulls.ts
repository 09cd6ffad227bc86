/** Pull requests: open, list, update, merge (the library's), labels, review requests. */
import type { Identity, PullRecord, RepoRecord, StandinState } from '../state';
import {
  ApiError,
  booleanField,
  field,
  intParam,
  isRecord,
  notFound,
  ok,
  paginate,
  repoOf,
  requiredString,
  type RestContext,
  type RestRequest,
  type RestRoute,
  stringArray,
  stringField,
  validationFailed,
} from './api';
import { fullPullJson, labelJson, pullJson, repoUrls } from './shapes';

export interface MergeOptions {
  mergeMethod?: 'merge' | 'squash' | 'rebase';
  commitTitle?: string;
  commitMessage?: string;
  /** The head sha the caller expects (409 when the branch moved). */
  sha?: string;
}

function findPull(repo: RepoRecord, number: number): PullRecord {
  const pull = repo.pulls.find(candidate => candidate.number === number);
  if (!pull) throw notFound();
  return pull;
}

/** Merges a pull request as GitHub's merge button does; throws ApiError 405/409 like GitHub. */
export function mergePullRequest(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
  options: MergeOptions,
  actor: Identity,
): { sha: string } {
  if (pull.merged || pull.state !== 'open')
    throw new ApiError(405, 'Pull Request is not mergeable');
  if (pull.draft) throw new ApiError(405, 'Pull Request is still a draft');
  const head = state.pullHeadSha(repo, pull);
  const base = repo.git.branch(pull.base.ref);
  if (!base || !state.pullHeadRepo(repo, pull)?.git.branch(pull.head.ref))
    throw new ApiError(405, 'Pull Request is not mergeable');
  if (options.sha !== undefined && options.sha !== head)
    throw new ApiError(
      409,
      'Head branch was modified. Review and try the merge again.',
    );
  const method = options.mergeMethod ?? 'merge';
  const who = state.identity(actor);
  let sha: string;
  if (method === 'rebase') {
    // fast-forward only: replaying commits is not emulated
    if (!repo.git.isAncestor(base, head))
      throw new ApiError(
        405,
        'Rebase merges are only supported as fast-forwards by the stand-in',
      );
    sha = head;
  } else {
    const merged = repo.git.merge(base, head);
    if (!merged.ok) throw new ApiError(405, 'Pull Request is not mergeable');
    const tree = merged.tree;
    const title =
      options.commitTitle ??
      (method === 'squash'
        ? `${pull.title} (#${pull.number})`
        : `Merge pull request #${pull.number} from ${pull.head.owner}/${pull.head.ref}`);
    const detail =
      options.commitMessage ??
      (method === 'squash' ? (pull.body ?? '') : pull.title);
    const message = detail === '' ? title : `${title}\n\n${detail}`;
    sha = repo.git.writeCommit({
      tree,
      parents: method === 'squash' ? [base] : [base, head],
      author: who,
      committer: who,
      message,
    });
  }
  pull.base.sha = base;
  pull.head.sha = head;
  repo.git.setBranch(pull.base.ref, sha);
  const stamp = state.timestamp();
  Object.assign(pull, {
    merged: true,
    mergedAt: stamp,
    mergedBy: actor.login,
    mergeCommitSha: sha,
    state: 'closed',
    closedAt: stamp,
    updatedAt: stamp,
  });
  state.touch(repo);
  state.emit({
    kind: 'push',
    repo,
    ref: `refs/heads/${pull.base.ref}`,
    before: base,
    after: sha,
    forced: false,
  });
  state.emit({ kind: 'pull_request', repo, pull, action: 'closed' });
  return { sha };
}

export function closePullRequest(
  state: StandinState,
  repo: RepoRecord,
  pull: PullRecord,
): void {
  if (pull.state === 'closed') return;
  state.pullHeadSha(repo, pull);
  state.pullBaseSha(repo, pull);
  const stamp = state.timestamp();
  Object.assign(pull, { state: 'closed', closedAt: stamp, updatedAt: stamp });
  state.emit({ kind: 'pull_request', repo, pull, action: 'closed' });
}

function parseHead(
  repo: RepoRecord,
  head: string,
): { owner: string; ref: string } {
  const colon = head.indexOf(':');
  if (colon === -1) return { owner: repo.owner, ref: head };
  return { owner: head.slice(0, colon), ref: head.slice(colon + 1) };
}

function duplicateOpenPull(
  repo: RepoRecord,
  headOwner: string,
  headRef: string,
  baseRef: string,
  except?: PullRecord,
): PullRecord | undefined {
  return repo.pulls.find(
    pull =>
      pull !== except &&
      pull.state === 'open' &&
      pull.head.ref === headRef &&
      pull.head.owner.toLowerCase() === headOwner.toLowerCase() &&
      pull.base.ref === baseRef,
  );
}

export interface OpenPullOptions {
  title: string | undefined;
  /** `branch` or `owner:branch` */
  head: string;
  base: string;
  body?: string | null;
  draft?: boolean;
  maintainerCanModify?: boolean;
}

/** Opens a pull request with GitHub's checks (422 Validation Failed, as ApiError). */
export function openPullRequest(
  state: StandinState,
  repo: RepoRecord,
  options: OpenPullOptions,
  author: Identity,
): PullRecord {
  const head = parseHead(repo, options.head);
  const baseRef = options.base;
  // `owner:branch` from another owner: a branch of their fork (the stand-in takes `<owner>/<same name>`).
  const source = state.headRepo(repo, head.owner);
  const headSha = source?.git.branch(head.ref);
  const baseSha = repo.git.branch(baseRef);
  const problems = [
    ...(headSha
      ? []
      : [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]),
    ...(baseSha
      ? []
      : [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]),
  ];
  if (problems.length > 0) throw validationFailed(...problems);
  const title = options.title;
  if (title === undefined || title.trim() === '')
    throw validationFailed({
      resource: 'PullRequest',
      field: 'title',
      code: 'missing_field',
    });
  const headOwner = source?.owner ?? head.owner;
  if (duplicateOpenPull(repo, headOwner, head.ref, baseRef)) {
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `A pull request already exists for ${headOwner}:${head.ref}.`,
    });
  }
  if (!headSha || !baseSha || repo.git.isAncestor(headSha, baseSha)) {
    throw validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `No commits between ${baseRef} and ${head.ref}`,
    });
  }
  const stamp = state.timestamp();
  const pull: PullRecord = {
    id: state.id(),
    number: repo.nextIssueNumber,
    title,
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
    head: { owner: headOwner, ref: head.ref, sha: headSha },
    base: { ref: baseRef, sha: baseSha },
    labels: [],
    requestedReviewers: [],
    requestedTeams: [],
    maintainerCanModify: options.maintainerCanModify ?? true,
  };
  repo.nextIssueNumber += 1;
  repo.pulls.push(pull);
  state.pullHeadSha(repo, pull);
  state.emit({ kind: 'pull_request', repo, pull, action: 'opened' });
  return pull;
}

export function pullRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;

  const create = (request: RestRequest) => {
    const repo = repoOf(context, request);
    const pull = openPullRequest(
      state,
      repo,
      {
        title: stringField(request.body, 'title'),
        head: requiredString(request.body, 'head', 'PullRequest'),
        base: requiredString(request.body, 'base', 'PullRequest'),
        body: stringField(request.body, 'body') ?? null,
        draft: booleanField(request.body, 'draft') ?? false,
        maintainerCanModify:
          booleanField(request.body, 'maintainer_can_modify') ?? true,
      },
      request.identity,
    );
    const body = fullPullJson(urls, state, repo, pull);
    return ok(body, { location: String(body.url) }, 201);
  };

  const update = (request: RestRequest) => {
    const repo = repoOf(context, request);
    const pull = findPull(repo, intParam(request, 'pull_number'));
    const title = stringField(request.body, 'title');
    const body = field(request.body, 'body');
    const wantedState = stringField(request.body, 'state');
    const base = stringField(request.body, 'base');
    if (base !== undefined && base !== pull.base.ref) {
      if (!repo.git.branch(base))
        throw validationFailed({
          resource: 'PullRequest',
          field: 'base',
          code: 'invalid',
        });
      if (pull.state !== 'open')
        throw new ApiError(
          422,
          'Cannot change the base branch of a closed pull request.',
        );
    }
    if (wantedState === 'open' && pull.state === 'closed') {
      if (pull.merged)
        throw new ApiError(
          422,
          'state cannot be changed. The pull request cannot be reopened.',
        );
      if (!state.pullHeadRepo(repo, pull)?.git.branch(pull.head.ref))
        throw new ApiError(
          422,
          'state cannot be changed. The head branch was deleted.',
        );
      if (
        duplicateOpenPull(
          repo,
          pull.head.owner,
          pull.head.ref,
          base ?? pull.base.ref,
          pull,
        )
      ) {
        throw validationFailed({
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${pull.head.owner}:${pull.head.ref}.`,
        });
      }
      pull.state = 'open';
      pull.closedAt = null;
    } else if (wantedState === 'closed') {
      closePullRequest(state, repo, pull);
    }
    if (title !== undefined) pull.title = title;
    if (body === null || typeof body === 'string') pull.body = body;
    if (base !== undefined) pull.base.ref = base;
    const canModify = booleanField(request.body, 'maintainer_can_modify');
    if (canModify !== undefined) pull.maintainerCanModify = canModify;
    pull.updatedAt = state.timestamp();
    return ok(fullPullJson(urls, state, repo, pull));
  };

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/pulls',
      handler: request => {
        const repo = repoOf(context, request);
        const wanted = request.query.get('state') ?? 'open';
        const headFilter = request.query.get('head');
        const baseFilter = request.query.get('base');
        let pulls = repo.pulls.filter(
          pull => wanted === 'all' || pull.state === wanted,
        );
        if (headFilter) {
          const head = parseHead(repo, headFilter);
          pulls = pulls.filter(
            pull =>
              pull.head.ref === head.ref &&
              pull.head.owner.toLowerCase() === head.owner.toLowerCase(),
          );
        }
        if (baseFilter)
          pulls = pulls.filter(pull => pull.base.ref === baseFilter);
        const direction = request.query.get('direction') ?? 'desc';
        const sortKey =
          request.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
        pulls = [...pulls].sort(
          (a, b) => a[sortKey].localeCompare(b[sortKey]) || a.number - b.number,
        );
        if (direction === 'desc') pulls.reverse();
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
    { method: 'POST', pattern: '/repos/:owner/:repo/pulls', handler: create },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/pulls/:pull_number',
      handler: update,
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      handler: request => {
        const repo = repoOf(context, request);
        const pull = findPull(repo, intParam(request, 'issue_number'));
        const raw = Array.isArray(request.body)
          ? request.body
          : field(request.body, 'labels');
        const names = (Array.isArray(raw) ? raw : []).flatMap(item => {
          if (typeof item === 'string') return [item];
          if (isRecord(item) && typeof item.name === 'string')
            return [item.name];
          return [];
        });
        for (const name of names) {
          const key = name.toLowerCase();
          if (!repo.labels.has(key))
            repo.labels.set(key, {
              id: state.id(),
              name,
              color: 'ededed',
              description: '',
            });
          if (!pull.labels.some(existing => existing.toLowerCase() === key))
            pull.labels.push(name);
        }
        pull.updatedAt = state.timestamp();
        return ok(
          pull.labels.flatMap(name => {
            const label = repo.labels.get(name.toLowerCase());
            return label ? [labelJson(urls, repo, label)] : [];
          }),
        );
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/pulls/:pull_number/requested_reviewers',
      handler: request => {
        const repo = repoOf(context, request);
        const pull = findPull(repo, intParam(request, 'pull_number'));
        const reviewers = stringArray(request.body, 'reviewers');
        const teams = stringArray(request.body, 'team_reviewers');
        if (
          reviewers.some(
            login => login.toLowerCase() === pull.user.login.toLowerCase(),
          )
        ) {
          throw new ApiError(
            422,
            'Review cannot be requested from pull request author.',
          );
        }
        for (const login of reviewers)
          if (!pull.requestedReviewers.includes(login))
            pull.requestedReviewers.push(login);
        for (const slug of teams)
          if (!pull.requestedTeams.includes(slug))
            pull.requestedTeams.push(slug);
        pull.updatedAt = state.timestamp();
        return ok(pullJson(urls, state, repo, pull), {}, 201);
      },
    },
  ];
}

export { findPull };
