import {
  CATALOG_FILE,
  CLUSTERS_DIR,
  exampleEnvironmentRequest,
  type EnvironmentRequestInput,
} from '@aks-gitops/plugin-aks-gitops-common';

/** Top-level fields of a request to replace; `cluster` fields are merged into the example's. */
export type ClusterRequestOverrides = Omit<
  Partial<EnvironmentRequestInput>,
  'cluster'
> & { cluster?: Partial<EnvironmentRequestInput['cluster']> };

/** The render core's example request (GitOps repository acme/app-project-env) for cluster `name`. */
export function clusterRequest(
  name: string,
  overrides: ClusterRequestOverrides = {},
): EnvironmentRequestInput {
  const example = exampleEnvironmentRequest();
  return {
    ...example,
    ...overrides,
    cluster: { ...example.cluster, ...overrides.cluster, name },
  };
}

/** Where the render core writes cluster `name`'s catalog entity. */
export const catalogPath = (name: string) =>
  `${CLUSTERS_DIR}/${name}/${CATALOG_FILE}`;
