/**
 * GraphQL answers: graphql-js validates and executes queries against the part of GitHub's schema
 * the product queries (from @octokit/graphql-schema by scripts/generate-graphql-subset.mjs, fields
 * listed in served.json), so an unknown field, argument or type or a mistyped variable is an error
 * before anything runs, as on GitHub.
 *
 * Resolvers are plain objects: graphql-js's default field resolver reads `object[field]`, and
 * when that is a function calls it with the field's (already validated and coerced) arguments.
 * `__typename` picks the concrete type behind the `GitObject` interface.
 */
import { buildSchema, GraphQLError, graphqlSync } from 'graphql';
import { isBinary, type Urls } from '../rest/shapes';
import { nodeId, type RepoRecord, type StandinState } from '../state';
import { GITHUB_SUBSET_SDL } from './github-subset';

const schema = buildSchema(GITHUB_SUBSET_SDL);

/** A GraphQL object as the resolvers build it: field name → value, or function of the field's arguments. */
type Resolved = Record<string, unknown>;

/** Optional arguments: absent or null. */
type Optional<T> = { [K in keyof T]?: T[K] | null };

/**
 * Runs a query; a query that does not validate is answered with errors and no data, as GitHub
 * does. GitHub's errors are graphql-js's, typed ones (`NOT_FOUND`) with their `type`.
 */
export function executeGraphql(
  source: string,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  rootValue: ReturnType<typeof graphqlRoot>,
) {
  const { data, errors } = graphqlSync({
    schema,
    source,
    rootValue,
    variableValues: variables,
    operationName,
  });
  const githubError = (error: GraphQLError) => {
    const { extensions, ...json } = error.toJSON();
    return { ...extensions, ...json };
  };
  // undefined fields stay out of the JSON answer
  return { data, errors: errors?.map(githubError) };
}

/** The first `first` items as a connection's `nodes` and `edges`. */
function connection(items: Resolved[], first?: number | null): Resolved {
  const nodes = items.slice(0, first ?? undefined);
  return { nodes, edges: nodes.map(node => ({ node })) };
}

/** The root value: `Query`'s fields. */
export function graphqlRoot(state: StandinState, urls: Urls) {
  /** A commit, tree or blob; null when the repository has no such object. */
  const gitObject = (repo: RepoRecord, sha: string): Resolved | null => {
    const object = repo.git.object(sha);
    const commit = repo.git.commit(sha);
    if (commit)
      return {
        __typename: 'Commit',
        oid: sha,
        message: commit.message,
        tree: { __typename: 'Tree', oid: commit.tree },
        parents: ({ first }: { first?: number | null }) =>
          connection(
            commit.parents.flatMap<Resolved>(
              parent => gitObject(repo, parent) ?? [],
            ),
            first,
          ),
      };
    if (object?.type === 'tree') return { __typename: 'Tree', oid: sha };
    if (object?.type !== 'blob') return null;
    return {
      __typename: 'Blob',
      oid: sha,
      byteSize: object.data.length,
      text: isBinary(object.data) ? null : object.data.toString('utf8'),
    };
  };

  const repository = (repo: RepoRecord): Resolved => ({
    /** A branch (`refs/heads/x` or `x`), or null when it does not exist. */
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      const branch = qualifiedName.replace(/^refs\/heads\//, '');
      const sha = repo.git.branch(branch);
      if (sha === undefined) return null;
      return {
        target: () => gitObject(repo, sha),
        associatedPullRequests: (
          args: Optional<{ states: string[]; first: number }>,
        ) => {
          // a fork's pull request from a branch of the same name is not this branch's
          const pulls = repo.pulls.filter(
            pull =>
              pull.head.ref === branch &&
              pull.head.repo === repo &&
              (!args.states?.length ||
                // OPEN, CLOSED or MERGED
                args.states.includes(
                  pull.merged_at ? 'MERGED' : pull.state.toUpperCase(),
                )),
          );
          const nodes = pulls.map(pull => ({
            id: nodeId('PullRequest', pull.id),
            number: pull.number,
            url: `${urls.web}/${repo.owner}/${repo.name}/pull/${pull.number}`,
            baseRefName: pull.base.ref,
          }));
          return connection(nodes, args.first);
        },
      };
    },
    /** By `oid`, or by `expression`: `REF:PATH` is the object at PATH in REF's commit, `REF` alone the commit. */
    object: ({
      oid,
      expression,
    }: Optional<{ oid: string; expression: string }>) => {
      if (typeof oid === 'string') return gitObject(repo, oid);
      if (typeof expression !== 'string') return null;
      const [refName = '', path] = expression.split(':', 2);
      const sha = repo.git.resolve(refName || repo.git.defaultBranch);
      const tree = sha && repo.git.commit(sha)?.tree;
      if (!sha || !tree) return null;
      const entry = path === undefined ? { sha } : repo.git.entryAt(tree, path);
      return entry ? gitObject(repo, entry.sha) : null;
    },
  });

  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = state.repo(owner, name);
      if (!repo)
        throw new GraphQLError(
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          { extensions: { type: 'NOT_FOUND' } },
        );
      return repository(repo);
    },
  };
}
