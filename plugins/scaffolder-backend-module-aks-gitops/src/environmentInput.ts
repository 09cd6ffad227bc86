import {
  EnvironmentRequestError,
  formatIssue,
  parseEnvironmentRequest,
  type EnvironmentRequest,
} from '@aks-gitops/plugin-aks-gitops-common';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import type { z as zod } from 'zod/v3';

/**
 * A JSON object (scaffolder inputs and outputs are parsed from or written as JSON), typed as
 * @backstage/types' JsonObject: TemplateAction requires its input and output types to be
 * JsonObjects, and our published declarations spell those types out, where the inferred
 * Record<string, unknown> fails that constraint under a consumer's skipLibCheck: false
 * (consumerInstall.test.ts found it). The runtime schema, and so the JSON schema the actions
 * publish, is z.record as before.
 */
export const jsonObject = (z: typeof zod, description: string) =>
  z
    .record(z.string(), z.unknown())
    .describe(description) as unknown as zod.ZodType<JsonObject>;

/** The `environment` input both actions take: the form's values, checked by the render core. */
export const environmentInput = (z: typeof zod) =>
  jsonObject(
    z,
    'The environment request (the "New AKS environment" form): mode, cluster {name, environment, location, kubernetesVersion, nodePool, server, caData}, azure {subscriptionId, tenantId, clientId}, addons, addonsRepo, gitopsRepo {url, revision, managementPath}, workloads, owner, system, chartVersions. Validated and defaulted by @aks-gitops/plugin-aks-gitops-common.',
  );

/** One line per bad field, each naming `environment.<field>`, the rule and the problem. */
export function parseEnvironmentInput(input: unknown): EnvironmentRequest {
  try {
    return parseEnvironmentRequest(input);
  } catch (error) {
    if (error instanceof EnvironmentRequestError) {
      throw new InputError(
        error.issues
          .map(issue => `environment.${formatIssue(issue)}`)
          .join('\n'),
      );
    }
    throw error;
  }
}
