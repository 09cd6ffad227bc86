/** Repositories, branches, commits, contents, archives and the authenticated user. */
import { type FileMode, typeOfMode } from '../git/objects';
import { unified } from '../diffs';
import { ApiError, notFound, ok, paginate, repoOf, type RestContext, type RestRequest, type RestResponse, type RestRoute, wantsRaw } from './api';
import {
  changedFiles,
  commitJson,
  contentEntryJson,
  diffEntryJson,
  encodePath,
  repositoryJson,
  repoUrls,
  userJson,
  wrappedBase64,
} from './shapes';
import type { RepoRecord } from '../state';

const MAX_CONTENT_BYTES = 1024 * 1024;

function resolveCommitish(repo: RepoRecord, ref: string): string {
  const sha = repo.git.resolve(ref);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function commitFiles(context: RestContext, repo: RepoRecord, sha: string): Record<string, unknown>[] {
  const commit = repo.git.commit(sha);
  if (!commit) return [];
  const parent = commit.parents[0];
  const from = parent ? repo.git.filesOf(parent) : new Map();
  const to = repo.git.filesOf(sha);
  return changedFiles(from, to).map((change) =>
    diffEntryJson(context.urls, repo, sha, change, (blob) => repo.git.blob(blob) ?? Buffer.alloc(0), unified),
  );
}

function branchJson(context: RestContext, repo: RepoRecord, name: string, sha: string): Record<string, unknown> {
  const { api, html } = repoUrls(context.urls, repo);
  const commit = repo.git.commit(sha);
  if (!commit) throw notFound('Branch not found');
  return {
    name,
    commit: commitJson(context.urls, repo, sha, commit),
    _links: { html: `${html}/tree/${encodePath(name)}`, self: `${api}/branches/${encodePath(name)}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodePath(name)}/protection`,
  };
}

export function repoRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;

  const contents = (request: RestRequest): RestResponse => {
    const repo = repoOf(context, request);
    const refName = request.query.get('ref') ?? repo.git.defaultBranch;
    const sha = repo.git.resolve(refName);
    if (!sha) throw notFound(`No commit found for the ref ${refName}`);
    const path = (request.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const commit = repo.git.commit(sha);
    const entry = commit ? repo.git.entryAt(commit.tree, path) : undefined;
    if (!entry) throw notFound();
    const sizeOf = (entrySha: string, mode: FileMode): number => (typeOfMode(mode) === 'blob' ? (repo.git.blob(entrySha)?.length ?? 0) : 0);

    if (entry.mode === '040000') {
      const listing = (repo.git.tree(entry.sha) ?? []).map((child) =>
        contentEntryJson(urls, repo, refName, path === '' ? child.name : `${path}/${child.name}`, child, sizeOf(child.sha, child.mode)),
      );
      if (/application\/vnd\.github\.object/.test(String(request.headers.accept ?? ''))) {
        const self = contentEntryJson(urls, repo, refName, path, entry, 0);
        return { status: 200, body: { ...self, entries: listing }, mediaType: 'application/vnd.github.object' };
      }
      return ok(listing);
    }
    const data = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    if (wantsRaw(request) && entry.mode !== '160000') {
      return { status: 200, raw: { data, contentType: 'text/plain; charset=utf-8' }, headers: { etag: `"${entry.sha}"` } };
    }
    const base = contentEntryJson(urls, repo, refName, path, entry, data.length);
    if (entry.mode === '120000') return ok({ ...base, target: data.toString('utf8') });
    if (entry.mode === '160000') return ok({ ...base, submodule_git_url: '' });
    const large = data.length > MAX_CONTENT_BYTES;
    return ok({ ...base, content: large ? '' : wrappedBase64(data), encoding: large ? 'none' : 'base64' }, { etag: `"${entry.sha}"` });
  };

  return [
    {
      method: 'GET',
      pattern: '/user',
      handler: (request) => {
        const user = userJson(urls, request.identity);
        delete user.user_view_type;
        const stamp = state.timestamp();
        return ok({
          ...user,
          name: request.identity.login,
          company: null,
          blog: '',
          location: null,
          email: null,
          hireable: null,
          bio: null,
          public_repos: state.allRepos().filter((repo) => repo.owner === request.identity.login).length,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: stamp,
          updated_at: stamp,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo',
      handler: (request) => ok(repositoryJson(urls, repoOf(context, request))),
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/branches',
      handler: (request) => {
        const repo = repoOf(context, request);
        const { api } = repoUrls(urls, repo);
        const all = repo.git.branchNames().map((name) => {
          const sha = repo.git.branch(name) as string;
          return { name, commit: { sha, url: `${api}/commits/${sha}` }, protected: false };
        });
        const { page, headers } = paginate(all, request, `${api}/branches`);
        return ok(page, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/branches/*branch',
      handler: (request) => {
        const repo = repoOf(context, request);
        const name = request.params.branch ?? '';
        const sha = repo.git.branch(name);
        if (!sha) throw notFound('Branch not found');
        return ok(branchJson(context, repo, name, sha));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits',
      handler: (request) => {
        const repo = repoOf(context, request);
        const from = request.query.get('sha') ?? repo.git.defaultBranch;
        const start = repo.git.resolve(from);
        if (!start) {
          if (repo.git.branchNames().length === 0) throw new ApiError(409, 'Git Repository is empty.');
          throw notFound(`No commit found for SHA: ${from}`);
        }
        const path = request.query.get('path')?.replace(/^\/+|\/+$/g, '');
        let shas = repo.git.history(start);
        if (path) {
          shas = shas.filter((sha) => {
            const commit = repo.git.commit(sha);
            if (!commit) return false;
            const mine = repo.git.entryAt(commit.tree, path);
            const parent = commit.parents[0] ? repo.git.commit(commit.parents[0]) : undefined;
            const theirs = parent ? repo.git.entryAt(parent.tree, path) : undefined;
            return mine?.sha !== theirs?.sha;
          });
        }
        const { page, headers } = paginate(shas, request, `${repoUrls(urls, repo).api}/commits`);
        return ok(
          page.flatMap((sha) => {
            const commit = repo.git.commit(sha);
            return commit ? [commitJson(urls, repo, sha, commit)] : [];
          }),
          headers,
        );
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits/:ref/status',
      handler: (request) => {
        const repo = repoOf(context, request);
        const sha = repo.git.resolve(request.params.ref ?? '');
        if (!sha) throw notFound(`No commit found for SHA: ${request.params.ref ?? ''}`);
        const { api } = repoUrls(urls, repo);
        return ok({
          state: 'pending',
          statuses: [],
          sha,
          total_count: 0,
          repository: repositoryJson(urls, repo),
          commit_url: `${api}/commits/${sha}`,
          url: `${api}/commits/${sha}/status`,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits/*ref',
      handler: (request) => {
        const repo = repoOf(context, request);
        const sha = resolveCommitish(repo, request.params.ref ?? '');
        const commit = repo.git.commit(sha);
        if (!commit) throw new ApiError(422, `No commit found for SHA: ${request.params.ref ?? ''}`);
        return ok(commitJson(urls, repo, sha, commit, commitFiles(context, repo, sha)));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/contents/*path?',
      handler: contents,
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/tarball/*ref?',
      handler: (request) => {
        const repo = repoOf(context, request);
        const ref = request.params.ref || repo.git.defaultBranch;
        const sha = repo.git.resolve(ref);
        if (!sha) throw notFound();
        return { status: 302, headers: { location: `${urls.web}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}` } };
      },
    },
  ];
}
