/**
 * The aks-gitops frontend plugin (new frontend system, @backstage/frontend-plugin-api 0.18):
 * - `entity-card:aks-gitops/environment`: the "AKS environment" card on the overview of our
 *   clusters' pages (EntityCardBlueprint, @backstage/plugin-catalog-react 3.2 alpha; it attaches to
 *   `entity-content:catalog/overview`), shown only where {@link isAksCluster} holds;
 * - `page:aks-gitops/fleet`: the fleet view at /aks-fleet. Its title and icon make the sidebar
 *   item: NavItemBlueprint was removed in frontend-plugin-api 0.17.0 (CHANGELOG: "Navigation items
 *   are now discovered from PageBlueprint extensions based on their title and icon params").
 * The root page is a separate module ({@link aksGitopsHomePageModule}): an app with its own home
 * page leaves it out.
 */
import {
  createFrontendModule,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import { isAksCluster } from './clusters';
import { AksEnvironmentCard } from './components/AksEnvironmentCard';
import { FleetPage } from './components/FleetPage';
import { HomePage } from './components/HomePage';
import { fleetRouteRef, templateRouteRef } from './routes';

// Loaded with the plugin rather than lazily: small components, and no dynamic import() for an
// app's CommonJS test runner to trip on.
/**
 * The "AKS environment" card, on our clusters' pages only.
 *
 * @public
 */
export const aksEnvironmentCard = EntityCardBlueprint.make({
  name: 'environment',
  params: {
    filter: isAksCluster,
    loader: async () => <AksEnvironmentCard />,
  },
});

/**
 * The fleet view at /aks-fleet, with its sidebar item.
 *
 * @public
 */
export const aksFleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/aks-fleet',
    routeRef: fleetRouteRef,
    title: 'AKS fleet',
    icon: <CloudIcon fontSize="inherit" />,
    loader: async () => <FleetPage />,
  },
});

/**
 * The plugin: the card and the fleet view.
 *
 * @public
 */
export const aksGitopsPlugin = createFrontendPlugin({
  pluginId: 'aks-gitops',
  title: 'AKS environments',
  icon: <CloudIcon fontSize="inherit" />,
  extensions: [aksEnvironmentCard, aksFleetPage],
  routes: { fleet: fleetRouteRef },
  externalRoutes: { template: templateRouteRef },
});

/**
 * The root page (`/`): the fleet and the templates, for an app without a home page of its own.
 *
 * @public
 */
export const aksGitopsHomePageModule = createFrontendModule({
  pluginId: 'aks-gitops',
  extensions: [
    PageBlueprint.make({
      name: 'home',
      params: {
        path: '/',
        title: 'Home',
        icon: <CloudIcon fontSize="inherit" />,
        loader: async () => <HomePage />,
      },
    }),
  ],
});
