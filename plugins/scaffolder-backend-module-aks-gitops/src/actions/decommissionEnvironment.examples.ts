import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Open the pull request of the next phase of removing dev-cluster, the user having typed the cluster's name again",
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'aks-gitops:environment:decommission',
          name: 'Open the pull request of the next phase',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            cluster: 'dev-cluster',
            confirmation: 'dev-cluster',
          },
        },
      ],
    }),
  },
  {
    description:
      'The same as a labelled draft with reviewers, into the branch Argo CD syncs',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'aks-gitops:environment:decommission',
          name: 'Open the pull request of the next phase',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            cluster: 'dev-cluster',
            confirmation: 'dev-cluster',
            targetBranchName: 'main',
            draft: true,
            labels: ['aks-decommission'],
            reviewers: ['octocat'],
          },
        },
      ],
    }),
  },
];
