/**
 * The part of GitHub's GraphQL schema (https://docs.github.com/graphql) the stand-in serves, with
 * GitHub's names, types and nullability, so that graphql-js validates a query the way GitHub
 * does: an unknown field, argument, type or a mistyped variable is an error before anything runs.
 */
import { buildSchema } from 'graphql';

/** Every GitHub connection has this shape; only the node type differs. */
const connection = (node: string, name = `${node}Connection`): string => `
  type ${name} { totalCount: Int! nodes: [${node}] edges: [${node}Edge] pageInfo: PageInfo! }`;
const edge = (node: string): string => `
  type ${node}Edge { cursor: String! node: ${node} }`;
const PAGE = 'first: Int, last: Int, after: String, before: String';

export const schema = buildSchema(/* GraphQL */ `
  scalar DateTime
  scalar GitObjectID
  scalar GitTimestamp
  scalar URI

  type Query {
    repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
    viewer: User!
    rateLimit(dryRun: Boolean = false): RateLimit
  }

  interface Node { id: ID! }
  interface Actor { login: String! url: URI! }
  interface RepositoryOwner { id: ID! login: String! url: URI! }
  interface RepositoryInfo { name: String! nameWithOwner: String! url: URI! isPrivate: Boolean! description: String owner: RepositoryOwner! }
  interface GitObject { id: ID! oid: GitObjectID! abbreviatedOid: String! }

  type User implements Actor & Node & RepositoryOwner { id: ID! databaseId: Int login: String! name: String url: URI! }
  type Bot implements Actor & Node { id: ID! databaseId: Int login: String! url: URI! }
  type RateLimit { limit: Int! cost: Int! remaining: Int! used: Int! resetAt: DateTime! }

  type Repository implements Node & RepositoryInfo {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    url: URI!
    isPrivate: Boolean!
    description: String
    owner: RepositoryOwner!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
    "A commit, tree or blob by its oid, or by a git revision expression such as \`main:path/to/file\`."
    object(oid: GitObjectID, expression: String): GitObject
    pullRequest(number: Int!): PullRequest
    pullRequests(states: [PullRequestState!], headRefName: String, baseRefName: String, ${PAGE}): PullRequestConnection!
  }

  type Ref implements Node {
    id: ID!
    name: String!
    prefix: String!
    target: GitObject
    repository: Repository!
    "Pull requests whose head is this branch."
    associatedPullRequests(states: [PullRequestState!], ${PAGE}): PullRequestConnection!
  }

  type Commit implements GitObject & Node {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    message: String!
    messageHeadline: String!
    committedDate: GitTimestamp!
    authoredDate: GitTimestamp!
    url: URI!
    tree: Tree!
    parents(${PAGE}): CommitConnection!
    history(${PAGE}): CommitHistoryConnection!
  }
  type Tree implements GitObject & Node { id: ID! oid: GitObjectID! abbreviatedOid: String! entries: [TreeEntry!] }
  type TreeEntry { name: String! path: String oid: GitObjectID! mode: Int! type: String! object: GitObject }
  type Blob implements GitObject & Node {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    "null for binary content"
    text: String
  }

  enum PullRequestState { OPEN CLOSED MERGED }
  enum MergeableState { MERGEABLE CONFLICTING UNKNOWN }
  type PullRequest implements Node {
    id: ID!
    databaseId: Int
    number: Int!
    url: URI!
    title: String!
    body: String!
    state: PullRequestState!
    closed: Boolean!
    merged: Boolean!
    mergedAt: DateTime
    isDraft: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
    headRefName: String!
    baseRefName: String!
    headRefOid: GitObjectID!
    baseRefOid: GitObjectID!
    headRef: Ref
    baseRef: Ref
    author: Actor
    mergeable: MergeableState!
    labels(${PAGE}): LabelConnection
    repository: Repository!
  }
  type Label { name: String! color: String! }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  ${connection('PullRequest')} ${edge('PullRequest')}
  ${connection('Commit')} ${connection('Commit', 'CommitHistoryConnection')} ${edge('Commit')}
  ${connection('Label')} ${edge('Label')}
`);
