import fs from 'node:fs';
import path from 'node:path';
import { CRD_DIR, expectValidAgainstCrd, loadCrdValidator } from './crdSchemas';

const validate = (object: unknown): string[] =>
  loadCrdValidator().validate(object);

const application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'guestbook', namespace: 'argocd', labels: { env: 'dev' } },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://github.com/argoproj/argocd-example-apps',
      path: 'guestbook',
      targetRevision: 'HEAD',
    },
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'guestbook',
    },
  },
};

const helmChartProxy = {
  apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
  kind: 'HelmChartProxy',
  metadata: { name: 'argocd', namespace: 'default' },
  spec: {
    clusterSelector: { matchLabels: { argocdChart: 'enabled' } },
    repoURL: 'https://argoproj.github.io/argo-helm',
    chartName: 'argo-cd',
    version: '8.0.0',
  },
};

describe('CRD schema validator', () => {
  it('reads the CRDs from shared/ beside the repository', () => {
    expect(CRD_DIR.endsWith(path.join('shared', 'crds'))).toBe(true);
    expect(
      fs.existsSync(path.join(CRD_DIR, 'argoproj.io_application-crd.yaml')),
    ).toBe(true);
  });

  it('passes a minimal Argo CD Application', () => {
    expect(validate(application)).toEqual([]);
    expect(() => expectValidAgainstCrd(application)).not.toThrow();
  });

  it('rejects a misplaced field (syncOptions belongs under spec.syncPolicy)', () => {
    const misplaced = {
      ...application,
      spec: { ...application.spec, syncOptions: ['CreateNamespace=true'] },
    };
    expect(validate(misplaced)).toEqual([
      'Application guestbook: /spec: must NOT have additional properties (syncOptions)',
    ]);
    expect(() => expectValidAgainstCrd(misplaced)).toThrow(/syncOptions/);
  });

  it('passes a HelmChartProxy and rejects one with a typo field', () => {
    expect(validate(helmChartProxy)).toEqual([]);
    const typo = {
      ...helmChartProxy,
      spec: { ...helmChartProxy.spec, valueTemplate: 'a: 1' },
    };
    expect(validate(typo)).toEqual([
      'HelmChartProxy argocd: /spec: must NOT have additional properties (valueTemplate)',
    ]);
  });

  it('passes an ApplicationSet with a clusters generator and goTemplate', () => {
    const applicationSet = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          { clusters: { selector: { matchLabels: { env: 'dev' } } } },
        ],
        template: {
          metadata: { name: '{{.name}}-guestbook' },
          spec: {
            ...application.spec,
            destination: { server: '{{.server}}', namespace: 'guestbook' },
          },
        },
      },
    };
    expect(validate(applicationSet)).toEqual([]);
  });

  it('fails an unknown apiVersion/kind instead of passing it', () => {
    const errors = validate({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^Widget w: no CRD schema for apiVersion example\.com\/v1, kind Widget/,
    );
  });

  it('checks metadata like the API server: label values and names', () => {
    const badLabel = {
      ...application,
      metadata: { ...application.metadata, labels: { team: 'platform team' } },
    };
    expect(validate(badLabel)).toEqual([
      'Application guestbook: /metadata/labels/team: must match pattern "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"',
    ]);
    const badMeta = {
      ...application,
      metadata: { name: 'Guestbook', uid: 'x' },
    };
    expect(validate(badMeta)).toEqual([
      'Application Guestbook: /metadata: must NOT have additional properties (uid)',
      expect.stringMatching(
        /^Application Guestbook: \/metadata\/name: must match pattern/,
      ),
    ]);
  });
});
