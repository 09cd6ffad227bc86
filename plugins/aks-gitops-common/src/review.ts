/**
 * What a reviewer of an environment's pull request checks, and what the platform team must do by
 * hand for it, as plain sentences (the pull request body turns them into Markdown). They live
 * with the render because they follow from what it renders.
 */
import { ARGOCD_NAMESPACE, clusterNames } from './naming';
import { newClusterChecklist, newClusterSteps } from './newClusterReview';
import { isRemote, type EnvironmentRequest } from './request';

/** The lab's hand-applied registration of its management cluster (Azure-Samples/aks-platform-engineering). */
const LAB_SECRET = 'aks-labs-gitops';
const LAB_CLUSTER_ADDONS = 'cluster-addons';

/** The cluster Argo CD runs in, onboarded in mode existing: it may have been registered by hand. */
function isManagementCluster(request: EnvironmentRequest): boolean {
  return request.mode === 'existing' && !isRemote(request);
}

/** One checkbox line each, in the order a reviewer goes through the change. */
export function reviewChecklist(request: EnvironmentRequest): string[] {
  const versions = Object.entries(request.chartVersions)
    .map(([chart, version]) => `${chart} ${version}`)
    .join(', ');
  return [
    'Cluster name, region and size are what the team asked for',
    'Subscription, tenant and workload identity client id belong to this environment',
    'The add-ons enabled fit this environment',
    'Workloads come from trusted repositories and revisions',
    `Chart versions are the ones we pin: ${versions}`,
    ...newClusterChecklist(request),
    ...(isRemote(request)
      ? [
          'The management cluster is onboarded: its cluster-addons Application runs the add-on ApplicationSets that install this cluster\'s add-ons (a remote cluster gets no cluster-addons ApplicationSet of its own)',
          'The management Argo CD can reach this cluster through workload identity (manual steps below)',
        ]
      : []),
    ...(isManagementCluster(request)
      ? [
          request.adopt.clusterSecret === undefined && request.adopt.clusterAddons === undefined
            ? `No hand-applied registration of this cluster is left (the lab's Secret \`${LAB_SECRET}\` and ApplicationSet \`${LAB_CLUSTER_ADDONS}\`): set \`adopt\` in the request to take them over, or delete them right after merge (manual steps below)`
            : 'The adopted names are those of the hand-applied Secret and ApplicationSet on the management cluster',
        ]
      : []),
  ];
}

function fenced(language: string, lines: string[]): string {
  return ['```' + language, ...lines, '```'].join('\n');
}

/**
 * What `argocd-k8s-auth azure` with `AAD_LOGIN_METHOD=workloadidentity` needs on the management
 * cluster (argo-cd v3.2.5 docs/operator-manual/declarative-setup.md, section AKS): the
 * `azure.workload.identity/use` pod label on the application controller and the server, their
 * service accounts annotated with the identity, a federated credential for each service account,
 * and an AKS RBAC role for the identity on the target cluster. Value keys of the argo-cd chart
 * 9.3.4 (argoproj/argo-helm charts/argo-cd/values.yaml: controller/server podLabels and
 * serviceAccount.annotations).
 */
function workloadIdentitySteps(request: EnvironmentRequest): string[] {
  const { azure, cluster } = request;
  const accounts = ['argocd-application-controller', 'argocd-server'];
  const resourceGroup = cluster.resourceGroup ?? '<resource group of ' + cluster.name + '>';
  return [
    `**Workload identity for \`${cluster.name}\`** (once per management cluster and identity). The management cluster's Argo CD reaches this cluster with \`argocd-k8s-auth azure\` as identity \`${azure.clientId}\`. In the management cluster's argo-cd Helm values:`,
    fenced('yaml', [
      'controller:',
      '  podLabels: { azure.workload.identity/use: "true" }',
      `  serviceAccount: { annotations: { azure.workload.identity/client-id: ${azure.clientId}, azure.workload.identity/tenant-id: ${azure.tenantId} } }`,
      'server:',
      '  podLabels: { azure.workload.identity/use: "true" }',
      `  serviceAccount: { annotations: { azure.workload.identity/client-id: ${azure.clientId}, azure.workload.identity/tenant-id: ${azure.tenantId} } }`,
    ]),
    'Federated credentials for both service accounts, and an AKS RBAC role for the identity on this cluster (set MGMT_RG and MGMT_CLUSTER to the management cluster):',
    fenced('bash', [
      'ISSUER=$(az aks show -g "$MGMT_RG" -n "$MGMT_CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)',
      `read -r IDENTITY IDENTITY_RG < <(az identity list --query "[?clientId=='${azure.clientId}'].[name,resourceGroup]" -o tsv)`,
      ...accounts.map(
        (account) =>
          `az identity federated-credential create --name ${account} --identity-name "$IDENTITY" --resource-group "$IDENTITY_RG" --issuer "$ISSUER" --subject system:serviceaccount:${ARGOCD_NAMESPACE}:${account} --audiences api://AzureADTokenExchange`,
      ),
      `az role assignment create --assignee ${azure.clientId} --role "Azure Kubernetes Service RBAC Cluster Admin" --scope "$(az aks show -g "${resourceGroup}" -n ${cluster.name} --subscription ${azure.subscriptionId} --query id -o tsv)"`,
    ]),
  ];
}

/** Taking over, or removing, the lab's hand-applied registration of the management cluster. */
function managementClusterSteps(request: EnvironmentRequest): string[] {
  const names = clusterNames(request.cluster.name);
  const leftover = [
    ...(request.adopt.clusterSecret === undefined ? [`kubectl -n ${ARGOCD_NAMESPACE} delete secret ${LAB_SECRET} --ignore-not-found`] : []),
    ...(request.adopt.clusterAddons === undefined
      ? [`kubectl -n ${ARGOCD_NAMESPACE} delete applicationset ${LAB_CLUSTER_ADDONS} --ignore-not-found`]
      : []),
  ];
  if (leftover.length === 0) return [];
  return [
    `**Hand-applied registration.** If this cluster was registered by hand (the lab's Secret \`${LAB_SECRET}\` and ApplicationSet \`${LAB_CLUSTER_ADDONS}\`), delete what this request does not adopt right after merge, once \`${request.adopt.clusterSecret ?? names.clusterSecret}\` exists: two Secrets for one server are not rejected (Argo CD silently uses one), and two cluster-addons Applications would fight over the add-on ApplicationSets. Both ApplicationSets keep the add-ons when deleted (\`preserveResourcesOnDeletion\`).`,
    fenced('sh', leftover),
  ];
}

/**
 * Steps the platform team does once, by hand, before or right after merging (commands in
 * fenced blocks are allowed); empty when the environment needs none.
 */
export function manualSteps(request: EnvironmentRequest): string[] {
  return [
    ...newClusterSteps(request),
    ...(isRemote(request) ? workloadIdentitySteps(request) : []),
    ...(isManagementCluster(request) ? managementClusterSteps(request) : []),
  ];
}
