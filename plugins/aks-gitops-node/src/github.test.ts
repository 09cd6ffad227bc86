import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { explainGithubError, rateLimitWait } from './github';
import { createTestGithubClient } from './testing';

/** A loopback address nothing listens on: a port just freed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

const target = { host: 'github.com', owner: 'acme', repo: 'app-project-env' };
const explain = (error: unknown) =>
  explainGithubError(error, 'create the tree', target);

describe('explainGithubError', () => {
  it.each([
    [
      401,
      'Bad credentials',
      NotAllowedError,
      /credentials .* renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again/,
    ],
    [
      403,
      'Resource not accessible by integration',
      NotAllowedError,
      /a classic PAT needs the repo scope, a fine-grained PAT or the GitHub App needs Contents and Pull requests read\/write/,
    ],
    [
      404,
      'Not Found',
      InputError,
      /check the repository URL and that the credentials \(PAT or GitHub App installation\) can see this repository/,
    ],
    [
      422,
      'Validation Failed',
      InputError,
      /GitHub refused to create the tree for acme\/app-project-env on github.com \(422 Validation Failed\)/,
    ],
    [
      429,
      'Too Many Requests',
      ServiceUnavailableError,
      /kept rate-limiting us/,
    ],
    [
      502,
      'Bad Gateway',
      ServiceUnavailableError,
      /kept failing to create the tree .* \(502 Bad Gateway\) after retries; retry the task later/,
    ],
  ])('explains %i', (status, message, type, text) => {
    const error = explain({ status, message, response: { headers: {} } });
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(text);
  });

  it('treats a 403 with the rate limit exhausted as a rate limit, not a permission problem', () => {
    const error = explain({
      status: 403,
      message: 'API rate limit exceeded',
      response: { headers: { 'x-ratelimit-remaining': '0' } },
    });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it("lists GitHub's validation errors", () => {
    const error = explain({
      status: 422,
      message: 'Validation Failed',
      response: {
        data: {
          errors: [
            { message: 'tree.path contains a malformed path component' },
          ],
        },
      },
    });
    expect(error.message).toContain(
      ': tree.path contains a malformed path component)',
    );
  });

  it('reads GraphQL NOT_FOUND answers as a missing repository', () => {
    const error = explain(
      Object.assign(
        new Error("Could not resolve to a Repository with the name 'acme/x'."),
        { errors: [{ type: 'NOT_FOUND' }] },
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/GitHub found nothing to create the tree/);
  });

  it('says when GitHub could not be reached at all', () => {
    expect(
      explain(
        Object.assign(new Error('connect ECONNREFUSED'), {
          code: 'ECONNREFUSED',
        }),
      ).message,
    ).toMatch(
      /GitHub could not be reached at the API of github.com .* \(ECONNREFUSED\)/,
    );
  });

  it("reads Octokit's status 500 without a response as GitHub unreachable, naming the API address and what to check", async () => {
    const apiBaseUrl = await closedPortUrl();
    const client = createTestGithubClient({
      token: 'ghp_x',
      baseUrl: apiBaseUrl,
      logger: silentLogger,
      retryPolicy: { retries: 0, maxWaitSeconds: 0 },
    });
    const failure = await client.rest.repos
      .get({ owner: 'acme', repo: 'app-project-env' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ status: 500 });
    const error = explainGithubError(failure, 'read the repository', {
      ...target,
      apiBaseUrl,
    });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `GitHub could not be reached at ${apiBaseUrl} to read the repository for acme/app-project-env on github.com (ECONNREFUSED); check that the backend can reach that address (DNS, firewall, proxy) and integrations.github apiBaseUrl, then retry the task`,
    );
  });

  it('keeps a real 500 answered by GitHub a GitHub failure', () => {
    const error = explain({
      status: 500,
      message: 'Internal Server Error',
      response: { headers: {} },
    });
    expect(error.message).toMatch(
      /GitHub kept failing to create the tree .* \(500 Internal Server Error\) after retries/,
    );
  });

  it('never says the word the scaffolder redacts when a template passes the token input', () => {
    for (const status of [401, 403, 404, 422, 429, 502]) {
      expect(
        explain({ status, message: 'x', response: { headers: {} } }).message,
      ).not.toMatch(/token/i);
    }
    expect(
      explain(Object.assign(new Error('fetch failed'), { code: 'ENOTFOUND' }))
        .message,
    ).not.toMatch(/token/i);
  });

  it('never repeats request headers, where the token is', () => {
    const error = explain({
      status: 401,
      message: 'Bad credentials',
      request: { headers: { authorization: 'token ghp_secret' } },
      response: { headers: {} },
    });
    expect(error.message).not.toContain('ghp_secret');
  });
});

describe('rateLimitWait', () => {
  const now = Date.UTC(2026, 0, 1);
  const headers = (h: Record<string, string>) => ({ response: { headers: h } });

  it("reads a secondary rate limit's retry-after", () => {
    expect(
      rateLimitWait(
        {
          status: 403,
          message: 'You have exceeded a secondary rate limit.',
          ...headers({ 'retry-after': '7' }),
        },
        now,
      ),
    ).toEqual({ kind: 'secondary rate limit', seconds: 7 });
  });

  it('waits 60 s for a secondary rate limit without retry-after, as plugin-throttling does', () => {
    expect(
      rateLimitWait(
        {
          status: 403,
          message: 'You have exceeded a secondary rate limit.',
          ...headers({}),
        },
        now,
      ),
    ).toEqual({ kind: 'secondary rate limit', seconds: 60 });
  });

  it("waits for the primary rate limit's reset plus one second", () => {
    const reset = String(now / 1000 + 30);
    expect(
      rateLimitWait(
        {
          status: 403,
          message: 'API rate limit exceeded',
          ...headers({
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
          }),
        },
        now,
      ),
    ).toEqual({ kind: 'rate limit', seconds: 31 });
  });

  it('reads a GraphQL RATE_LIMITED answer as a rate limit', () => {
    const reset = String(now / 1000 + 5);
    const response = {
      headers: { 'x-ratelimit-reset': reset },
      data: { errors: [{ type: 'RATE_LIMITED' }] },
    };
    expect(rateLimitWait({ status: 200, message: '', response }, now)).toEqual({
      kind: 'rate limit',
      seconds: 6,
    });
  });

  it('never reads a successful answer that used the last request of the hour as a rate limit', () => {
    expect(
      rateLimitWait(
        {
          status: 200,
          message: '',
          ...headers({
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(now / 1000 + 30),
          }),
        },
        now,
      ),
    ).toBeUndefined();
  });

  it('leaves a permission 403 alone', () => {
    expect(
      rateLimitWait(
        {
          status: 403,
          message: 'Resource not accessible by integration',
          ...headers({ 'x-ratelimit-remaining': '4999' }),
        },
        now,
      ),
    ).toBeUndefined();
  });
});

/** Every fake API a test started, closed after it. */
const openApis: Array<() => Promise<unknown>> = [];
afterEach(() => Promise.all(openApis.splice(0).map(close => close())));

/** A loopback API answering every request with `answer`, counting what is in flight at once; closed after the test. */
async function fakeApi(
  answer: (
    req: IncomingMessage,
    res: ServerResponse,
    calls: number,
  ) => void | Promise<void>,
) {
  const state = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const server = createHttpServer((req, res) => {
    state.calls++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('finish', () => state.inFlight--);
    req.resume();
    req.on('end', () => void answer(req, res, state.calls));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  openApis.push(() => new Promise(resolve => server.close(resolve)));
  return { url: `http://127.0.0.1:${port}`, state };
}

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('createGithubClient', () => {
  // Waits pass in milliseconds: createTestGithubClient's second lasts 1 ms.
  const fast = { retries: 3, maxWaitSeconds: 30 };
  const clientOf = (
    api: { url: string },
    logger: LoggerService = silentLogger,
  ) =>
    createTestGithubClient({
      token: 'ghp_x',
      baseUrl: api.url,
      logger,
      retryPolicy: fast,
    });

  it('waits out a primary rate limit and repeats the request', async () => {
    const api = await fakeApi((_req, res, calls) =>
      calls === 1
        ? json(
            res,
            403,
            { message: 'API rate limit exceeded' },
            {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2),
            },
          )
        : json(res, 201, { sha: 'abc' }),
    );
    const warnings: string[] = [];
    const logger: LoggerService = {
      ...silentLogger,
      warn: (m: string) => void warnings.push(m),
    };
    const client = clientOf(api, logger);
    const { data } = await client.rest.git.createTree({
      owner: 'acme',
      repo: 'r',
      tree: [],
    });
    expect(data.sha).toBe('abc');
    expect(api.state.calls).toBe(2);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^GitHub rate limit on POST \/repos\/\{owner\}\/\{repo\}\/git\/trees: retrying in \d+s$/,
      ),
    ]);
  });

  it("gives up on a rate limit whose wait is longer than the policy allows, with GitHub's error", async () => {
    const api = await fakeApi((_req, res) =>
      json(
        res,
        403,
        { message: 'You have exceeded a secondary rate limit.' },
        { 'retry-after': '3600' },
      ),
    );
    const client = clientOf(api);
    await expect(
      client.rest.git.createTree({ owner: 'acme', repo: 'r', tree: [] }),
    ).rejects.toMatchObject({ status: 403 });
    expect(api.state.calls).toBe(1);
  });

  it('repeats a 502 (plugin-retry) and then succeeds', async () => {
    const api = await fakeApi((_req, res, calls) =>
      calls === 1
        ? json(res, 502, { message: 'Bad Gateway' })
        : json(res, 200, { name: 'r' }),
    );
    const client = clientOf(api);
    const { data } = await client.rest.repos.get({
      owner: 'acme',
      repo: 'r',
    });
    expect(data.name).toBe('r');
    expect(api.state.calls).toBe(2);
  });

  it('sends writes one at a time across clients of one process', async () => {
    const api = await fakeApi(
      (_req, res) => void setTimeout(() => json(res, 201, { sha: 'abc' }), 20),
    );
    const clients = [0, 1].map(() => clientOf(api));
    await Promise.all(
      [0, 1, 2, 3].map(i =>
        clients[i % 2]!.rest.git.createTree({
          owner: 'acme',
          repo: 'r',
          tree: [],
        }),
      ),
    );
    expect(api.state.calls).toBe(4);
    expect(api.state.maxInFlight).toBe(1);
  });

  it('lets reads run side by side (the first read is answered only once a second one arrives)', async () => {
    const waiting: Array<() => void> = [];
    const api = await fakeApi((_req, res) => {
      waiting.push(() => json(res, 200, { name: 'r' }));
      if (waiting.length === 2) waiting.forEach(answer => answer());
    });
    const client = clientOf(api);
    await Promise.all([
      client.rest.repos.get({ owner: 'acme', repo: 'r' }),
      client.rest.repos.get({ owner: 'acme', repo: 'r' }),
    ]);
    expect(api.state.maxInFlight).toBe(2);
  });
});
