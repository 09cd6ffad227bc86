import { InputError, NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { createServer, type AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createGithubClient, explainGithubError } from './github';

/** A loopback address nothing listens on: a port just freed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const silentLogger: LoggerService = { error() {}, warn() {}, info() {}, debug() {}, child: () => silentLogger };

const target = { host: 'github.com', owner: 'acme', repo: 'app-project-env' };
const explain = (error: unknown) => explainGithubError(error, 'create the tree', target);

describe('explainGithubError', () => {
  it.each([
    [401, 'Bad credentials', NotAllowedError, /credentials .* renew the PAT or the GitHub App's private key in integrations.github, or sign in to GitHub again/],
    [403, 'Resource not accessible by integration', NotAllowedError, /a classic PAT needs the repo scope, a fine-grained PAT or the GitHub App needs Contents and Pull requests read\/write/],
    [404, 'Not Found', InputError, /check the repository URL and that the credentials \(PAT or GitHub App installation\) can see this repository/],
    [422, 'Validation Failed', InputError, /GitHub refused to create the tree for acme\/app-project-env on github.com \(422 Validation Failed\)/],
    [429, 'Too Many Requests', ServiceUnavailableError, /kept rate-limiting us/],
    [502, 'Bad Gateway', ServiceUnavailableError, /kept failing to create the tree .* \(502 Bad Gateway\) after retries; retry the task later/],
  ])('explains %i', (status, message, type, text) => {
    const error = explain({ status, message, response: { headers: {} } });
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(text);
  });

  it('treats a 403 with the rate limit exhausted as a rate limit, not a permission problem', () => {
    const error = explain({ status: 403, message: 'API rate limit exceeded', response: { headers: { 'x-ratelimit-remaining': '0' } } });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it('lists GitHub\'s validation errors', () => {
    const error = explain({ status: 422, message: 'Validation Failed', response: { data: { errors: [{ message: 'tree.path contains a malformed path component' }] } } });
    expect(error.message).toContain(': tree.path contains a malformed path component)');
  });

  it('reads GraphQL NOT_FOUND answers as a missing repository', () => {
    const error = explain(Object.assign(new Error("Could not resolve to a Repository with the name 'acme/x'."), { errors: [{ type: 'NOT_FOUND' }] }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/GitHub found nothing to create the tree/);
  });

  it('says when GitHub could not be reached at all', () => {
    expect(explain(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).message).toMatch(/GitHub could not be reached at the API of github.com .* \(ECONNREFUSED\)/);
  });

  it('reads Octokit\'s status 500 without a response as GitHub unreachable, naming the API address and what to check', async () => {
    const apiBaseUrl = await closedPortUrl();
    const client = createGithubClient({ token: 'ghp_x', baseUrl: apiBaseUrl, logger: silentLogger, retryPolicy: { retries: 0, maxWaitSeconds: 0, secondMs: 1 } });
    const failure = await client.rest.repos.get({ owner: 'acme', repo: 'app-project-env' }).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ status: 500 });
    const error = explainGithubError(failure, 'read the repository', { ...target, apiBaseUrl });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `GitHub could not be reached at ${apiBaseUrl} to read the repository for acme/app-project-env on github.com (ECONNREFUSED); check that the backend can reach that address (DNS, firewall, proxy) and integrations.github apiBaseUrl, then retry the task`,
    );
  });

  it('keeps a real 500 answered by GitHub a GitHub failure', () => {
    const error = explain({ status: 500, message: 'Internal Server Error', response: { headers: {} } });
    expect(error.message).toMatch(/GitHub kept failing to create the tree .* \(500 Internal Server Error\) after retries/);
  });

  it('never says the word the scaffolder redacts when a template passes the token input', () => {
    for (const status of [401, 403, 404, 422, 429, 502]) {
      expect(explain({ status, message: 'x', response: { headers: {} } }).message).not.toMatch(/token/i);
    }
    expect(explain(Object.assign(new Error('fetch failed'), { code: 'ENOTFOUND' })).message).not.toMatch(/token/i);
  });

  it('never repeats request headers, where the token is', () => {
    const error = explain({ status: 401, message: 'Bad credentials', request: { headers: { authorization: 'token ghp_secret' } }, response: { headers: {} } });
    expect(error.message).not.toContain('ghp_secret');
  });
});
