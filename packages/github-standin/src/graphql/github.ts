/**
 * GraphQL answers: graphql-js parses, validates and executes queries against `schema.ts` (the part
 * of GitHub's schema the product queries, generated); this file holds the resolvers.
 *
 * Resolvers are plain objects: graphql-js's default field resolver reads `object[field]`, and
 * when that is a function calls it with the field's (already validated and coerced) arguments.
 * `__typename` picks the concrete type behind the `GitObject` interface.
 */
import { graphqlSync, type GraphQLError } from 'graphql';
import { isBinary, type Urls } from '../rest/shapes';
import {
  nodeId,
  type PullRecord,
  type RepoRecord,
  type StandinState,
} from '../state';
import { schema } from './schema';

/** A GraphQL object as the resolvers build it: field name → value, or function of the field's arguments. */
type Resolved = Record<string, unknown>;

/** GitHub's error shape: typed errors (`NOT_FOUND`) carry `type`. */
export interface GraphqlError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
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

function githubError(error: GraphQLError): GraphqlError {
  return {
    ...(error.originalError instanceof FieldError
      ? { type: error.originalError.type }
      : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
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

/** The first `first` items as a connection's `nodes` and `edges`. */
function connection(items: Resolved[], first?: number | null): Resolved {
  const nodes = items.slice(0, first ?? undefined);
  return { nodes, edges: nodes.map(node => ({ node })) };
}

/** The root value: `Query`'s fields. */
export function graphqlRoot(state: StandinState, urls: Urls) {
  const gitObject = (repo: RepoRecord, sha: string): Resolved | null => {
    const object = repo.git.object(sha);
    if (object?.type === 'commit') return commit(repo, sha);
    if (object?.type === 'tree') return { __typename: 'Tree', oid: sha };
    if (object?.type !== 'blob') return null;
    return {
      __typename: 'Blob',
      oid: sha,
      byteSize: object.data.length,
      text: isBinary(object.data) ? null : object.data.toString('utf8'),
    };
  };

  const commit = (repo: RepoRecord, sha: string): Resolved | null => {
    const data = repo.git.commit(sha);
    if (!data) return null;
    return {
      __typename: 'Commit',
      oid: sha,
      message: data.message,
      tree: { __typename: 'Tree', oid: data.tree },
      parents: ({ first }: { first?: number | null }) =>
        connection(
          data.parents.flatMap<Resolved>(parent => commit(repo, parent) ?? []),
          first,
        ),
    };
  };

  const pullRequest = (repo: RepoRecord, pull: PullRecord): Resolved => ({
    id: nodeId('PullRequest', pull.id),
    number: pull.number,
    url: `${urls.web}/${repo.owner}/${repo.name}/pull/${pull.number}`,
    baseRefName: pull.base.ref,
  });

  const repository = (repo: RepoRecord): Resolved => ({
    /** A branch (`refs/heads/x` or `x`), or null when it does not exist. */
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      const branch = qualifiedName.replace(/^refs\/heads\//, '');
      const sha = repo.git.branch(branch);
      if (sha === undefined) return null;
      return {
        target: () => commit(repo, sha),
        associatedPullRequests: (args: {
          states?: string[] | null;
          first?: number | null;
        }) =>
          connection(
            // a fork's pull request from a branch of the same name is not this branch's
            repo.pulls
              .filter(
                pull =>
                  pull.head.ref === branch &&
                  pull.head.repo === repo &&
                  (!args.states?.length ||
                    args.states.includes(
                      pull.merged
                        ? 'MERGED'
                        : pull.state === 'open'
                          ? 'OPEN'
                          : 'CLOSED',
                    )),
              )
              .map(pull => pullRequest(repo, pull)),
            args.first,
          ),
      };
    },
    /** By `oid`, or by `expression`: `REF:PATH` is the object at PATH in REF's commit, `REF` alone the commit. */
    object: ({
      oid,
      expression,
    }: {
      oid?: string | null;
      expression?: string | null;
    }) => {
      if (typeof oid === 'string') return gitObject(repo, oid);
      if (typeof expression !== 'string') return null;
      const [refName = '', path] = expression.split(':', 2);
      const sha = repo.git.resolve(refName || repo.git.defaultBranch);
      if (!sha) return null;
      if (path === undefined) return commit(repo, sha);
      const tree = repo.git.commit(sha)?.tree;
      const entry = tree ? repo.git.entryAt(tree, path) : undefined;
      return entry ? gitObject(repo, entry.sha) : null;
    },
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
  };
}
