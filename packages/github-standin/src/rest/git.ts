/** The git data API: refs, commits, trees and blobs. */
import {
  type FileMode,
  GitError,
  identityAt,
  isFileMode,
  SHA_PATTERN,
  type TreeChange,
} from '../git/repository';
import type { RepoRecord } from '../state';
import {
  ApiError,
  booleanField,
  field,
  isRecord,
  notFound,
  ok,
  repoOf,
  requiredString,
  type RestContext,
  type RestRoute,
  stringField,
  unprocessable,
} from './api';
import {
  gitCommitJson,
  type GitTreeJson,
  gitRefJson,
  repoUrls,
} from './shapes';

/** `heads/main` or `refs/heads/main` → `refs/heads/main`. */
function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function treeJson(
  context: RestContext,
  repo: RepoRecord,
  sha: string,
  recursive: boolean,
): GitTreeJson {
  const { api } = repoUrls(context.urls, repo);
  const tree: GitTreeJson['tree'] = [];
  const walk = (treeSha: string, prefix: string): void => {
    for (const entry of repo.git.tree(treeSha) ?? []) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.mode === '040000') {
        tree.push({
          path,
          mode: entry.mode,
          type: 'tree',
          sha: entry.sha,
          url: `${api}/git/trees/${entry.sha}`,
        });
        if (recursive) walk(entry.sha, path);
      } else if (entry.mode === '160000') {
        tree.push({ path, mode: entry.mode, type: 'commit', sha: entry.sha });
      } else {
        tree.push({
          path,
          mode: entry.mode,
          type: 'blob',
          sha: entry.sha,
          size: repo.git.blob(entry.sha)?.length ?? 0,
          url: `${api}/git/blobs/${entry.sha}`,
        });
      }
    }
  };
  walk(sha, '');
  return { sha, url: `${api}/git/trees/${sha}`, tree, truncated: false };
}

function identityField(
  body: unknown,
  key: string,
  fallback: ReturnType<typeof identityAt>,
): ReturnType<typeof identityAt> {
  const value = field(body, key);
  if (!isRecord(value)) return fallback;
  const name = typeof value.name === 'string' ? value.name : undefined;
  const email = typeof value.email === 'string' ? value.email : undefined;
  if (name === undefined || email === undefined)
    throw unprocessable(`${key} must have a name and an email`);
  const date = typeof value.date === 'string' ? value.date : undefined;
  try {
    return identityAt(name, email, date ?? new Date(fallback.time * 1000));
  } catch {
    throw unprocessable(`${key}.date is not a valid date`);
  }
}

function asGitError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GitError) throw unprocessable(error.message);
    throw error;
  }
}

export function gitRoutes(context: RestContext): RestRoute[] {
  const { state, urls } = context;

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/ref/*ref',
      handler: request => {
        const repo = repoOf(context, request);
        const ref = fullRef(request.params.ref ?? '');
        const sha = repo.git.ref(ref);
        if (!sha) throw notFound();
        return ok(gitRefJson(urls, repo, ref, sha));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/git/refs',
      handler: request => {
        const repo = repoOf(context, request);
        const ref = requiredString(request.body, 'ref', 'Reference');
        const sha = requiredString(request.body, 'sha', 'Reference');
        if (!/^refs\/[^/]+\/.+/.test(ref))
          throw unprocessable(`${ref} is not a valid ref name.`);
        asGitError(() => repo.git.checkRef(ref));
        if (repo.git.ref(ref)) throw unprocessable('Reference already exists');
        if (!SHA_PATTERN.test(sha) || !repo.git.commit(sha))
          throw unprocessable('Object does not exist');
        repo.git.setRef(ref, sha);
        state.touch(repo);
        if (ref.startsWith('refs/heads/'))
          state.emit({
            kind: 'push',
            repo,
            ref,
            before: undefined,
            after: sha,
            forced: false,
          });
        const body = gitRefJson(urls, repo, ref, sha);
        return ok(body, { location: String(body.url) }, 201);
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/git/refs/*ref',
      handler: request => {
        const repo = repoOf(context, request);
        const ref = fullRef(request.params.ref ?? '');
        const current = repo.git.ref(ref);
        if (!current) throw unprocessable('Reference does not exist');
        const sha = requiredString(request.body, 'sha', 'Reference');
        if (!SHA_PATTERN.test(sha) || !repo.git.commit(sha))
          throw unprocessable('Object does not exist');
        const force = booleanField(request.body, 'force') ?? false;
        if (!force && sha !== current && !repo.git.isAncestor(current, sha))
          throw unprocessable('Update is not a fast forward');
        repo.git.setRef(ref, sha);
        state.touch(repo);
        if (ref.startsWith('refs/heads/') && sha !== current)
          state.emit({
            kind: 'push',
            repo,
            ref,
            before: current,
            after: sha,
            forced: force && !repo.git.isAncestor(current, sha),
          });
        return ok(gitRefJson(urls, repo, ref, sha));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/commits/:commit_sha',
      handler: request => {
        const repo = repoOf(context, request);
        const sha = request.params.commit_sha ?? '';
        const commit = repo.git.commit(sha);
        if (!commit) throw notFound();
        return ok(gitCommitJson(urls, repo, sha, commit));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/git/commits',
      handler: request => {
        const repo = repoOf(context, request);
        const message = requiredString(request.body, 'message', 'Commit');
        const tree = requiredString(request.body, 'tree', 'Commit');
        if (!repo.git.tree(tree))
          throw unprocessable('Tree SHA does not exist');
        const parentsValue = field(request.body, 'parents');
        const parents = Array.isArray(parentsValue)
          ? parentsValue.filter(
              (item): item is string => typeof item === 'string',
            )
          : [];
        for (const parent of parents) {
          if (!repo.git.commit(parent))
            throw unprocessable(
              'Parent SHA does not exist or is not a commit object',
            );
        }
        const me = state.identity(request.identity);
        const author = identityField(request.body, 'author', me);
        const committer = identityField(
          request.body,
          'committer',
          field(request.body, 'author') === undefined ? me : author,
        );
        const sha = asGitError(() =>
          repo.git.writeCommit({ tree, parents, author, committer, message }),
        );
        const body = gitCommitJson(urls, repo, sha, {
          tree,
          parents,
          author,
          committer,
          message,
        });
        return ok(body, { location: String(body.url) }, 201);
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/trees/*tree_sha',
      handler: request => {
        const repo = repoOf(context, request);
        const wanted = request.params.tree_sha ?? '';
        let sha =
          SHA_PATTERN.test(wanted) && repo.git.tree(wanted)
            ? wanted
            : undefined;
        if (!sha) {
          const commit = repo.git.resolve(wanted);
          sha = commit ? repo.git.commit(commit)?.tree : undefined;
        }
        if (!sha) throw notFound();
        return ok(treeJson(context, repo, sha, request.query.has('recursive')));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/git/trees',
      handler: request => {
        const repo = repoOf(context, request);
        const baseTree = stringField(request.body, 'base_tree');
        if (baseTree !== undefined && !repo.git.tree(baseTree))
          throw unprocessable('base_tree is not a valid tree oid');
        const entries = field(request.body, 'tree');
        if (!Array.isArray(entries)) throw unprocessable('Invalid tree info');
        const changes: TreeChange[] = entries.map((entry, index) => {
          if (!isRecord(entry) || typeof entry.path !== 'string')
            throw unprocessable(`tree[${index}]: path is required`);
          const mode: FileMode = isFileMode(entry.mode) ? entry.mode : '100644';
          const type =
            entry.type === 'tree' || entry.type === 'commit'
              ? entry.type
              : 'blob';
          const change: TreeChange = { path: entry.path, mode, type };
          if ('sha' in entry) {
            if (entry.sha !== null && typeof entry.sha !== 'string')
              throw unprocessable(
                `tree[${index}].sha must be a string or null`,
              );
            change.sha = entry.sha;
          }
          if (typeof entry.content === 'string') change.content = entry.content;
          return change;
        });
        const sha = asGitError(() =>
          repo.git.applyTreeChanges(baseTree, changes),
        );
        const body = treeJson(context, repo, sha, false);
        return ok(body, { location: String(body.url) }, 201);
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/git/blobs',
      handler: request => {
        const repo = repoOf(context, request);
        const content = requiredString(request.body, 'content', 'Blob');
        const encoding = stringField(request.body, 'encoding') ?? 'utf-8';
        let data: Buffer;
        if (encoding === 'base64') {
          if (!/^[A-Za-z0-9+/=\s]*$/.test(content))
            throw unprocessable('content is not valid Base64');
          data = Buffer.from(content, 'base64');
        } else if (encoding === 'utf-8' || encoding === 'utf8')
          data = Buffer.from(content, 'utf8');
        else
          throw new ApiError(
            422,
            `encoding must be utf-8 or base64, not ${encoding}`,
          );
        const sha = repo.git.writeBlob(data);
        const url = `${repoUrls(urls, repo).api}/git/blobs/${sha}`;
        return ok({ url, sha }, { location: url }, 201);
      },
    },
  ];
}
