import { environmentBranch } from '@aks-gitops/plugin-aks-gitops-common';
import { githubChange } from './githubEvents';

const repository = {
  full_name: 'acme/app-project-env',
  default_branch: 'main',
};

function pullEvent(action: string, head: string, merged = false): unknown {
  return {
    action,
    number: 7,
    repository,
    pull_request: {
      number: 7,
      html_url: 'https://github.com/acme/app-project-env/pull/7',
      merged,
      head: { ref: head },
      base: { ref: 'main' },
    },
  };
}

test('a merged pull request from one of our branches is a closed, merged change of that cluster', () => {
  expect(
    githubChange(
      'github.pull_request',
      pullEvent('closed', environmentBranch('dev-a'), true),
    ),
  ).toMatchObject({
    kind: 'pull_request',
    repository: 'acme/app-project-env',
    action: 'closed',
    merged: true,
    base: 'main',
    environment: { cluster: 'dev-a', operation: 'create' },
  });
});

test('a pull request from a branch that is not ours is no change', () => {
  expect(
    githubChange('github.pull_request', pullEvent('opened', 'feature/x')),
  ).toBeUndefined();
});

test('pull request actions other than opened, closed and reopened are no change', () => {
  expect(
    githubChange(
      'github.pull_request',
      pullEvent('labeled', environmentBranch('dev-a')),
    ),
  ).toBeUndefined();
});

test('a push names its branch and the default branch', () => {
  expect(
    githubChange('github.push', {
      ref: 'refs/heads/main',
      deleted: false,
      repository,
    }),
  ).toEqual({
    kind: 'push',
    repository: 'acme/app-project-env',
    branch: 'main',
    defaultBranch: 'main',
  });
});

test('a tag push and a branch deletion are no change', () => {
  expect(
    githubChange('github.push', { ref: 'refs/tags/v1', repository }),
  ).toBeUndefined();
  expect(
    githubChange('github.push', {
      ref: 'refs/heads/main',
      deleted: true,
      repository,
    }),
  ).toBeUndefined();
});

test('other topics are no change', () => {
  expect(githubChange('github.issues', { repository })).toBeUndefined();
});
