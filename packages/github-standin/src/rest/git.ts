/** The git data API: refs, commits, trees and blobs. */
import { identityAt, SHA_PATTERN } from '../git/repository';
import type { RepoRecord } from '../state';
import {
  bodyOf,
  created,
  notFound,
  ok,
  repoRouter,
  type RestContext,
  type RestRoute,
  unprocessable,
} from './api';
import { gitCommitJson, gitRefJson, repoUrls, type Urls } from './shapes';

/** `GET` or `POST /git/trees`: the tree's entries, with every subtree's when `recursive`. */
function treeJson(
  urls: Urls,
  repo: RepoRecord,
  sha: string,
  recursive: boolean,
) {
  const { api } = repoUrls(urls, repo);
  const walk = (treeSha: string, prefix: string): object[] =>
    (repo.git.tree(treeSha) ?? []).flatMap(({ mode, name, sha }) => {
      const path = `${prefix}${name}`;
      if (mode === '160000') return [{ path, mode, type: 'commit', sha }];
      if (mode !== '040000') {
        const size = repo.git.blob(sha)?.length ?? 0;
        const url = `${api}/git/blobs/${sha}`;
        return [{ path, mode, type: 'blob', sha, size, url }];
      }
      const url = `${api}/git/trees/${sha}`;
      const entry = { path, mode, type: 'tree', sha, url };
      return [entry, ...(recursive ? walk(sha, `${path}/`) : [])];
    });
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    tree: walk(sha, ''),
    truncated: false,
  };
}

export function gitRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;
  const route = repoRouter(context);
  /** A commit of the repository named by the request body's `sha`. */
  const commitSha = (repo: RepoRecord, sha: string): string => {
    if (!SHA_PATTERN.test(sha) || !repo.git.commit(sha))
      throw unprocessable('Object does not exist');
    return sha;
  };
  /** `heads/main` or `refs/heads/main` → `refs/heads/main`. */
  const fullRef = (ref = '') => (ref.startsWith('refs/') ? ref : `refs/${ref}`);

  return [
    route('GET /repos/:owner/:repo/git/ref/*ref', (request, repo) => {
      const ref = fullRef(request.params.ref);
      const sha = repo.git.ref(ref);
      if (!sha) throw notFound();
      return ok(gitRefJson(urls, repo, ref, sha));
    }),
    route('POST /repos/:owner/:repo/git/refs', (request, repo) => {
      const { ref, sha } = bodyOf<'git/create-ref'>(request);
      repo.git.checkRef(ref);
      if (repo.git.ref(ref)) throw unprocessable('Reference already exists');
      state.moveRef(repo, ref, commitSha(repo, sha));
      return created(gitRefJson(urls, repo, ref, sha));
    }),
    route('PATCH /repos/:owner/:repo/git/refs/*ref', (request, repo) => {
      const ref = fullRef(request.params.ref);
      const { sha, force = false } = bodyOf<'git/update-ref'>(request);
      const current = repo.git.ref(ref);
      if (!current) throw unprocessable('Reference does not exist');
      const forward = repo.git.isAncestor(current, commitSha(repo, sha));
      if (!force && !forward)
        throw unprocessable('Update is not a fast forward');
      state.moveRef(repo, ref, sha, !forward);
      return ok(gitRefJson(urls, repo, ref, sha));
    }),
    route(
      'GET /repos/:owner/:repo/git/commits/:commit_sha',
      (request, repo) => {
        const sha = request.params.commit_sha ?? '';
        const commit = repo.git.commit(sha);
        if (!commit) throw notFound();
        return ok(gitCommitJson(urls, repo, sha, commit));
      },
    ),
    route('POST /repos/:owner/:repo/git/commits', (request, repo) => {
      const body = bodyOf<'git/create-commit'>(request);
      const me = state.identity(request.identity);
      // as given (at the given date or now); else the caller now
      const who = (given?: { name?: string; email?: string; date?: string }) =>
        given?.name !== undefined && given.email !== undefined
          ? identityAt(
              given.name,
              given.email,
              given.date ?? new Date(me.time * 1000),
            )
          : me;
      const commit = {
        tree: body.tree,
        parents: body.parents ?? [],
        author: who(body.author),
        committer: who(body.committer ?? body.author),
        message: body.message,
      };
      const sha = repo.git.writeCommit(commit);
      return created(gitCommitJson(urls, repo, sha, commit));
    }),
    route('GET /repos/:owner/:repo/git/trees/*tree_sha', (request, repo) => {
      const wanted = request.params.tree_sha ?? '';
      // a commit (or branch) names its tree, as on GitHub
      const commit = repo.git.resolve(wanted);
      const sha = commit ? repo.git.commit(commit)?.tree : wanted;
      if (!sha || !repo.git.tree(sha)) throw notFound();
      return ok(treeJson(urls, repo, sha, request.query.has('recursive')));
    }),
    route('POST /repos/:owner/:repo/git/trees', (request, repo) => {
      const { base_tree, tree } = bodyOf<'git/create-tree'>(request);
      const sha = repo.git.applyTreeChanges(base_tree, tree);
      return created(treeJson(urls, repo, sha, false));
    }),
    route('POST /repos/:owner/:repo/git/blobs', (request, repo) => {
      const { content, encoding } = bodyOf<'git/create-blob'>(request);
      const [sha = ''] = repo.git.writeBlobs([
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      ]);
      const url = `${repoUrls(urls, repo).api}/git/blobs/${sha}`;
      return created({ url, sha });
    }),
  ];
}
