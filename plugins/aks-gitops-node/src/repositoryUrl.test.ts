import { parseRepositoryUrl, repositoryKey } from './repositoryUrl';

describe('parseRepositoryUrl', () => {
  it.each([
    [
      'https://github.com/acme/app-project-env',
      { host: 'github.com', owner: 'acme', repo: 'app-project-env' },
    ],
    [
      'https://github.com/acme/app-project-env.git',
      { host: 'github.com', owner: 'acme', repo: 'app-project-env' },
    ],
    [
      'http://127.0.0.1:7070/acme/app-project-env/',
      { host: '127.0.0.1:7070', owner: 'acme', repo: 'app-project-env' },
    ],
  ])('reads %s', (url, parts) => {
    expect(parseRepositoryUrl(url)).toEqual(parts);
  });

  it.each([
    'https://github.com/acme',
    'https://github.com/acme/app-project-env/..',
    'https://github.com/acme/%2e%2e',
    'https://github.com/acme/app-project-env?x=1',
    'https://user:pass@github.com/acme/app-project-env',
    'https://github.com/acme/app-project-env/tree/main',
    'github.com/acme/app-project-env',
  ])('refuses %s, which could mean another repository than it reads', url => {
    expect(parseRepositoryUrl(url)).toBeUndefined();
  });
});

describe('repositoryKey', () => {
  it('names one repository whatever the scheme, case, .git or trailing slash', () => {
    expect(
      new Set(
        [
          'https://GitHub.com/Acme/App-Project-Env.git',
          'http://github.com/acme/app-project-env/',
        ].map(repositoryKey),
      ),
    ).toEqual(new Set(['github.com/acme/app-project-env']));
  });
});
