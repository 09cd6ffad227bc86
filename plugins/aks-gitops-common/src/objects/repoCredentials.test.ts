import fc from 'fast-check';
import { manualSteps, reviewChecklist } from '../review';
import { environmentObjects } from '../render';
import {
  EnvironmentRequestError,
  parseEnvironmentRequest,
  type EnvironmentRequestInput,
} from '../request';
import { azureResourceGroup } from '../rules';
import { validRequest } from '../testing/arbitraries';
import { expectValidAgainstCrd } from '../testing/crdSchemas';
import { newClusterRequest, existingClusterRequest } from '../testing/fixtures';

const base = newClusterRequest();
const withCredentials = newClusterRequest({
  gitopsRepo: {
    ...base.gitopsRepo,
    credentialsSecret: 'gitops-repo-credentials',
  },
});

function resourceSets(input: EnvironmentRequestInput) {
  return environmentObjects(parseEnvironmentRequest(input)).filter(
    file => file.object.kind === 'ClusterResourceSet',
  );
}

describe("repository credentials for a new cluster's Argo CD (issue 10 item 5)", () => {
  it('renders no ClusterResourceSet for a public repository', () => {
    expect(resourceSets(base)).toEqual([]);
  });

  it('copies the named Secret from the cluster namespace into every Cluster the chart renders there, again whenever it changes', () => {
    const [file] = resourceSets(withCredentials);
    expect(file?.path).toBe(
      'samples/dev-cluster/repo-credentials-clusterresourceset.yaml',
    );
    // cluster-api v1.10 internal/controllers/clusterresourceset: resources are read from the
    // ClusterResourceSet's namespace, Clusters selected there; Reconcile re-applies changed data.
    expect(file?.object).toMatchObject({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
      metadata: {
        name: 'dev-cluster-repo-credentials',
        namespace: 'cluster-dev-cluster',
        annotations: {
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        },
      },
      spec: {
        clusterSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'azure-aks-aso' },
        },
        resources: [{ kind: 'Secret', name: 'gitops-repo-credentials' }],
        strategy: 'Reconcile',
      },
    });
  });

  it("matches cluster-api's ClusterResourceSet CRD", () => {
    const [file] = resourceSets(withCredentials);
    expect(() =>
      expectValidAgainstCrd(JSON.parse(JSON.stringify(file?.object))),
    ).not.toThrow();
  });

  it('selects the same Cluster as the HelmChartProxies', () => {
    const objects = environmentObjects(
      parseEnvironmentRequest(withCredentials),
    ).map(f => f.object);
    const selectors = objects.flatMap(o =>
      o.kind === 'HelmChartProxy' || o.kind === 'ClusterResourceSet'
        ? [o.spec.clusterSelector]
        : [],
    );
    expect(selectors).toHaveLength(3);
    expect(new Set(selectors.map(s => JSON.stringify(s))).size).toBe(1);
  });

  it('refuses the field for an existing cluster, by field', () => {
    const existing = existingClusterRequest();
    const input = {
      ...existing,
      gitopsRepo: {
        ...existing.gitopsRepo,
        credentialsSecret: 'gitops-repo-credentials',
      },
    };
    expect(() => parseEnvironmentRequest(input)).toThrow(
      EnvironmentRequestError,
    );
    expect(() => parseEnvironmentRequest(input)).toThrow(
      /^gitopsRepo\.credentialsSecret: must be left out when mode is existing, but it is set/m,
    );
  });

  it('tells the platform team how to create the Secret with the type cluster-api accepts, the token read from the shell', () => {
    const steps = manualSteps(parseEnvironmentRequest(withCredentials)).join(
      '\n',
    );
    // cluster-api v1.10 api/addons/v1beta1/clusterresourceset_types.go: ClusterResourceSetSecretType.
    expect(steps).toContain(
      'kubectl -n cluster-dev-cluster create secret generic gitops-repo-credentials --type=addons.cluster.x-k8s.io/resource-set --from-file=argocd-namespace.yaml --from-file=repository.yaml',
    );
    expect(steps).toContain('argocd.argoproj.io/secret-type=repository');
    expect(steps).toContain('--from-literal=password="$GITOPS_TOKEN"');
  });

  it('has no manual step for a public repository', () => {
    expect(manualSteps(parseEnvironmentRequest(base))).toEqual([]);
  });
});

describe("the cluster's resource group (issue 10 item 11)", () => {
  it("asks the reviewer to check that no resource group of the cluster's name exists", () => {
    const checklist = reviewChecklist(parseEnvironmentRequest(base)).join('\n');
    expect(checklist).toContain(
      'No resource group named `dev-cluster` exists yet',
    );
    expect(checklist).toContain(
      'az group exists --name dev-cluster --subscription',
    );
  });

  it('every valid cluster name is a valid Azure resource group name', () => {
    // azure-aks-aso 0.4.3 _helpers.tpl names the ResourceGroup `{{ quote $clusterName }}`.
    fc.assert(
      fc.property(validRequest, input => {
        const request = parseEnvironmentRequest(input);
        expect(azureResourceGroup.safeParse(request.cluster.name).success).toBe(
          true,
        );
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 1000) / 5 },
    );
  });
});
