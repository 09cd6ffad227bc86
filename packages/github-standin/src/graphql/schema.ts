/**
 * The part of GitHub's GraphQL schema (https://docs.github.com/graphql) the stand-in serves,
 * generated from @octokit/graphql-schema (scripts/generate-graphql-subset.mjs, fields listed in
 * served.json), so that graphql-js validates a query the way GitHub does: an unknown field,
 * argument, type or a mistyped variable is an error before anything runs.
 */
import { buildSchema } from 'graphql';
import { GITHUB_SUBSET_SDL } from './github-subset';

export const schema = buildSchema(GITHUB_SUBSET_SDL);
