/**
 * The part of GitHub's GraphQL schema the stand-in answers: repository, refs with their
 * associated pull requests (octokit-plugin-create-pull-request asks for these), commits with
 * history, trees and blobs, pull requests, the viewer and the rate limit.
 */
import { isoSeconds } from '../git/objects';
import type { Identity, PullRecord, RepoRecord, StandinState } from '../state';
import { nodeId, stableId } from '../state';
import type { Urls } from '../rest/shapes';
import { FieldError, type GqlObject } from './execute';

interface Connection {
  first?: unknown;
  last?: unknown;
  after?: unknown;
}

export function connection(typename: string, items: GqlObject[], args: Connection): GqlObject {
  let start = 0;
  if (typeof args.after === 'string') {
    const index = Number(Buffer.from(args.after, 'base64').toString('utf8').replace(/^cursor:/, ''));
    if (Number.isInteger(index)) start = index + 1;
  }
  let end = items.length;
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(0, args.first));
  const offset = typeof args.last === 'number' ? Math.max(start, end - Math.max(0, args.last)) : start;
  const slice = items.slice(offset, end);
  const cursor = (i: number): string => Buffer.from(`cursor:${offset + i}`).toString('base64');
  return {
    __typename: `${typename}Connection`,
    fields: {
      totalCount: () => items.length,
      nodes: () => slice,
      edges: () => slice.map((node, i) => ({ __typename: `${typename}Edge`, fields: { node: () => node, cursor: () => cursor(i) } })),
      pageInfo: () => ({
        __typename: 'PageInfo',
        fields: {
          hasNextPage: () => offset + slice.length < items.length,
          hasPreviousPage: () => offset > 0,
          startCursor: () => (slice.length > 0 ? cursor(0) : null),
          endCursor: () => (slice.length > 0 ? cursor(slice.length - 1) : null),
        },
      }),
    },
  };
}

function stateFilter(states: unknown): (pull: PullRecord) => boolean {
  if (!Array.isArray(states) || states.length === 0) return () => true;
  return (pull) => states.includes(pull.merged ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED');
}

export function graphqlRoot(state: StandinState, urls: Urls, viewer: Identity): GqlObject {
  const user = (who: Identity): GqlObject => ({
    __typename: who.type === 'Bot' ? 'Bot' : 'User',
    implements: ['Actor', 'Node', 'RepositoryOwner'],
    fields: {
      login: () => who.login,
      id: () => nodeId(who.type, stableId('user', who.login)),
      databaseId: () => stableId('user', who.login),
      url: () => `${urls.web}/${who.login}`,
      name: () => who.login,
    },
  });

  const blobOrTree = (repo: RepoRecord, sha: string, path: string): GqlObject | null => {
    const object = repo.git.get(sha);
    if (!object) return null;
    if (object.type === 'blob') {
      const binary = object.content.subarray(0, 8000).includes(0);
      return {
        __typename: 'Blob',
        implements: ['GitObject', 'Node'],
        fields: {
          oid: () => sha,
          abbreviatedOid: () => sha.slice(0, 7),
          byteSize: () => object.content.length,
          isBinary: () => binary,
          isTruncated: () => false,
          text: () => (binary ? null : object.content.toString('utf8')),
        },
      };
    }
    if (object.type === 'tree') return tree(repo, sha, path);
    return commit(repo, sha);
  };

  const tree = (repo: RepoRecord, sha: string, path = ''): GqlObject => ({
    __typename: 'Tree',
    implements: ['GitObject', 'Node'],
    fields: {
      oid: () => sha,
      abbreviatedOid: () => sha.slice(0, 7),
      entries: () =>
        (repo.git.tree(sha) ?? []).map((entry) => {
          const entryPath = path === '' ? entry.name : `${path}/${entry.name}`;
          return {
            __typename: 'TreeEntry',
            fields: {
              name: () => entry.name,
              path: () => entryPath,
              oid: () => entry.sha,
              mode: () => parseInt(entry.mode, 8),
              type: () => (entry.mode === '040000' ? 'tree' : entry.mode === '160000' ? 'commit' : 'blob'),
              object: () => blobOrTree(repo, entry.sha, entryPath),
            },
          };
        }),
    },
  });

  const commit = (repo: RepoRecord, sha: string): GqlObject | null => {
    const data = repo.git.commit(sha);
    if (!data) return null;
    return {
      __typename: 'Commit',
      implements: ['GitObject', 'Node'],
      fields: {
        id: () => nodeId('Commit', stableId('commit', sha)),
        oid: () => sha,
        abbreviatedOid: () => sha.slice(0, 7),
        message: () => data.message,
        messageHeadline: () => data.message.split('\n')[0] ?? '',
        committedDate: () => isoSeconds(data.committer.time),
        authoredDate: () => isoSeconds(data.author.time),
        url: () => `${urls.web}/${repo.owner}/${repo.name}/commit/${sha}`,
        tree: () => tree(repo, data.tree),
        history: (args) => connection('Commit', repo.git.history(sha).flatMap((each) => commit(repo, each) ?? []), args),
        parents: (args) => connection('Commit', data.parents.flatMap((each) => commit(repo, each) ?? []), args),
      },
    };
  };

  const pullRequest = (repo: RepoRecord, pull: PullRecord): GqlObject => ({
    __typename: 'PullRequest',
    implements: ['Node'],
    fields: {
      id: () => nodeId('PullRequest', pull.id),
      databaseId: () => pull.id,
      number: () => pull.number,
      url: () => `${urls.web}/${repo.owner}/${repo.name}/pull/${pull.number}`,
      title: () => pull.title,
      body: () => pull.body ?? '',
      state: () => (pull.merged ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED'),
      closed: () => pull.state === 'closed',
      merged: () => pull.merged,
      mergedAt: () => pull.mergedAt,
      isDraft: () => pull.draft,
      createdAt: () => pull.createdAt,
      updatedAt: () => pull.updatedAt,
      headRefName: () => pull.head.ref,
      baseRefName: () => pull.base.ref,
      headRefOid: () => state.pullHeadSha(repo, pull),
      baseRefOid: () => state.pullBaseSha(repo, pull),
      headRef: () => (repo.git.branch(pull.head.ref) ? ref(repo, pull.head.ref) : null),
      baseRef: () => (repo.git.branch(pull.base.ref) ? ref(repo, pull.base.ref) : null),
      author: () => user(pull.user),
      mergeable: () => (pull.state !== 'open' ? 'UNKNOWN' : repo.git.threeWayMerge(state.pullBaseSha(repo, pull), state.pullHeadSha(repo, pull)).ok ? 'MERGEABLE' : 'CONFLICTING'),
      labels: (args) => connection('Label', pull.labels.map((name) => ({ __typename: 'Label', fields: { name: () => name, color: () => 'ededed' } })), args),
      repository: () => repository(repo),
    },
  });

  const ref = (repo: RepoRecord, branch: string): GqlObject => ({
    __typename: 'Ref',
    implements: ['Node'],
    fields: {
      id: () => nodeId('Ref', stableId('ref', `${repo.owner}/${repo.name}/refs/heads/${branch}`)),
      name: () => branch,
      prefix: () => 'refs/heads/',
      target: () => commit(repo, repo.git.branch(branch) ?? ''),
      repository: () => repository(repo),
      associatedPullRequests: (args) =>
        connection(
          'PullRequest',
          repo.pulls.filter((pull) => pull.head.ref === branch && stateFilter(args.states)(pull)).map((pull) => pullRequest(repo, pull)),
          args,
        ),
    },
  });

  const repository = (repo: RepoRecord): GqlObject => ({
    __typename: 'Repository',
    implements: ['Node', 'RepositoryInfo'],
    fields: {
      id: () => nodeId('Repository', repo.id),
      databaseId: () => repo.id,
      name: () => repo.name,
      nameWithOwner: () => `${repo.owner}/${repo.name}`,
      url: () => `${urls.web}/${repo.owner}/${repo.name}`,
      isPrivate: () => repo.private,
      description: () => repo.description,
      owner: () => user({ login: repo.owner, type: 'User' }),
      defaultBranchRef: () => (repo.git.branch(repo.git.defaultBranch) ? ref(repo, repo.git.defaultBranch) : null),
      ref: (args) => {
        const name = typeof args.qualifiedName === 'string' ? args.qualifiedName.replace(/^refs\/heads\//, '') : '';
        return repo.git.branch(name) ? ref(repo, name) : null;
      },
      object: (args) => {
        if (typeof args.oid === 'string') return blobOrTree(repo, args.oid, '');
        if (typeof args.expression !== 'string') return null;
        const [refName = '', path] = args.expression.split(':', 2) as [string, string | undefined];
        const sha = repo.git.resolve(refName === '' ? repo.git.defaultBranch : refName);
        if (!sha) return null;
        if (path === undefined) return commit(repo, sha);
        const tip = repo.git.commit(sha);
        const entry = tip ? repo.git.entryAt(tip.tree, path) : undefined;
        return entry ? blobOrTree(repo, entry.sha, path.replace(/^\/+|\/+$/g, '')) : null;
      },
      pullRequest: (args) => {
        const pull = repo.pulls.find((candidate) => candidate.number === args.number);
        if (!pull) throw new FieldError(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`, 'NOT_FOUND');
        return pullRequest(repo, pull);
      },
      pullRequests: (args) =>
        connection(
          'PullRequest',
          repo.pulls
            .filter(stateFilter(args.states))
            .filter((pull) => typeof args.headRefName !== 'string' || pull.head.ref === args.headRefName)
            .filter((pull) => typeof args.baseRefName !== 'string' || pull.base.ref === args.baseRefName)
            .map((pull) => pullRequest(repo, pull)),
          args,
        ),
    },
  });

  return {
    __typename: 'Query',
    fields: {
      repository: (args) => {
        const owner = typeof args.owner === 'string' ? args.owner : '';
        const name = typeof args.name === 'string' ? args.name : '';
        const repo = state.repo(owner, name);
        if (!repo) throw new FieldError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
        return repository(repo);
      },
      viewer: () => user(viewer),
      rateLimit: () => ({
        __typename: 'RateLimit',
        fields: { limit: () => 5000, cost: () => 1, remaining: () => 4999, used: () => 1, resetAt: () => isoSeconds(new Date(state.now().getTime() + 3600_000)) },
      }),
    },
  };
}
