/** The git data API: refs, commits, trees and blobs. */
import { identityAt, SHA_PATTERN } from '../git/repository';
import type { RepoRecord } from '../state';
import {
  bodyOf,
  created,
  notFound,
  reply,
  type RestContext,
  type RestRoutes,
  restParam,
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

export function gitRoutes({ state, urls }: RestContext): RestRoutes {
  /** A commit of the repository named by the request body's `sha`. */
  const commitSha = (repo: RepoRecord, sha: string): string => {
    if (!SHA_PATTERN.test(sha) || !repo.git.commit(sha))
      throw unprocessable('Object does not exist');
    return sha;
  };
  /** `heads/main` or `refs/heads/main` → `refs/heads/main`. */
  const fullRef = (ref: string) =>
    ref.startsWith('refs/') ? ref : `refs/${ref}`;

  return {
    'GET /repos/:owner/:repo/git/ref/:ref{.+}': (c, repo) => {
      const ref = fullRef(restParam(c, 'ref'));
      const sha = repo.git.ref(ref);
      if (!sha) throw notFound();
      return reply(c, gitRefJson(urls, repo, ref, sha));
    },
    'POST /repos/:owner/:repo/git/refs': (c, repo) => {
      const { ref, sha } = bodyOf<'git/create-ref'>(c);
      repo.git.checkRef(ref);
      if (repo.git.ref(ref)) throw unprocessable('Reference already exists');
      state.moveRef(repo, ref, commitSha(repo, sha));
      return created(c, gitRefJson(urls, repo, ref, sha));
    },
    'PATCH /repos/:owner/:repo/git/refs/:ref{.+}': (c, repo) => {
      const ref = fullRef(restParam(c, 'ref'));
      const { sha, force = false } = bodyOf<'git/update-ref'>(c);
      const current = repo.git.ref(ref);
      if (!current) throw unprocessable('Reference does not exist');
      const forward = repo.git.isAncestor(current, commitSha(repo, sha));
      if (!force && !forward)
        throw unprocessable('Update is not a fast forward');
      state.moveRef(repo, ref, sha, !forward);
      return reply(c, gitRefJson(urls, repo, ref, sha));
    },
    'GET /repos/:owner/:repo/git/commits/:commit_sha': (c, repo) => {
      const sha = c.req.param('commit_sha') ?? '';
      const commit = repo.git.commit(sha);
      if (!commit) throw notFound();
      return reply(c, gitCommitJson(urls, repo, sha, commit));
    },
    'POST /repos/:owner/:repo/git/commits': (c, repo) => {
      const body = bodyOf<'git/create-commit'>(c);
      const me = state.identity(c.var.identity);
      // as given (at the given date or now); else the caller now
      const who = (given?: { name?: string; email?: string; date?: string }) =>
        given?.name !== undefined && given.email !== undefined
          ? identityAt(given.name, given.email, given.date ?? state.now())
          : me;
      const commit = {
        tree: body.tree,
        parents: body.parents ?? [],
        author: who(body.author),
        committer: who(body.committer ?? body.author),
        message: body.message,
      };
      const sha = repo.git.writeCommit(commit);
      return created(c, gitCommitJson(urls, repo, sha, commit));
    },
    'GET /repos/:owner/:repo/git/trees/:tree_sha{.+}': (c, repo) => {
      const wanted = restParam(c, 'tree_sha');
      // a commit (or branch) names its tree, as on GitHub
      const commit = repo.git.resolve(wanted);
      const sha = commit ? repo.git.commit(commit)?.tree : wanted;
      if (!sha || !repo.git.tree(sha)) throw notFound();
      const recursive = c.req.query('recursive') !== undefined;
      return reply(c, treeJson(urls, repo, sha, recursive));
    },
    'POST /repos/:owner/:repo/git/trees': (c, repo) => {
      const { base_tree, tree } = bodyOf<'git/create-tree'>(c);
      const sha = repo.git.applyTreeChanges(base_tree, tree);
      return created(c, treeJson(urls, repo, sha, false));
    },
    'POST /repos/:owner/:repo/git/blobs': (c, repo) => {
      const { content, encoding } = bodyOf<'git/create-blob'>(c);
      const [sha = ''] = repo.git.writeBlobs([
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      ]);
      const url = `${repoUrls(urls, repo).api}/git/blobs/${sha}`;
      return created(c, { url, sha });
    },
  };
}
