/**
 * Argo CD resource health checks for kinds Argo CD has none for. The platform team adds them once
 * to the management cluster's `argocd-cm` (README, "On the real stack, step by step").
 */

/**
 * The `argocd-cm` key of the HelmChartProxy health check (`resource.customizations.health.<group>_<kind>`).
 *
 * @public
 */
export const HELM_CHART_PROXY_HEALTH_KEY =
  'resource.customizations.health.addons.cluster.x-k8s.io_HelmChartProxy';

/**
 * Health of a CAAPH v0.3.1 HelmChartProxy, shaped like Argo CD's built-in checks (argo-cd v3.2.5
 * resource_customizations/addons.cluster.x-k8s.io/ClusterResourceSet/health.lua: a script over
 * `obj` returning `{ status, message }`). Without it Argo CD reports every HelmChartProxy Healthy,
 * even when its release fails to install.
 *
 * CAAPH v0.3.1 (controllers/helmchartproxy/helmchartproxy_controller.go) sets `Ready` as the
 * summary of HelmReleaseProxySpecsUpToDate and HelmReleaseProxiesReady (cluster-api v1beta1
 * conditions: `severity` Error for failures such as HelmInstallOrUpgradeFailed, Info while
 * pending), `status.observedGeneration`, and `status.matchingClusters`. `Ready` is vacuously True
 * when no Cluster matches, so an empty match reads Progressing here: nothing is installed yet.
 *
 * @public
 */
export const HELM_CHART_PROXY_HEALTH_LUA = `local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the HelmChartProxy controller"
  return hs
end
if obj.metadata.generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < obj.metadata.generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the HelmChartProxy controller to observe the latest spec"
  return hs
end
if obj.status.matchingClusters == nil or #obj.status.matchingClusters == 0 then
  hs.status = "Progressing"
  hs.message = "No Cluster matches spec.clusterSelector yet"
  return hs
end
for i, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      hs.status = "Healthy"
      hs.message = "Helm release ready on " .. #obj.status.matchingClusters .. " cluster(s)"
      return hs
    end
    if condition.status == "False" and condition.severity == "Error" then
      hs.status = "Degraded"
    else
      hs.status = "Progressing"
    end
    local message = condition.message
    if message == nil or message == "" then
      message = condition.reason
    end
    if message == nil or message == "" then
      message = "Ready is " .. tostring(condition.status)
    end
    hs.message = message
    return hs
  end
end
hs.status = "Progressing"
hs.message = "Waiting for the Ready condition"
return hs
`;
