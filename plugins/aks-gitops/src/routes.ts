import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/frontend-plugin-api';

/** The fleet view. */
export const fleetRouteRef = createRouteRef();

/**
 * A scaffolder template's page, bound by default to the scaffolder plugin's
 * `selectedTemplate` route (@backstage/plugin-scaffolder 1.39 alpha: `/templates/:namespace/:templateName`).
 */
export const templateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});
