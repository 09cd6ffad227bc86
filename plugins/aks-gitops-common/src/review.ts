/**
 * What a reviewer of an environment's pull request checks, and what the platform team must do by
 * hand for it, as plain sentences (the pull request body turns them into Markdown). They live
 * with the render because they follow from what it renders.
 */
import { ADDONS } from './addons';
import type { EnvironmentChange } from './change/typedDiff';
import { ARGOCD_NAMESPACE, clusterNames } from './naming';
import { newClusterChecklist, newClusterSteps } from './newClusterReview';
import {
  isManagementCluster,
  isRemote,
  type EnvironmentRequest,
} from './request';
import { toYaml } from './serialize';

/** The lab's hand-applied registration of its management cluster (Azure-Samples/aks-platform-engineering). */
const LAB_SECRET = 'aks-labs-gitops';
const LAB_CLUSTER_ADDONS = 'cluster-addons';

/**
 * One checkbox line each, in the order a reviewer goes through the change.
 *
 * @public
 */
export function reviewChecklist(request: EnvironmentRequest): string[] {
  const versions = Object.entries(request.chartVersions)
    .map(([chart, version]) => `${chart} ${version}`)
    .join(', ');
  return [
    'Cluster name, region and size are what the team asked for',
    'Subscription, tenant and workload identity client id belong to this environment',
    'The add-ons enabled fit this environment',
    'Workloads come from trusted repositories and revisions',
    ...(request.workloads.length === 0 ? [] : [workloadNamespaceLine(request)]),
    `Chart versions are the ones we pin: ${versions}`,
    ...newClusterChecklist(request),
    ...kargoChecklist(request),
    ...(isRemote(request)
      ? [
          "The management cluster is onboarded: its cluster-addons Application runs the add-on ApplicationSets that install this cluster's add-ons (a remote cluster gets no cluster-addons ApplicationSet of its own)",
          'The management Argo CD can reach this cluster through workload identity (manual steps below)',
          // Argo CD sends the token of its Azure identity to this URL (objects/clusterSecret.ts).
          `The API server \`${request.cluster.server ?? ''}\` is this cluster's own (\`az aks show -n ${request.cluster.name} -g <resource group> --query fqdn\`): the management Argo CD sends it a token of its Azure identity, valid on every cluster that identity may reach`,
        ]
      : []),
    ...(isManagementCluster(request)
      ? [
          request.adopt.clusterSecret === undefined &&
          request.adopt.clusterAddons === undefined
            ? `No hand-applied registration of this cluster is left (the lab's Secret \`${LAB_SECRET}\` and ApplicationSet \`${LAB_CLUSTER_ADDONS}\`): set \`adopt\` in the request to take them over, or delete them right after merge (manual steps below)`
            : 'The adopted names are those of the hand-applied Secret and ApplicationSet on the management cluster',
        ]
      : []),
  ];
}

/**
 * The checklist of a change: one line for the request as a whole, then lines that follow from what
 * changes (not the creation's lines: the cluster, its resource group and identity exist already).
 *
 * @public
 */
export function changeChecklist(
  request: EnvironmentRequest,
  changes: readonly EnvironmentChange[],
): string[] {
  const { cluster } = request;
  const lines = [
    "The changes above are what the cluster's owners asked for, and nothing else changes",
  ];
  for (const change of changes) {
    switch (change.kind) {
      case 'addon':
        lines.push(
          change.to
            ? `${ADDONS[change.addon].title} fits this environment (${cluster.environment})`
            : `Nothing on the cluster still needs ${ADDONS[change.addon].title}`,
        );
        break;
      case 'kubernetesVersion':
        lines.push(
          `The workloads and add-ons run on Kubernetes ${change.to}: none uses an API that ${change.to} no longer serves`,
        );
        break;
      case 'nodePool':
        lines.push(
          `The subscription's quota in ${cluster.location} allows ${change.to.maxCount} × ${change.to.vmSize}`,
        );
        break;
      case 'owner':
        lines.push(`${change.to} agrees to own the cluster`);
        break;
      default:
        break;
    }
  }
  if (changes.some(c => c.kind === 'workload' && c.action !== 'removed'))
    lines.push(
      'Workloads come from trusted repositories and revisions',
      workloadNamespaceLine(request),
    );
  if (changes.some(c => c.kind === 'addon' && c.addon === 'kargo' && c.to))
    lines.push(...kargoChecklist(request));
  return lines;
}

/**
 * The workloads' AppProject must permit the cluster-scoped kind Namespace for `CreateNamespace=true`
 * (argo-cd v3.2.5 controller/sync.go:310-312 checks every resource, the namespace it creates too,
 * with `IsGroupKindPermitted`, which looks at group and kind only, never the name): so a Namespace
 * manifest in a workload repository, e.g. `argocd` or `kube-system`, would be applied and then
 * deleted with the workload (its Application has the resources finalizer).
 */
function workloadNamespaceLine(request: EnvironmentRequest): string {
  const repos = [...new Set(request.workloads.map(w => w.repoURL))]
    .sort()
    .join(', ');
  return `No workload repository (${repos}) holds a Namespace manifest: the workloads' project must permit kind Namespace for \`CreateNamespace=true\`, Argo CD cannot restrict it by name, and a Namespace such as \`${ARGOCD_NAMESPACE}\` or \`kube-system\` would be taken over and deleted with its workload`;
}

/**
 * Kargo through the hub's addons-kargo ApplicationSet (Azure-Samples/aks-platform-engineering
 * gitops/bootstrap/control-plane/addons/oss/addons-kargo-appset.yaml: Application
 * `addon-{{name}}-kargo`, automated without `retry` nor sync wave; addons/azure/
 * addons-cert-manager-appset.yaml likewise). Both add-on Applications are created together, so
 * Kargo's cert-manager `Issuer` (akuity/kargo v1.10.8 templates/common/cert-issuer.yaml) can reach
 * cert-manager's webhook before it serves, and Argo CD does not retry a failed automated sync of
 * the same revision without `retry` (argo-cd v3.2.5 controller/appcontroller.go:2169-2173). And the
 * default Kargo values publish an admin password hash and token signing key
 * (gitops/environments/default/addons/kargo/values.yaml:3-5, `api.adminAccount`).
 */
function kargoChecklist(request: EnvironmentRequest): string[] {
  if (!request.addons.kargo) return [];
  const { cluster } = request;
  const application = `addon-${cluster.name}-kargo`;
  return [
    `Kargo's admin password hash and token signing key (\`api.adminAccount.passwordHash\`, \`api.adminAccount.tokenSigningKey\`) are overridden in the add-ons repository's \`environments/${cluster.environment}/addons/kargo/values.yaml\` or \`environments/clusters/${cluster.name}/addons/kargo/values.yaml\`: the default values publish them${cluster.environment === 'prod' ? ' (this is prod)' : ''}`,
    ...(request.addons.certManager
      ? [
          `After the add-ons sync: if Application \`${application}\` is SyncFailed (Kargo's Issuer reached cert-manager's webhook before it was ready; the add-on ApplicationSets set no sync retry), sync it once (\`argocd app sync ${application}\`). The add-ons repository's ApplicationSet templates should carry \`syncPolicy.retry\``,
        ]
      : []),
  ];
}

function fenced(language: string, lines: string[]): string {
  return [`\`\`\`${language}`, ...lines, '```'].join('\n');
}

/** The argo-cd chart's values keys that put a component on workload identity (argo-helm argo-cd 9.3.4 values.yaml). */
function workloadIdentityValues(
  request: EnvironmentRequest,
): Record<'controller' | 'server', unknown> {
  const component = () => ({
    podLabels: { 'azure.workload.identity/use': 'true' },
    serviceAccount: {
      annotations: {
        'azure.workload.identity/client-id': request.azure.clientId,
        'azure.workload.identity/tenant-id': request.azure.tenantId,
      },
    },
  });
  return { controller: component(), server: component() };
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
  const resourceGroup =
    cluster.resourceGroup ?? `<resource group of ${cluster.name}>`;
  return [
    `**Workload identity for \`${cluster.name}\`** (once per management cluster and identity). The management cluster's Argo CD reaches this cluster with \`argocd-k8s-auth azure\` as identity \`${azure.clientId}\`. In the management cluster's argo-cd Helm values:`,
    fenced(
      'yaml',
      toYaml(workloadIdentityValues(request)).trimEnd().split('\n'),
    ),
    // The service accounts' names depend on the Helm release: argocd-application-controller and
    // argocd-server for release argocd, argo-cd-argocd-... for release argo-cd (GitOps Bridge,
    // gitops-bridge-dev/terraform-helm-gitops-bridge main.tf; argo-helm argo-cd 9.3.4
    // templates/_common.tpl:18-22), so they are read from the running Argo CD: its controller and
    // server carry label app.kubernetes.io/component = values controller.name / server.name
    // (`application-controller`, `server`; templates/argocd-application-controller/statefulset.yaml:14,
    // templates/argocd-server/deployment.yaml:13, values.yaml:756,1941).
    'On the management cluster (kubectl context and MGMT_RG, MGMT_CLUSTER set to it): the OIDC issuer and workload identity, a federated credential for the service account of the application controller and of the server, read from the running Argo CD, and an AKS RBAC role for the identity on this cluster:',
    fenced('bash', [
      'az aks update -g "$MGMT_RG" -n "$MGMT_CLUSTER" --enable-oidc-issuer --enable-workload-identity',
      'ISSUER=$(az aks show -g "$MGMT_RG" -n "$MGMT_CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)',
      `read -r IDENTITY IDENTITY_RG < <(az identity list --query "[?clientId=='${azure.clientId}'].[name,resourceGroup]" -o tsv)`,
      `for SA in $(kubectl -n ${ARGOCD_NAMESPACE} get sts,deploy -l 'app.kubernetes.io/component in (application-controller,server)' -o jsonpath='{..serviceAccountName}'); do`,
      `  az identity federated-credential create --name "$SA" --identity-name "$IDENTITY" --resource-group "$IDENTITY_RG" --issuer "$ISSUER" --subject "system:serviceaccount:${ARGOCD_NAMESPACE}:$SA" --audiences api://AzureADTokenExchange`,
      'done',
      `az role assignment create --assignee ${azure.clientId} --role "Azure Kubernetes Service RBAC Cluster Admin" --scope "$(az aks show -g "${resourceGroup}" -n ${cluster.name} --subscription ${azure.subscriptionId} --query id -o tsv)"`,
    ]),
  ];
}

/** Taking over, or removing, the lab's hand-applied registration of the management cluster. */
function managementClusterSteps(request: EnvironmentRequest): string[] {
  const names = clusterNames(request.cluster.name);
  const leftover = [
    ...(request.adopt.clusterSecret === undefined
      ? [
          `kubectl -n ${ARGOCD_NAMESPACE} delete secret ${LAB_SECRET} --ignore-not-found`,
        ]
      : []),
    ...(request.adopt.clusterAddons === undefined
      ? [
          `kubectl -n ${ARGOCD_NAMESPACE} delete applicationset ${LAB_CLUSTER_ADDONS} --ignore-not-found`,
        ]
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
 *
 * @public
 */
export function manualSteps(request: EnvironmentRequest): string[] {
  return [
    ...newClusterSteps(request),
    ...(isRemote(request) ? workloadIdentitySteps(request) : []),
    ...(isManagementCluster(request) ? managementClusterSteps(request) : []),
  ];
}
