import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  checkAllowedRepository,
  readAllowedRepositories,
} from './allowedRepositories';

/** catalog.providers.aksGitops, keyed by provider id. */
const aksGitops = {
  fleet: { repoUrl: 'https://github.com/acme/app-project-env' },
  lab: { repoUrl: 'https://ghe.example.com/Platform/Lab-Env.git' },
};
const target = (host: string, owner: string, repo: string) => ({
  host,
  owner,
  repo,
});

describe('readAllowedRepositories', () => {
  it('defaults to the repositories the catalog providers watch', () => {
    const allowed = readAllowedRepositories(
      new ConfigReader({ catalog: { providers: { aksGitops } } }),
    );
    expect(allowed.repositories).toEqual([
      'github.com/acme/app-project-env',
      'ghe.example.com/platform/lab-env',
    ]);
  });

  it('takes aksGitops.scaffolder.allowedRepositories instead when it is set', () => {
    const allowed = readAllowedRepositories(
      new ConfigReader({
        catalog: { providers: { aksGitops } },
        aksGitops: {
          scaffolder: {
            allowedRepositories: ['https://github.com/acme/other-env/'],
          },
        },
      }),
    );
    expect(allowed.repositories).toEqual(['github.com/acme/other-env']);
  });

  it("names the provider's key when a provider's repoUrl is no repository URL", () => {
    const config = new ConfigReader({
      catalog: {
        providers: {
          aksGitops: { fleet: { repoUrl: 'https://github.com/acme' } },
        },
      },
    });
    expect(() => readAllowedRepositories(config)).toThrow(
      'catalog.providers.aksGitops.fleet.repoUrl: must be a repository URL such as https://github.com/acme/app-project-env (no credentials, query, percent-escape or . and .. segments), but it is "https://github.com/acme"',
    );
  });

  it('allows nothing when neither is configured', () => {
    expect(readAllowedRepositories(new ConfigReader({})).repositories).toEqual(
      [],
    );
  });

  it.each([
    ['a dot-dot segment', 'https://github.com/acme/app-project-env/..'],
    ['a percent-escape', 'https://github.com/acme/%2e%2e'],
    ['a query', 'https://github.com/acme/app-project-env?x=1'],
    ['credentials', 'https://user:pass@github.com/acme/app-project-env'],
    ['no repository', 'https://github.com/acme'],
    ['a deeper path', 'https://github.com/acme/app-project-env/tree/main'],
  ])('refuses an entry with %s, naming the key', (_what, url) => {
    const config = new ConfigReader({
      aksGitops: {
        scaffolder: {
          allowedRepositories: ['https://github.com/acme/app-project-env', url],
        },
      },
    });
    expect(() => readAllowedRepositories(config)).toThrow(
      `aksGitops.scaffolder.allowedRepositories[1]: must be a repository URL such as https://github.com/acme/app-project-env (no credentials, query, percent-escape or . and .. segments), but it is ${JSON.stringify(url)}`,
    );
  });
});

describe('checkAllowedRepository', () => {
  const allowed = readAllowedRepositories(
    new ConfigReader({ catalog: { providers: { aksGitops } } }),
  );

  it('accepts an allowed repository whatever the case of its name', () => {
    expect(() =>
      checkAllowedRepository(
        allowed,
        target('ghe.example.com', 'platform', 'lab-env'),
      ),
    ).not.toThrow();
  });

  it('refuses another repository of the same owner with one sentence naming repoUrl', () => {
    const check = () =>
      checkAllowedRepository(
        allowed,
        target('github.com', 'acme', 'other-repo'),
      );
    expect(check).toThrow(InputError);
    expect(check).toThrow(
      'repoUrl: must be a GitOps repository this portal may write to (aksGitops.scaffolder.allowedRepositories (unset, so every catalog.providers.aksGitops.<id>.repoUrl): github.com/acme/app-project-env, ghe.example.com/platform/lab-env), but it names "github.com/acme/other-repo"',
    );
  });

  it('refuses the same owner and name on another host', () => {
    expect(() =>
      checkAllowedRepository(
        allowed,
        target('evil.example.com', 'acme', 'app-project-env'),
      ),
    ).toThrow(InputError);
  });
});

describe('checkAllowedRepository shows the repository safely', () => {
  const allowed = readAllowedRepositories(
    new ConfigReader({ catalog: { providers: { aksGitops } } }),
  );

  it('escapes a bidi override and cuts a long repository name short instead of echoing it raw', () => {
    const message = (() => {
      try {
        checkAllowedRepository(
          allowed,
          target('github.com', 'acme', `x\u202e${'A'.repeat(5000)}`),
        );
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/^repoUrl: must be a GitOps repository/);
    expect(message).not.toContain('\u202e');
    expect(message.length).toBeLessThan(400);
  });
});
