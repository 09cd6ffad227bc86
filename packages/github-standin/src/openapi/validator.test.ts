/**
 * OpenAPI validation against GitHub's own description: the subset is complete and current, a
 * wrong response or request body fails loudly, and starting stays fast.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import { startGithubStandin } from '../index';
import { servedOperations } from '../rest/routes';
import {
  client,
  isRecord,
  standinForTests,
  statusOf,
  TOKEN,
} from '../testing/octokit';
import { OpenApiValidator, toJsonSchema } from './validator';

const owner = 'acme';
const repo = 'validated';

test('nullable: true becomes a null type, or an anyOf with null when there is no type', () => {
  const ajv = new Ajv({ strict: false });
  const withType = ajv.compile(
    toJsonSchema({ type: 'string', nullable: true, enum: ['a'] }) as object,
  );
  const withoutType = ajv.compile(
    toJsonSchema({
      nullable: true,
      allOf: [{ type: 'object', required: ['x'] }],
    }) as object,
  );
  const notNullable = ajv.compile(toJsonSchema({ type: 'string' }) as object);
  expect([withType(null), withType('a'), withType('b')]).toEqual([
    true,
    true,
    false,
  ]);
  expect([withoutType(null), withoutType({ x: 1 }), withoutType({})]).toEqual([
    true,
    true,
    false,
  ]);
  expect(notNullable(null)).toBe(false);
});

test('the subset holds exactly the operations the REST routes serve', () => {
  const validator = OpenApiValidator.fromFile();
  expect([...servedOperations()].sort()).toEqual(
    validator.operationKeys().sort(),
  );
});

test('the committed subset and examples are what the generator makes from @octokit/openapi', () => {
  const script = join(
    __dirname,
    '..',
    '..',
    'scripts',
    'generate-openapi-subset.mjs',
  );
  expect(() =>
    execFileSync(process.execPath, ['--import', 'tsx', script, '--check'], {
      stdio: 'pipe',
    }),
  ).not.toThrow();
});

test('a wrong response is answered 500 with the schema errors and recorded in the request log', async () => {
  const { standin, lines } = await standinForTests();
  try {
    standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    standin.faults.add({
      route: 'GET /repos/:owner/:repo',
      calls: [1],
      fault: { responsePatch: { default_branch: 42, private: 'no' } },
    });
    const failure = await statusOf(
      client(standin, { retries: 0 }).rest.repos.get({ owner, repo }),
    );
    expect(failure.status).toBe(500);
    expect(isRecord(failure.data) && failure.data.errors).toEqual([
      { path: '/private', message: 'must be boolean' },
      { path: '/default_branch', message: 'must be string' },
    ]);
    expect(standin.requests()[0]?.validationErrors).toEqual([
      { in: 'response', path: '/private', message: 'must be boolean' },
      { in: 'response', path: '/default_branch', message: 'must be string' },
    ]);
    expect(lines[0]).toContain(
      "response of get /repos/{owner}/{repo} (200) does not match GitHub's OpenAPI description",
    );
  } finally {
    await standin.close();
  }
});

test('with validation off the same wrong response goes out as it is', async () => {
  const standin = await startGithubStandin({
    validate: false,
    log: () => undefined,
  });
  try {
    standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    standin.faults.add({
      route: 'GET /repos/:owner/:repo',
      every: true,
      fault: { responsePatch: { default_branch: 42 } },
    });
    const body: unknown = await (
      await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`)
    ).json();
    expect(isRecord(body) && body.default_branch).toBe(42);
  } finally {
    await standin.close();
  }
});

test('a wrong request body is 422 Invalid request, like GitHub, and recorded', async () => {
  const { standin, lines } = await standinForTests();
  try {
    standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    const response = await fetch(
      `${standin.apiBaseUrl}/repos/${owner}/${repo}/git/trees`,
      {
        method: 'POST',
        headers: { Authorization: `token ${TOKEN}` },
        body: JSON.stringify({
          tree: [{ path: 'x', mode: '100600', type: 'blob', content: 'x' }],
        }),
      },
    );
    const body: unknown = await response.json();
    expect(response.status).toBe(422);
    expect(isRecord(body) && String(body.message)).toMatch(
      /^Invalid request\.\n\n\/tree\/0\/mode must be equal to one of the allowed values/,
    );
    expect(standin.requests()[0]?.validationErrors?.[0]).toMatchObject({
      in: 'request',
      path: '/tree/0/mode',
    });
    expect(lines).toHaveLength(1);
  } finally {
    await standin.close();
  }
});

test('a request body missing a required field is 422 before the handler runs', async () => {
  const { standin } = await standinForTests();
  try {
    standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    const response = await fetch(
      `${standin.apiBaseUrl}/repos/${owner}/${repo}/git/refs`,
      {
        method: 'POST',
        headers: { Authorization: `token ${TOKEN}` },
        body: JSON.stringify({ ref: 'refs/heads/x' }),
      },
    );
    expect(response.status).toBe(422);
    expect(standin.requests()[0]?.validationErrors).toEqual([
      { in: 'request', path: '', message: "must have required property 'sha'" },
    ]);
    expect(standin.branches(owner, repo)).toEqual(['main']);
  } finally {
    await standin.close();
  }
});

test('start-up time (printed, not asserted)', async () => {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const standin = await startGithubStandin({ log: () => undefined });
    times.push(performance.now() - started);
    await standin.close();
  }
  const firstRequest = await (async () => {
    const standin = await startGithubStandin({ log: () => undefined });
    standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
    const started = performance.now();
    await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}/pulls`);
    const elapsed = performance.now() - started;
    await standin.close();
    return elapsed;
  })();
  times.sort((a, b) => a - b);
  process.stdout.write(
    `github-standin start-up: median ${times[2]?.toFixed(1)} ms, max ${times[4]?.toFixed(1)} ms over 5 starts; first validated request (lazy compile) ${firstRequest.toFixed(1)} ms\n`,
  );
  expect(times).toHaveLength(5);
});
