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
  paginate,
  repoOf,
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
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits/:ref/status',
      handler: request => {
        const repo = repoOf(context, request);
        const ref = request.params.ref ?? '';
        const sha = repo.git.resolve(ref);
        if (!sha) throw notFound(`No commit found for SHA: ${ref}`);
        return ok(combinedStatusJson(urls, repo, sha));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/tarball/*ref?',
      handler: request => {
        const repo = repoOf(context, request);
        const sha = repo.git.resolve(
          request.params.ref || repo.git.defaultBranch,
        );
        if (!sha) throw notFound();
        // GitHub redirects to codeload; the stand-in's is /_codeload (http/server.ts).
        return {
          status: 302,
          headers: {
            location: `${urls.web}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}`,
          },
        };
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
