import { DEFAULT_CHART_VERSIONS } from '../defaults';
import { renderEnvironment } from '../render';
import { newClusterRequest } from '../testing/fixtures';
import { changeEnvironment } from './changeEnvironment';

/** The lines of `after` not in `before` and the lines of `before` not in `after` (a longest common subsequence diff). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const common: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] =
        a[i] === b[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (
      i < a.length &&
      (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)
    ) {
      lines.push(`-${a[i++]}`);
    } else {
      lines.push(`+${b[j++]}`);
    }
  }
  return lines;
}

describe('changeEnvironment golden', () => {
  it('turning one add-on off changes only its lines', () => {
    const from = newClusterRequest();
    const to = { ...from, addons: { ...from.addons, argoRollouts: false } };
    const current = renderEnvironment(from).files;
    const { files } = changeEnvironment(current, from, to);
    const changed = Object.entries(files).flatMap(([path, text]) =>
      changedLines(current[path] ?? '', text ?? '').map(
        line => `${path} ${line}`,
      ),
    );
    expect({
      everyLineIsTheAddOns: changed.every(line =>
        /argo[-_ ]?rollouts/i.test(line),
      ),
      secret: changed
        .filter(line =>
          line.startsWith('clusters/dev-cluster/cluster-secret.yaml'),
        )
        .sort(),
      request: changed.filter(line =>
        line.startsWith('clusters/dev-cluster/aks-gitops-request.yaml'),
      ),
    }).toEqual({
      everyLineIsTheAddOns: true,
      secret: [
        'clusters/dev-cluster/cluster-secret.yaml +    enable_argo_rollouts: "false"',
        // The chart-version label and the annotation of the same name.
        `clusters/dev-cluster/cluster-secret.yaml -    argo_rollouts_chart_version: "${DEFAULT_CHART_VERSIONS.argoRollouts}"`,
        `clusters/dev-cluster/cluster-secret.yaml -    argo_rollouts_chart_version: "${DEFAULT_CHART_VERSIONS.argoRollouts}"`,
        'clusters/dev-cluster/cluster-secret.yaml -    enable_argo_rollouts: "true"',
      ],
      request: [
        'clusters/dev-cluster/aks-gitops-request.yaml -  argoRollouts: true',
        'clusters/dev-cluster/aks-gitops-request.yaml +  argoRollouts: false',
      ],
    });
  });
});
