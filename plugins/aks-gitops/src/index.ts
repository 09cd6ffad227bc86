/**
 * @aks-gitops/plugin-aks-gitops: the fleet of GitOps-managed AKS environments in Backstage's new
 * frontend system. Add the default export to the app's features (or let `app.packages: all`
 * discover it); add {@link aksGitopsHomePageModule} too for a root page leading to the fleet.
 */
import { aksGitopsPlugin } from './plugin';

export default aksGitopsPlugin;
export {
  aksEnvironmentCard,
  aksFleetPage,
  aksGitopsHomePageModule,
  aksGitopsPlugin,
} from './plugin';
export { isAksCluster, readCluster, FLEET_FILTER } from './clusters';
export type { AksCluster } from './clusters';
export { AksEnvironmentCardView } from './components/AksEnvironmentCard';
export type { AksEnvironmentCardViewProps } from './components/AksEnvironmentCard';
export { FleetTable } from './components/FleetPage';
export { CLUSTER_FORM_FIELD, TEMPLATES } from './templates';
