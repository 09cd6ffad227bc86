import { executeGraphql, type GqlObject } from './execute';
import { connection } from './github';

const root: GqlObject = {
  __typename: 'Query',
  fields: {
    greeting: (args) => `hello ${String(args.name ?? 'world')}`,
    thing: () => ({ __typename: 'Widget', implements: ['Node'], fields: { id: () => 'W1', size: () => 3 } }),
  },
};

test('aliases, variables, fragments and inline fragments resolve', () => {
  const result = executeGraphql(
    `query Q($who: String!) { hi: greeting(name: $who) plain: greeting thing { ...Parts ... on Node { id } } }
     fragment Parts on Widget { size __typename }`,
    { who: 'octocat' },
    undefined,
    { query: root },
  );
  expect(result).toEqual({ data: { hi: 'hello octocat', plain: 'hello world', thing: { size: 3, __typename: 'Widget', id: 'W1' } } });
});

test('@skip and @include decide whether a field is resolved', () => {
  const result = executeGraphql('query ($no: Boolean!) { a: greeting @skip(if: true) b: greeting @include(if: $no) c: greeting }', { no: false }, undefined, { query: root });
  expect(result).toEqual({ data: { c: 'hello world' } });
});

test('a syntax error names the line and column', () => {
  const result = executeGraphql('{\n  greeting(name: )\n}', {}, undefined, { query: root });
  expect(result).toEqual({ errors: [{ message: 'Parse error on ")" (expected a value)', locations: [{ line: 2, column: 18 }] }] });
});

test('a missing non-null variable is an error before anything runs', () => {
  const result = executeGraphql('query ($who: String!) { greeting(name: $who) }', {}, undefined, { query: root });
  expect(result.data).toBeUndefined();
  expect(result.errors?.[0]?.message).toBe('Variable $who of type String! was provided invalid value');
});

test('a connection pages with first and after, and reports when there is more', () => {
  const items = ['a', 'b', 'c'].map((name): GqlObject => ({ __typename: 'Item', fields: { name: () => name } }));
  const result = executeGraphql('{ page: repository { pullRequests(first: 2, after: "Y3Vyc29yOjA=") { nodes { name } pageInfo { hasNextPage } totalCount } } }', {}, undefined, {
    query: { __typename: 'Query', fields: { repository: () => ({ __typename: 'Repository', fields: { pullRequests: (args: Record<string, unknown>) => connection('Item', items, args) } }) } },
  });
  expect(result).toEqual({ data: { page: { pullRequests: { nodes: [{ name: 'b' }, { name: 'c' }], pageInfo: { hasNextPage: false }, totalCount: 3 } } } });
});
