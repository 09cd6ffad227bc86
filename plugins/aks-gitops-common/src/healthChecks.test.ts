/**
 * The HelmChartProxy health check, run in a real Lua VM against statuses shaped as CAAPH v0.3.1
 * writes them: conditions Ready / HelmReleaseProxiesReady / HelmReleaseProxySpecsUpToDate
 * (api/v1alpha1/condition_consts.go; cluster-api v1beta1 conditions with `severity`),
 * `matchingClusters` and `observedGeneration` (api/v1alpha1/helmchartproxy_types.go). The healthy
 * and no-match statuses are the ones in CAAPH v0.3.1 docs/quick-start.md.
 */
import {
  HELM_CHART_PROXY_HEALTH_KEY,
  HELM_CHART_PROXY_HEALTH_LUA,
} from './healthChecks';
import { runHealthCheck } from './testing/luaHealth';

const CLUSTER = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  name: 'dev-cluster',
  namespace: 'cluster-dev-cluster',
};

function proxy(
  status: Record<string, unknown> | undefined,
  generation = 1,
): Record<string, unknown> {
  return {
    apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
    kind: 'HelmChartProxy',
    metadata: {
      name: 'dev-cluster-argocd',
      namespace: 'cluster-dev-cluster',
      generation,
    },
    spec: {
      clusterSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'azure-aks-aso' },
      },
      chartName: 'argo-cd',
      repoURL: 'https://argoproj.github.io/argo-helm',
    },
    ...(status === undefined ? {} : { status }),
  };
}

const condition = (
  type: string,
  status: string,
  extra: Record<string, string> = {},
) => ({ type, status, lastTransitionTime: '2026-01-01T00:00:00Z', ...extra });

const allTrue = [
  condition('Ready', 'True'),
  condition('HelmReleaseProxiesReady', 'True'),
  condition('HelmReleaseProxySpecsUpToDate', 'True'),
];

describe('HelmChartProxy health check', () => {
  it('is keyed for argocd-cm by group and kind', () => {
    expect(HELM_CHART_PROXY_HEALTH_KEY).toBe(
      'resource.customizations.health.addons.cluster.x-k8s.io_HelmChartProxy',
    );
  });

  it('is Healthy when Ready is True on the matching clusters', () => {
    const health = runHealthCheck(
      HELM_CHART_PROXY_HEALTH_LUA,
      proxy({
        conditions: allTrue,
        matchingClusters: [CLUSTER],
        observedGeneration: 1,
      }),
    );
    expect(health).toEqual({
      status: 'Healthy',
      message: 'Helm release ready on 1 cluster(s)',
    });
  });

  it('is Progressing before the controller wrote a status', () => {
    expect(
      runHealthCheck(HELM_CHART_PROXY_HEALTH_LUA, proxy(undefined)).status,
    ).toBe('Progressing');
  });

  it('is Progressing when Ready is vacuously True because no Cluster matches the selector', () => {
    const health = runHealthCheck(
      HELM_CHART_PROXY_HEALTH_LUA,
      proxy({
        conditions: allTrue,
        matchingClusters: [],
        observedGeneration: 1,
      }),
    );
    expect(health).toEqual({
      status: 'Progressing',
      message: 'No Cluster matches spec.clusterSelector yet',
    });
  });

  it('is Progressing while the controller has not observed the latest spec', () => {
    const health = runHealthCheck(
      HELM_CHART_PROXY_HEALTH_LUA,
      proxy(
        {
          conditions: allTrue,
          matchingClusters: [CLUSTER],
          observedGeneration: 1,
        },
        2,
      ),
    );
    expect(health.status).toBe('Progressing');
  });

  it('is Degraded with the message when the Helm install failed (severity Error)', () => {
    const message =
      'Helm release failed: failed from HelmReleaseProxy cluster-dev-cluster/dev-cluster-argocd-dev-cluster-x7k2p';
    const failed = {
      reason: 'HelmInstallOrUpgradeFailed',
      severity: 'Error',
      message,
    };
    const status = {
      conditions: [
        condition('Ready', 'False', failed),
        condition('HelmReleaseProxiesReady', 'False', failed),
        condition('HelmReleaseProxySpecsUpToDate', 'True'),
      ],
      matchingClusters: [CLUSTER],
      observedGeneration: 1,
    };
    expect(runHealthCheck(HELM_CHART_PROXY_HEALTH_LUA, proxy(status))).toEqual({
      status: 'Degraded',
      message,
    });
  });

  it('is Progressing while the release is pending (severity Info), naming the reason when there is no message', () => {
    const pending = {
      reason: 'HelmReleasePending',
      severity: 'Info',
      message: '',
    };
    const status = {
      conditions: [condition('Ready', 'False', pending)],
      matchingClusters: [CLUSTER],
      observedGeneration: 1,
    };
    expect(runHealthCheck(HELM_CHART_PROXY_HEALTH_LUA, proxy(status))).toEqual({
      status: 'Progressing',
      message: 'HelmReleasePending',
    });
  });

  it('is Degraded when selecting clusters failed', () => {
    const failed = {
      reason: 'ClusterSelectionFailed',
      severity: 'Error',
      message: 'invalid selector',
    };
    const status = {
      conditions: [condition('Ready', 'False', failed)],
      matchingClusters: [CLUSTER],
      observedGeneration: 1,
    };
    expect(
      runHealthCheck(HELM_CHART_PROXY_HEALTH_LUA, proxy(status)).status,
    ).toBe('Degraded');
  });
});
