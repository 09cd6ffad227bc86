import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import yaml from 'yaml';
import { actionContext } from '../testing/actionContext';
import { createRenderEnvironmentAction } from './renderEnvironment';
import { examples } from './renderEnvironment.examples';

type RenderAction = ReturnType<typeof createRenderEnvironmentAction>;

describe('aks-gitops:environment:render examples', () => {
  it.each(examples.map(example => [example.description, example.example]))(
    'runs: %s',
    async (_description, text) => {
      const workspacePath = mkdtempSync(join(tmpdir(), 'aks-gitops-ex-'));
      try {
        const [step] = yaml.parse(text).steps;
        const { ctx, outputs } = actionContext<RenderAction>({
          input: step.input,
          workspacePath,
        });
        await createRenderEnvironmentAction({
          integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        }).handler(ctx);
        expect(outputs.files).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/catalog-info\.yaml$/),
          ]),
        );
        expect(readdirSync(workspacePath).length).toBeGreaterThan(0);
      } finally {
        rmSync(workspacePath, { recursive: true, force: true });
      }
    },
  );
});
