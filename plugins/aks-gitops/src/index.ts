/**
 * `@aks-gitops/plugin-aks-gitops`: the fleet of GitOps-managed AKS environments in Backstage's new
 * frontend system. Add the default export to the app's features (or let `app.packages: all`
 * discover it); add {@link aksGitopsHomePageModule} too for a root page leading to the fleet.
 *
 * @packageDocumentation
 */
import { aksGitopsPlugin } from './plugin';

export default aksGitopsPlugin;
export {
  aksEnvironmentCard,
  aksFleetPage,
  aksGitopsHomePageModule,
  aksGitopsPlugin,
} from './plugin';
export { isAksCluster, readCluster } from './clusters';
export type { AksCluster } from './clusters';
export { CLUSTER_FORM_FIELD, TEMPLATES } from './templates';
