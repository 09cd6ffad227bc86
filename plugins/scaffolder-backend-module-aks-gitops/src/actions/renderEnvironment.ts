import { renderEnvironment } from '@aks-gitops/plugin-aks-gitops-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  environmentInput,
  jsonObject,
  parseEnvironmentInput,
} from '../environmentInput';
import { gitopsRepositoryOf, withGitopsRepository } from '../repoUrl';
import { withoutServerDetails } from '../userFacingErrors';
import { examples } from './renderEnvironment.examples';

/** @public */
export const RENDER_ENVIRONMENT_ACTION_ID = 'aks-gitops:environment:render';

/**
 * Renders the GitOps files of one environment into the task workspace. Writing the workspace is
 * local and idempotent, so it is not checkpointed: a retry gets a fresh workspace and must write
 * it again.
 *
 * @public
 */
export interface RenderEnvironmentActionOptions {
  /** Reads `repoUrl` (the scaffolder's integrations, as the pull request action reads it). */
  integrations: ScmIntegrationRegistry;
}

/** @public */
export function createRenderEnvironmentAction(
  options: RenderEnvironmentActionOptions,
) {
  const { integrations } = options;
  return createTemplateAction({
    id: RENDER_ENVIRONMENT_ACTION_ID,
    description:
      'Renders the GitOps files of an AKS environment (cluster Secret, cluster-addons ApplicationSet, Cluster API provisioning, Argo CD bootstrap, workloads, catalog entity) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentInput,
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The GitOps repository, as RepoUrlPicker writes it (github.com?owner=acme&repo=app-project-env): sets environment.gitopsRepo.url, as aks-gitops:pull-request:open does with the same repoUrl',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace subdirectory to write into (default: the workspace root)',
            ),
      },
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('Repository paths of the rendered files, sorted'),
        entityRef: z =>
          z
            .string()
            .describe(
              "The cluster's catalog entity, e.g. resource:default/dev-cluster",
            ),
        clusterName: z => z.string().describe('The cluster name'),
        environment: z =>
          jsonObject(
            z,
            "The validated request with every default applied, for the next steps' environment input",
          ),
      },
    },
    handler: ctx =>
      withoutServerDetails(async () => {
        const { repoUrl } = ctx.input;
        const request = parseEnvironmentInput(
          repoUrl === undefined
            ? ctx.input.environment
            : withGitopsRepository(
                ctx.input.environment,
                gitopsRepositoryOf(repoUrl, integrations),
              ),
        );
        const { files, entityRef, clusterName } = renderEnvironment(request);
        const root = ctx.input.targetPath
          ? resolveSafeChildPath(ctx.workspacePath, ctx.input.targetPath)
          : ctx.workspacePath;
        for (const [path, content] of Object.entries(files)) {
          const target = resolveSafeChildPath(root, path);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
        const paths = Object.keys(files);
        ctx.logger.info(
          `Rendered ${paths.length} files for ${entityRef}: ${paths.join(', ')}`,
        );
        ctx.output('files', paths);
        ctx.output('entityRef', entityRef);
        ctx.output('clusterName', clusterName);
        ctx.output('environment', JSON.parse(JSON.stringify(request)));
      }),
  });
}
