import { environmentBranch } from '@aks-gitops/plugin-aks-gitops-common';
import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleEnvironment } from './exampleEnvironment';

export const examples: TemplateExample[] = [
  {
    description:
      "Open the pull request for a new AKS environment with the integration's credentials",
    example: yaml.stringify({
      steps: [
        {
          id: 'pull-request',
          action: 'aks-gitops:pull-request:open',
          name: 'Open the pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            environment: exampleEnvironment,
          },
        },
      ],
    }),
  },
  {
    description:
      'Spell out the branch: it can only be aks-gitops/<cluster name> (the one branch the action writes, which the catalog reads back); any other branchName is refused',
    example: yaml.stringify({
      steps: [
        {
          id: 'pull-request',
          action: 'aks-gitops:pull-request:open',
          name: 'Open the pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            environment: exampleEnvironment,
            branchName: environmentBranch(exampleEnvironment.cluster.name),
          },
        },
      ],
    }),
  },
  {
    description:
      "Open it as a draft, labelled, with reviewers, using the signed-in user's own token",
    example: yaml.stringify({
      steps: [
        {
          id: 'pull-request',
          action: 'aks-gitops:pull-request:open',
          name: 'Open the pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            environment: exampleEnvironment,
            draft: true,
            labels: ['aks-environment', 'dev'],
            reviewers: ['jane'],
            teamReviewers: ['platform-team'],
            token: '${{ secrets.USER_OAUTH_TOKEN }}',
          },
        },
      ],
    }),
  },
];
