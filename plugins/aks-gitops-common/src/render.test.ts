import { renderEnvironment } from './render';
import { GENERATED_HEADER } from './serialize';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from './testing/fixtures';
import { list, readFiles, readYaml, text, type Yaml } from './testing/readBack';

const request = newClusterRequest();
const rendered = renderEnvironment(request);
const objects = readFiles(rendered.files);

function object(path: string): Yaml {
  const found = objects.get(path);
  if (found === undefined)
    throw new Error(`no file ${path}; have ${[...objects.keys()].join(', ')}`);
  return found;
}

function allOfKind(kind: string, from: Map<string, Yaml> = objects): Yaml[] {
  return [...from.values()].filter(o => text(o.kind) === kind);
}

describe('renderEnvironment, mode new', () => {
  it('renders the management side under the management path and the cluster side under clusters/', () => {
    expect(Object.keys(rendered.files)).toEqual([
      'clusters/dev-cluster/aks-gitops-request.yaml',
      'clusters/dev-cluster/catalog-info.yaml',
      'clusters/dev-cluster/cluster-addons-applicationset.yaml',
      'clusters/dev-cluster/cluster-secret.yaml',
      'clusters/dev-cluster/workloads-appproject.yaml',
      'clusters/dev-cluster/workloads/aks-store-demo.yaml',
      'samples/dev-cluster/aks-cluster.yaml',
      'samples/dev-cluster/argocd-apps-helmchartproxy.yaml',
      'samples/dev-cluster/argocd-helmchartproxy.yaml',
      'samples/dev-cluster/namespace.yaml',
    ]);
    expect(rendered.entityRef).toBe('resource:default/dev-cluster');
  });

  it('starts every file but the stored request with the generated-by header', () => {
    for (const [path, content] of Object.entries(rendered.files))
      expect(content.startsWith(`#${GENERATED_HEADER}\n`)).toBe(
        !path.endsWith('/aks-gitops-request.yaml'),
      );
  });

  it("never lets the management cluster sync the new cluster's Secret", () => {
    const managementFiles = [...objects.entries()].filter(([path]) =>
      path.startsWith('samples/'),
    );
    expect(managementFiles.map(([, o]) => o.kind)).not.toContain('Secret');
  });

  it('provisions through the pinned azure-aks-aso chart with a per-cluster ClusterClass and only the pool asked for', () => {
    const app = object('samples/dev-cluster/aks-cluster.yaml');
    expect(app.spec.source.chart).toBe('azure-aks-aso');
    expect(app.spec.source.targetRevision).toBe('v0.4.3');
    expect(app.spec.source.helm.valuesObject).toBeUndefined();
    const values = readYaml(app.spec.source.helm.values);
    expect(values.clusterClassName).toBe('dev-cluster-class');
    expect(values.kubernetesVersion).toBe('v1.35.6');
    expect(values.managedMachinePoolSpecs).toEqual({
      pool0: {
        count: 1,
        enableAutoScaling: true,
        minCount: 1,
        maxCount: 3,
        mode: 'System',
        osSKU: 'AzureLinux',
        vmSize: 'Standard_DS2_v2',
        type: 'VirtualMachineScaleSets',
      },
      // null deletes the chart's default second pool; it must survive as text (not valuesObject).
      pool1: null,
    });
    expect(values).not.toHaveProperty('clientSecret');
  });

  it('bootstraps Argo CD with pinned HelmChartProxies that select only this cluster', () => {
    const app = object('samples/dev-cluster/aks-cluster.yaml');
    const proxies = allOfKind('HelmChartProxy');
    expect(proxies.map(p => p.spec.chartName).sort()).toEqual([
      'argo-cd',
      'argocd-apps',
    ]);
    for (const proxy of proxies) {
      // CAAPH selects Clusters in the proxy's own namespace: the one the chart renders into.
      expect(proxy.metadata.namespace).toBe(app.spec.destination.namespace);
      // azure-aks-aso 0.4.3 labels its Cluster `app.kubernetes.io/name: azure-aks-aso`; Argo CD never writes that label.
      expect(proxy.spec.clusterSelector.matchLabels).toEqual({
        'app.kubernetes.io/name': 'azure-aks-aso',
      });
      expect(proxy.spec.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(object('samples/dev-cluster/namespace.yaml').metadata.name).toBe(
      app.spec.destination.namespace,
    );
  });

  it("points the new cluster's Argo CD at its own folder, map-form applications, catalog file excluded", () => {
    const proxy = object('samples/dev-cluster/argocd-apps-helmchartproxy.yaml');
    const values = readYaml(proxy.spec.valuesTemplate);
    expect(Object.keys(values.applications)).toEqual(['dev-cluster-gitops']);
    const app = values.applications['dev-cluster-gitops'];
    expect(app.source).toEqual({
      repoURL: 'https://github.com/acme/app-project-env',
      targetRevision: 'main',
      path: 'clusters/dev-cluster',
      // The catalog entity and the stored request are not Kubernetes objects.
      directory: {
        recurse: true,
        exclude: '{catalog-info.yaml,aks-gitops-request.yaml}',
      },
    });
    expect(app.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'argocd',
    });
    expect(app.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
  });

  it('registers the new cluster in its own Argo CD as in-cluster, with GitOps Bridge labels and annotations', () => {
    const secret = object('clusters/dev-cluster/cluster-secret.yaml');
    expect(secret.metadata.labels).toMatchObject({
      'argocd.argoproj.io/secret-type': 'cluster',
      cluster_name: 'dev-cluster',
      environment: 'dev',
      enable_argocd: 'true',
      enable_argo_events: 'false',
      enable_argo_rollouts: 'true',
      enable_argo_workflows: 'false',
      enable_cert_manager: 'true',
      enable_kargo: 'true',
      argocd_chart_version: '9.3.4',
      argo_rollouts_chart_version: '2.37.7',
      kargo_chart_version: '1.10.8',
    });
    for (const value of Object.values(secret.metadata.labels))
      expect(typeof value).toBe('string');
    expect(secret.metadata.annotations).toMatchObject({
      addons_repo_url:
        'https://github.com/Azure-Samples/aks-platform-engineering',
      addons_repo_basepath: 'gitops/',
      addons_repo_path: 'bootstrap/control-plane/addons',
      addons_repo_revision: 'main',
      infrastructure_provider: 'capz',
      akspe_identity_id: '00000000-0000-0000-0000-000000000003',
      tenant_id: '00000000-0000-0000-0000-000000000002',
      subscription_id: '00000000-0000-0000-0000-000000000001',
    });
    expect(secret.stringData.name).toBe('dev-cluster');
    expect(secret.stringData.server).toBe('https://kubernetes.default.svc');
    expect(JSON.parse(text(secret.stringData.config))).toEqual({
      tlsClientConfig: { insecure: false },
    });
  });

  it('omits the chart-version label of a disabled add-on', () => {
    const secret = readYaml(
      renderEnvironment(newClusterRequest({ addons: { kargo: false } })).files[
        'clusters/dev-cluster/cluster-secret.yaml'
      ] ?? '',
    );
    expect(secret.metadata.labels.enable_kargo).toBe('false');
    expect(secret.metadata.labels).not.toHaveProperty('kargo_chart_version');
  });

  it('uses overridden chart versions everywhere they appear', () => {
    const files = readFiles(
      renderEnvironment(
        newClusterRequest({
          chartVersions: {
            argoCd: '9.9.9',
            azureAksAso: 'v0.5.0',
            kargo: '1.11.0',
          },
        }),
      ).files,
    );
    expect(
      files.get('samples/dev-cluster/argocd-helmchartproxy.yaml')?.spec.version,
    ).toBe('9.9.9');
    expect(
      files.get('samples/dev-cluster/aks-cluster.yaml')?.spec.source
        .targetRevision,
    ).toBe('v0.5.0');
    expect(
      files.get('clusters/dev-cluster/cluster-secret.yaml')?.metadata.labels,
    ).toMatchObject({
      argocd_chart_version: '9.9.9',
      kargo_chart_version: '1.11.0',
    });
  });

  it('generates one uniquely named cluster-addons Application for this cluster only, failing on missing keys', () => {
    const appSet = object(
      'clusters/dev-cluster/cluster-addons-applicationset.yaml',
    );
    expect(appSet.metadata.name).toBe('cluster-addons-dev-cluster');
    expect(appSet.spec.goTemplate).toBe(true);
    expect(appSet.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(appSet.spec.generators).toEqual([
      {
        clusters: {
          selector: {
            matchLabels: {
              'argocd.argoproj.io/secret-type': 'cluster',
              cluster_name: 'dev-cluster',
            },
          },
        },
      },
    ]);
    expect(appSet.spec.template.metadata.name).toBe(
      'cluster-addons-{{ .name }}',
    );
    expect(appSet.spec.template.spec.source.directory).toEqual({
      recurse: true,
      exclude: 'exclude/*',
    });
  });

  // argo-cd v3.2.5 applicationset/generators/cluster.go (getClusterParameters) passes the Secret's
  // annotations as the map `.metadata.annotations`; with missingkey=error (applicationset/utils/
  // utils.go, Replace) a missing key read by field access fails generation, `index` yields "".
  it('reads every cluster Secret annotation by field access, so a missing one fails generation', () => {
    const template = object(
      'clusters/dev-cluster/cluster-addons-applicationset.yaml',
    ).spec.template;
    const secret = object('clusters/dev-cluster/cluster-secret.yaml');
    const expressions = JSON.stringify(template).match(/\{\{[^}]*\}\}/g) ?? [];
    expect(expressions.join(' ')).not.toContain('index');
    const keys = expressions.flatMap(
      e =>
        /^\{\{ \.metadata\.annotations\.([A-Za-z0-9_]+) \}\}$/.exec(e)?.[1] ??
        [],
    );
    expect(keys.sort()).toEqual([
      'addons_repo_basepath',
      'addons_repo_path',
      'addons_repo_revision',
      'addons_repo_url',
    ]);
    for (const key of keys)
      expect(secret.metadata.annotations).toHaveProperty(key);
    expect(template.spec.source.path).toBe(
      '{{ .metadata.annotations.addons_repo_basepath }}{{ .metadata.annotations.addons_repo_path }}',
    );
  });

  // A failed automated sync is retried only with syncPolicy.retry (argo-cd v3.2.5 controller/appcontroller.go).
  it('retries failed syncs of the cluster-addons and workload Applications with backoff', () => {
    const addons = object(
      'clusters/dev-cluster/cluster-addons-applicationset.yaml',
    ).spec.template.spec;
    const workload = object(
      'clusters/dev-cluster/workloads/aks-store-demo.yaml',
    ).spec;
    for (const spec of [addons, workload]) {
      expect(spec.syncPolicy.retry).toEqual({
        limit: 10,
        backoff: { duration: '30s', factor: 2, maxDuration: '10m' },
      });
    }
  });

  it("puts the workloads in the cluster's own AppProject, deleting their resources with them", () => {
    const workload = object(
      'clusters/dev-cluster/workloads/aks-store-demo.yaml',
    );
    expect(workload.spec.project).toBe('dev-cluster-workloads');
    expect(workload.metadata.finalizers).toEqual([
      'resources-finalizer.argocd.argoproj.io',
    ]);
  });

  // argo-cd v3.2.5 pkg/apis/application/v1alpha1/app_project_types.go IsGroupKindPermitted: an empty
  // clusterResourceWhitelist permits no cluster-scoped kind, and CreateNamespace=true's Namespace is
  // checked like any resource (controller/sync.go WithPermissionValidator).
  it("limits the AppProject to the workloads' repositories and namespaces, cluster-scoped kinds to Namespace", () => {
    const second = {
      name: 'api',
      repoURL: 'git@github.com:acme/api.git',
      path: '.',
      namespace: 'api',
    };
    const files = readFiles(
      renderEnvironment(
        newClusterRequest({
          workloads: [...(request.workloads ?? []), second],
        }),
      ).files,
    );
    const project = files.get('clusters/dev-cluster/workloads-appproject.yaml');
    expect(project?.metadata).toMatchObject({
      name: 'dev-cluster-workloads',
      namespace: 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
    });
    expect(project?.spec.sourceRepos).toEqual([
      'git@github.com:acme/api.git',
      'https://github.com/Azure-Samples/aks-store-demo.git',
    ]);
    expect(project?.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'api' },
      { server: 'https://kubernetes.default.svc', namespace: 'pets' },
    ]);
    expect(project?.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
    ]);
    expect(project?.spec).not.toHaveProperty('namespaceResourceBlacklist');
  });

  it('puts syncOptions under syncPolicy in every Application, where Argo CD reads them', () => {
    const apps = allOfKind('Application');
    expect(apps.length).toBeGreaterThan(1);
    for (const app of apps) expect(app.spec).not.toHaveProperty('syncOptions');
    const workload = object(
      'clusters/dev-cluster/workloads/aks-store-demo.yaml',
    );
    expect(workload.metadata).toMatchObject({
      name: 'dev-cluster-aks-store-demo',
      namespace: 'argocd',
    });
    expect(workload.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'pets',
    });
    expect(workload.spec.syncPolicy.syncOptions).toEqual([
      'CreateNamespace=true',
    ]);
  });

  it('describes the cluster for the catalog', () => {
    const entity = object('clusters/dev-cluster/catalog-info.yaml');
    expect(entity).toMatchObject({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'dev-cluster', tags: ['aks', 'dev', 'eastus'] },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:default/platform-team',
      },
    });
    expect(entity.spec).not.toHaveProperty('system');
    expect(entity.metadata.annotations).toMatchObject({
      'aks-gitops.io/addon-kargo': 'true',
      'aks-gitops.io/addon-cert-manager': 'true',
    });
    expect(list(entity.metadata.links).map(l => l.title)).toEqual([
      'GitOps folder',
      'Azure resource group',
    ]);
    const withSystem = readYaml(
      renderEnvironment(
        newClusterRequest({ system: 'system:default/payments' }),
      ).files['clusters/dev-cluster/catalog-info.yaml'] ?? '',
    );
    expect(withSystem.spec.system).toBe('system:default/payments');
  });
});

describe('renderEnvironment, mode existing', () => {
  it('registers a remote cluster with workload identity through the exec provider, never a token', () => {
    const files = readFiles(renderEnvironment(existingClusterRequest()).files);
    expect([...files.keys()]).toEqual([
      'clusters/shared-staging/catalog-info.yaml',
      'samples/shared-staging/cluster-secret.yaml',
      'samples/shared-staging/workloads-appproject.yaml',
      'samples/shared-staging/workloads/aks-store-demo.yaml',
    ]);
    const secret = files.get('samples/shared-staging/cluster-secret.yaml');
    expect(secret?.stringData.server).toBe(
      'https://shared-staging-dns-abc123.hcp.westeurope.azmk8s.io:443',
    );
    const config = JSON.parse(text(secret?.stringData.config));
    expect(config.execProviderConfig).toEqual({
      command: 'argocd-k8s-auth',
      args: ['azure'],
      env: {
        AAD_ENVIRONMENT_NAME: 'AzurePublicCloud',
        AAD_LOGIN_METHOD: 'workloadidentity',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000003',
        AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000002',
      },
      apiVersion: 'client.authentication.k8s.io/v1beta1',
    });
    expect(config.tlsClientConfig.insecure).toBe(false);
    expect(config).not.toHaveProperty('bearerToken');
    expect(config).not.toHaveProperty('password');
  });

  // The add-on ApplicationSets run where an ApplicationSet controller sees the cluster Secrets: the
  // hub (aks-platform-engineering gitops/bootstrap/control-plane/addons/oss/*-appset.yaml select
  // Secrets by enable_* labels and deploy to `name`). A remote cluster has no controller.
  it("gives a remote cluster no cluster-addons ApplicationSet: the hub's add-on ApplicationSets pick its Secret up", () => {
    const files = readFiles(renderEnvironment(existingClusterRequest()).files);
    expect(allOfKind('ApplicationSet', files)).toEqual([]);
    expect(
      files.get('samples/shared-staging/cluster-secret.yaml')?.metadata.labels,
    ).toMatchObject({ enable_kargo: 'true' });
  });

  it('keeps the cluster-addons ApplicationSet for the cluster Argo CD runs in', () => {
    const input = managementClusterRequest();
    const appSet = readYaml(
      renderEnvironment(input).files[
        'samples/aks-labs-gitops/cluster-addons-applicationset.yaml'
      ] ?? '',
    );
    expect(appSet.metadata.name).toBe('cluster-addons-aks-labs-gitops');
  });

  it("takes over the lab's hand-applied Secret and ApplicationSet by name when asked to", () => {
    const input = managementClusterRequest({
      adopt: {
        clusterSecret: 'aks-labs-gitops',
        clusterAddons: 'cluster-addons',
      },
    });
    const files = readFiles(renderEnvironment(input).files);
    expect(
      files.get('samples/aks-labs-gitops/cluster-secret.yaml')?.metadata.name,
    ).toBe('aks-labs-gitops');
    const appSet = files.get(
      'samples/aks-labs-gitops/cluster-addons-applicationset.yaml',
    );
    expect(appSet?.metadata.name).toBe('cluster-addons');
    // Its Application stays per cluster, so the lab's `cluster-addons` Application is replaced, not shared.
    expect(appSet?.spec.template.metadata.name).toBe(
      'cluster-addons-{{ .name }}',
    );
  });

  it("puts a remote cluster's workloads in an AppProject that targets that cluster by name", () => {
    const project = readYaml(
      renderEnvironment(existingClusterRequest()).files[
        'samples/shared-staging/workloads-appproject.yaml'
      ] ?? '',
    );
    expect(project.spec.destinations).toEqual([
      { name: 'shared-staging', namespace: 'pets' },
    ]);
  });

  it('deploys workloads from the management Argo CD to the registered cluster by name', () => {
    const files = readFiles(renderEnvironment(existingClusterRequest()).files);
    expect(
      files.get('samples/shared-staging/workloads/aks-store-demo.yaml')?.spec
        .destination,
    ).toEqual({
      name: 'shared-staging',
      namespace: 'pets',
    });
  });

  it('carries the annotations the Kubernetes plugin locator reads when the API server and CA are known', () => {
    const input = existingClusterRequest();
    const entity = readYaml(
      renderEnvironment(input).files[
        'clusters/shared-staging/catalog-info.yaml'
      ] ?? '',
    );
    expect(entity.metadata.annotations).toMatchObject({
      'kubernetes.io/api-server':
        'https://shared-staging-dns-abc123.hcp.westeurope.azmk8s.io:443',
      'kubernetes.io/api-server-certificate-authority': input.cluster.caData,
      'kubernetes.io/auth-provider': 'aks',
    });
    expect(entity.metadata.annotations).not.toHaveProperty(
      'kubernetes.io/dashboard-app',
    );
  });

  it('adds the AKS dashboard parameters when the resource group is known too', () => {
    const input = existingClusterRequest();
    const withGroup = {
      ...input,
      cluster: { ...input.cluster, resourceGroup: 'rg-shared-staging' },
    };
    const entity = readYaml(
      renderEnvironment(withGroup).files[
        'clusters/shared-staging/catalog-info.yaml'
      ] ?? '',
    );
    expect(entity.metadata.annotations['kubernetes.io/dashboard-app']).toBe(
      'aks',
    );
    expect(
      JSON.parse(
        text(entity.metadata.annotations['kubernetes.io/dashboard-parameters']),
      ),
    ).toEqual({
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      resourceGroup: 'rg-shared-staging',
      clusterName: 'shared-staging',
    });
  });

  it("registers the management cluster itself as in-cluster (the lab's Step 1 and 2)", () => {
    const input = managementClusterRequest();
    const secret = readYaml(
      renderEnvironment(input).files[
        'samples/aks-labs-gitops/cluster-secret.yaml'
      ] ?? '',
    );
    expect(secret.stringData.server).toBe('https://kubernetes.default.svc');
    expect(secret.metadata.labels.environment).toBe('control-plane');
  });
});

describe('rendering several environments into one repository', () => {
  const environments = [
    newClusterRequest(),
    newClusterRequest({
      cluster: {
        name: 'prod-cluster',
        environment: 'prod',
        location: 'westus3',
      },
    }),
    existingClusterRequest(),
    managementClusterRequest(),
  ].map(input => renderEnvironment(input));

  it('never writes two different contents to one path', () => {
    const tree = new Map<string, string>();
    for (const env of environments) {
      for (const [path, content] of Object.entries(env.files)) {
        const existing = tree.get(path);
        // The first content seen at a path is what every later one must be.
        expect(content).toBe(existing ?? content);
        tree.set(path, content);
      }
    }
  });

  it('never gives two objects one identity on the management cluster', () => {
    const identities = environments.flatMap(env =>
      [...readFiles(env.files).entries()]
        .filter(([path]) => path.startsWith('samples/'))
        .map(
          ([, o]) =>
            `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        ),
    );
    expect(new Set(identities).size).toBe(identities.length);
  });
});

describe('determinism', () => {
  it('renders byte-for-byte the same files for the same request, whatever its key order', () => {
    const reversed = JSON.parse(
      JSON.stringify(request),
      (_key, value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
    );
    expect(renderEnvironment(reversed).files).toEqual(rendered.files);
    expect(JSON.stringify(renderEnvironment(request).files)).toBe(
      JSON.stringify(rendered.files),
    );
  });
});
