import { InputError, NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { explainGithubError } from './github';

const target = { host: 'github.com', owner: 'acme', repo: 'app-project-env' };
const explain = (error: unknown) => explainGithubError(error, 'create the tree', target);

describe('explainGithubError', () => {
  it.each([
    [401, 'Bad credentials', NotAllowedError, /credentials .* renew the token or the GitHub App's private key/],
    [403, 'Resource not accessible by integration', NotAllowedError, /needs repo scope, or the GitHub App needs Contents and Pull requests read\/write/],
    [404, 'Not Found', InputError, /check the repository URL and that the token or the GitHub App installation can see this repository/],
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
    expect(explain(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).message).toMatch(/Could not reach GitHub .* \(ECONNREFUSED\)/);
  });

  it('never repeats request headers, where the token is', () => {
    const error = explain({ status: 401, message: 'Bad credentials', request: { headers: { authorization: 'token ghp_secret' } }, response: { headers: {} } });
    expect(error.message).not.toContain('ghp_secret');
  });
});
