import {
  AKS_STORE_DEMO_WORKLOAD,
  atLeastProblem,
  certManagerProblem,
  formRuleProblem,
  isFormRuleName,
  workloadsProblems,
} from './formRules';
import { parseEnvironmentRequest } from './request';
import { exampleEnvironmentRequest } from './example';

it('passes the values the template defaults to', () => {
  expect(formRuleProblem('clusterName', 'dev-cluster')).toBeUndefined();
  expect(
    formRuleProblem('guid', '00000000-0000-0000-0000-000000000001'),
  ).toBeUndefined();
  expect(formRuleProblem('kubernetesVersion', '1.35.6')).toBeUndefined();
  expect(formRuleProblem('vmSize', 'Standard_DS2_v2')).toBeUndefined();
});

it('says what the value must be and what is wrong with it', () => {
  expect(formRuleProblem('clusterName', 'Dev_Cluster')).toBe(
    'must be a DNS-1123 label of at most 42 characters (lowercase letters, digits and \'-\') that starts with a letter, ends with a letter or digit and is not a YAML 1.1 word (y, yes, n, no, true, false, on, off, null), since the azure-aks-aso chart writes it unquoted as a label value, but "Dev_Cluster" contains "D"',
  );
  expect(formRuleProblem('guid', 'not-a-guid')).toBe(
    'must be a GUID such as 00000000-0000-0000-0000-000000000000, but "not-a-guid" is not a GUID',
  );
  expect(formRuleProblem('kubernetesVersion', '1.32')).toBe(
    'must be a Kubernetes version AKS supports (1.36.2 or 1.35.6), but "1.32" is not one of them',
  );
  expect(atLeastProblem(2, 3, 'the minimum nodes')).toBe(
    'must be at least the minimum nodes (3), but it is 2',
  );
  expect(atLeastProblem(3, 3, 'the minimum nodes')).toBeUndefined();
});

it('leaves an empty optional field to the schema', () => {
  expect(formRuleProblem('clusterName', undefined)).toBeUndefined();
});

it('knows only its own rule names', () => {
  expect(isFormRuleName('guid')).toBe(true);
  expect(isFormRuleName('toString')).toBe(false);
  expect(isFormRuleName(undefined)).toBe(false);
});

it('gives the same sentence the server gives for the whole request', () => {
  const request = exampleEnvironmentRequest();
  expect(() =>
    parseEnvironmentRequest({
      ...request,
      cluster: { ...request.cluster, name: 'Dev_Cluster' },
    }),
  ).toThrow(`cluster.name: ${formRuleProblem('clusterName', 'Dev_Cluster')}`);
  for (const name of ['no', '1e3']) {
    expect(() =>
      parseEnvironmentRequest({
        ...request,
        cluster: { ...request.cluster, name },
      }),
    ).toThrow(`cluster.name: ${formRuleProblem('clusterName', name)}`);
  }
  const nodePool = { ...request.cluster.nodePool, minCount: 3, maxCount: 2 };
  expect(() =>
    parseEnvironmentRequest({
      ...request,
      cluster: { ...request.cluster, nodePool },
    }),
  ).toThrow(
    `cluster.nodePool.maxCount: ${atLeastProblem(2, 3, 'nodePool.minCount')}`,
  );
});

describe('workloadsProblems', () => {
  const serverLines = (input: unknown): string[] => {
    try {
      parseEnvironmentRequest(input);
      return [];
    } catch (error) {
      return (error as Error).message.split('\n');
    }
  };

  it('passes the AKS Store demo the form adds in one click', () => {
    expect(workloadsProblems('dev-cluster', [AKS_STORE_DEMO_WORKLOAD])).toEqual(
      [],
    );
  });

  it('gives the sentences the request gives on the server, on the same fields', () => {
    const workloads = [
      { ...AKS_STORE_DEMO_WORKLOAD, namespace: 'Pets' },
      { ...AKS_STORE_DEMO_WORKLOAD, name: 'aks-store-demo' },
      { ...AKS_STORE_DEMO_WORKLOAD, name: 'a'.repeat(40) },
    ];
    const cluster = 'a-rather-long-cluster-name';
    const problems = workloadsProblems(cluster, workloads);
    expect(problems).toHaveLength(3);
    const example = exampleEnvironmentRequest();
    expect(
      serverLines({
        ...example,
        cluster: { ...example.cluster, name: cluster },
        workloads,
      }),
    ).toEqual(problems);
  });

  it('leaves empty fields to the schema and skips names without a valid cluster name', () => {
    expect(
      workloadsProblems(undefined, [{ name: 'a' }, { name: 'a' }]),
    ).toEqual([]);
  });
});

describe('certManagerProblem', () => {
  const certManagerIssue = (input: unknown): string | undefined => {
    try {
      parseEnvironmentRequest(input);
      return undefined;
    } catch (error) {
      return (error as Error).message
        .split('\n')
        .find(line => line.startsWith('addons.certManager: '))
        ?.slice('addons.certManager: '.length);
    }
  };
  const off = { kargo: true, certManager: false };

  it('gives the sentence the request gives on the server for a new cluster', () => {
    const example = exampleEnvironmentRequest();
    expect(
      certManagerProblem(true, false, { mode: 'new', remote: false }),
    ).toBe(certManagerIssue({ ...example, addons: off }));
  });

  it('refuses it on a remote cluster, not on the management cluster itself, as the server does', () => {
    expect(
      certManagerProblem(true, false, { mode: 'existing', remote: true }),
    ).toBeDefined();
    expect(
      certManagerProblem(true, false, { mode: 'existing', remote: false }),
    ).toBeUndefined();
  });

  it('accepts cert-manager on, or Kargo off', () => {
    expect(
      certManagerProblem(true, true, { mode: 'new', remote: false }),
    ).toBeUndefined();
    expect(
      certManagerProblem(false, false, { mode: 'new', remote: false }),
    ).toBeUndefined();
  });
});
