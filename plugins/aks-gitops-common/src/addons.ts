import type { ChartVersions } from './defaults';

/**
 * The add-ons a request can toggle, with the GitOps Bridge keys the add-on ApplicationSets of
 * aks-platform-engineering read. `chartVersion` names the pinned version an ApplicationSet reads
 * from the cluster Secret; without it the generated Application keeps a literal
 * `{{metadata.labels.x}}` as its targetRevision and fails later.
 *
 * @public
 */
export const ADDONS = {
  argocd: {
    label: 'enable_argocd',
    title: 'Argo CD',
    chartVersion: { key: 'argocd_chart_version', from: 'argoCd' },
  },
  argoEvents: { label: 'enable_argo_events', title: 'Argo Events' },
  argoRollouts: {
    label: 'enable_argo_rollouts',
    title: 'Argo Rollouts',
    chartVersion: { key: 'argo_rollouts_chart_version', from: 'argoRollouts' },
  },
  argoWorkflows: { label: 'enable_argo_workflows', title: 'Argo Workflows' },
  certManager: { label: 'enable_cert_manager', title: 'cert-manager' },
  kargo: {
    label: 'enable_kargo',
    title: 'Kargo',
    chartVersion: { key: 'kargo_chart_version', from: 'kargo' },
  },
} as const satisfies Record<
  string,
  {
    label: string;
    title: string;
    chartVersion?: { key: string; from: keyof ChartVersions };
  }
>;

/** @public */
export type AddonId = keyof typeof ADDONS;
/** @public */
export const ADDON_IDS = Object.keys(ADDONS) as AddonId[];
