import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleEnvironment } from './exampleEnvironment';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a new AKS environment from the form values into the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'aks-gitops:environment:render',
          name: 'Render the GitOps files',
          input: { environment: exampleEnvironment },
        },
      ],
    }),
  },
  {
    description:
      'Onboard an existing cluster (the management cluster itself), rendering into a subdirectory',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'aks-gitops:environment:render',
          name: 'Render the GitOps files',
          input: {
            environment: {
              ...exampleEnvironment,
              mode: 'existing',
              cluster: {
                name: 'aks-labs-gitops',
                environment: 'control-plane',
                location: 'eastus',
              },
              workloads: [],
            },
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
];
