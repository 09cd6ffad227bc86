import fc from 'fast-check';
import { clusterOfBranch, environmentBranch } from './naming';
import { clusterName } from './rules';

describe('clusterOfBranch', () => {
  it('accepts exactly the branches of names the clusterName rule accepts', () => {
    const candidates = fc.oneof(
      fc.constantFrom('dev-cluster', 'no', 'yes', 'y', 'null', 'off', '1e3', '0x1f', 'a', 'a-', '-a', 'nan', 'no-x', 'a'.repeat(42), 'a'.repeat(43)),
      fc.string({ unit: fc.constantFrom('a', 'n', 'o', 'y', '1', '-', 'A', '_', '/'), maxLength: 6 }),
    );
    fc.assert(
      fc.property(candidates, (name) => {
        expect(clusterOfBranch(environmentBranch(name)) !== undefined).toBe(clusterName.safeParse(name).success);
      }),
    );
  });

  it('refuses a branch whose cluster part is a YAML 1.1 word', () => {
    expect(clusterOfBranch('aks-gitops/no')).toBeUndefined();
    expect(clusterOfBranch('aks-gitops/no-cluster')).toBe('no-cluster');
  });
});
