import fc from 'fast-check';
import {
  CLUSTER_ENTITY_TYPE,
  clusterEntityPath,
  clusterEntityRef,
  clusterOfBranch,
  environmentBranch,
  parseEnvironmentBranch,
  ENVIRONMENT_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  PULL_REQUEST_ANNOTATION,
  STATE_LABEL,
} from './naming';
import { clusterName } from './rules';

// The one place these values are spelled out: the README documents them, and catalog queries,
// branch protection rules and other tools outside this repository match on them.
it('keeps the names both sides and outside tools use', () => {
  expect([
    STATE_LABEL,
    PULL_REQUEST_ANNOTATION,
    ENVIRONMENT_ANNOTATION,
    GITOPS_REPO_ANNOTATION,
    GITOPS_PATH_ANNOTATION,
  ]).toEqual([
    'aks-gitops.io/state',
    'aks-gitops.io/pull-request',
    'aks-gitops.io/environment',
    'aks-gitops.io/gitops-repo',
    'aks-gitops.io/gitops-path',
  ]);
  expect(CLUSTER_ENTITY_TYPE).toBe('kubernetes-cluster');
  expect(environmentBranch('dev-cluster')).toBe('aks-gitops/dev-cluster');
  expect(clusterEntityRef('dev-cluster')).toBe('resource:default/dev-cluster');
  expect(clusterEntityPath('dev-cluster')).toBe(
    '/catalog/default/resource/dev-cluster',
  );
});

describe('clusterOfBranch', () => {
  it('accepts exactly the branches of names the clusterName rule accepts', () => {
    const candidates = fc.oneof(
      fc.constantFrom(
        'dev-cluster',
        'no',
        'yes',
        'y',
        'null',
        'off',
        '1e3',
        '0x1f',
        'a',
        'a-',
        '-a',
        'nan',
        'no-x',
        'a'.repeat(42),
        'a'.repeat(43),
      ),
      fc.string({
        unit: fc.constantFrom('a', 'n', 'o', 'y', '1', '-', 'A', '_', '/'),
        maxLength: 6,
      }),
    );
    fc.assert(
      fc.property(candidates, name => {
        expect(clusterOfBranch(environmentBranch(name)) !== undefined).toBe(
          clusterName.safeParse(name).success,
        );
      }),
    );
  });

  it('refuses a branch whose cluster part is a YAML 1.1 word', () => {
    expect(clusterOfBranch('aks-gitops/no')).toBeUndefined();
    expect(clusterOfBranch('aks-gitops/no-cluster')).toBe('no-cluster');
  });
});

describe('parseEnvironmentBranch', () => {
  it('reads back every operation environmentBranch writes', () => {
    expect(parseEnvironmentBranch(environmentBranch('dev-cluster'))).toEqual({
      cluster: 'dev-cluster',
      operation: 'create',
    });
    expect(
      parseEnvironmentBranch(
        environmentBranch('dev-cluster', 'change', 'a1b2c3d4'),
      ),
    ).toEqual({ cluster: 'dev-cluster', operation: 'change', id: 'a1b2c3d4' });
    expect(
      parseEnvironmentBranch(
        environmentBranch('dev', 'decommission', 'phase-1'),
      ),
    ).toEqual({ cluster: 'dev', operation: 'decommission', id: 'phase-1' });
  });

  it('refuses unknown operations, bad ids and nested paths', () => {
    for (const branch of [
      'aks-gitops/dev.rename-x',
      'aks-gitops/dev.change-',
      'aks-gitops/dev.change-A',
      'aks-gitops/dev/change-x',
      'aks-gitops/dev.change-x.y',
      'other/dev.change-x',
    ])
      expect(parseEnvironmentBranch(branch)).toBeUndefined();
  });

  it('keeps a change branch out of clusterOfBranch, which names created clusters only', () => {
    expect(
      clusterOfBranch(environmentBranch('dev', 'change', 'x1')),
    ).toBeUndefined();
  });

  it('refuses to write a change branch without a valid id, naming the id', () => {
    expect(() => environmentBranch('dev', 'change')).toThrow(/^id: must match/);
  });
});
