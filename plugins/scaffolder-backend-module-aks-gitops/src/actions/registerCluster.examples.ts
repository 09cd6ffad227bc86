import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleEnvironment } from './exampleEnvironment';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the cluster of the pull request opened by the previous step',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'aks-gitops:cluster:register',
          name: 'Register the cluster in the catalog',
          input: {
            environment: exampleEnvironment,
            pullRequestUrl:
              '${{ steps["pull-request"].output.pullRequestUrl }}',
            pullRequestNumber:
              '${{ steps["pull-request"].output.pullRequestNumber }}',
          },
        },
      ],
    }),
  },
];
