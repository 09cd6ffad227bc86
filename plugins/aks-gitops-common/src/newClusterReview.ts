/**
 * The review checklist lines and manual steps of a new cluster (mode new) that follow from the
 * provisioning and bootstrap objects; review.ts puts them in the pull request body.
 */
import { HELM_CHART_PROXY_HEALTH_KEY } from './healthChecks';
import { ARGOCD_NAMESPACE, clusterNames } from './naming';
import { RESOURCE_SET_SECRET_TYPE } from './objects/repoCredentials';
import type { EnvironmentRequest } from './request';

/** Data keys of the repository-credentials Secret: cluster-api applies them in key order. */
export const REPO_CREDENTIALS_KEYS = {
  namespace: 'argocd-namespace.yaml',
  repository: 'repository.yaml',
} as const;

function fenced(language: string, lines: string[]): string {
  return [`\`\`\`${language}`, ...lines, '```'].join('\n');
}

/** Checklist lines for a new cluster; none for an existing one. */
export function newClusterChecklist(request: EnvironmentRequest): string[] {
  if (request.mode !== 'new') return [];
  const { cluster, azure, gitopsRepo } = request;
  const names = clusterNames(cluster.name);
  return [
    // azure-aks-aso 0.4.3 templates/_helpers.tpl `capz.azureASOManagedClusterSpec`: the ResourceGroup
    // is named after the cluster and cannot be set; ASO adopts a group that already exists.
    `No resource group named \`${names.resourceGroup}\` exists yet in subscription \`${azure.subscriptionId}\` (\`az group exists --name ${names.resourceGroup} --subscription ${azure.subscriptionId}\` prints false): the cluster's resource group is named after the cluster, Azure Service Operator takes over an existing group of that name, and removing the environment would delete that group with everything in it`,
    ...(cluster.environment === 'prod'
      ? [
          `Region \`${cluster.location}\` has availability zones 1, 2 and 3 for \`${cluster.nodePool.vmSize}\` (prod pools are zonal): \`az vm list-skus --location ${cluster.location} --size ${cluster.nodePool.vmSize} --query "[].locationInfo[].zones" -o tsv\``,
        ]
      : []),
    gitopsRepo.credentialsSecret === undefined
      ? `The GitOps repository ${gitopsRepo.url} is readable without credentials (no \`gitopsRepo.credentialsSecret\`): the new cluster's Argo CD gets none`
      : `Secret \`${gitopsRepo.credentialsSecret}\` is created in namespace \`${names.capiNamespace}\` on the management cluster (manual steps below)`,
    `The management cluster's \`argocd-cm\` has the HelmChartProxy health check (\`${HELM_CHART_PROXY_HEALTH_KEY}\`, see the README), so a failing bootstrap shows Degraded`,
  ];
}

/**
 * The repository credentials of a new cluster's Argo CD, without a secret in Git: a Secret the
 * ClusterResourceSet copies into the new cluster (objects/repoCredentials.ts). The token is read
 * from the shell, never written into the pull request.
 */
export function newClusterSteps(request: EnvironmentRequest): string[] {
  const secretName = request.gitopsRepo.credentialsSecret;
  if (request.mode !== 'new' || secretName === undefined) return [];
  const names = clusterNames(request.cluster.name);
  const { namespace, repository } = REPO_CREDENTIALS_KEYS;
  return [
    `**Repository credentials for \`${names.cluster}\`'s Argo CD** (on the management cluster, before or right after merge; the ClusterResourceSet \`${names.repoCredentialsResourceSet}\` waits for the Secret and copies it into the new cluster's \`${ARGOCD_NAMESPACE}\` namespace). Put a read-only token for ${request.gitopsRepo.url} in \`GITOPS_TOKEN\` first:`,
    fenced('sh', [
      `kubectl create namespace ${names.capiNamespace} --dry-run=client -o yaml | kubectl apply -f -`,
      `kubectl create namespace ${ARGOCD_NAMESPACE} --dry-run=client -o yaml > ${namespace}`,
      `kubectl -n ${ARGOCD_NAMESPACE} create secret generic gitops-repository --from-literal=type=git --from-literal=url=${request.gitopsRepo.url} --from-literal=username=git --from-literal=password="$GITOPS_TOKEN" --dry-run=client -o yaml | kubectl label --local -f - argocd.argoproj.io/secret-type=repository -o yaml > ${repository}`,
      `kubectl -n ${names.capiNamespace} create secret generic ${secretName} --type=${RESOURCE_SET_SECRET_TYPE} --from-file=${namespace} --from-file=${repository} --dry-run=client -o yaml | kubectl apply -f -`,
      `rm ${namespace} ${repository}`,
    ]),
    `To rotate the token, run the same commands with the new one: the ClusterResourceSet's Reconcile strategy re-applies changed data.`,
  ];
}
