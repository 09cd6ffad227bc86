import { AKS_STORE_DEMO_WORKLOAD } from '@aks-gitops/plugin-aks-gitops-common/form-rules';
import {
  validateAtLeast,
  validateCertManager,
  validateCheckedText,
  validateWorkloads,
} from './validation';

function collect(
  check: (errors: { addError(message: string): void }) => void,
): string[] {
  const messages: string[] = [];
  check({ addError: message => messages.push(message) });
  return messages;
}

describe('CheckedText', () => {
  it("gives the render library's sentence for a value its rule rejects", () => {
    expect(
      collect(e =>
        validateCheckedText('Dev_Cluster', e, { rule: 'clusterName' }),
      ),
    ).toEqual([
      'must be a DNS-1123 label of at most 42 characters (lowercase letters, digits and \'-\') that starts with a letter, ends with a letter or digit and is not a YAML 1.1 word (y, yes, n, no, true, false, on, off, null), since the azure-aks-aso chart writes it unquoted as a label value, but "Dev_Cluster" contains "D"',
    ]);
    expect(
      collect(e =>
        validateCheckedText('1.32', e, { rule: 'kubernetesVersion' }),
      ),
    ).toEqual([
      'must be a Kubernetes version AKS supports (1.36.2 or 1.35.6), but "1.32" is not one of them',
    ]);
  });

  it('accepts valid and empty values', () => {
    expect(
      collect(e =>
        validateCheckedText('00000000-0000-0000-0000-000000000001', e, {
          rule: 'guid',
        }),
      ),
    ).toEqual([]);
    expect(
      collect(e => validateCheckedText(undefined, e, { rule: 'guid' })),
    ).toEqual([]);
  });

  it('reports a template naming an unknown rule', () => {
    expect(
      collect(e => validateCheckedText('x', e, { rule: 'constructor' })),
    ).toEqual([
      'ui:options.rule must be one of clusterName, guid, kubernetesVersion, vmSize, httpsUrl, certificateAuthorityData, azureResourceGroup, basePath, relativePath, gitRevision, objectName, but it is "constructor"',
    ]);
  });
});

describe('AtLeast', () => {
  const options = { atLeast: 'minCount', atLeastLabel: 'the minimum nodes' };

  it('rejects a maximum below the minimum, naming both', () => {
    expect(
      collect(e => validateAtLeast(2, e, { minCount: 3 }, options)),
    ).toEqual(['must be at least the minimum nodes (3), but it is 2']);
  });

  it('accepts a maximum equal to or above the minimum, and leaves missing numbers to the schema', () => {
    expect(
      collect(e => validateAtLeast(3, e, { minCount: 3 }, options)),
    ).toEqual([]);
    expect(
      collect(e => validateAtLeast(undefined, e, { minCount: 3 }, options)),
    ).toEqual([]);
    expect(collect(e => validateAtLeast(2, e, {}, options))).toEqual([]);
  });

  it('reports a template that does not name the bound field', () => {
    expect(collect(e => validateAtLeast(2, e, { minCount: 3 }, {}))).toEqual([
      'ui:options.atLeast must name the field holding the lower bound, but it is missing',
    ]);
  });
});

describe('Workloads', () => {
  it('checks each workload name against the cluster name of the form, and against each other', () => {
    expect(
      collect(e =>
        validateWorkloads(
          [AKS_STORE_DEMO_WORKLOAD, AKS_STORE_DEMO_WORKLOAD],
          e,
          { name: 'dev-cluster' },
          undefined,
        ),
      ),
    ).toEqual([
      'workloads[1].name: must be unique among workloads, but "aks-store-demo" is used twice',
    ]);
  });

  it('reads the cluster name from the field the template names', () => {
    expect(
      collect(e =>
        validateWorkloads(
          [{ ...AKS_STORE_DEMO_WORKLOAD, name: 'a'.repeat(30) }],
          e,
          { clusterName: 'c'.repeat(40) },
          { clusterNameField: 'clusterName' },
        ),
      ),
    ).toEqual([
      `workloads[0].name: must be at most 22 characters with cluster name "${'c'.repeat(40)}" (the Application is named <cluster>-<workload>), but it has 30`,
    ]);
  });
});

describe('CertManager', () => {
  const remote = {
    mode: 'existing' as const,
    remoteField: 'connection',
    remoteValue: 'remote',
  };

  it("refuses cert-manager off while Kargo is on for a new cluster, with the request's sentence", () => {
    expect(
      collect(e =>
        validateCertManager(false, e, { kargo: true }, { mode: 'new' }),
      ),
    ).toEqual([
      'must be true when addons.kargo is true on a new or remote cluster, but it is false (the Kargo chart creates a cert-manager Issuer, and its sync fails without cert-manager)',
    ]);
  });

  it('refuses it for a remote existing cluster only, by the field the template names', () => {
    expect(
      collect(e =>
        validateCertManager(
          false,
          e,
          { kargo: true, connection: 'remote' },
          remote,
        ),
      ),
    ).toHaveLength(1);
    expect(
      collect(e =>
        validateCertManager(
          false,
          e,
          { kargo: true, connection: 'in-cluster' },
          remote,
        ),
      ),
    ).toEqual([]);
  });

  it('reports a template that does not say its mode', () => {
    expect(collect(e => validateCertManager(false, e, {}, {}))).toEqual([
      'ui:options.mode must be new or existing, but it is undefined',
    ]);
  });
});
