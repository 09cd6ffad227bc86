/** Repositories: the repository, its commits and status, contents and archives. */
import { type FileMode, typeOfMode } from '../git/repository';
import {
  ApiError,
  notFound,
  ok,
  paginate,
  repoOf,
  type RestContext,
  type RestRequest,
  type RestResponse,
  type RestRoute,
  wantsRaw,
} from './api';
import {
  commitJson,
  contentEntryJson,
  repositoryJson,
  repoUrls,
  wrappedBase64,
} from './shapes';

const MAX_CONTENT_BYTES = 1024 * 1024;

export function repoRoutes(context: RestContext): RestRoute[] {
  const { urls } = context;

  const contents = (request: RestRequest): RestResponse => {
    const repo = repoOf(context, request);
    const refName = request.query.get('ref') ?? repo.git.defaultBranch;
    const sha = repo.git.resolve(refName);
    if (!sha) throw notFound(`No commit found for the ref ${refName}`);
    const path = (request.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const commit = repo.git.commit(sha);
    const entry = commit ? repo.git.entryAt(commit.tree, path) : undefined;
    if (!entry) throw notFound();
    const sizeOf = (entrySha: string, mode: FileMode): number =>
      typeOfMode(mode) === 'blob' ? (repo.git.blob(entrySha)?.length ?? 0) : 0;

    if (entry.mode === '040000') {
      const listing = (repo.git.tree(entry.sha) ?? []).map(child =>
        contentEntryJson(
          urls,
          repo,
          refName,
          path === '' ? child.name : `${path}/${child.name}`,
          child,
          sizeOf(child.sha, child.mode),
        ),
      );
      if (
        /application\/vnd\.github\.object/.test(
          String(request.headers.accept ?? ''),
        )
      ) {
        const self = contentEntryJson(urls, repo, refName, path, entry, 0);
        return {
          status: 200,
          body: { ...self, entries: listing },
          mediaType: 'application/vnd.github.object',
        };
      }
      return ok(listing);
    }
    const data = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    if (wantsRaw(request) && entry.mode !== '160000') {
      return {
        status: 200,
        raw: { data, contentType: 'text/plain; charset=utf-8' },
        headers: { etag: `"${entry.sha}"` },
      };
    }
    const base = contentEntryJson(
      urls,
      repo,
      refName,
      path,
      entry,
      data.length,
    );
    if (entry.mode === '120000')
      return ok({ ...base, target: data.toString('utf8') });
    if (entry.mode === '160000') return ok({ ...base, submodule_git_url: '' });
    const large = data.length > MAX_CONTENT_BYTES;
    return ok(
      {
        ...base,
        content: large ? '' : wrappedBase64(data),
        encoding: large ? 'none' : 'base64',
      },
      { etag: `"${entry.sha}"` },
    );
  };

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo',
      handler: request => ok(repositoryJson(urls, repoOf(context, request))),
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits',
      handler: request => {
        const repo = repoOf(context, request);
        const from = request.query.get('sha') ?? repo.git.defaultBranch;
        const start = repo.git.resolve(from);
        if (!start) {
          if (repo.git.branchNames().length === 0)
            throw new ApiError(409, 'Git Repository is empty.');
          throw notFound(`No commit found for SHA: ${from}`);
        }
        const path = request.query.get('path')?.replace(/^\/+|\/+$/g, '');
        let shas = repo.git.history(start);
        if (path) {
          shas = shas.filter(sha => {
            const commit = repo.git.commit(sha);
            if (!commit) return false;
            const mine = repo.git.entryAt(commit.tree, path);
            const parent = commit.parents[0]
              ? repo.git.commit(commit.parents[0])
              : undefined;
            const theirs = parent
              ? repo.git.entryAt(parent.tree, path)
              : undefined;
            return mine?.sha !== theirs?.sha;
          });
        }
        const { page, headers } = paginate(
          shas,
          request,
          `${repoUrls(urls, repo).api}/commits`,
        );
        return ok(
          page.flatMap(sha => {
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
      handler: request => {
        const repo = repoOf(context, request);
        const sha = repo.git.resolve(request.params.ref ?? '');
        if (!sha)
          throw notFound(
            `No commit found for SHA: ${request.params.ref ?? ''}`,
          );
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
      pattern: '/repos/:owner/:repo/contents/*path?',
      handler: contents,
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/tarball/*ref?',
      handler: request => {
        const repo = repoOf(context, request);
        const ref = request.params.ref || repo.git.defaultBranch;
        const sha = repo.git.resolve(ref);
        if (!sha) throw notFound();
        return {
          status: 302,
          headers: {
            location: `${urls.web}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}`,
          },
        };
      },
    },
  ];
}
