/**
 * GraphQL answers: graphql-js parses, validates and executes queries against `schema.ts` (GitHub's, generated); this
 * file holds the resolvers and shapes errors the way GitHub does.
 *
 * Resolvers are plain objects: graphql-js's default field resolver reads `object[field]`, and
 * when that is a function calls it with the field's (already validated and coerced) arguments.
 * `__typename` picks the concrete type behind an interface (`GitObject`, `Actor`).
 */
import { graphqlSync, type GraphQLError } from 'graphql';
import { isoSeconds } from '../git/repository';
import type { Identity, PullRecord, RepoRecord, StandinState } from '../state';
import { nodeId, stableId } from '../state';
import type { Urls } from '../rest/shapes';
import { schema } from './schema';

/** A GraphQL object as the resolvers build it: field name → value, or function of the field's arguments. */
export type Resolved = Record<string, unknown>;

/** GitHub's error shape: typed errors (`NOT_FOUND`) carry `type`, validation errors `extensions`. */
export interface GraphqlError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
  extensions?: Record<string, unknown>;
}

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
}

/** A resolver's way to report one of GitHub's typed errors for its field. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

/** graphql-js's validation messages that clients show to people, in GitHub's words. */
const GITHUB_MESSAGES: {
  pattern: RegExp;
  error: (match: string[]) => Omit<GraphqlError, 'locations'>;
}[] = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"/,
    error: ([, fieldName, typeName]) => ({
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: 'undefinedField', typeName, fieldName },
    }),
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/,
    error: ([, argumentName, name]) => ({
      message: `Field '${name}' doesn't accept argument '${argumentName}'`,
      extensions: {
        code: 'argumentNotAccepted',
        name,
        typeName: 'Field',
        argumentName,
      },
    }),
  },
];

function githubError(error: GraphQLError): GraphqlError {
  const locations = error.locations ? { locations: error.locations } : {};
  for (const { pattern, error: translate } of GITHUB_MESSAGES) {
    const match = pattern.exec(error.message);
    if (match) return { ...translate([...match]), ...locations };
  }
  const type =
    error.originalError instanceof FieldError
      ? { type: error.originalError.type }
      : {};
  return {
    ...type,
    ...(error.path ? { path: error.path } : {}),
    ...locations,
    message: error.message,
  };
}

/** Runs a query; a query that does not validate is answered with errors and no data, as GitHub does. */
export function executeGraphql(
  source: string,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  rootValue: ReturnType<typeof graphqlRoot>,
): GraphqlResult {
  const { data, errors } = graphqlSync({
    schema,
    source,
    rootValue,
    variableValues: variables,
    operationName,
  });
  return {
    ...(data === undefined ? {} : { data }),
    ...(errors ? { errors: errors.map(githubError) } : {}),
  };
}

interface Page {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A GitHub connection over `items`; cursors are base64 `cursor:INDEX`. */
function connection(items: Resolved[], args: Page): Resolved {
  const index = (cursor: string | null | undefined): number | undefined => {
    const value = cursor
      ? Number(
          Buffer.from(cursor, 'base64')
            .toString('utf8')
            .replace(/^cursor:/, ''),
        )
      : NaN;
    return Number.isInteger(value) ? value : undefined;
  };
  let start = (index(args.after) ?? -1) + 1;
  let end = Math.min(items.length, index(args.before) ?? items.length);
  if (typeof args.first === 'number')
    end = Math.min(end, start + Math.max(0, args.first));
  if (typeof args.last === 'number')
    start = Math.max(start, end - Math.max(0, args.last));
  const slice = items.slice(start, end);
  const cursor = (i: number): string =>
    Buffer.from(`cursor:${start + i}`).toString('base64');
  return {
    totalCount: items.length,
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: cursor(i) })),
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursor(0) : null,
      endCursor: slice.length > 0 ? cursor(slice.length - 1) : null,
    },
  };
}

const pullState = (pull: PullRecord): string =>
  pull.merged ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED';
const inStates = (states: string[] | null | undefined) => (pull: PullRecord) =>
  !states || states.length === 0 || states.includes(pullState(pull));

/** The root value: `Query`'s fields, for one request by `viewer`. */
export function graphqlRoot(state: StandinState, urls: Urls, viewer: Identity) {
  const user = (who: Identity): Resolved => ({
    __typename: who.type === 'Bot' ? 'Bot' : 'User',
    login: who.login,
    id: nodeId(who.type, stableId('user', who.login)),
    databaseId: stableId('user', who.login),
    url: `${urls.web}/${who.login}`,
    name: who.login,
  });

  const gitObject = (
    repo: RepoRecord,
    sha: string,
    path: string,
  ): Resolved | null => {
    const type = repo.git.typeOf(sha);
    if (type === 'tree') return tree(repo, sha, path);
    if (type === 'commit') return commit(repo, sha);
    const content = repo.git.blob(sha);
    if (!content) return null;
    const binary = content.subarray(0, 8000).includes(0);
    return {
      __typename: 'Blob',
      id: nodeId('Blob', stableId('blob', sha)),
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
      byteSize: content.length,
      isBinary: binary,
      isTruncated: false,
      text: () => (binary ? null : content.toString('utf8')),
    };
  };

  const tree = (repo: RepoRecord, sha: string, path = ''): Resolved => ({
    __typename: 'Tree',
    id: nodeId('Tree', stableId('tree', sha)),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    entries: () =>
      (repo.git.tree(sha) ?? []).map(entry => {
        const entryPath = path === '' ? entry.name : `${path}/${entry.name}`;
        return {
          name: entry.name,
          path: entryPath,
          oid: entry.sha,
          mode: parseInt(entry.mode, 8),
          type:
            entry.mode === '040000'
              ? 'tree'
              : entry.mode === '160000'
                ? 'commit'
                : 'blob',
          object: () => gitObject(repo, entry.sha, entryPath),
        };
      }),
  });

  const commit = (repo: RepoRecord, sha: string): Resolved | null => {
    const data = repo.git.commit(sha);
    if (!data) return null;
    const commits = (shas: string[]): Resolved[] =>
      shas.flatMap<Resolved>(each => commit(repo, each) ?? []);
    return {
      __typename: 'Commit',
      id: nodeId('Commit', stableId('commit', sha)),
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
      message: data.message,
      messageHeadline: data.message.split('\n')[0] ?? '',
      committedDate: isoSeconds(data.committer.time),
      authoredDate: isoSeconds(data.author.time),
      url: `${urls.web}/${repo.owner}/${repo.name}/commit/${sha}`,
      tree: () => tree(repo, data.tree),
      history: (args: Page) => connection(commits(repo.git.history(sha)), args),
      parents: (args: Page) => connection(commits(data.parents), args),
    };
  };

  const pullRequest = (repo: RepoRecord, pull: PullRecord): Resolved => ({
    id: nodeId('PullRequest', pull.id),
    databaseId: pull.id,
    number: pull.number,
    url: `${urls.web}/${repo.owner}/${repo.name}/pull/${pull.number}`,
    title: pull.title,
    body: pull.body ?? '',
    state: pullState(pull),
    closed: pull.state === 'closed',
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    isDraft: pull.draft,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    headRefName: pull.head.ref,
    baseRefName: pull.base.ref,
    headRefOid: () => state.pullHeadSha(repo, pull),
    baseRefOid: () => state.pullBaseSha(repo, pull),
    headRef: () => ref(repo, pull.head.ref),
    baseRef: () => ref(repo, pull.base.ref),
    author: () => user(pull.user),
    mergeable: () =>
      pull.state !== 'open'
        ? 'UNKNOWN'
        : repo.git.merge(
              state.pullBaseSha(repo, pull),
              state.pullHeadSha(repo, pull),
            ).ok
          ? 'MERGEABLE'
          : 'CONFLICTING',
    labels: (args: Page) =>
      connection(
        pull.labels.map(name => ({ name, color: 'ededed' })),
        args,
      ),
    repository: () => repository(repo),
  });

  /** A branch, or null when it does not exist. */
  const ref = (repo: RepoRecord, branch: string): Resolved | null => {
    const sha = repo.git.branch(branch);
    if (sha === undefined) return null;
    return {
      id: nodeId(
        'Ref',
        stableId('ref', `${repo.owner}/${repo.name}/refs/heads/${branch}`),
      ),
      name: branch,
      prefix: 'refs/heads/',
      target: () => commit(repo, sha),
      repository: () => repository(repo),
      associatedPullRequests: (args: Page & { states?: string[] | null }) =>
        connection(
          // a fork's pull request from a branch of the same name is not this branch's
          repo.pulls
            .filter(
              pull =>
                pull.head.ref === branch &&
                state.pullHeadRepo(repo, pull) === repo &&
                inStates(args.states)(pull),
            )
            .map(pull => pullRequest(repo, pull)),
          args,
        ),
    };
  };

  const repository = (repo: RepoRecord): Resolved => ({
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    url: `${urls.web}/${repo.owner}/${repo.name}`,
    isPrivate: repo.private,
    description: repo.description,
    owner: () => user({ login: repo.owner, type: 'User' }),
    defaultBranchRef: () => ref(repo, repo.git.defaultBranch),
    ref: ({ qualifiedName }: { qualifiedName: string }) =>
      ref(repo, qualifiedName.replace(/^refs\/heads\//, '')),
    object: ({
      oid,
      expression,
    }: {
      oid?: string | null;
      expression?: string | null;
    }) => {
      if (typeof oid === 'string') return gitObject(repo, oid, '');
      if (typeof expression !== 'string') return null;
      // `REF:PATH` is the blob or tree at PATH in REF's commit (an empty REF: the default branch); `REF` alone the commit
      const [refName = '', path] = expression.split(':', 2) as [
        string,
        string | undefined,
      ];
      const sha = repo.git.resolve(
        refName === '' ? repo.git.defaultBranch : refName,
      );
      if (!sha) return null;
      if (path === undefined) return commit(repo, sha);
      const tip = repo.git.commit(sha);
      const entry = tip ? repo.git.entryAt(tip.tree, path) : undefined;
      return entry
        ? gitObject(repo, entry.sha, path.replace(/^\/+|\/+$/g, ''))
        : null;
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = repo.pulls.find(candidate => candidate.number === number);
      if (!pull)
        throw new FieldError(
          `Could not resolve to a PullRequest with the number of ${number}.`,
          'NOT_FOUND',
        );
      return pullRequest(repo, pull);
    },
    pullRequests: (
      args: Page & {
        states?: string[] | null;
        headRefName?: string | null;
        baseRefName?: string | null;
      },
    ) =>
      connection(
        repo.pulls
          .filter(inStates(args.states))
          .filter(
            pull =>
              typeof args.headRefName !== 'string' ||
              pull.head.ref === args.headRefName,
          )
          .filter(
            pull =>
              typeof args.baseRefName !== 'string' ||
              pull.base.ref === args.baseRefName,
          )
          .map(pull => pullRequest(repo, pull)),
        args,
      ),
  });

  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = state.repo(owner, name);
      if (!repo)
        throw new FieldError(
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          'NOT_FOUND',
        );
      return repository(repo);
    },
    viewer: () => user(viewer),
    rateLimit: () => ({
      limit: 5000,
      cost: 1,
      remaining: 4999,
      used: 1,
      resetAt: isoSeconds(new Date(state.now().getTime() + 3600_000)),
    }),
  };
}
