import { EnvironmentRequestError, formatIssue, parseEnvironmentRequest, type EnvironmentRequest } from '@aks-gitops/plugin-aks-gitops-common';
import { InputError } from '@backstage/errors';
import type { z as zod } from 'zod/v3';

/** The `environment` input both actions take: the form's values, checked by the render core. */
export const environmentInput = (z: typeof zod) =>
  z
    .record(z.string(), z.unknown())
    .describe(
      'The environment request (the "New AKS environment" form): mode, cluster {name, environment, location, kubernetesVersion, nodePool, server, caData}, azure {subscriptionId, tenantId, clientId}, addons, addonsRepo, gitopsRepo {url, revision, managementPath}, workloads, owner, system, chartVersions. Validated and defaulted by @aks-gitops/plugin-aks-gitops-common.',
    );

/** One line per bad field, each naming `environment.<field>`, the rule and the problem. */
export function parseEnvironmentInput(input: unknown): EnvironmentRequest {
  try {
    return parseEnvironmentRequest(input);
  } catch (error) {
    if (error instanceof EnvironmentRequestError) {
      throw new InputError(error.issues.map((issue) => `environment.${formatIssue(issue)}`).join('\n'));
    }
    throw error;
  }
}
