/**
 * Repositories: the repository, its commits, file contents, and what Backstage's GitHub URL
 * reader's readTree asks for (@backstage/backend-defaults 0.18.0 GithubUrlReader.cjs.js
 * getRepoDetails and doReadTree: the combined status of the ref for its sha, then the tarball
 * `archive_url` names), which `fetch:plain` and `fetch:template` use (portal.permissions.test.ts
 * dry-runs one).
 */
import {
  ApiError,
  notFound,
  ok,
  paginated,
  repoRouter,
  type RestContext,
  type RestRoute,
} from './api';
import {
  combinedStatusJson,
  commitJson,
  repositoryJson,
  repoUrls,
} from './shapes';

export function repoRoutes(context: RestContext): RestRoute[] {
  const { urls } = context;
  const route = repoRouter(context);
  return [
    route('GET /repos/:owner/:repo', (_request, repo) =>
      ok(repositoryJson(urls, repo)),
    ),
    route('GET /repos/:owner/:repo/commits', (request, repo) => {
      const from = request.query.get('sha') ?? repo.git.defaultBranch;
      const start = repo.git.resolve(from);
      if (!start) throw notFound(`No commit found for SHA: ${from}`);
      return paginated(
        request,
        `${repoUrls(urls, repo).api}/commits`,
        repo.git.history(start),
        sha => commitJson(urls, repo, sha, repo.git.commit(sha)!),
      );
    }),
    route('GET /repos/:owner/:repo/commits/:ref/status', (request, repo) => {
      const ref = request.params.ref ?? '';
      const sha = repo.git.resolve(ref);
      if (!sha) throw notFound(`No commit found for SHA: ${ref}`);
      return ok(combinedStatusJson(urls, repo, sha));
    }),
    route('GET /repos/:owner/:repo/tarball/*ref?', (request, repo) => {
      const sha = repo.git.resolve(
        request.params.ref || repo.git.defaultBranch,
      );
      if (!sha) throw notFound();
      // GitHub redirects to codeload; the stand-in's is /_codeload (http/server.ts).
      const location = `${urls.web}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}`;
      return { status: 302, headers: { location } };
    }),
    route(
      // What Backstage's GitHub URL reader fetches with a token: a file's bytes.
      'GET /repos/:owner/:repo/contents/*path?',
      (request, repo) => {
        const accept = String(request.headers.accept);
        if (!/application\/vnd\.github(\.v3)?\.raw/.test(accept))
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
    ),
  ];
}
