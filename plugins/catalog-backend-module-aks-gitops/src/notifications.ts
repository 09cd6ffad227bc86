/**
 * What the owner of an environment is told when GitHub says its pull request opened, merged or
 * closed (Backstage notifications, @backstage/plugin-notifications-node 0.2.32 NotificationPayload).
 */
import { clusterEntityPath } from '@aks-gitops/plugin-aks-gitops-common';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { GithubChange } from './githubEvents';

const OPERATION_NOUN = {
  create: 'creation',
  change: 'change',
  decommission: 'decommissioning',
} as const;

/** The notification for a pull request of ours: opened, merged (with the cluster's page) or closed unmerged. */
export function pullRequestNotification(
  change: Extract<GithubChange, { kind: 'pull_request' }>,
): NotificationPayload {
  const { cluster, operation } = change.environment;
  const what = `${cluster}'s ${OPERATION_NOUN[operation]}`;
  const topic = `aks-gitops:${cluster}`;
  if (change.action === 'closed' && change.merged)
    return {
      title:
        operation === 'create'
          ? `${cluster} is active: pull request #${change.number} merged`
          : `Pull request #${change.number} for ${what} merged`,
      description: `${change.url} was merged; the catalog shows ${cluster} as the repository now holds it.`,
      link: clusterEntityPath(cluster),
      severity: 'normal',
      topic,
    };
  if (change.action === 'closed')
    return {
      title: `Pull request #${change.number} for ${what} closed without merging`,
      description: `${change.url} was closed unmerged; nothing of it reached the repository's default branch.`,
      link: change.url,
      severity: 'normal',
      topic,
    };
  return {
    title: `Pull request #${change.number} for ${what} ${change.action}`,
    description: `${change.url} waits for review; ${cluster} shows as pending until it is merged.`,
    link: change.url,
    severity: 'low',
    topic,
  };
}
