import { kubernetesVersionIssue } from './rules';

describe('kubernetesVersionIssue (AKS: no downgrade, one minor version at a time)', () => {
  it('accepts a patch upgrade', () => {
    expect(kubernetesVersionIssue('1.32.7', '1.32.9')).toBeUndefined();
  });

  it('accepts the next minor version', () => {
    expect(kubernetesVersionIssue('1.32.7', '1.33.0')).toBeUndefined();
  });

  it('refuses skipping a minor version', () => {
    expect(kubernetesVersionIssue('1.31.4', '1.33.0')).toEqual({
      field: 'cluster.kubernetesVersion',
      message:
        'must be at most one minor version above the current 1.31.4 (1.32.x at most: AKS upgrades one minor version at a time), but it is 1.33.0',
    });
  });

  it('refuses a patch downgrade', () => {
    expect(kubernetesVersionIssue('1.32.7', '1.32.6')?.message).toBe(
      'must not be lower than the current 1.32.7 (AKS does not downgrade a cluster), but it is 1.32.6',
    );
  });

  it('refuses a new major version', () => {
    expect(kubernetesVersionIssue('1.32.7', '2.0.0')?.field).toBe(
      'cluster.kubernetesVersion',
    );
  });
});
