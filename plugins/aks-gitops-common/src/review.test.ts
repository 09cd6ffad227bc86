import { parse } from 'yaml';
import { parseEnvironmentRequest } from './request';
import { environmentChanges } from './change/typedDiff';
import { changeChecklist, manualSteps, reviewChecklist } from './review';
import {
  existingClusterRequest,
  managementClusterRequest,
  newClusterRequest,
} from './testing/fixtures';

const remote = parseEnvironmentRequest(existingClusterRequest());
const management = parseEnvironmentRequest(managementClusterRequest());

describe('manual steps for a remote cluster reached through workload identity', () => {
  // argo-cd v3.2.5 docs/operator-manual/declarative-setup.md, section AKS: label the controller and
  // server pods, federate both service accounts, annotate them; argo-helm argo-cd 9.3.4 values keys.
  const text = manualSteps(remote).join('\n');

  it('labels the application controller and server pods and annotates their service accounts in the argo-cd values, as YAML', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
    const component = {
      podLabels: { 'azure.workload.identity/use': 'true' },
      serviceAccount: {
        annotations: {
          'azure.workload.identity/client-id':
            '00000000-0000-0000-0000-000000000003',
          'azure.workload.identity/tenant-id': remote.azure.tenantId,
        },
      },
    };
    expect(parse(block ?? '')).toEqual({
      controller: component,
      server: component,
    });
  });

  // argo-helm argo-cd 9.3.4 templates/_common.tpl:18-22: release argo-cd (GitOps Bridge) names them
  // argo-cd-argocd-application-controller and argo-cd-argocd-server, release argocd without prefix.
  it('federates the service accounts the running Argo CD uses, read from its controller and server, not fixed names', () => {
    expect(text).toContain(
      "for SA in $(kubectl -n argocd get sts,deploy -l 'app.kubernetes.io/component in (application-controller,server)' -o jsonpath='{..serviceAccountName}'); do",
    );
    expect(text).toContain(
      '--subject "system:serviceaccount:argocd:$SA" --audiences api://AzureADTokenExchange',
    );
    expect(text).not.toContain('argocd-application-controller');
    expect(text).toContain(
      `az identity list --query "[?clientId=='00000000-0000-0000-0000-000000000003'].[name,resourceGroup]" -o tsv`,
    );
  });

  it('turns on the OIDC issuer and workload identity of the management cluster before reading its issuer', () => {
    const update =
      'az aks update -g "$MGMT_RG" -n "$MGMT_CLUSTER" --enable-oidc-issuer --enable-workload-identity';
    expect(text).toContain(update);
    expect(text.indexOf(update)).toBeLessThan(
      text.indexOf('ISSUER=$(az aks show'),
    );
  });

  it('gives the identity an AKS RBAC role on the remote cluster', () => {
    expect(text).toContain(
      'az role assignment create --assignee 00000000-0000-0000-0000-000000000003 --role "Azure Kubernetes Service RBAC Cluster Admin" --scope "$(az aks show -g "<resource group of shared-staging>" -n shared-staging',
    );
  });

  it('asks the reviewer to check the management cluster runs the add-on ApplicationSets', () => {
    expect(reviewChecklist(remote)).toContainEqual(
      expect.stringMatching(/^The management cluster is onboarded/),
    );
  });

  it("asks the reviewer to check the API server is the cluster's own, which gets the identity's token", () => {
    expect(reviewChecklist(remote)).toContainEqual(
      `The API server \`${remote.cluster.server}\` is this cluster's own (\`az aks show -n shared-staging -g <resource group> --query fqdn\`): the management Argo CD sends it a token of its Azure identity, valid on every cluster that identity may reach`,
    );
  });

  it('has none of it for a new cluster or the management cluster', () => {
    for (const request of [
      parseEnvironmentRequest(newClusterRequest()),
      management,
    ]) {
      expect(manualSteps(request).join('\n')).not.toContain(
        'azure.workload.identity',
      );
    }
  });
});

describe('the management cluster registered by hand (the lab)', () => {
  it("says to delete the lab's Secret and ApplicationSet right after merge when it adopts neither", () => {
    const text = manualSteps(management).join('\n');
    expect(text).toContain(
      'kubectl -n argocd delete secret aks-labs-gitops --ignore-not-found',
    );
    expect(text).toContain(
      'kubectl -n argocd delete applicationset cluster-addons --ignore-not-found',
    );
    expect(reviewChecklist(management)).toContainEqual(
      expect.stringContaining('set `adopt` in the request to take them over'),
    );
  });

  it('deletes only what it does not adopt, and nothing when it adopts both', () => {
    const secretOnly = parseEnvironmentRequest({
      ...management,
      adopt: { clusterSecret: 'aks-labs-gitops' },
    });
    expect(manualSteps(secretOnly).join('\n')).not.toContain('delete secret');
    expect(manualSteps(secretOnly).join('\n')).toContain(
      'delete applicationset cluster-addons',
    );
    const both = parseEnvironmentRequest({
      ...management,
      adopt: {
        clusterSecret: 'aks-labs-gitops',
        clusterAddons: 'cluster-addons',
      },
    });
    expect(manualSteps(both)).toEqual([]);
  });
});

describe('Kargo in the review', () => {
  const kargo = parseEnvironmentRequest(
    newClusterRequest({ addons: { kargo: true } }),
  );

  // aks-platform-engineering addons-kargo-appset.yaml and addons/azure/addons-cert-manager-appset.yaml
  // carry no retry nor sync wave; argo-cd v3.2.5 controller/appcontroller.go:2169-2173.
  it("asks to sync the Kargo add-on once if it failed on cert-manager's webhook", () => {
    expect(reviewChecklist(kargo)).toContainEqual(
      expect.stringContaining(
        'if Application `addon-dev-cluster-kargo` is SyncFailed',
      ),
    );
  });

  // aks-platform-engineering gitops/environments/default/addons/kargo/values.yaml:3-5.
  it('asks that the public default admin password hash and token signing key are overridden', () => {
    expect(reviewChecklist(kargo)).toContainEqual(
      expect.stringMatching(
        /^Kargo's admin password hash and token signing key .* are overridden/,
      ),
    );
  });

  it('has no Kargo line without Kargo', () => {
    const none = parseEnvironmentRequest(
      newClusterRequest({ addons: { kargo: false } }),
    );
    expect(reviewChecklist(none).join('\n')).not.toContain('Kargo');
  });
});

describe('workload namespaces in the review', () => {
  // argo-cd v3.2.5 controller/sync.go:310-312: cluster-scoped kinds are checked by group and kind only.
  it('asks that no workload repository holds a Namespace manifest', () => {
    const request = parseEnvironmentRequest(newClusterRequest());
    expect(request.workloads.length).toBeGreaterThan(0);
    expect(reviewChecklist(request)).toContainEqual(
      expect.stringMatching(
        /^No workload repository \(.*\) holds a Namespace manifest/,
      ),
    );
  });
});

describe('the checklist of a change', () => {
  const before = parseEnvironmentRequest(
    newClusterRequest({ addons: { kargo: false, argoRollouts: true } }),
  );
  const checklist = (after: ReturnType<typeof parseEnvironmentRequest>) =>
    changeChecklist(after, environmentChanges(before, after));

  it("leaves out the creation's lines: the resource group, identity and chart pins exist already", () => {
    const after = {
      ...before,
      addons: { ...before.addons, argoRollouts: false },
    };
    expect(checklist(after)).toEqual([
      "The changes above are what the cluster's owners asked for, and nothing else changes",
      'Nothing on the cluster still needs Argo Rollouts',
    ]);
  });

  it('asks about the new version, the pool quota and the new owner when those change', () => {
    const after = {
      ...before,
      owner: 'group:default/app-team',
      cluster: {
        ...before.cluster,
        kubernetesVersion: '1.36.2',
        nodePool: { ...before.cluster.nodePool, maxCount: 7 },
      },
    };
    expect(checklist(after).slice(1)).toEqual([
      'The workloads and add-ons run on Kubernetes 1.36.2: none uses an API that 1.36.2 no longer serves',
      `The subscription's quota in ${before.cluster.location} allows 7 × ${before.cluster.nodePool.vmSize}`,
      'group:default/app-team agrees to own the cluster',
    ]);
  });

  it("asks for trusted sources and no Namespace manifest for an added workload, and Kargo's lines when Kargo comes on", () => {
    const after = {
      ...before,
      addons: { ...before.addons, kargo: true },
      workloads: [
        ...before.workloads,
        {
          name: 'extra',
          repoURL: 'https://github.com/acme/extra',
          path: 'deploy',
          targetRevision: 'HEAD',
          namespace: 'extra',
        },
      ],
    };
    const text = checklist(after).join('\n');
    expect({
      trusted: text.includes('Workloads come from trusted repositories'),
      namespace: text.includes('holds a Namespace manifest'),
      kargo: text.includes("Kargo's admin password hash"),
    }).toEqual({ trusted: true, namespace: true, kargo: true });
  });
});
