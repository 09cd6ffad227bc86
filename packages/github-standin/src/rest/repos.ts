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
  paginated,
  reply,
  type RestContext,
  type RestRoutes,
  restParam,
} from './api';
import {
  combinedStatusJson,
  commitJson,
  repositoryJson,
  repoUrls,
} from './shapes';

export function repoRoutes({ urls }: RestContext): RestRoutes {
  return {
    'GET /repos/:owner/:repo': (c, repo) =>
      reply(c, repositoryJson(urls, repo)),
    'GET /repos/:owner/:repo/commits': (c, repo) => {
      const from = c.req.query('sha') ?? repo.git.defaultBranch;
      const start = repo.git.resolve(from);
      if (!start) throw notFound(`No commit found for SHA: ${from}`);
      return paginated(
        c,
        `${repoUrls(urls, repo).api}/commits`,
        repo.git.history(start),
        sha => commitJson(urls, repo, sha, repo.git.commit(sha)!),
      );
    },
    'GET /repos/:owner/:repo/commits/:ref/status': (c, repo) => {
      const ref = c.req.param('ref') ?? '';
      const sha = repo.git.resolve(ref);
      if (!sha) throw notFound(`No commit found for SHA: ${ref}`);
      return reply(c, combinedStatusJson(urls, repo, sha));
    },
    'GET /repos/:owner/:repo/tarball/:ref{.*}?': (c, repo) => {
      const ref = restParam(c, 'ref') || repo.git.defaultBranch;
      const sha = repo.git.resolve(ref);
      if (!sha) throw notFound();
      // GitHub redirects to codeload; the stand-in's is /_codeload (web.ts).
      const location = `${urls.web}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}`;
      return reply(c, undefined, 302, { location });
    },
    // What Backstage's GitHub URL reader fetches with a token: a file's bytes.
    'GET /repos/:owner/:repo/contents/:path{.*}?': (c, repo) => {
      const accept = c.req.header('accept') ?? '';
      if (!/application\/vnd\.github(\.v3)?\.raw/.test(accept))
        throw new ApiError(
          406,
          'The stand-in serves contents as application/vnd.github.raw only',
        );
      const ref = c.req.query('ref') ?? repo.git.defaultBranch;
      const commit = repo.git.commit(repo.git.resolve(ref) ?? '');
      if (!commit) throw notFound(`No commit found for the ref ${ref}`);
      const entry = repo.git.entryAt(commit.tree, restParam(c, 'path'));
      const data = entry && repo.git.blob(entry.sha);
      if (!entry || !data) throw notFound();
      return c.body(new Uint8Array(data), 200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-github-media-type': 'github.v3; param=raw',
        etag: `"${entry.sha}"`,
      });
    },
  };
}
