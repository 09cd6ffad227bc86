import type { GithubStandin } from '@aks-gitops/github-standin';
import { ScmIntegrations } from '@backstage/integration';
import yaml from 'yaml';
import { actionContext } from '../testing/actionContext';
import {
  FAST_RETRIES,
  fastGithubClient,
  githubComConfig,
  startSeededStandin,
  TOKEN,
} from '../testing/standin';
import { readAllowedRepositories } from '../allowedRepositories';
import {
  createOpenPullRequestAction,
  openPullRequestAction,
} from './openPullRequest';
import { examples } from './openPullRequest.examples';

type OpenPullRequestAction = ReturnType<typeof createOpenPullRequestAction>;

let standin: GithubStandin;
beforeEach(async () => (standin = await startSeededStandin()));
afterEach(() => standin.close());

describe('aks-gitops:pull-request:open examples', () => {
  it.each(examples.map(example => [example.description, example.example]))(
    'runs: %s',
    async (_description, text) => {
      const config = githubComConfig(standin);
      const action = openPullRequestAction(
        {
          integrations: ScmIntegrations.fromConfig(config),
          config,
          allowedRepositories: readAllowedRepositories(config),
          retryPolicy: FAST_RETRIES,
        },
        fastGithubClient,
      );
      const [step] = yaml.parse(text).steps;
      const input = {
        ...step.input,
        ...(step.input.token ? { token: TOKEN } : {}),
      };
      const { ctx, outputs } = actionContext<OpenPullRequestAction>({ input });
      await action.handler(ctx);
      expect(outputs).toMatchObject({
        pullRequestNumber: 1,
        branchName: 'aks-gitops/dev-cluster',
        targetBranchName: 'main',
        created: true,
      });
      expect(standin.pulls('acme', 'app-project-env')).toHaveLength(1);
    },
  );
});
