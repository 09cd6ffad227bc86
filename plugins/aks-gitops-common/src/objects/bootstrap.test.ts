import { SYNC_RETRY } from '../defaults';
import { clusterNames, clusterPaths } from '../naming';
import { parseEnvironmentRequest } from '../request';
import { chartConstantLabels } from '../testing/azureAksAsoChart';
import { newClusterRequest } from '../testing/fixtures';
import {
  argoCdProxy,
  argocdAppsProxy,
  argocdAppsValues,
  ARGOCD_RELEASE,
  selfManagementApplication,
} from './bootstrap';

const request = parseEnvironmentRequest(newClusterRequest());
const names = clusterNames(request.cluster.name);
const paths = clusterPaths(request.gitopsRepo.managementPath, names.cluster);
const argoCd = argoCdProxy(request, names);
const argocdApps = argocdAppsProxy(request, names, '');
const selfManagement = selfManagementApplication(request, names, paths);

describe('one Argo CD on a new cluster, adopted by the argocd add-on (issue 10 item 6)', () => {
  it('installs Argo CD as the release the add-on manages, in the namespace it manages', () => {
    // Azure-Samples/aks-platform-engineering gitops/bootstrap/control-plane/addons/oss/addons-argo-cd-appset.yaml:
    // `addonChart: argo-cd`, `releaseName: '{{values.addonChart}}'`, `addonChartRepositoryNamespace: argocd`.
    expect(ARGOCD_RELEASE).toBe('argo-cd');
    expect(argoCd.spec).toMatchObject({
      chartName: 'argo-cd',
      releaseName: 'argo-cd',
      namespace: 'argocd',
      repoURL: 'https://argoproj.github.io/argo-helm',
    });
  });

  it('installs Argo CD once, so CAAPH never upgrades nor uninstalls it afterwards', () => {
    // CAAPH v0.3.1 api/v1alpha1/helmchartproxy_types.go: ReconcileStrategyInstallOnce.
    expect(argoCd.spec.reconcileStrategy).toBe('InstallOnce');
  });

  it('keeps argocd-apps continuously reconciled, so a changed self-management Application reaches the cluster', () => {
    expect(argocdApps.spec.releaseName).toBe('argocd-apps');
    expect(argocdApps.spec).not.toHaveProperty('reconcileStrategy');
  });

  it('creates the self-management Application in the namespace Argo CD watches', () => {
    // argo-helm argocd-apps 2.0.2 templates/applications.yaml: `namespace: {{ . }}` from the entry.
    expect(
      argocdAppsValues(selfManagement).applications[
        names.selfManagementApplication
      ],
    ).toMatchObject({ namespace: argoCd.spec.namespace });
  });
});

describe('HelmChartProxy cluster selector (issue 10 item 8)', () => {
  it.each([
    ['argo-cd', argoCd],
    ['argocd-apps', argocdApps],
  ])(
    '%s selects on a label the chart writes with a fixed value on the Cluster',
    (_chart, proxy) => {
      // azure-aks-aso 0.4.3 templates/_helpers.tpl `capz.commonLabels` (on the Cluster in templates/cluster.yaml).
      expect(chartConstantLabels()).toMatchObject(
        proxy.spec.clusterSelector.matchLabels,
      );
    },
  );

  it("never selects on Argo CD's tracking label", () => {
    // argo-cd v3.2.5 label tracking writes app.kubernetes.io/instance (common.LabelKeyAppInstance).
    for (const proxy of [argoCd, argocdApps])
      expect(proxy.spec.clusterSelector.matchLabels).not.toHaveProperty(
        'app.kubernetes.io/instance',
      );
  });
});

describe('bootstrap objects survive the removal of the folder (issue 10 item 7)', () => {
  it.each([
    ['argo-cd', argoCd],
    ['argocd-apps', argocdApps],
  ])(
    '%s HelmChartProxy is neither prunable nor deletable by Argo CD',
    (_chart, proxy) => {
      expect(proxy.metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    },
  );
});

describe('self-management Application retries (issue 10 item 9)', () => {
  it('retries a failed sync with backoff', () => {
    expect(selfManagement.spec.syncPolicy?.retry).toEqual(SYNC_RETRY);
    expect(
      argocdAppsValues(selfManagement).applications[
        names.selfManagementApplication
      ],
    ).toMatchObject({ syncPolicy: { retry: SYNC_RETRY } });
  });
});

describe('self-management Application deletion (issue 10 review 6)', () => {
  // The argocd-apps proxy is Continuous: CAAPH v0.3.1 uninstalls argocd-apps when the proxy is
  // deleted or stops matching, and Argo CD would cascade the finalizer to the whole cluster folder.
  it("carries no resources finalizer, so an uninstalled argocd-apps leaves the cluster folder's objects in place", () => {
    expect(selfManagement.metadata?.finalizers).toBeUndefined();
    expect(
      argocdAppsValues(selfManagement).applications[
        names.selfManagementApplication
      ],
    ).not.toHaveProperty('finalizers');
  });
});
