/**
 * What a change of an environment may change, and the Kubernetes version rule: refusals are
 * FieldIssues (`field: must ..., but ...`), one per field.
 */
import type { EnvironmentRequest, FieldIssue } from '../request';
import { formatPath, showValue, valueEdits, type ValuePath } from './values';

/** The fields a change may touch; any other difference is refused. */
const CHANGEABLE: readonly ValuePath[] = [
  ['addons'],
  ['cluster', 'kubernetesVersion'],
  ['cluster', 'nodePool', 'vmSize'],
  ['cluster', 'nodePool', 'minCount'],
  ['cluster', 'nodePool', 'maxCount'],
  ['workloads'],
  ['owner'],
  ['system'],
];

const CHANGEABLE_TEXT =
  'the add-ons, the Kubernetes version, the node pool (VM size, minimum and maximum), the workloads, the owner and the system';

/** Why a field fixed at creation is fixed, where there is more to say than "only ... may change". */
const FIXED_BECAUSE: Record<string, string> = {
  'cluster.name':
    'the name is the environment (create a new environment instead)',
  mode: 'a new cluster cannot become an onboarded one, nor the other way round',
  'cluster.location': 'AKS cannot move a cluster to another region',
  'azure.subscriptionId': 'the cluster lives in that subscription',
  'azure.tenantId': 'the cluster lives in that tenant',
  'azure.clientId': "Argo CD's federated credentials are for that identity",
};

function isChangeable(path: ValuePath): boolean {
  return CHANGEABLE.some(prefix => prefix.every((key, i) => path[i] === key));
}

function fixedFieldIssue(
  path: ValuePath,
  from: unknown,
  to: unknown,
): FieldIssue {
  const field = formatPath(path);
  const prefix = field.startsWith('gitopsRepo')
    ? "the environment's files live in that repository"
    : FIXED_BECAUSE[field];
  return {
    field,
    message: `must stay ${showValue(from)} in a change (${prefix ?? `only ${CHANGEABLE_TEXT} may change`}), but it is ${showValue(to)}`,
  };
}

function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return [major, minor, patch];
}

/**
 * AKS never downgrades a cluster and upgrades one minor version at a time: "When you upgrade a
 * supported AKS cluster, you can't skip Kubernetes minor versions ... 1.14.x -> 1.16.x isn't
 * allowed" (learn.microsoft.com/azure/aks/upgrade-aks-cluster, "Kubernetes version upgrades"; the
 * AKS upgrade FAQ says the same). A patch upgrade within a minor version is fine.
 */
export function kubernetesVersionIssue(
  from: string,
  to: string,
): FieldIssue | undefined {
  const field = 'cluster.kubernetesVersion';
  const current = versionParts(from);
  const next = versionParts(to);
  const [fromMajor, fromMinor] = current;
  const [toMajor, toMinor] = next;
  // The first part that differs says which is higher.
  const delta = next.map((part, i) => part - current[i]!).find(d => d !== 0);
  if (delta !== undefined && delta < 0)
    return {
      field,
      message: `must not be lower than the current ${from} (AKS does not downgrade a cluster), but it is ${to}`,
    };
  if (toMajor !== fromMajor || toMinor > fromMinor + 1)
    return {
      field,
      message: `must be at most one minor version above the current ${from} (${fromMajor}.${fromMinor + 1}.x at most: AKS upgrades one minor version at a time), but it is ${to}`,
    };
  return undefined;
}

/**
 * Every reason the change from `stored` to `next` is refused (none when it may be applied).
 *
 * @public
 */
export function changeIssues(
  stored: EnvironmentRequest,
  next: EnvironmentRequest,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const edit of valueEdits(stored, next)) {
    if (isChangeable(edit.path)) continue;
    const issue = fixedFieldIssue(edit.path, edit.from, edit.to);
    if (seen.has(issue.field)) continue;
    seen.add(issue.field);
    issues.push(issue);
  }
  const version = kubernetesVersionIssue(
    stored.cluster.kubernetesVersion,
    next.cluster.kubernetesVersion,
  );
  if (version) issues.push(version);
  return issues;
}
