import {
  parseEnvironmentRequest,
  renderEnvironment,
} from '@aks-gitops/plugin-aks-gitops-common';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionContext } from '../testing/actionContext';
import { exampleEnvironment } from './exampleEnvironment';
import { createRenderEnvironmentAction } from './renderEnvironment';

type RenderAction = ReturnType<typeof createRenderEnvironmentAction>;

const action = createRenderEnvironmentAction({
  integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
});
let workspacePath: string;
beforeEach(
  () => (workspacePath = mkdtempSync(join(tmpdir(), 'aks-gitops-ws-'))),
);
afterEach(() => rmSync(workspacePath, { recursive: true, force: true }));

function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('aks-gitops:environment:render', () => {
  it("writes exactly the render core's files into the workspace and outputs their list and the entity ref", async () => {
    const { ctx, outputs } = actionContext<RenderAction>({
      input: { environment: exampleEnvironment },
      workspacePath,
    });
    await action.handler(ctx);
    const expected = renderEnvironment(exampleEnvironment).files;
    expect(tree(workspacePath)).toEqual(Object.keys(expected));
    for (const [path, content] of Object.entries(expected))
      expect(readFileSync(join(workspacePath, path), 'utf8')).toBe(content);
    expect(outputs).toMatchObject({
      files: Object.keys(expected),
      entityRef: 'resource:default/dev-cluster',
      clusterName: 'dev-cluster',
    });
    expect(parseEnvironmentRequest(outputs.environment)).toEqual(
      parseEnvironmentRequest(exampleEnvironment),
    );
  });

  it('writes every file in a dry run too, so the Template Editor shows them', async () => {
    const { ctx } = actionContext<RenderAction>({
      input: { environment: exampleEnvironment },
      workspacePath,
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(tree(workspacePath)).toHaveLength(
      Object.keys(renderEnvironment(exampleEnvironment).files).length,
    );
  });

  it('writes under targetPath, and refuses one that leaves the workspace', async () => {
    await action.handler(
      actionContext<RenderAction>({
        input: { environment: exampleEnvironment, targetPath: 'gitops' },
        workspacePath,
      }).ctx,
    );
    expect(tree(workspacePath).every(p => p.startsWith('gitops/'))).toBe(true);
    await expect(
      action.handler(
        actionContext<RenderAction>({
          input: { environment: exampleEnvironment, targetPath: '../out' },
          workspacePath,
        }).ctx,
      ),
    ).rejects.toThrow(/outside/);
  });

  it('fails on a bad request with one line per field, naming environment.<field>, and writes nothing', async () => {
    const environment = {
      ...exampleEnvironment,
      cluster: {
        ...exampleEnvironment.cluster,
        name: 'Dev_Cluster',
        location: 'East US',
      },
    };
    const run = action.handler(
      actionContext<RenderAction>({ input: { environment }, workspacePath })
        .ctx,
    );
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      /^environment\.cluster\.name: must be a DNS-1123 label.*\nenvironment\.cluster\.location: must be an Azure region/,
    );
    expect(tree(workspacePath)).toEqual([]);
  });

  it('sets environment.gitopsRepo.url from repoUrl, as the pull request action does', async () => {
    const { gitopsRepo, ...withoutRepository } = exampleEnvironment;
    const environment = {
      ...withoutRepository,
      gitopsRepo: {
        revision: gitopsRepo.revision,
        managementPath: gitopsRepo.managementPath,
      },
    };
    const { ctx, outputs } = actionContext<RenderAction>({
      input: { environment, repoUrl: 'github.com?owner=acme&repo=fleet' },
      workspacePath,
    });
    await action.handler(ctx);
    const expected = renderEnvironment({
      ...exampleEnvironment,
      gitopsRepo: { ...gitopsRepo, url: 'https://github.com/acme/fleet' },
    }).files;
    expect(tree(workspacePath)).toEqual(Object.keys(expected));
    for (const [path, content] of Object.entries(expected))
      expect(readFileSync(join(workspacePath, path), 'utf8')).toBe(content);
    expect(parseEnvironmentRequest(outputs.environment).gitopsRepo.url).toBe(
      'https://github.com/acme/fleet',
    );
  });

  it('refuses an environment.gitopsRepo.url that names another repository than repoUrl', async () => {
    const run = action.handler(
      actionContext<RenderAction>({
        input: {
          environment: exampleEnvironment,
          repoUrl: 'github.com?owner=acme&repo=fleet',
        },
        workspacePath,
      }).ctx,
    );
    await expect(run).rejects.toThrow(
      `environment.gitopsRepo.url: must be the repository of repoUrl (github.com/acme/fleet) or left out, but it is ${JSON.stringify(exampleEnvironment.gitopsRepo.url)}`,
    );
    expect(tree(workspacePath)).toEqual([]);
  });
});
