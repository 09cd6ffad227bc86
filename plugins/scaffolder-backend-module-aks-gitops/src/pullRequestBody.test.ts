import { parseEnvironmentRequest } from '@aks-gitops/plugin-aks-gitops-common';
import { exampleEnvironment } from './actions/exampleEnvironment';
import { pullRequestBody, pullRequestTitle } from './pullRequestBody';

/** A self-signed CA certificate, base64 of its PEM, as `az aks show` reports it. */
const CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUAKS=\n-----END CERTIFICATE-----\n',
).toString('base64');

const request = parseEnvironmentRequest(exampleEnvironment);

describe('pullRequestBody', () => {
  const body = pullRequestBody({
    request,
    files: ['a.yaml', 'b.yaml'],
    taskUrl: 'https://backstage.example.com/create/tasks/t1',
  });

  it('summarises the environment in a table', () => {
    expect(body).toContain('| Cluster | dev-cluster |');
    expect(body).toContain('| Region | eastus |');
    // The example's new cluster has Kargo, so cert-manager is on (the render library's rule).
    expect(body).toContain(
      '| Add-ons | ✅ Argo CD · ⬜ Argo Events · ⬜ Argo Rollouts · ⬜ Argo Workflows · ✅ cert-manager (on: Kargo needs it) · ✅ Kargo |',
    );
    expect(body).toContain('| Workloads | aks-store-demo → pets |');
    expect(body).toContain('| System | — |');
  });

  it('names the add-ons repository the cluster installs from, another one too', () => {
    expect(body).toContain(
      '| Add-ons repository | https://github.com/Azure-Samples/aks-platform-engineering @ main, gitops/bootstrap/control-plane/addons |',
    );
    const elsewhere = parseEnvironmentRequest({
      ...exampleEnvironment,
      addonsRepo: {
        url: 'https://evil.example/addons',
        basepath: '',
        path: 'x',
        revision: 'main',
      },
    });
    expect(pullRequestBody({ request: elsewhere, files: [] })).toContain(
      '| Add-ons repository | https://evil.example/addons @ main, x |',
    );
  });

  it('names the repository, revision and path of every workload', () => {
    const [workload] = request.workloads;
    expect(body).toContain(
      `| Workload sources | aks-store-demo: ${workload?.repoURL} @ ${workload?.targetRevision}, ${workload?.path} |`,
    );
  });

  it('lists the files, a checklist and the task link', () => {
    expect(body).toContain('### Files (2)\n\n- `a.yaml`\n- `b.yaml`');
    expect(body).toContain(
      '- [ ] Chart versions are the ones we pin: azureAksAso v0.4.3',
    );
    expect(body).toContain(
      '[this Backstage task](https://backstage.example.com/create/tasks/t1)',
    );
  });

  it('shows cert-manager on when a new cluster with Kargo leaves it out', () => {
    const addons = { ...exampleEnvironment.addons, certManager: undefined };
    const defaulted = parseEnvironmentRequest({
      ...exampleEnvironment,
      addons,
    });
    expect(pullRequestBody({ request: defaulted, files: [] })).toContain(
      '✅ cert-manager (on: Kargo needs it)',
    );
  });

  it('gives no reason for cert-manager without Kargo', () => {
    const addons = {
      ...exampleEnvironment.addons,
      kargo: false,
      certManager: true,
    };
    const text = pullRequestBody({
      request: parseEnvironmentRequest({ ...exampleEnvironment, addons }),
      files: [],
    });
    expect(text).toContain('✅ cert-manager · ⬜ Kargo');
  });

  it('prints the manual steps of a remote cluster, workload identity commands in fenced blocks', () => {
    const remote = parseEnvironmentRequest({
      ...exampleEnvironment,
      mode: 'existing',
      cluster: {
        name: 'shared-staging',
        environment: 'staging',
        location: 'westeurope',
        server: 'https://shared-staging.hcp.westeurope.azmk8s.io:443',
        caData: CA_DATA,
      },
    });
    const text = pullRequestBody({ request: remote, files: [] });
    expect(text).toContain('### What the platform team does by hand');
    expect(text).toContain(
      '```bash\naz aks update -g "$MGMT_RG" -n "$MGMT_CLUSTER" --enable-oidc-issuer --enable-workload-identity\nISSUER=$(az aks show',
    );
    // The service accounts are read from the running Argo CD (release argo-cd names them argo-cd-argocd-*).
    expect(text).toContain('--subject "system:serviceaccount:argocd:$SA"');
    expect(text).toContain('- [ ] The management cluster is onboarded');
  });

  it('escapes what would break the Markdown table', () => {
    const withPipes = pullRequestBody({
      request: { ...request, owner: 'user:a|b' },
      files: [],
    });
    expect(withPipes).toContain('| Owner | user:a\\|b |');
  });

  it('titles a new and an onboarded environment differently', () => {
    expect(pullRequestTitle(request)).toBe(
      'Create AKS environment dev-cluster (dev, eastus)',
    );
    expect(pullRequestTitle({ ...request, mode: 'existing' })).toBe(
      'Onboard AKS environment dev-cluster (dev, eastus)',
    );
  });
});
