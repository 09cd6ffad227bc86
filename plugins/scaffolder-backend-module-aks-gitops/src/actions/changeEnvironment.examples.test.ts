import { mockServices } from '@backstage/backend-test-utils';
import type { GithubStandin } from '@aks-gitops/github-standin';
import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import { ScmIntegrations } from '@backstage/integration';
import yaml from 'yaml';
import { readAllowedRepositories } from '../allowedRepositories';
import { actionContext } from '../testing/actionContext';
import {
  FAST_RETRIES,
  githubComConfig,
  startSeededStandin,
} from '../testing/standin';
import { createChangeEnvironmentAction } from './changeEnvironment';
import { examples } from './changeEnvironment.examples';
import { exampleEnvironment } from './exampleEnvironment';

type ChangeEnvironmentAction = ReturnType<typeof createChangeEnvironmentAction>;

let standin: GithubStandin;
beforeEach(async () => {
  standin = await startSeededStandin();
  // The example's environment as it exists on main (the examples name github.com/acme/app-project-env).
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(exampleEnvironment).files,
  });
});
afterEach(() => standin.close());

describe('aks-gitops:environment:change examples', () => {
  it.each(examples.map(example => [example.description, example.example]))(
    'runs: %s',
    async (_description, text) => {
      const config = githubComConfig(standin);
      const action = createChangeEnvironmentAction({
        integrations: ScmIntegrations.fromConfig(config),
        config,
        allowedRepositories: readAllowedRepositories(config),
        permissions: mockServices.permissions(),
        retryPolicy: FAST_RETRIES,
      });
      const [step] = yaml.parse(text).steps;
      const { ctx, outputs } = actionContext<ChangeEnvironmentAction>({
        input: step.input,
      });
      await action.handler(ctx);
      expect({
        branch: outputs.branchName,
        pulls: standin.pulls('acme', 'app-project-env').length,
      }).toEqual({
        branch: expect.stringMatching(
          /^aks-gitops\/dev-cluster\.change-[0-9a-f]{12}$/,
        ),
        pulls: 1,
      });
    },
  );
});
