/** Repositories: the repository, its commits, and file contents. */
import {
  ApiError,
  notFound,
  ok,
  paginate,
  repoOf,
  type RestContext,
  type RestRoute,
} from './api';
import { commitJson, repositoryJson, repoUrls } from './shapes';

export function repoRoutes(context: RestContext): RestRoute[] {
  const { urls } = context;
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
        if (!start) throw notFound(`No commit found for SHA: ${from}`);
        const { page, headers } = paginate(
          repo.git.history(start),
          request,
          `${repoUrls(urls, repo).api}/commits`,
        );
        return ok(
          page.map(sha => commitJson(urls, repo, sha, repo.git.commit(sha)!)),
          headers,
        );
      },
    },
    {
      // What Backstage's GitHub URL reader fetches with a token: a file's bytes.
      method: 'GET',
      pattern: '/repos/:owner/:repo/contents/*path?',
      handler: request => {
        const repo = repoOf(context, request);
        if (
          !/application\/vnd\.github(\.v3)?\.raw/.test(
            String(request.headers.accept),
          )
        )
          throw new ApiError(
            406,
            'The stand-in serves contents as application/vnd.github.raw only',
          );
        const ref = request.query.get('ref') ?? repo.git.defaultBranch;
        const commit = repo.git.commit(repo.git.resolve(ref) ?? '');
        if (!commit) throw notFound(`No commit found for the ref ${ref}`);
        const entry = repo.git.entryAt(commit.tree, request.params.path ?? '');
        const data = entry && repo.git.blob(entry.sha);
        if (!entry || !data) throw notFound();
        return {
          status: 200,
          raw: { data, contentType: 'text/plain; charset=utf-8' },
          headers: { etag: `"${entry.sha}"` },
        };
      },
    },
  ];
}
