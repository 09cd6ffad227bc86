/**
 * Fault injection, seen by a real Octokit with plugin-retry and plugin-throttling (GET routes, so
 * the throttling plugin's one-write-per-second queue does not slow the tests), and the request log.
 */
import type { GithubStandin } from './index';
import {
  client,
  isRecord,
  standinForTests,
  statusOf,
  TOKEN,
} from './testing/octokit';

const owner = 'acme';
const repo = 'faulty';
let standin: GithubStandin;

beforeAll(async () => {
  ({ standin } = await standinForTests());
  standin.seedRepository(owner, repo, { files: { 'a.txt': 'a\n' } });
});

afterAll(async () => {
  await standin.close();
});

beforeEach(() => {
  standin.faults.clear();
  standin.clearRequests();
});

const auth = { headers: { Authorization: `token ${TOKEN}` } };
const repoRequests = (): { status: number; fault?: string }[] =>
  standin
    .requests()
    .filter(
      entry => entry.method === 'GET' && entry.route === '/repos/:owner/:repo',
    )
    .map(entry => ({
      status: entry.status,
      ...(entry.fault ? { fault: entry.fault } : {}),
    }));

test('a 502 on the first call is retried by plugin-retry and the second call succeeds', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { status: 502 },
  });
  const { data } = await client(standin).rest.repos.get({ owner, repo });
  expect(data.name).toBe(repo);
  expect(repoRequests()).toEqual([
    { status: 502, fault: 'status 502' },
    { status: 200 },
  ]);
});

test('a 500 on every call fails after the retries run out', async () => {
  standin.faults.add({
    route: '/repos/:owner/:repo',
    method: 'GET',
    every: true,
    fault: { status: 500 },
  });
  const failure = await statusOf(
    client(standin, { retries: 2 }).rest.repos.get({ owner, repo }),
  );
  expect(failure.status).toBe(500);
  expect(repoRequests()).toHaveLength(3);
});

test('calls: [2] leaves the first call alone and hits the second', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [2],
    fault: { status: 503 },
  });
  const first = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}`,
    auth,
  );
  const second = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}`,
    auth,
  );
  const third = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}`,
    auth,
  );
  expect([first.status, second.status, third.status]).toEqual([200, 503, 200]);
});

test("a secondary rate limit is a 403 with GitHub's message and retry-after, and plugin-throttling waits and retries", async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { secondaryRateLimit: true, retryAfter: 7 },
  });
  const raw = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, auth);
  const body: unknown = await raw.json();
  expect(raw.status).toBe(403);
  expect(raw.headers.get('retry-after')).toBe('7');
  expect(isRecord(body) && String(body.message)).toContain(
    'You have exceeded a secondary rate limit',
  );

  standin.faults.clear();
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { secondaryRateLimit: true, retryAfter: 3 },
  });
  const events: string[] = [];
  const { data } = await client(standin, {
    throttle: true,
    events,
  }).rest.repos.get({ owner, repo });
  expect(data.name).toBe(repo);
  expect(events).toEqual(['secondary-limit 3']);
});

test('a 429 carries retry-after and plugin-retry tries again', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { status: 429, retryAfter: 2 },
  });
  const raw = await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, auth);
  expect([raw.status, raw.headers.get('retry-after')]).toEqual([429, '2']);
  standin.faults.clear();
  standin.clearRequests();
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { status: 429, retryAfter: 2 },
  });
  const { data } = await client(standin).rest.repos.get({ owner, repo });
  expect(data.name).toBe(repo);
  expect(repoRequests()).toEqual([
    { status: 429, fault: 'status 429' },
    { status: 200 },
  ]);
});

test('a connection reset fails the request at the socket, and a retry gets through', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { reset: true },
  });
  await expect(
    fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, auth),
  ).rejects.toThrow();
  standin.clearRequests();
  standin.faults.clear();
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { reset: true },
  });
  const { data } = await client(standin).rest.repos.get({ owner, repo });
  expect(data.name).toBe(repo);
  expect(standin.requests()[0]).toMatchObject({
    status: 0,
    fault: 'connection reset',
  });
});

test('added latency still answers, and the log names the delay', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    every: true,
    fault: { delayMs: 300 },
  });
  const response = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}`,
    auth,
  );
  expect(response.status).toBe(200);
  expect(repoRequests()).toEqual([{ status: 200, fault: 'delay 300 ms' }]);
});

test('a rule for another route or method does not fire', async () => {
  standin.faults.add({
    route: 'POST /repos/:owner/:repo/git/trees',
    every: true,
    fault: { status: 500 },
  });
  standin.faults.add({
    route: 'GET /repos/:owner/:repo/pulls',
    every: true,
    fault: { status: 500 },
  });
  const response = await fetch(
    `${standin.apiBaseUrl}/repos/${owner}/${repo}`,
    auth,
  );
  expect(response.status).toBe(200);
});

test('the request log records method, path, route, status and fault, and never a token', async () => {
  standin.faults.add({
    route: 'GET /repos/:owner/:repo',
    calls: [1],
    fault: { status: 502 },
  });
  await client(standin).rest.repos.get({ owner, repo });
  await fetch(`${standin.apiBaseUrl}/repos/${owner}/${repo}`, {
    headers: { Authorization: 'token wrong-secret-value' },
  });
  const entries: unknown = JSON.parse(JSON.stringify(standin.requests()));
  const text = JSON.stringify(entries);
  expect(
    Array.isArray(entries) &&
      entries.map(
        entry =>
          isRecord(entry) && [
            entry.method,
            entry.path,
            entry.route,
            entry.status,
            entry.fault ?? null,
          ],
      ),
  ).toEqual([
    [
      'GET',
      `/api/v3/repos/${owner}/${repo}`,
      '/repos/:owner/:repo',
      502,
      'status 502',
    ],
    ['GET', `/api/v3/repos/${owner}/${repo}`, '/repos/:owner/:repo', 200, null],
    ['GET', `/api/v3/repos/${owner}/${repo}`, '/repos/:owner/:repo', 401, null],
  ]);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('wrong-secret-value');
  standin.clearRequests();
  expect(standin.requests()).toEqual([]);
});

test('an unknown REST route is 404 Not Found and is logged', async () => {
  const lines: string[] = [];
  const { standin: other } = await standinForTests({
    log: line => lines.push(line),
  });
  try {
    const response = await fetch(
      `${other.apiBaseUrl}/repos/${owner}/${repo}/actions/runs`,
      { headers: { Authorization: `token ${TOKEN}` } },
    );
    const body: unknown = await response.json();
    expect(response.status).toBe(404);
    expect(isRecord(body) && body.message).toBe('Not Found');
    expect(lines).toEqual([
      `[github-standin] no route for GET /api/v3/repos/${owner}/${repo}/actions/runs: answered 404`,
    ]);
    expect(other.requests()[0]).toMatchObject({ status: 404, route: null });
  } finally {
    await other.close();
  }
});
