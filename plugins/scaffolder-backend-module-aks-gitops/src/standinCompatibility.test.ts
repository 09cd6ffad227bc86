/**
 * Backstage's own GitHub consumers against the stand-in, so ours and theirs can be compared on it:
 * the built-in publish:github:pull-request action and the GitHub URL reader.
 */
import type { GithubStandin } from '@aks-gitops/github-standin';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { actionContext } from './testing/actionContext';
import {
  APP_PROJECT_ENV,
  OWNER,
  REPO,
  standinConfig,
  standinIntegrations,
  startSeededStandin,
} from './testing/standin';

type BuiltInPullRequestAction = ReturnType<
  typeof createPublishGithubPullRequestAction
>;

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

describe("Backstage's GitHub consumers against the stand-in", () => {
  it('the built-in publish:github:pull-request opens its pull request, one blob request per file', async () => {
    const workspacePath = mkdtempSync(join(tmpdir(), 'builtin-'));
    try {
      const files = {
        'clusters/x/a.yaml': 'a: 1\n',
        'clusters/x/b.yaml': 'b: 2\n',
        'clusters/x/c.yaml': 'c: 3\n',
      };
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(workspacePath, path)), { recursive: true });
        writeFileSync(join(workspacePath, path), content);
      }
      const action = createPublishGithubPullRequestAction({
        integrations: standinIntegrations(standin),
        config: standinConfig(standin),
      });
      const { ctx, outputs } = actionContext<BuiltInPullRequestAction>({
        input: {
          repoUrl: `${standin.host}?owner=${OWNER}&repo=${REPO}`,
          branchName: 'builtin',
          title: 'Built-in',
          description: 'by publish:github:pull-request',
        },
        workspacePath,
      });
      await action.handler(ctx);
      expect(outputs.pullRequestNumber).toBe(1);
      const onBranch = standin.files(OWNER, REPO, 'builtin');
      for (const [path, content] of Object.entries(files))
        expect(onBranch.get(path)).toBe(content);
      const blobRequests = standin
        .requests()
        .filter(r => r.route === '/repos/:owner/:repo/git/blobs');
      expect(blobRequests).toHaveLength(Object.keys(files).length);
      expect(
        standin
          .requests()
          .filter(r => r.validationErrors && r.validationErrors.length > 0),
      ).toEqual([]);
    } finally {
      rmSync(workspacePath, { recursive: true, force: true });
    }
  });

  it('the GitHub URL reader reads a file of the seeded repository', async () => {
    const reader = UrlReaders.default({
      config: standinConfig(standin),
      logger: mockServices.logger.mock(),
    });
    const response = await reader.readUrl(
      `http://${standin.host}/${OWNER}/${REPO}/blob/main/app-project-env-recursive.yaml`,
    );
    expect((await response.buffer()).toString('utf8')).toBe(
      APP_PROJECT_ENV['app-project-env-recursive.yaml'],
    );
  });
});
