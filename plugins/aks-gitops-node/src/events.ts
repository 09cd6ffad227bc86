/**
 * The event our scaffolder register action publishes and our entity provider listens to, so a
 * new cluster is in the catalog seconds after its task, without waiting for the schedule.
 *
 * @public
 */
export const CLUSTER_EVENTS_TOPIC = 'aks-gitops.clusters';

/**
 * What the entity provider reads (nothing more): which repository to refresh now, and the cluster
 * it then looks for. The pull request itself it finds in the repository, as on every refresh.
 *
 * @public
 */
export interface ClusterRegisteredEvent {
  /** The GitOps repository, https://host/owner/repo. */
  repoUrl: string;
  clusterName: string;
}
