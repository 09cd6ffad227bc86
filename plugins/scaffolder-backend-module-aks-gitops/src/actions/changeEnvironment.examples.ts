import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleEnvironment } from './exampleEnvironment';

export const examples: TemplateExample[] = [
  {
    description:
      'Open the pull request changing an existing AKS environment: its new request, the one the "Change this environment" form prefilled from the stored request',
    example: yaml.stringify({
      steps: [
        {
          id: 'change',
          action: 'aks-gitops:environment:change',
          name: 'Open the change pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=app-project-env',
            environment: {
              ...exampleEnvironment,
              addons: { ...exampleEnvironment.addons, kargo: false },
            },
          },
        },
      ],
    }),
  },
];
