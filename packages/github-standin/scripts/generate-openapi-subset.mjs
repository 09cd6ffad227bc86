#!/usr/bin/env node
/**
 * Writes src/openapi/github-subset.json: the operations the stand-in implements, taken from the
 * official GitHub OpenAPI description (the @octokit/openapi package, api.github.com, not
 * dereferenced), plus every component they reference, transitively. Nothing else is copied.
 *
 * Kept verbatim: paths, parameters, request bodies, responses and schemas (including OpenAPI 3.0
 * `nullable`, which the validator translates when it loads the file). Dropped, to keep the file
 * small: `examples`/`example` (documentation only), descriptions, and `x-github*` metadata.
 *
 *   node packages/github-standin/scripts/generate-openapi-subset.mjs [--check]
 *
 * --check exits 1 when the committed file differs from what would be generated.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const OUT = join(here, '..', 'src', 'openapi', 'github-subset.json');

/** `method path` of every REST operation the stand-in serves (src/rest/routes.ts names the same keys). */
export const OPERATIONS = [
  'get /app/installations',
  'post /app/installations/{installation_id}/access_tokens',
  'get /user',
  'get /repos/{owner}/{repo}',
  'get /repos/{owner}/{repo}/branches',
  'get /repos/{owner}/{repo}/branches/{branch}',
  'get /repos/{owner}/{repo}/commits',
  'get /repos/{owner}/{repo}/commits/{ref}',
  'get /repos/{owner}/{repo}/commits/{ref}/status',
  'get /repos/{owner}/{repo}/contents/{path}',
  'get /repos/{owner}/{repo}/tarball/{ref}',
  'get /repos/{owner}/{repo}/git/ref/{ref}',
  'get /repos/{owner}/{repo}/git/matching-refs/{ref}',
  'post /repos/{owner}/{repo}/git/refs',
  'patch /repos/{owner}/{repo}/git/refs/{ref}',
  'delete /repos/{owner}/{repo}/git/refs/{ref}',
  'get /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'post /repos/{owner}/{repo}/git/commits',
  'get /repos/{owner}/{repo}/git/trees/{tree_sha}',
  'post /repos/{owner}/{repo}/git/trees',
  'get /repos/{owner}/{repo}/git/blobs/{file_sha}',
  'post /repos/{owner}/{repo}/git/blobs',
  'get /repos/{owner}/{repo}/pulls',
  'post /repos/{owner}/{repo}/pulls',
  'get /repos/{owner}/{repo}/pulls/{pull_number}',
  'patch /repos/{owner}/{repo}/pulls/{pull_number}',
  'put /repos/{owner}/{repo}/pulls/{pull_number}/merge',
  'get /repos/{owner}/{repo}/pulls/{pull_number}/files',
  'post /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'post /repos/{owner}/{repo}/issues/{issue_number}/labels',
];

const DROPPED_KEYS = new Set(['examples', 'example', 'description', 'externalDocs', 'tags']);

/** A deep copy without documentation-only keys. Schema *properties* named like them are kept. */
function strip(value, inProperties = false) {
  if (Array.isArray(value)) return value.map((item) => strip(item));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, child] of Object.entries(value)) {
    if (!inProperties && (DROPPED_KEYS.has(key) || key.startsWith('x-github'))) continue;
    out[key] = strip(child, key === 'properties' && !inProperties);
  }
  return out;
}

function collectRefs(value, found) {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else collectRefs(child, found);
    }
  }
}

export function generate(spec) {
  const paths = {};
  for (const key of OPERATIONS) {
    const [method, path] = key.split(' ');
    const operation = spec.paths[path]?.[method];
    if (!operation) throw new Error(`the GitHub OpenAPI description has no operation ${key}`);
    paths[path] ??= {};
    paths[path][method] = strip(operation);
  }

  const components = {};
  const pending = new Set();
  collectRefs(paths, pending);
  const seen = new Set();
  while (pending.size > 0) {
    const [ref] = pending;
    pending.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!match) throw new Error(`unsupported $ref ${ref}`);
    const [, kind, name] = match;
    const target = spec.components[kind]?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    const copy = strip(target);
    components[kind] ??= {};
    components[kind][name] = copy;
    collectRefs(copy, pending);
  }
  for (const kind of Object.keys(components)) {
    components[kind] = Object.fromEntries(Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)));
  }

  const pkg = require('@octokit/openapi/package.json');
  return {
    openapi: spec.openapi,
    info: {
      title: `${spec.info.title} (subset)`,
      version: spec.info.version,
      description: `Generated by scripts/generate-openapi-subset.mjs from ${pkg.name}@${pkg.version} generated/api.github.com.json: ${OPERATIONS.length} operations and the ${seen.size} components they reference. Do not edit.`,
    },
    paths,
    components,
  };
}

function main() {
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
  const text = `${JSON.stringify(generate(spec), null, 1)}\n`;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      // missing counts as different
    }
    if (current !== text) {
      console.error(`${OUT} is out of date: run node ${join('scripts', 'generate-openapi-subset.mjs')}`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT} (${(text.length / 1024).toFixed(0)} KiB)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
