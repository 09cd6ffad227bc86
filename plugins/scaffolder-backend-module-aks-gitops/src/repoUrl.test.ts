import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { gitopsRepositoryOf } from './repoUrl';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'x' }] },
  }),
);

function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('gitopsRepositoryOf', () => {
  it('reads host, owner and repository of a RepoUrlPicker value', () => {
    expect(
      gitopsRepositoryOf(
        'github.com?owner=acme&repo=app-project-env',
        integrations,
      ),
    ).toEqual({
      host: 'github.com',
      owner: 'acme',
      repo: 'app-project-env',
      url: 'https://github.com/acme/app-project-env',
    });
  });

  it('refuses a repository name holding a bidi override, escaping it in a short message', () => {
    const message = messageOf(() =>
      gitopsRepositoryOf(
        `github.com?owner=acme&repo=x\u202e${'A'.repeat(5000)}`,
        integrations,
      ),
    );
    expect(message).toMatch(
      /^repoUrl: must name an owner and a repository of letters, digits/,
    );
    expect(message).toContain('\\u202e');
    expect(message).not.toContain('\u202e');
    expect(message.length).toBeLessThan(300);
  });

  it('refuses a host without an integration without echoing the raw value', () => {
    const message = messageOf(() =>
      gitopsRepositoryOf(
        `evil.example.com?owner=acme&repo=r\u202e`,
        integrations,
      ),
    );
    expect(message).toMatch(
      /^repoUrl: must be host\?owner=\.\.&repo=\.\. for a host with an integration/,
    );
    expect(message).not.toContain('\u202e');
  });
});
