/**
 * The templates the card and the home page link to, and what they are given: only the cluster's
 * entity reference (`?formData={"cluster": "resource:default/<name>"}`); the Day-2 templates read
 * the rest from the GitOps repository, since long formData URLs break (backstage#26342).
 * The scaffolder reads `formData` from the query as JSON (`@backstage/plugin-scaffolder-react` 2.1
 * next/hooks/useFormDataFromQuery).
 *
 * @public
 */
export const TEMPLATES = {
  newEnvironment: 'new-aks-environment',
  onboardCluster: 'onboard-aks-cluster',
  changeEnvironment: 'change-aks-environment',
  decommissionEnvironment: 'decommission-aks-environment',
} as const;

/**
 * The form field the Day-2 templates take the cluster's entity reference in.
 *
 * @public
 */
export const CLUSTER_FORM_FIELD = 'cluster';

/** `base` (a template's page) with the cluster preselected in its form. */
export function withCluster(base: string, entityRef: string): string {
  const formData = JSON.stringify({ [CLUSTER_FORM_FIELD]: entityRef });
  return `${base}?${new URLSearchParams({ formData }).toString()}`;
}
