import { mockServices } from '@backstage/backend-test-utils';
import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import type { GithubStandin } from '@aks-gitops/github-standin';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import yaml from 'yaml';
import { actionContext } from '../testing/actionContext';
import {
  environmentFor,
  FAST_RETRIES,
  fastGithubClient,
  githubComConfig,
  startSeededStandin,
} from '../testing/standin';
import { readAllowedRepositories } from '../allowedRepositories';
import {
  createDecommissionEnvironmentAction,
  decommissionEnvironmentAction,
} from './decommissionEnvironment';
import { examples } from './decommissionEnvironment.examples';

type DecommissionAction = ReturnType<
  typeof createDecommissionEnvironmentAction
>;

let standin: GithubStandin;
beforeEach(async () => {
  standin = await startSeededStandin();
  standin.commitFiles('acme', 'app-project-env', {
    branch: 'main',
    files: renderEnvironment(environmentFor(standin)).files,
  });
});
afterEach(() => standin.close());

describe('aks-gitops:environment:decommission examples', () => {
  it.each(examples.map(example => [example.description, example.example]))(
    'runs: %s',
    async (_description, text) => {
      const config = githubComConfig(standin);
      const action = decommissionEnvironmentAction(
        {
          integrations: ScmIntegrations.fromConfig(config),
          config,
          catalog: catalogServiceMock({ entities: [] }),
          allowedRepositories: readAllowedRepositories(config),
          permissions: mockServices.permissions(),
          retryPolicy: FAST_RETRIES,
        },
        fastGithubClient,
      );
      const [step] = yaml.parse(text).steps;
      const { ctx, outputs } = actionContext<DecommissionAction>({
        input: step.input,
      });
      await action.handler(ctx);
      expect(outputs).toMatchObject({
        pullRequestNumber: 1,
        branchName: 'aks-gitops/dev-cluster.decommission-1-workloads',
        targetBranchName: 'main',
        created: true,
      });
    },
  );
});
